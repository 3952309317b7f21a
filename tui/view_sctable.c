// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_sctable.c - syscall table and the histogram of its selection.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/format.h"
#include "tui/view_sctable.h"
#include "tui/widget_hist.h"
#include "tui/widget_table.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

enum sc_col {
	SC_NAME,
	SC_RATE,
	SC_ERR,
	SC_AVG,
	SC_P50,
	SC_P99,
	SC_TIME,
	SC_COUNT,
	SC_ERRORS,
	SC_TOTAL,
	SC_MAX
};

static const struct tt_tcol sc_cols[SC_MAX] = {
	[SC_NAME] = { "SYSCALL", 18, true, false },
	[SC_RATE] = { "COUNT/s", 7, false, true },
	[SC_ERR] = { "ERR/s", 6, false, true },
	[SC_AVG] = { "AVG", 7, false, true },
	[SC_P50] = { "p50", 7, false, true },
	[SC_P99] = { "p99", 7, false, true },
	[SC_TIME] = { "TIME/s", 7, false, true },
	[SC_COUNT] = { "COUNT", 7, false, true },
	[SC_ERRORS] = { "ERRORS", 7, false, true },
	[SC_TOTAL] = { "TOTAL", 7, false, true },
};

static const int sc_show[] = {
	SC_NAME, SC_RATE, SC_ERR,   SC_AVG,    SC_P50,
	SC_P99,	 SC_TIME, SC_COUNT, SC_ERRORS, SC_TOTAL
};

static uint64_t sc_avg(const struct tt_sysc *s)
{
	return s->count ? s->total_ns / s->count : 0;
}

static void sc_cell(void *ctx, const void *row, int col, char *b, size_t n)
{
	const struct tt_sysc *s = row;

	switch (col) {
	case SC_NAME:
		snprintf(b, n, "%s", s->name ? s->name : "?");
		break;
	case SC_RATE:
		tt_fmt_count(b, n, s->rate);
		break;
	case SC_ERR:
		tt_fmt_count(b, n, s->err_rate);
		break;
	case SC_AVG:
		tt_fmt_ns(b, n, sc_avg(s));
		break;
	case SC_P50:
		tt_fmt_ns(b, n, s->p50_ns);
		break;
	case SC_P99:
		tt_fmt_ns(b, n, s->p99_ns);
		break;
	case SC_TIME:
		/* ns per second of wall time: 1.0s/s is one CPU's worth */
		tt_fmt_ns(b, n, (uint64_t)s->time_rate);
		break;
	case SC_COUNT:
		tt_fmt_count(b, n, (double)s->count);
		break;
	case SC_ERRORS:
		tt_fmt_count(b, n, (double)s->errors);
		break;
	case SC_TOTAL:
		tt_fmt_ns(b, n, s->total_ns);
		break;
	}
}

static int sc_cmp(const void *x, const void *y, int col)
{
	const struct tt_sysc *a = x, *b = y;

	switch (col) {
	case SC_NAME:
		return strcmp(a->name ? a->name : "", b->name ? b->name : "");
	case SC_RATE:
		return CMP(a->rate, b->rate);
	case SC_ERR:
		return CMP(a->err_rate, b->err_rate);
	case SC_AVG:
		return CMP(sc_avg(a), sc_avg(b));
	case SC_P50:
		return CMP(a->p50_ns, b->p50_ns);
	case SC_P99:
		return CMP(a->p99_ns, b->p99_ns);
	case SC_TIME:
		return CMP(a->time_rate, b->time_rate);
	case SC_COUNT:
		return CMP(a->count, b->count);
	case SC_ERRORS:
		return CMP(a->errors, b->errors);
	default:
		return CMP(a->total_ns, b->total_ns);
	}
}

static int sc_style(void *ctx, const void *row)
{
	const struct tt_sysc *s = row;

	return s->count == 0 ? TT_EL_DIM : -1;
}

static uint64_t sc_id(void *ctx, const void *row)
{
	return ((const struct tt_sysc *)row)->nr;
}

static bool sc_match(void *ctx, const void *row, const char *needle)
{
	const struct tt_sysc *s = row;

	return s->name && strcasestr(s->name, needle);
}

struct sc_key {
	uint32_t pid, nr;
};

static const struct tt_sysc *sc_find(const struct tt_sysc *v, size_t n,
				     uint32_t nr)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].nr == nr)
			return &v[i];
	return NULL;
}

static const struct tt_hist *sc_hist(const struct tt_snapshot *s,
				     const void *key)
{
	const struct sc_key *k = key;
	const struct tt_sysc *sc;

	if (k->pid) {
		const struct tt_proc *p = tt_snapshot_find(s, k->pid);

		sc = p ? sc_find(p->sc, p->nsc, k->nr) : NULL;
	} else {
		sc = sc_find(s->syscalls, s->nsyscalls, k->nr);
	}
	return sc ? &sc->hist : NULL;
}

void tt_sctable_init(struct tt_table *t)
{
	t->sort = SC_RATE;
	t->desc = true;
}

void tt_sctable_draw(struct tt_ui *ui, struct tt_table *t,
		     const struct tt_sysc *v, size_t n, uint32_t pid, int y,
		     int x, int h, int w)
{
	static struct sc_key key;
	const void **rows = calloc(n ? n : 1, sizeof(*rows));
	struct tt_table_src src;
	int th = h, tw = w, hy = y + h, hx = x, hh = 0, hw = w;
	char title[96];

	if (!rows)
		return;
	for (size_t i = 0; i < n; i++)
		rows[i] = &v[i];
	tt_table_sort(rows, n, sc_cmp, t->sort, t->desc);
	/* histogram beside the table when wide, below when tall enough */
	if (w >= 150) {
		tw = 96;
		hx = x + tw + 1;
		hw = w - tw - 1;
		hy = y;
		hh = h;
	} else if (h >= 14) {
		hh = h * 2 / 5;
		th = h - hh;
		hy = y + th;
	}
	src = (struct tt_table_src){
		.cols = sc_cols,
		.show = sc_show,
		.nshow = sizeof(sc_show) / sizeof(*sc_show),
		.nrows = n,
		.rows = rows,
		.cell = sc_cell,
		.style = sc_style,
		.id = sc_id,
		.match = sc_match,
		.ctx = ui,
	};
	tt_table_draw(ui, t, &src, y, x, th, tw);
	if (hh > 0) {
		const struct tt_sysc *sel =
			n ? rows[t->sel < (int)n ? t->sel : 0] : NULL;

		key.pid = pid;
		key.nr = sel ? sel->nr : 0;
		snprintf(title, sizeof(title), "%s latency",
			 sel && sel->name ? sel->name : "syscall");
		if (sel)
			tt_histpane_draw(ui, sc_hist, &key, title, hy, hx, hh,
					 hw);
		else
			tt_hist_draw(ui, NULL, title, hy, hx, hh, hw);
	}
	free(rows);
}
