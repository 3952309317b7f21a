// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_heatmap.c - latency over time. Snapshots hold cumulative
 * histograms, so each column is the difference between two consecutive
 * snapshots (the model's tt_hist_delta_to_dense): what happened in that
 * refresh. Rows are buckets merged on aligned boundaries until the
 * latency range fits the height.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/widget_geom.h"
#include "tui/widget_heatmap.h"

#define HEAT_LABEL 7
#define HEAT_COLS  (TT_HEAT_SNAPS - 1)

static const enum tt_theme_el heat_els[5] = {
	TT_EL_NORMAL, TT_EL_HEAT1, TT_EL_HEAT2, TT_EL_HEAT3, TT_EL_HEAT4,
};

/* snapshot k refreshes before the one on screen, or NULL */
static const struct tt_snapshot *heat_past(const struct tt_histpane *p, int k)
{
	return k >= 0 && (unsigned)k < p->nsnaps ? p->snaps[k] : NULL;
}

void tt_heatmap_draw(const struct tt_histpane *p, tt_hist_get_fn get,
		     const void *key, const char *title, int y, int x, int hgt,
		     int w)
{
	uint64_t(*dense)[TT_HIST_BUCKETS];
	const struct tt_glyphs *g = p->g;
	int ncol = w - HEAT_LABEL - 1, nrow = hgt - 2, have = 0;
	uint32_t lo = TT_HIST_BUCKETS, hi = 0, group = 1;
	uint64_t max = 0;

	if (hgt <= 0 || w <= 0)
		return;
	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, x, w);
	tt_draw_str(y, x, w, title);
	tt_draw_style(TT_EL_NORMAL);
	for (int r = 1; r < hgt; r++)
		tt_draw_blank(y + r, x, w);
	if (ncol > HEAT_COLS)
		ncol = HEAT_COLS;
	if (ncol < 1 || nrow < 1)
		return;
	dense = calloc(HEAT_COLS, sizeof(*dense));
	if (!dense)
		return;

	/* column c is k = ncol-1-c refreshes ago */
	for (int c = 0; c < ncol; c++) {
		const struct tt_snapshot *cur = heat_past(p, ncol - 1 - c);
		const struct tt_snapshot *prev = heat_past(p, ncol - c);
		const struct tt_hist *hc = cur ? get(cur, key) : NULL;

		/* not the interval's if the two are not consecutive (the
		 * screen was paused, or moved through a recording) */
		if (!hc || !prev || !tt_snapshot_follows(cur, prev))
			continue;
		tt_hist_delta_to_dense(dense[c], hc, get(prev, key));
		have++;
		for (uint32_t i = 0; i < TT_HIST_BUCKETS; i++)
			if (dense[c][i]) {
				lo = i < lo ? i : lo;
				hi = i > hi ? i : hi;
			}
	}
	if (lo > hi) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y + 1, x + 2, w - 2,
			    have ? "(nothing happened in the last minute)"
				 : "(builds up over the next refreshes)");
		tt_draw_style(TT_EL_NORMAL);
		free(dense);
		return;
	}
	while (hi / group - lo / group + 1 > (uint32_t)nrow &&
	       group < TT_HIST_BUCKETS)
		group *= 2;
	lo = lo / group * group;
	nrow = (int)((hi - lo) / group + 1);
	/* merge buckets into row cells in place (row r at dense[c][r]) */
	for (int c = 0; c < ncol; c++)
		for (int r = 0; r < nrow; r++) {
			uint64_t sum = 0;

			for (uint32_t i = lo + r * group;
			     i < lo + (r + 1) * group && i < TT_HIST_BUCKETS;
			     i++)
				sum += dense[c][i];
			dense[c][r] = sum;
			max = sum > max ? sum : max;
		}
	/* highest latency on top, so "up" means slower */
	for (int r = 0; r < nrow; r++) {
		int ry = y + 1 + (nrow - 1 - r);
		char lab[16];

		tt_draw_style(TT_EL_LABEL);
		if (r == 0 || r == nrow - 1 || r % 3 == 0) {
			tt_fmt_ns(lab, sizeof(lab),
				  tt_hist_low(lo + r * group));
			tt_draw_field(ry, x, HEAT_LABEL, false, lab);
		}
		for (int c = 0; c < ncol; c++) {
			int lv = tt_heat_level(dense[c][r], max);

			tt_draw_style(heat_els[lv]);
			tt_draw_str(ry, x + HEAT_LABEL + 1 + c, 1, g->heat[lv]);
		}
	}
	tt_draw_style(TT_EL_DIM);
	tt_draw_fmt(y + 1 + nrow, x + HEAT_LABEL + 1, ncol, "%-*s%s",
		    ncol > 8 ? ncol - 3 : 0, ncol > 8 ? "<- older" : "", "now");
	tt_draw_style(TT_EL_NORMAL);
	free(dense);
}

void tt_histpane_draw(const struct tt_histpane *p, tt_hist_get_fn get,
		      const void *key, const char *title, int y, int x, int hgt,
		      int w)
{
	char t[160];

	if (p->heatmap) {
		snprintf(t, sizeof(t), "%s (heatmap, v: bars)", title);
		tt_heatmap_draw(p, get, key, t, y, x, hgt, w);
		return;
	}
	tt_hist_draw(p->g, p->nsnaps ? get(p->snaps[0], key) : NULL, title, y,
		     x, hgt, w);
}
