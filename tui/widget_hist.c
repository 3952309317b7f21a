// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_hist.c - histogram bars: one row per bucket (merged to fit),
 * the bar in eighths of a cell, the count, and the percentile marks.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/widget_geom.h"
#include "tui/widget_hist.h"

#define HIST_LABEL 7 /* "12.3ms" right-aligned */
#define HIST_COUNT 6
#define HIST_MARKS 12 /* " p50 p90 p99" */

static void hist_title(const struct tt_hist *h, const char *title, int y, int x,
		       int w)
{
	char a[16], b[16], c[16], n[16];
	int used;

	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, x, w);
	used = tt_draw_str(y, x, w, title);
	tt_draw_style(TT_EL_NORMAL);
	if (!h || !h->n)
		return;
	tt_fmt_count(n, sizeof(n), (double)tt_hist_total(h));
	tt_fmt_ns(a, sizeof(a), tt_hist_quantile(h, 0.50));
	tt_fmt_ns(b, sizeof(b), tt_hist_quantile(h, 0.90));
	tt_fmt_ns(c, sizeof(c), tt_hist_quantile(h, 0.99));
	tt_draw_fmt(y, x + used, w - used, "  n=%s  p50 %s  p90 %s  p99 %s", n,
		    a, b, c);
}

static void hist_marks(unsigned marks, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", marks & TT_HMARK_P50 ? " p50" : "",
		 marks & TT_HMARK_P90 ? " p90" : "",
		 marks & TT_HMARK_P99 ? " p99" : "");
}

void tt_hist_draw(const struct tt_glyphs *g, const struct tt_hist *h,
		  const char *title, int y, int x, int hgt, int w)
{
	struct tt_hrow rows[TT_HIST_BUCKETS];
	int n, barw, marksw = HIST_MARKS;
	uint64_t max;

	if (hgt <= 0 || w <= 0)
		return;
	hist_title(h, title, y, x, w);
	for (int r = 1; r < hgt; r++)
		tt_draw_blank(y + r, x, w);
	if (hgt < 2)
		return;
	n = tt_hrows_build(h, rows, hgt - 1);
	if (n == 0) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y + 1, x + 2, w - 2, "(no samples yet)");
		tt_draw_style(TT_EL_NORMAL);
		return;
	}
	max = tt_hrows_max(rows, n);
	barw = w - HIST_LABEL - 2 - HIST_COUNT - marksw;
	if (barw < 6) {
		marksw = 4; /* narrow: one mark glyph instead of names */
		barw = w - HIST_LABEL - 2 - HIST_COUNT - marksw;
	}
	if (barw < 1)
		barw = 1;
	/* largest latency at the bottom, like reading a table of buckets */
	for (int i = 0; i < n; i++) {
		int ry = y + 1 + i,
		    e = tt_bar_eighths(rows[i].count, max, barw);
		int bx = x + HIST_LABEL + 1;
		char lab[16], cnt[16], mk[32];

		tt_fmt_ns(lab, sizeof(lab), rows[i].low);
		tt_draw_style(rows[i].marks ? TT_EL_MARK : TT_EL_LABEL);
		tt_draw_field(ry, x, HIST_LABEL, false, lab);
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(ry, bx - 1, 1, g->vline);
		tt_draw_style(TT_EL_BAR);
		for (int c = 0; c < barw; c++) {
			int part = e - c * 8;

			if (part <= 0)
				break;
			tt_draw_str(ry, bx + c, 1,
				    g->bar[(part >= 8 ? 8 : part) - 1]);
		}
		tt_fmt_count(cnt, sizeof(cnt), (double)rows[i].count);
		tt_draw_style(TT_EL_NORMAL);
		tt_draw_field(ry, bx + barw + 1, HIST_COUNT, false, cnt);
		if (rows[i].marks) {
			if (marksw == 4)
				snprintf(mk, sizeof(mk), " %s", g->tee_mark);
			else
				hist_marks(rows[i].marks, mk, sizeof(mk));
			tt_draw_style(TT_EL_MARK);
			tt_draw_str(ry, bx + barw + 1 + HIST_COUNT,
				    w - (bx + barw + 1 + HIST_COUNT - x), mk);
		}
	}
	tt_draw_style(TT_EL_NORMAL);
}
