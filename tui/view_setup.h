/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * view_setup.h - F2, an overlay: which columns the view's table shows and
 * in what order, and the theme. Leaving it saves the settings file.
 */
#ifndef TT_VIEW_SETUP_H
#define TT_VIEW_SETUP_H

#include "tui/ui_state.h"

void tt_setup_draw(struct tt_ui *ui);
/* a key while setup shows (a reaction) */
int tt_setup_act(struct tt_ui *ui, enum tt_act act);

#endif
