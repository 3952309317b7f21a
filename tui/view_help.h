/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * view_help.h - the help screen, an overlay generated from the key table.
 */
#ifndef TT_VIEW_HELP_H
#define TT_VIEW_HELP_H

#include "tui/ui_state.h"

void tt_help_draw(struct tt_ui *ui);
/* a key while help shows: scrolls, or closes it (a reaction) */
int tt_help_act(struct tt_ui *ui, enum tt_act act);

#endif
