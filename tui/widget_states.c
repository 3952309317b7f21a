// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_states.c - the thread-state bar. The shares come first (they are
 * what one reads); the bar takes the width left, when there is some.
 */
#include <curses.h>
#include <stdio.h>
#include "model/states.h"
#include "tui/widget_geom.h"
#include "tui/widget_states.h"

#define STATES_LABEL  7
#define STATES_MINBAR 10

static const enum tt_theme_el states_style[TT_ST_MAX] = {
	[TT_ST_RUNNING] = TT_EL_BAR,
	[TT_ST_RUNNABLE] = TT_EL_MARK,
	[TT_ST_SLEEPING] = TT_EL_DIM,
	[TT_ST_BLOCKED] = TT_EL_WARN,
};

void tt_states_draw(const double pct[TT_ST_MAX], const struct tt_glyphs *g,
		    int y, int x, int w)
{
	char item[TT_ST_MAX][48];
	int legend = 0, at = x + STATES_LABEL, barw, cells[TT_ST_MAX];
	double sum = 0;

	tt_draw_style(TT_EL_NORMAL);
	tt_draw_blank(y, x, w);
	tt_draw_style(TT_EL_LABEL);
	tt_draw_field(y, x, STATES_LABEL, true, "states");
	for (int i = 0; i < TT_ST_MAX; i++)
		sum += pct[i];
	if (sum <= 0) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y, at, x + w - at,
			    "not known (the scheduler probes are off, or "
			    "nothing ran yet)");
		tt_draw_style(TT_EL_NORMAL);
		return;
	}
	for (int i = 0; i < TT_ST_MAX; i++) {
		snprintf(item[i], sizeof(item[i]), "%s %.1f%%  ",
			 tt_state_name((enum tt_state)i), pct[i]);
		legend += 2 + tt_draw_width(item[i]);
	}
	barw = x + w - at - legend - 1;
	if (barw >= STATES_MINBAR) {
		tt_share_cells(pct, TT_ST_MAX, barw, cells);
		for (int i = 0; i < TT_ST_MAX; i++) {
			tt_draw_style(states_style[i]);
			for (int c = 0; c < cells[i]; c++)
				tt_draw_str(y, at + c, 1, g->state[i]);
			at += cells[i];
		}
		at = x + STATES_LABEL + barw + 1;
	}
	for (int i = 0; i < TT_ST_MAX && at < x + w; i++) {
		tt_draw_style(states_style[i]);
		at += tt_draw_str(y, at, x + w - at, g->state[i]);
		tt_draw_style(TT_EL_NORMAL);
		at += tt_draw_str(y, at, x + w - at, " ");
		at += tt_draw_str(y, at, x + w - at, item[i]);
	}
	tt_draw_style(TT_EL_NORMAL);
}
