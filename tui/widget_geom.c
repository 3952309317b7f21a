// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_geom.c - layout and scaling for the widgets, without curses.
 */
#include <math.h>
#include "tui/widget_geom.h"

#define GEOM_FLEX_WIDTH 16

int tt_layout_columns(const int *widths, int n, int width, bool stretch, int *x,
		      int *w)
{
	int at = 0, shown = 0;

	for (int i = 0; i < n; i++) {
		int want = widths[i] > 0 ? widths[i] : GEOM_FLEX_WIDTH;

		x[i] = at;
		w[i] = 0;
		if (at >= width)
			continue;
		if ((stretch && i == n - 1) || at + want > width)
			want = width - at;
		w[i] = want;
		at += want + 1;
		shown++;
	}
	return shown;
}

int tt_layout_hit(const int *x, const int *w, int n, int cx)
{
	for (int i = 0; i < n; i++)
		if (w[i] > 0 && cx >= x[i] && cx <= x[i] + w[i])
			return i; /* the blank after a column counts as it */
	return -1;
}

#define HELP_COLW 58 /* narrowest column: room for most texts */

void tt_help_layout(int cols, int rows, int n, struct tt_help_layout *l)
{
	int need;

	l->nrow = rows - 3 > 0 ? rows - 3 : 1;
	/* as many columns as fit, but no more than the entries fill: the
	 * width left over goes to the texts, not to an empty column */
	need = n > 0 ? (n + l->nrow - 1) / l->nrow : 1;
	l->ncol = cols / HELP_COLW > 0 ? cols / HELP_COLW : 1;
	if (l->ncol > need)
		l->ncol = need;
	l->colw = cols / l->ncol;
	l->textw = l->colw - TT_HELP_KEYW - 2;
	/* entries past what fits scroll, a column's height at a time */
	l->overflow = n - l->ncol * l->nrow;
}

static void geom_marks(const struct tt_hist *h, struct tt_hrow *rows, int n)
{
	static const struct {
		double q;
		unsigned bit;
	} qs[] = { { 0.50, TT_HMARK_P50 },
		   { 0.90, TT_HMARK_P90 },
		   { 0.99, TT_HMARK_P99 } };

	for (unsigned k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		uint64_t v = tt_hist_quantile(h, qs[k].q);

		for (int i = 0; i < n; i++)
			if (v >= rows[i].low &&
			    (v < rows[i].high || i == n - 1)) {
				rows[i].marks |= qs[k].bit;
				break;
			}
	}
}

int tt_hrows_build(const struct tt_hist *h, struct tt_hrow *rows, int maxrows)
{
	uint32_t first, last, group = 1, lo;
	int n = 0;
	uint32_t b = 0;

	if (!h || h->n == 0 || maxrows <= 0)
		return 0;
	first = h->bins[0].idx;
	last = h->bins[h->n - 1].idx;
	while ((last / group - first / group + 1) > (uint32_t)maxrows &&
	       group < TT_HIST_BUCKETS)
		group *= 2;
	for (lo = first / group * group; lo <= last; lo += group) {
		uint32_t hi = lo + group - 1;
		struct tt_hrow *r;

		if (n == maxrows)
			break;
		r = &rows[n++];
		r->low = tt_hist_low(lo);
		r->high = tt_hist_high(
			hi < TT_HIST_BUCKETS ? hi : TT_HIST_BUCKETS - 1);
		r->count = 0;
		r->marks = 0;
		while (b < h->n && h->bins[b].idx <= hi)
			r->count += h->bins[b++].count;
	}
	geom_marks(h, rows, n);
	return n;
}

uint64_t tt_hrows_max(const struct tt_hrow *rows, int n)
{
	uint64_t m = 0;

	for (int i = 0; i < n; i++)
		if (rows[i].count > m)
			m = rows[i].count;
	return m;
}

int tt_bar_eighths(uint64_t count, uint64_t max, int width)
{
	double e;

	if (count == 0 || max == 0 || width <= 0)
		return 0;
	if (count >= max)
		return width * 8;
	e = (double)count / (double)max * width * 8;
	return e < 1 ? 1 : (int)lround(e);
}

int tt_spark_level(double v, double max, int levels)
{
	int l;

	if (!(max > 0) || !(v > 0) || levels <= 1)
		return 0;
	if (v >= max)
		return levels - 1;
	l = (int)lround(v / max * (levels - 1));
	/* a little activity must show; zero alone is the baseline */
	return l < 1 ? 1 : l;
}

int tt_heat_level(uint64_t count, uint64_t max)
{
	double f;

	if (count == 0 || max == 0)
		return 0;
	/* log scale: a tail of a few events must stay visible next to a
	 * mode of millions */
	f = log1p((double)count) / log1p((double)max);
	if (f > 0.75)
		return 4;
	if (f > 0.5)
		return 3;
	if (f > 0.25)
		return 2;
	return 1;
}

void tt_flame_layout(const struct tt_ptree *t, uint32_t zoom, int width, int *x,
		     int *w)
{
	for (size_t i = 0; i < t->n; i++)
		w[i] = -1;
	if (zoom >= t->n)
		return;
	x[zoom] = 0;
	w[zoom] = width;
	/* a child comes after its parent in t->v: one pass lays out all */
	for (size_t i = zoom; i < t->n; i++) {
		const struct tt_pnode *p = &t->v[i];
		uint64_t sum = 0;

		if (w[i] < 0)
			continue;
		for (uint32_t c = p->child; c != TT_PNODE_NONE;
		     c = t->v[c].next) {
			int from = p->total ? (int)((double)sum * w[i] /
						    (double)p->total)
					    : 0;

			sum += t->v[c].total;
			x[c] = x[i] + from;
			w[c] = (p->total ? (int)((double)sum * w[i] /
						 (double)p->total)
					 : 0) -
			       from;
		}
	}
}

void tt_share_cells(const double *pct, int n, int width, int *cells)
{
	double sum = 0;
	int before = 0;

	for (int i = 0; i < n; i++) {
		int upto;

		sum += pct[i] > 0 ? pct[i] : 0;
		upto = (int)(sum / 100.0 * width + 0.5);
		if (upto > width)
			upto = width;
		cells[i] = upto - before;
		before = upto;
	}
}
