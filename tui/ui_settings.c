// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_settings.c - the settings file in and out of the screen's state.
 * Each view with a table keeps its columns under its own key
 * (tt_view_ops.config); the process table's line, `columns`, is always
 * written, the others only when they differ from their defaults.
 */
#include <stdio.h>
#include <string.h>
#include "tui/theme.h"
#include "tui/ui_config.h"
#include "tui/ui_settings.h"
#include "tui/views.h"

/* every view's table in c, its columns as shown when with_cols */
static void settings_tables(struct tt_ui *ui, struct tt_config *c,
			    bool with_cols)
{
	for (int v = 0; v < TT_VIEW_MAX; v++) {
		const struct tt_view_ops *ops = tt_views[v];
		const struct tt_table *t = &ui->tbl[v];
		struct tt_config_cols *tc;

		if (!ops->cols)
			continue;
		tc = tt_config_add(c, ops->config, ops->cols);
		if (!tc || !with_cols)
			continue;
		if (v != TT_VIEW_PROCS && t->nshow == ops->cols->ndefaults &&
		    !memcmp(t->show, ops->cols->defaults,
			    sizeof(int) * (size_t)t->nshow))
			continue; /* the defaults: let a newer one add to them
				   */
		memcpy(tc->cols, t->show, sizeof(int) * (size_t)t->nshow);
		tc->ncols = t->nshow;
	}
}

void tt_ui_theme_use(struct tt_ui *ui, const char *name)
{
	char err[512];

	if (tt_theme_use(&ui->theme, ui->color, name, err, sizeof(err)))
		tt_ui_msg(ui, true, "%s", err);
}

void tt_ui_settings_load(struct tt_ui *ui)
{
	const struct tt_options *o = ui->opt;
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];
	struct tt_config c;
	char path[4096], err[512];
	const char *theme;

	tt_config_init(&c);
	settings_tables(ui, &c, false);
	if (tt_config_path(path, sizeof(path)) == 0 &&
	    tt_config_load(&c, path, err, sizeof(err)) && err[0])
		tt_ui_msg(ui, true, "%s", err);
	for (int i = 0; i < c.ntab; i++)
		for (int v = 0; v < TT_VIEW_MAX; v++) {
			if (!c.tab[i].ncols ||
			    c.tab[i].key != tt_views[v]->config)
				continue;
			memcpy(ui->tbl[v].show, c.tab[i].cols,
			       sizeof(int) * (size_t)c.tab[i].ncols);
			ui->tbl[v].nshow = c.tab[i].ncols;
		}
	if (o->sort_col >= 0 && o->sort_col < TT_COL_MAX) {
		t->sort = o->sort_col;
		t->desc = o->sort_asc ? false : tt_columns[t->sort].desc;
	} else if (c.sort >= 0) {
		t->sort = c.sort;
		t->desc = c.desc >= 0 ? c.desc : tt_columns[t->sort].desc;
	}
	theme = o->theme ? o->theme : c.theme[0] ? c.theme : "default";
	tt_ui_theme_use(ui, theme);
}

void tt_ui_settings_save(struct tt_ui *ui)
{
	const struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];
	struct tt_config c;
	char path[4096], err[512];

	tt_config_init(&c);
	settings_tables(ui, &c, true);
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
