/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_outputs.h - the screen's way out to files and back in time: X
 * writes the snapshot on screen, and [ ] { } g move through a source
 * that can seek. Each returns a reaction.
 */
#ifndef TT_UI_OUTPUTS_H
#define TT_UI_OUTPUTS_H

#include "tui/ui_state.h"

int tt_ui_export(struct tt_ui *ui);
int tt_ui_seek(struct tt_ui *ui, long delta);
int tt_ui_seek_minutes(struct tt_ui *ui, int minutes);
/* g: to a local time "HH:MM[:SS]" or "YYYY-mm-dd HH:MM[:SS]" */
int tt_ui_goto(struct tt_ui *ui, const char *when);

#endif
