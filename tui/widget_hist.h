/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_hist.h - latency histograms on screen: bars per bucket with the
 * count and p50/p90/p99 marked, or a heatmap of the last minute (time
 * across, latency up, shade for density) built from the snapshots the
 * screen keeps.
 */
#ifndef TT_WIDGET_HIST_H
#define TT_WIDGET_HIST_H

#include "model/hist.h"
#include "tui/ui_state.h"

/* The histogram to chart in snapshot s, or NULL if s lacks it. */
typedef const struct tt_hist *(*tt_hist_get_fn)(const struct tt_snapshot *s,
						const void *key);

/* Bars of h in the box; title on the first line. */
void tt_hist_draw(struct tt_ui *ui, const struct tt_hist *h, const char *title,
		  int y, int x, int hgt, int w);

/*
 * Heatmap of what get(snapshot, key) gained refresh by refresh over the
 * snapshots kept (cumulative histograms: each column is a difference).
 */
void tt_heatmap_draw(struct tt_ui *ui, tt_hist_get_fn get, const void *key,
		     const char *title, int y, int x, int hgt, int w);

/* Bars or heatmap, as ui->heatmap says. */
void tt_histpane_draw(struct tt_ui *ui, tt_hist_get_fn get, const void *key,
		      const char *title, int y, int x, int hgt, int w);

#endif
