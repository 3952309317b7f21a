// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_spark.c - sparklines: the last samples that fit, scaled to the
 * largest of them, so a burst stands out against its own past.
 */
#include <curses.h>
#include "tui/ui_draw.h"
#include "tui/widget_geom.h"
#include "tui/widget_spark.h"

#define SPARK_LABEL 7
#define SPARK_VALUE 7

void tt_spark_draw(const struct tt_glyphs *g, const char *label,
		   const double *v, size_t n, double floor, tt_spark_fmt_fn fmt,
		   int y, int x, int w)
{
	int cw = w - SPARK_LABEL - SPARK_VALUE - 2;
	size_t from;
	double max = floor;
	char val[32];

	if (w <= 0)
		return;
	tt_draw_style(TT_EL_LABEL);
	tt_draw_field(y, x, SPARK_LABEL, true, label);
	if (cw < 1)
		return;
	from = n > (size_t)cw ? n - (size_t)cw : 0;
	for (size_t i = from; i < n; i++)
		max = v[i] > max ? v[i] : max;
	tt_draw_style(TT_EL_SPARK);
	tt_draw_blank(y, x + SPARK_LABEL + 1, cw);
	for (size_t i = from; i < n; i++) {
		int lv = tt_spark_level(v[i], max, 9); /* 0 blank, 1..8 */
		int cx = x + SPARK_LABEL + 1 + cw - (int)(n - i);

		tt_draw_str(y, cx, 1, lv ? g->spark[lv - 1] : " ");
	}
	tt_draw_style(TT_EL_VALUE);
	fmt(val, sizeof(val), n ? v[n - 1] : 0);
	tt_draw_field(y, x + w - SPARK_VALUE, SPARK_VALUE, false, val);
	tt_draw_style(TT_EL_NORMAL);
}
