/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_bars.h - the screen's frame: the top bar (views, host, clock),
 * the header meters of the process view and the bottom line (function
 * keys, messages, prompts).
 */
#ifndef TT_WIDGET_BARS_H
#define TT_WIDGET_BARS_H

#include "tui/ui_state.h"

void tt_tabs_draw(struct tt_ui *ui, int y);
void tt_status_draw(struct tt_ui *ui, int y);
/* meters flowed over at most maxh lines; returns the lines used */
int tt_header_draw(struct tt_ui *ui, int y, int maxh);

#endif
