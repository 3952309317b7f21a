/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_actions.h - what keys do when the view on screen leaves them to the
 * common handling: moving, sorting, prompts, signals, tags, switching
 * views, pausing, the delay. Each returns the reaction the loop carries
 * out (as htop's Action.c); the loop alone dispatches (ui_loop.c).
 */
#ifndef TT_UI_ACTIONS_H
#define TT_UI_ACTIONS_H

#include "tui/ui_state.h"

/* the common handling of an action, after the view declined it */
int tt_ui_common(struct tt_ui *ui, enum tt_act act);
/* a key while a prompt is open */
int tt_ui_prompt_key(struct tt_ui *ui, int ch);
/* the open prompt's question ("Search: "), or NULL */
const char *tt_ui_prompt_text(const struct tt_ui *ui);
/*
 * A mouse event: a reaction, and in *act an action for the loop to
 * dispatch (a wheel scrolls, a double click drills in), else NONE.
 */
int tt_ui_mouse(struct tt_ui *ui, enum tt_act *act);
/* the process the view's selection stands for (0: none) */
uint32_t tt_ui_selected_pid(const struct tt_ui *ui);

#endif
