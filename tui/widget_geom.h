/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_geom.h - the arithmetic of the widgets, apart from curses so
 * unit tests can check it: where table columns go, which histogram
 * buckets become which rows and how long their bars are, sparkline and
 * heatmap levels.
 */
#ifndef TT_WIDGET_GEOM_H
#define TT_WIDGET_GEOM_H

#include <stdbool.h>
#include <stdint.h>
#include "model/hist.h"
#include "model/proftree.h"

/*
 * Lay out n columns of the given widths left to right with one blank
 * between, in width cells. With stretch the last column takes the rest
 * of the line (a text one: COMM, COMMAND); a width of 0 means 16 unless
 * it is that stretched last column.
 * A column that starts past the edge is dropped (w = 0), one that
 * crosses it is cut. Returns how many columns show.
 */
int tt_layout_columns(const int *widths, int n, int width, bool stretch, int *x,
		      int *w);

/* The column whose cells hold screen column cx, or -1 (for mouse clicks). */
int tt_layout_hit(const int *x, const int *w, int n, int cx);

#define TT_HELP_KEYW 15 /* the help screen's key labels, then a blank */

/* The help screen: n entries in ncol columns of colw cells, nrow each. */
struct tt_help_layout {
	int ncol, nrow, colw;
	int textw;    /* cells for an entry's text, after its key label */
	int overflow; /* entries that do not fit: they scroll (> 0) */
};

/* The help screen's layout for n entries on a cols x rows screen. */
void tt_help_layout(int cols, int rows, int n, struct tt_help_layout *l);

enum { TT_HMARK_P50 = 1, TT_HMARK_P90 = 2, TT_HMARK_P99 = 4 };

struct tt_hrow {
	uint64_t low, high; /* ns, [low, high) */
	uint64_t count;
	unsigned marks; /* TT_HMARK_* of the percentiles in this row */
};

/*
 * Rows of a bar histogram: every bucket from the first non-empty to the
 * last (empty ones too, so the shape shows), merged 2, 4, 8.. at a time
 * on aligned boundaries until they fit in maxrows. Returns the count;
 * 0 for an empty histogram.
 */
int tt_hrows_build(const struct tt_hist *h, struct tt_hrow *rows, int maxrows);

/* Largest count of rows[0..n) */
uint64_t tt_hrows_max(const struct tt_hrow *rows, int n);

/*
 * Bar length in eighths of a cell: count/max of width cells, rounded;
 * any non-zero count shows at least one eighth.
 */
int tt_bar_eighths(uint64_t count, uint64_t max, int width);

/*
 * A flame graph's boxes (an icicle: zoom on top, callees below): x[i] and
 * w[i] of every node i of t under node zoom (zoom itself included) in
 * width cells, a child's width its share of its parent's total, children
 * left to right in their order, heaviest first; w[i] = -1 for the nodes
 * outside zoom's subtree. Cells are given by rounding the running sums,
 * so siblings tile their parent exactly.
 */
void tt_flame_layout(const struct tt_ptree *t, uint32_t zoom, int width, int *x,
		     int *w);

/* Thread-state bar: cells of each of n shares (percent) in width cells,
 * by the running sums, so they add up to the shares' total of width. */
void tt_share_cells(const double *pct, int n, int width, int *cells);

/* Sparkline height 0..levels-1 of v against max; 0 when max <= 0. */
int tt_spark_level(double v, double max, int levels);

/* Heatmap shade 0 (empty) .. 4 (densest) of count against max. */
int tt_heat_level(uint64_t count, uint64_t max);

#endif
