/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_settings.h - the settings file (ui_config.h) in and out of the
 * screen's state: every view's columns, the process table's sort, the
 * theme. The command line wins over the file: -s over `sort`, --theme
 * over `theme`.
 */
#ifndef TT_UI_SETTINGS_H
#define TT_UI_SETTINGS_H

#include "tui/ui_state.h"

/* The settings in use from the file; its problems on the status line. */
void tt_ui_settings_load(struct tt_ui *ui);
/* Save them, and say where (or why not) on the status line. */
void tt_ui_settings_save(struct tt_ui *ui);
/* Load and apply a theme by name; its problems on the status line. */
void tt_ui_theme_use(struct tt_ui *ui, const char *name);

#endif
