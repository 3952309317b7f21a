// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_setup.c - F2: which columns the table of the view on screen shows
 * and in what order (from its column set, model/columns.h), and the
 * theme. Shown columns come first in screen order, hidden ones after;
 * leaving the screen saves the settings file.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "tui/ui_draw.h"
#include "tui/ui_settings.h"
#include "tui/view_setup.h"
#include "tui/views.h"

static const char *const setup_themes[] = {
	"default", "light", "mono", "high-contrast", "256",
};

/* the view's column set, or NULL when it has no table */
static const struct tt_colset *setup_set(const struct tt_ui *ui)
{
	return tt_views[ui->view]->cols;
}

/* the column at list position i: shown ones, then hidden in table order */
static int setup_col_at(const struct tt_ui *ui, int i, bool *shown)
{
	const struct tt_table *t = &ui->tbl[ui->view];
	const struct tt_colset *set = setup_set(ui);

	*shown = i < t->nshow;
	if (*shown)
		return t->show[i];
	i -= t->nshow;
	for (int c = 0; set && c < set->ncols; c++) {
		bool on = false;

		for (int k = 0; k < t->nshow; k++)
			on |= t->show[k] == c;
		if (!on && i-- == 0)
			return c;
	}
	return -1;
}

void tt_setup_draw(struct tt_ui *ui)
{
	const struct tt_colset *set = setup_set(ui);
	int listw = ui->cols < 60 ? ui->cols : 30, top = 0, nrow = ui->rows - 4;
	bool shown;
	int c;

	erase();
	tt_draw_style(TT_EL_TAB_ACTIVE);
	tt_draw_blank(0, 0, ui->cols);
	tt_draw_fmt(0, 0, ui->cols,
		    " Setup: columns of the %s view  theme: %s (c: next)",
		    tt_views[ui->view]->name, ui->theme.name);
	if (nrow < 1)
		nrow = 1;
	if (ui->setup_sel >= nrow)
		top = ui->setup_sel - nrow + 1;
	for (int r = 0; set && r < nrow && top + r < set->ncols; r++) {
		int i = top + r;

		c = setup_col_at(ui, i, &shown);
		if (c < 0)
			break;
		tt_draw_style(i == ui->setup_sel ? TT_EL_SELECTED
			      : shown		 ? TT_EL_NORMAL
						 : TT_EL_DIM);
		tt_draw_blank(2 + r, 0, listw);
		tt_draw_fmt(2 + r, 0, listw, " [%c] %-9s %s", shown ? 'x' : ' ',
			    set->cols[c].title, set->cols[c].name);
	}
	if (!set) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(2, 1, ui->cols - 1, "(this view has no table)");
	}
	c = setup_col_at(ui, ui->setup_sel, &shown);
	if (set && c >= 0 && ui->cols >= 60) {
		tt_draw_style(TT_EL_TITLE);
		tt_draw_str(2, listw + 2, ui->cols - listw - 2,
			    set->cols[c].title);
		tt_draw_style(TT_EL_NORMAL);
		tt_draw_str(3, listw + 2, ui->cols - listw - 2,
			    set->cols[c].help);
	}
	tt_draw_style(TT_EL_STATUS);
	tt_draw_blank(ui->rows - 1, 0, ui->cols);
	tt_draw_str(
		ui->rows - 1, 0, ui->cols,
		"Space show/hide  [ ] move  c theme  Esc/F2 save and close");
	tt_draw_style(TT_EL_NORMAL);
}

static void setup_swap(struct tt_ui *ui, int a, int b)
{
	struct tt_table *t = &ui->tbl[ui->view];
	int tmp;

	if (a < 0 || b < 0 || a >= t->nshow || b >= t->nshow)
		return;
	tmp = t->show[a];
	t->show[a] = t->show[b];
	t->show[b] = tmp;
	ui->setup_sel = b;
}

static void setup_toggle(struct tt_ui *ui)
{
	struct tt_table *t = &ui->tbl[ui->view];
	bool shown;
	int c = setup_col_at(ui, ui->setup_sel, &shown);

	if (c < 0)
		return;
	if (!shown) {
		t->show[t->nshow++] = c;
		ui->setup_sel = t->nshow - 1;
		return;
	}
	if (t->nshow == 1) {
		tt_ui_msg(ui, true, "one column at least must show");
		return;
	}
	memmove(&t->show[ui->setup_sel], &t->show[ui->setup_sel + 1],
		(size_t)(t->nshow - ui->setup_sel - 1) * sizeof(int));
	t->nshow--;
}

static void setup_next_theme(struct tt_ui *ui)
{
	size_t n = sizeof(setup_themes) / sizeof(*setup_themes), i;

	for (i = 0; i < n; i++)
		if (!strcmp(ui->theme.name, setup_themes[i]))
			break;
	tt_ui_theme_use(ui, setup_themes[(i + 1) % n]);
}

int tt_setup_act(struct tt_ui *ui, enum tt_act act)
{
	const struct tt_colset *set = setup_set(ui);

	switch (act) {
	case TT_ACT_UP:
		if (ui->setup_sel > 0)
			ui->setup_sel--;
		break;
	case TT_ACT_DOWN:
		if (set && ui->setup_sel < set->ncols - 1)
			ui->setup_sel++;
		break;
	case TT_ACT_SETUP_TOGGLE:
		setup_toggle(ui);
		break;
	case TT_ACT_SETUP_EARLIER:
		setup_swap(ui, ui->setup_sel, ui->setup_sel - 1);
		break;
	case TT_ACT_SETUP_LATER:
		setup_swap(ui, ui->setup_sel, ui->setup_sel + 1);
		break;
	case TT_ACT_SETUP_THEME:
		setup_next_theme(ui);
		return TT_R_REDRAW | TT_R_CLEAR;
	case TT_ACT_SETUP_CLOSE:
	case TT_ACT_QUIT:
		ui->setup = false;
		tt_ui_settings_save(ui);
		return TT_R_REDRAW | TT_R_CLEAR;
	case TT_ACT_REDRAW:
		return TT_R_REDRAW | TT_R_CLEAR;
	default:
		return TT_R_NONE;
	}
	return TT_R_REDRAW;
}
