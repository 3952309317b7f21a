/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_hist.h - a latency histogram on screen: bars per bucket with the
 * count and p50/p90/p99 marked. (Over time, as a heatmap: widget_heatmap.h.)
 */
#ifndef TT_WIDGET_HIST_H
#define TT_WIDGET_HIST_H

#include "model/hist.h"
#include "model/snapshot.h"
#include "tui/ui_draw.h"

/* The histogram to chart in snapshot s, or NULL if s lacks it. */
typedef const struct tt_hist *(*tt_hist_get_fn)(const struct tt_snapshot *s,
						const void *key);

/* Bars of h (NULL: none yet) in the box; title on the first line. */
void tt_hist_draw(const struct tt_glyphs *g, const struct tt_hist *h,
		  const char *title, int y, int x, int hgt, int w);

#endif
