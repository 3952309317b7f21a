// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_sctable.c - syscall table and the histogram of its selection.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include "tui/ui_draw.h"
#include "tui/view_sctable.h"
#include "tui/widget_heatmap.h"

static int sc_style(void *ctx, size_t i)
{
	const struct tt_sysc *s = ((const void *const *)ctx)[i];

	return s->count == 0 ? TT_EL_DIM : -1;
}

/* the syscall a histogram pane follows from snapshot to snapshot */
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

void tt_sctable_draw(struct tt_ui *ui, struct tt_table *t,
		     const struct tt_sysc *v, size_t n, uint32_t pid, int y,
		     int x, int h, int w)
{
	const void **rows = calloc(n ? n : 1, sizeof(*rows));
	struct tt_table_src src;
	int th = h, tw = w, hy = y + h, hx = x, hh = 0, hw = w;
	char title[96];

	if (!rows)
		return;
	for (size_t i = 0; i < n; i++)
		rows[i] = &v[i];
	tt_colset_sort(&tt_sysc_cols, rows, n, t->sort, t->desc);
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
		.set = &tt_sysc_cols,
		.rows = rows,
		.nrows = n,
		.search = ui->search,
		.snap = ui->snap,
		.style = sc_style,
		.ctx = rows,
	};
	tt_table_draw(t, &src, y, x, th, tw);
	if (hh > 0) {
		const struct tt_sysc *sel =
			n ? rows[t->sel < (int)n ? t->sel : 0] : NULL;
		struct sc_key key = { pid, sel ? sel->nr : 0 };
		struct tt_histpane pane;

		snprintf(title, sizeof(title), "%s latency",
			 sel && sel->name ? sel->name : "syscall");
		tt_ui_histpane(ui, &pane);
		if (sel)
			tt_histpane_draw(&pane, sc_hist, &key, title, hy, hx,
					 hh, hw);
		else
			tt_hist_draw(pane.g, NULL, title, hy, hx, hh, hw);
	}
	free(rows);
}
