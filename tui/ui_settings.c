// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_settings.c - the settings file in and out of the screen's state.
 * The command line wins over the file: -s over `sort`, --theme over
 * `theme`.
 */
#include <stdio.h>
#include <string.h>
#include "tui/ui_config.h"
#include "tui/ui_state.h"

void tt_ui_settings_load(struct tt_ui *ui)
{
	const struct tt_options *o = ui->opt;
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];
	struct tt_config c;
	char path[4096], err[512];
	const char *theme;

	tt_config_init(&c);
	if (tt_config_path(path, sizeof(path)) == 0 &&
	    tt_config_load(&c, path, err, sizeof(err)) && err[0])
		tt_ui_msg(ui, true, "%s", err);
	if (c.ncols > 0) {
		memcpy(ui->cols_shown, c.cols, sizeof(int) * (size_t)c.ncols);
		ui->ncols_shown = c.ncols;
	}
	if (o->sort_col >= 0 && o->sort_col < TT_COL_MAX) {
		t->sort = o->sort_col;
		t->desc = o->sort_asc ? false : tt_columns[t->sort].desc;
	} else if (c.sort >= 0) {
		t->sort = c.sort;
		t->desc = c.desc >= 0 ? c.desc : tt_columns[t->sort].desc;
	}
	theme = o->theme ? o->theme : c.theme[0] ? c.theme : "default";
	tt_theme_use(ui, theme);
}

void tt_ui_settings_save(struct tt_ui *ui)
{
	const struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];
	struct tt_config c;
	char path[4096], err[512];

	tt_config_init(&c);
	memcpy(c.cols, ui->cols_shown, sizeof(int) * (size_t)ui->ncols_shown);
	c.ncols = ui->ncols_shown;
	c.sort = t->sort;
	c.desc = t->desc;
	snprintf(c.theme, sizeof(c.theme), "%s", ui->theme.name);
	if (tt_config_path(path, sizeof(path))) {
		tt_ui_msg(ui, true, "settings not saved: no $HOME");
		return;
	}
	if (tt_config_save(&c, path, err, sizeof(err)))
		tt_ui_msg(ui, true, "%s", err);
	else
		tt_ui_msg(ui, false, "settings saved to %s", path);
}
