/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_heatmap.h - a latency histogram over time: a heatmap of the last
 * minute (time across, latency up, shade for density) built from the
 * snapshots the screen keeps; and the pane that shows a histogram as
 * bars or as that heatmap.
 */
#ifndef TT_WIDGET_HEATMAP_H
#define TT_WIDGET_HEATMAP_H

#include <stdbool.h>
#include "tui/widget_hist.h"

#define TT_HEAT_SNAPS 61 /* snapshots a heatmap reads: a minute's columns */

/* What a histogram pane draws from. */
struct tt_histpane {
	const struct tt_glyphs *g;
	bool heatmap; /* over time, rather than the bars of snaps[0] */
	/* snaps[0] on screen, snaps[k] k refreshes before it */
	const struct tt_snapshot *snaps[TT_HEAT_SNAPS];
	unsigned nsnaps;
};

/*
 * Heatmap of what get(snapshot, key) gained refresh by refresh over the
 * pane's snapshots (cumulative histograms: each column is what one
 * interval added; empty where two snapshots are not consecutive).
 */
void tt_heatmap_draw(const struct tt_histpane *p, tt_hist_get_fn get,
		     const void *key, const char *title, int y, int x, int hgt,
		     int w);

/* Bars or heatmap, as p->heatmap says. */
void tt_histpane_draw(const struct tt_histpane *p, tt_hist_get_fn get,
		      const void *key, const char *title, int y, int x, int hgt,
		      int w);

#endif
