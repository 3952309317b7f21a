// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_sched.c - view 4: the system's run-queue latency (wakeup to
 * running) and, per process, on-CPU share, run-queue percentiles,
 * context switches and migrations (model/columns.h, tt_sched_cols).
 */
#include <curses.h>
#include <stdlib.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/ui_state.h"
#include "tui/widget_heatmap.h"

/* the rows of one draw, as the table calls back with their index */
struct sched_draw {
	const struct tt_ui *ui;
	const void **rows; /* struct tt_proc */
};

static int sched_style(void *ctx, size_t i)
{
	const struct sched_draw *d = ctx;
	const struct tt_proc *p = d->rows[i];

	if (tt_ui_tagged(d->ui, p->pid))
		return TT_EL_TAGGED;
	return p->exited ? TT_EL_DIM : -1;
}

static const struct tt_hist *sched_runq(const struct tt_snapshot *s,
					const void *key)
{
	return &s->runq;
}

static void sched_table(struct tt_ui *ui, int y, int x, int h, int w)
{
	const struct tt_snapshot *s = ui->snap;
	struct tt_table *t = &ui->tbl[TT_VIEW_SCHED];
	struct tt_rows_query keep = { .filter = ui->filter, .uid = ui->uid };
	struct sched_draw d = { ui, calloc(s->nprocs + 1, sizeof(*d.rows)) };
	struct tt_table_src src;
	size_t nv = 0;

	if (!d.rows)
		return;
	for (size_t i = 0; i < s->nprocs; i++)
		/* the processes view's name and user filters hold here too */
		if (tt_rows_keep(&s->procs[i], &keep))
			d.rows[nv++] = &s->procs[i];
	tt_colset_sort(&tt_sched_cols, d.rows, nv, t->sort, t->desc);
	src = (struct tt_table_src){
		.set = &tt_sched_cols,
		.rows = d.rows,
		.nrows = nv,
		.search = ui->search,
		.snap = ui->snap,
		.style = sched_style,
		.ctx = &d,
	};
	tt_table_draw(t, &src, y, x, h, w);
	free(d.rows);
}

static void sched_draw(struct tt_ui *ui, int y, int h)
{
	const struct tt_snapshot *s = ui->snap;
	const char *title = "run-queue latency, system (wakeup to running)";
	char c[16], p50[16], p99[16];
	struct tt_histpane pane;
	int hh = 0, th = h - 1;

	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, 0, ui->cols);
	tt_draw_fmt(y, 0, ui->cols,
		    "Scheduler: %s switches/s, run-queue p50 %s p99 %s",
		    tt_fmt_count(c, sizeof(c), s->switch_rate),
		    tt_fmt_ns(p50, sizeof(p50), s->runq_p50_ns),
		    tt_fmt_ns(p99, sizeof(p99), s->runq_p99_ns));
	tt_draw_style(TT_EL_NORMAL);
	y++;
	tt_ui_histpane(ui, &pane);
	if (ui->cols >= 150) {
		sched_table(ui, y, 0, th, 90);
		tt_histpane_draw(&pane, sched_runq, NULL, title, y, 91, th,
				 ui->cols - 91);
		return;
	}
	if (th >= 14) {
		hh = th * 2 / 5;
		th -= hh;
		tt_histpane_draw(&pane, sched_runq, NULL, title, y, 0, hh,
				 ui->cols);
	}
	sched_table(ui, y + hh, 0, th, ui->cols);
}

static int sched_key(struct tt_ui *ui, enum tt_act act)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_SCHED];

	if (act == TT_ACT_SORT_CPU)
		tt_table_sort_by(t, &tt_sched_cols, TT_SD_ONCPU);
	else if (act == TT_ACT_SORT_PID)
		tt_table_sort_by(t, &tt_sched_cols, TT_SD_PID);
	else
		return -1;
	return TT_R_REDRAW;
}

static uint32_t sched_selected_pid(const struct tt_ui *ui)
{
	const struct tt_table *t = &ui->tbl[TT_VIEW_SCHED];

	return t->nrows ? (uint32_t)t->sel_id : 0;
}

const struct tt_view_ops tt_view_sched = {
	.name = "Scheduler",
	.short_name = "Sched",
	.cols = &tt_sched_cols,
	.config = "columns.sched",
	.sort = TT_SD_RQ99,
	.desc = true,
	.draw = sched_draw,
	.key = sched_key,
	.selected_pid = sched_selected_pid,
};
