// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_sched.c - view 4: the system's run-queue latency (wakeup to
 * running) and, per process, on-CPU share, run-queue percentiles,
 * context switches and migrations.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/widget_hist.h"
#include "tui/widget_table.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

enum sched_col {
	SD_PID,
	SD_ONCPU,
	SD_CPU,
	SD_RQ50,
	SD_RQ99,
	SD_CSW,
	SD_VCSW,
	SD_ICSW,
	SD_MIGR,
	SD_COMM,
	SD_MAX
};

static const struct tt_tcol sched_cols[SD_MAX] = {
	[SD_PID] = { "PID", 7, false, false },
	[SD_ONCPU] = { "ONCPU%", 6, false, true },
	[SD_CPU] = { "CPU%", 5, false, true },
	[SD_RQ50] = { "RUNQ-p50", 8, false, true },
	[SD_RQ99] = { "RUNQ-p99", 8, false, true },
	[SD_CSW] = { "CSW/s", 6, false, true },
	[SD_VCSW] = { "VCSW", 7, false, true },
	[SD_ICSW] = { "ICSW", 7, false, true },
	[SD_MIGR] = { "MIGR", 6, false, true },
	[SD_COMM] = { "COMM", 0, true, false },
};

static const int sched_show[] = { SD_PID, SD_ONCPU, SD_CPU,  SD_RQ50, SD_RQ99,
				  SD_CSW, SD_VCSW,  SD_ICSW, SD_MIGR, SD_COMM };

struct sched_row {
	const struct tt_proc *p;
};

static void sched_cell(void *ctx, const void *row, int col, char *b, size_t n)
{
	const struct sched_row *r = row;
	const struct tt_proc *p = r->p;

	switch (col) {
	case SD_PID:
		snprintf(b, n, "%u", p->pid);
		break;
	case SD_ONCPU:
		tt_fmt_pct(b, n, p->oncpu_pct);
		break;
	case SD_CPU:
		tt_fmt_pct(b, n, p->cpu_pct);
		break;
	case SD_RQ50:
	case SD_RQ99: {
		uint64_t v = col == SD_RQ50 ? p->runq_p50_ns : p->runq_p99_ns;

		if (v)
			tt_fmt_ns(b, n, v);
		else
			snprintf(b, n, "-");
		break;
	}
	case SD_CSW:
		tt_fmt_count(b, n, p->csw_rate);
		break;
	case SD_VCSW:
		tt_fmt_count(b, n, (double)p->voluntary);
		break;
	case SD_ICSW:
		tt_fmt_count(b, n, (double)p->involuntary);
		break;
	case SD_MIGR:
		tt_fmt_count(b, n, (double)p->migrations);
		break;
	case SD_COMM:
		snprintf(b, n, "%s", p->comm);
		break;
	}
}

static int sched_cmp(const void *x, const void *y, int col)
{
	const struct sched_row *ra = x, *rb = y;
	const struct tt_proc *a = ra->p, *b = rb->p;

	switch (col) {
	case SD_PID:
		return CMP(a->pid, b->pid);
	case SD_ONCPU:
		return CMP(a->oncpu_pct, b->oncpu_pct);
	case SD_CPU:
		return CMP(a->cpu_pct, b->cpu_pct);
	case SD_RQ50:
		return CMP(a->runq_p50_ns, b->runq_p50_ns);
	case SD_RQ99:
		return CMP(a->runq_p99_ns, b->runq_p99_ns);
	case SD_CSW:
		return CMP(a->csw_rate, b->csw_rate);
	case SD_VCSW:
		return CMP(a->voluntary, b->voluntary);
	case SD_ICSW:
		return CMP(a->involuntary, b->involuntary);
	case SD_MIGR:
		return CMP(a->migrations, b->migrations);
	default:
		return strcmp(a->comm, b->comm);
	}
}

static int sched_style(void *ctx, const void *row)
{
	const struct tt_ui *ui = ctx;
	const struct sched_row *r = row;

	if (tt_ui_tagged(ui, r->p->pid))
		return TT_EL_TAGGED;
	return r->p->exited ? TT_EL_DIM : -1;
}

static uint64_t sched_id(void *ctx, const void *row)
{
	return ((const struct sched_row *)row)->p->pid;
}

static bool sched_match(void *ctx, const void *row, const char *needle)
{
	return tt_proc_matches(((const struct sched_row *)row)->p, needle);
}

static const struct tt_hist *sched_runq(const struct tt_snapshot *s,
					const void *key)
{
	return &s->runq;
}

static void sched_table(struct tt_ui *ui, int y, int x, int h, int w)
{
	const struct tt_snapshot *s = ui->snap;
	size_t n = s->nprocs ? s->nprocs : 1;
	struct sched_row *v = calloc(n, sizeof(*v));
	const void **rows = calloc(n, sizeof(*rows));
	struct tt_table *t = &ui->tbl[TT_VIEW_SCHED];
	struct tt_rows_query keep = { .filter = ui->filter, .uid = ui->uid };
	struct tt_table_src src;
	size_t nv = 0;

	if (!v || !rows)
		goto out;
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct tt_proc *p = &s->procs[i];

		/* the processes view's name and user filters hold here too */
		if (!tt_rows_keep(p, &keep))
			continue;
		v[nv].p = p;
		rows[nv] = &v[nv];
		nv++;
	}
	tt_table_sort(rows, nv, sched_cmp, t->sort, t->desc);
	src = (struct tt_table_src){
		.cols = sched_cols,
		.show = sched_show,
		.nshow = sizeof(sched_show) / sizeof(*sched_show),
		.nrows = nv,
		.rows = rows,
		.cell = sched_cell,
		.style = sched_style,
		.id = sched_id,
		.match = sched_match,
		.ctx = ui,
	};
	tt_table_draw(ui, t, &src, y, x, h, w);
out:
	free(v);
	free(rows);
}

static void sched_draw(struct tt_ui *ui, int y, int h)
{
	const struct tt_snapshot *s = ui->snap;
	char c[16], p50[16], p99[16];
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
	if (ui->cols >= 150) {
		sched_table(ui, y, 0, th, 90);
		tt_histpane_draw(
			ui, sched_runq, NULL,
			"run-queue latency, system (wakeup to running)", y, 91,
			th, ui->cols - 91);
		return;
	}
	if (th >= 14) {
		hh = th * 2 / 5;
		th -= hh;
		tt_histpane_draw(
			ui, sched_runq, NULL,
			"run-queue latency, system (wakeup to running)", y, 0,
			hh, ui->cols);
	}
	sched_table(ui, y + hh, 0, th, ui->cols);
}

static int sched_key(struct tt_ui *ui, enum tt_act act)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_SCHED];
	int col;

	if (act == TT_ACT_SORT_CPU)
		col = SD_ONCPU;
	else if (act == TT_ACT_SORT_PID)
		col = SD_PID;
	else
		return -1;
	t->desc = t->sort == col ? !t->desc : sched_cols[col].desc;
	t->sort = col;
	return TT_R_REDRAW;
}

static void sched_init(struct tt_ui *ui)
{
	ui->tbl[TT_VIEW_SCHED].sort = SD_RQ99;
	ui->tbl[TT_VIEW_SCHED].desc = true;
}

const struct tt_view_ops tt_view_sched = {
	.name = "Scheduler",
	.init = sched_init,
	.draw = sched_draw,
	.key = sched_key,
};
