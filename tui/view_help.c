// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_help.c - the help screen, generated from the key table so it can
 * not drift from what the keys do (the man page is checked by a test).
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "tui/ui_draw.h"
#include "tui/view_help.h"

#define HELP_COLW 58
#define HELP_KEYW 15

static int help_geometry(const struct tt_ui *ui, int *ncol, int *nrow)
{
	*ncol = ui->cols / HELP_COLW > 0 ? ui->cols / HELP_COLW : 1;
	*nrow = ui->rows - 3;
	if (*nrow < 1)
		*nrow = 1;
	/* entries past what fits scroll, a column's height at a time */
	return (int)tt_nkeybinds - *ncol * *nrow;
}

void tt_help_draw(struct tt_ui *ui)
{
	int ncol, nrow, colw, overflow = help_geometry(ui, &ncol, &nrow);

	colw = ui->cols / ncol;
	if (ui->help_top > overflow)
		ui->help_top = overflow > 0 ? overflow : 0;
	erase();
	tt_draw_style(TT_EL_TAB_ACTIVE);
	tt_draw_blank(0, 0, ui->cols);
	tt_draw_fmt(0, 0, ui->cols,
		    " tracetop %s - keys (htop's keys keep their meaning)",
		    TT_VERSION);
	for (int i = ui->help_top, slot = 0; i < (int)tt_nkeybinds;
	     i++, slot++) {
		int c = slot / nrow, r = slot % nrow;

		if (c >= ncol)
			break;
		tt_draw_style(TT_EL_KEY);
		tt_draw_field(2 + r, c * colw, HELP_KEYW, true,
			      tt_keybinds[i].label);
		tt_draw_style(TT_EL_NORMAL);
		tt_draw_str(2 + r, c * colw + HELP_KEYW + 1,
			    colw - HELP_KEYW - 2, tt_keybinds[i].help);
	}
	tt_draw_style(TT_EL_STATUS);
	tt_draw_blank(ui->rows - 1, 0, ui->cols);
	tt_draw_str(ui->rows - 1, 0, ui->cols,
		    overflow > 0 ? "Up/Down/PgUp/PgDn scroll, any other key "
				   "closes help"
				 : "Any key closes help. man tracetop has "
				   "the details.");
	tt_draw_style(TT_EL_NORMAL);
}

int tt_help_act(struct tt_ui *ui, enum tt_act act)
{
	int ncol, nrow;

	help_geometry(ui, &ncol, &nrow);
	switch (act) {
	case TT_ACT_UP:
		ui->help_top = ui->help_top > 0 ? ui->help_top - 1 : 0;
		break;
	case TT_ACT_DOWN:
		ui->help_top++;
		break;
	case TT_ACT_PGUP:
		ui->help_top = ui->help_top > nrow ? ui->help_top - nrow : 0;
		break;
	case TT_ACT_PGDN:
		ui->help_top += nrow;
		break;
	case TT_ACT_QUIT:
		return TT_R_QUIT;
	default:
		ui->help = false;
		ui->help_top = 0;
	}
	return TT_R_REDRAW | TT_R_CLEAR;
}
