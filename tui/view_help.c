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
#include "tui/widget_geom.h"

void tt_help_draw(struct tt_ui *ui)
{
	struct tt_help_layout l;

	tt_help_layout(ui->cols, ui->rows, (int)tt_nkeybinds, &l);
	if (ui->help_top > l.overflow)
		ui->help_top = l.overflow > 0 ? l.overflow : 0;
	erase();
	tt_draw_style(TT_EL_TAB_ACTIVE);
	tt_draw_blank(0, 0, ui->cols);
	tt_draw_fmt(0, 0, ui->cols,
		    " tracetop %s - keys (htop's keys keep their meaning)",
		    TT_VERSION);
	for (int i = ui->help_top, slot = 0; i < (int)tt_nkeybinds;
	     i++, slot++) {
		int c = slot / l.nrow, r = slot % l.nrow;

		if (c >= l.ncol)
			break;
		tt_draw_style(TT_EL_KEY);
		tt_draw_field(2 + r, c * l.colw, TT_HELP_KEYW, true,
			      tt_keybinds[i].label);
		tt_draw_style(TT_EL_NORMAL);
		tt_draw_str(2 + r, c * l.colw + TT_HELP_KEYW + 1, l.textw,
			    tt_keybinds[i].help);
	}
	tt_draw_style(TT_EL_STATUS);
	tt_draw_blank(ui->rows - 1, 0, ui->cols);
	tt_draw_str(ui->rows - 1, 0, ui->cols,
		    l.overflow > 0 ? "Up/Down/PgUp/PgDn scroll, any other key "
				     "closes help"
				   : "Any key closes help. man tracetop has "
				     "the details.");
	tt_draw_style(TT_EL_NORMAL);
}

int tt_help_act(struct tt_ui *ui, enum tt_act act)
{
	struct tt_help_layout l;
	int nrow;

	tt_help_layout(ui->cols, ui->rows, (int)tt_nkeybinds, &l);
	nrow = l.nrow;
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
