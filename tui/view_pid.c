// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_pid.c - view 5: one process in depth. Who it is, sparklines of
 * the last minutes, its syscalls with the selected one's histogram, its
 * recent events (and its children's execs and exits), its connections
 * and its run-queue histogram. A process gone keeps its events.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/view_events.h"
#include "tui/view_sctable.h"
#include "tui/view_tcp.h"
#include "tui/widget_heatmap.h"
#include "tui/widget_spark.h"

static const struct {
	const char *label;
	enum tt_series series;
	double floor; /* full scale at least this */
	tt_spark_fmt_fn fmt;
} pid_sparks[] = {
	{ "CPU%", TT_SER_CPU, 5, tt_fmt_pct },
	{ "SYSC/s", TT_SER_SYSC, 10, tt_fmt_count },
	{ "TX/s", TT_SER_TX, 1024, tt_fmt_bytes },
	{ "RX/s", TT_SER_RX, 1024, tt_fmt_bytes },
};

#define PID_NSPARKS (int)(sizeof(pid_sparks) / sizeof(pid_sparks[0]))

static const struct tt_hist *pid_runq(const struct tt_snapshot *s,
				      const void *key)
{
	const struct tt_proc *p = tt_snapshot_find(s, *(const uint32_t *)key);

	return p ? &p->runq : NULL;
}

static int pid_ident(struct tt_ui *ui, const struct tt_proc *p, int y,
		     int lines)
{
	char rss[16], cpu[16], thr[16];
	int w = ui->cols;

	/* gone from /proc, its exit record awaited: no size to show */
	snprintf(thr, sizeof(thr), "%u", p->threads);
	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, 0, w);
	tt_draw_fmt(
		y, 0, w,
		"PID %u %s  user %s (%u)  ppid %u  threads %s  state %c  "
		"RES %s  CPU %s%%%s",
		p->pid, p->comm, p->user, p->uid, p->ppid, p->gone ? "-" : thr,
		p->state ? p->state : '?',
		p->gone ? "-"
			: tt_fmt_bytes(rss, sizeof(rss), (double)p->rss_bytes),
		tt_fmt_pct(cpu, sizeof(cpu), p->cpu_pct),
		p->exited ? "  EXITED"
		: p->gone ? "  EXITING"
			  : "");
	tt_draw_style(TT_EL_NORMAL);
	if (lines < 3)
		return 1;
	tt_draw_blank(y + 1, 0, w);
	tt_draw_style(TT_EL_LABEL);
	tt_draw_str(y + 1, 0, w, "cmd    ");
	tt_draw_style(TT_EL_NORMAL);
	tt_draw_str(y + 1, 7, w - 7,
		    p->cmdline && *p->cmdline ? p->cmdline : p->comm);
	tt_draw_blank(y + 2, 0, w);
	tt_draw_style(TT_EL_LABEL);
	tt_draw_str(y + 2, 0, w, "cgroup ");
	tt_draw_style(TT_EL_NORMAL);
	tt_draw_str(y + 2, 7, w - 7, p->cgroup && *p->cgroup ? p->cgroup : "?");
	return 3;
}

static int pid_sparklines(struct tt_ui *ui, uint32_t pid, int y, int lines)
{
	double v[TT_UI_HISTORY];
	int per_line = lines >= PID_NSPARKS ? 1 : 2;
	int w = ui->cols / per_line;

	for (int i = 0; i < PID_NSPARKS; i++) {
		size_t n = ui->history ? tt_history_get(ui->history, pid,
							pid_sparks[i].series, v,
							TT_UI_HISTORY)
				       : 0;
		int ry = y + i / per_line, rx = (i % per_line) * w;

		if (i % per_line == 0)
			tt_draw_blank(ry, 0, ui->cols);
		tt_spark_draw(tt_glyphs_get(ui->utf8), pid_sparks[i].label, v,
			      n, pid_sparks[i].floor, pid_sparks[i].fmt, ry, rx,
			      w - (per_line > 1 ? 1 : 0));
	}
	return (PID_NSPARKS + per_line - 1) / per_line;
}

/* rows for its events out of rest: a title and the newest, a quarter of
 * the room at most (none on a short screen) */
static int pid_events_rows(const struct tt_ui *ui, uint32_t pid, int rest)
{
	size_t n;
	int most = rest / 4;

	if (rest < 12)
		return 0;
	n = tt_events_of_pid_count(ui, pid);
	if (most < 2)
		most = 2;
	return 1 + (int)n < most ? 1 + (int)n : most;
}

static void pid_draw(struct tt_ui *ui, int y, int h)
{
	const struct tt_proc *p = tt_snapshot_find(ui->snap, ui->pid);
	struct tt_table *conns = &ui->sub[TT_VIEW_PID];
	int used, rest, evh, bottom = 0;
	struct tt_histpane pane;
	uint32_t key;
	char title[64];

	if (!p) {
		for (int r = 0; r < h; r++)
			tt_draw_blank(y + r, 0, ui->cols);
		tt_draw_style(TT_EL_WARN);
		if (ui->pid)
			tt_draw_fmt(y + 1, 2, ui->cols - 2,
				    "PID %u is not in this snapshot (exited, "
				    "or filtered out).",
				    ui->pid);
		else
			tt_draw_str(y + 1, 2, ui->cols - 2,
				    "No process chosen: Enter on a row of the "
				    "Processes view.");
		tt_draw_style(TT_EL_NORMAL);
		tt_draw_str(y + 3, 2, ui->cols - 2, "Esc goes back.");
		/* what it did while it was here */
		if (ui->pid && h > 6)
			tt_events_of_pid_draw(ui, ui->pid, y + 5, h - 5);
		return;
	}
	used = pid_ident(ui, p, y, h >= 14 ? 3 : 1);
	if (h >= 20)
		used += pid_sparklines(ui, p->pid, y + used,
				       ui->cols >= 100 || h < 30 ? 2 : 4);
	rest = h - used;
	evh = pid_events_rows(ui, p->pid, rest);
	rest -= evh;
	if (rest >= 18)
		bottom = rest * 2 / 5;
	tt_sctable_draw(ui, &ui->tbl[TT_VIEW_PID], p->sc, p->nsc, p->pid,
			y + used, 0, rest - bottom, ui->cols);
	tt_events_of_pid_draw(ui, p->pid, y + used + rest - bottom, evh);
	if (!bottom)
		return;
	key = p->pid;
	snprintf(title, sizeof(title), "run-queue latency of %u", p->pid);
	tt_ui_histpane(ui, &pane);
	if (ui->cols >= 100) {
		int cw = ui->cols * 11 / 20;

		tt_conns_draw(ui, conns, p->pid, y + h - bottom, 0, bottom, cw);
		tt_histpane_draw(&pane, pid_runq, &key, title, y + h - bottom,
				 cw + 1, bottom, ui->cols - cw - 1);
	} else {
		int ch = bottom / 2;

		tt_conns_draw(ui, conns, p->pid, y + h - bottom, 0, ch,
			      ui->cols);
		tt_histpane_draw(&pane, pid_runq, &key, title,
				 y + h - bottom + ch, 0, bottom - ch, ui->cols);
	}
}

/* its connections: a second table, that only shows them */
static void pid_init(struct tt_ui *ui)
{
	struct tt_table *t = &ui->sub[TT_VIEW_PID];

	tt_table_init(t, &tt_conn_cols, TT_CN_TXR, true);
	memcpy(t->show, tt_conn_cols_of_pid,
	       sizeof(int) * (size_t)tt_nconn_cols_of_pid);
	t->nshow = tt_nconn_cols_of_pid;
	t->passive = true;
}

static int pid_key(struct tt_ui *ui, enum tt_act act)
{
	return -1;
}

static uint32_t pid_selected_pid(const struct tt_ui *ui)
{
	return ui->pid;
}

const struct tt_view_ops tt_view_pid = {
	.name = "PID",
	.short_name = "PID",
	.cols = &tt_sysc_cols,
	.config = "columns.pid",
	.sort = TT_SC_RATE,
	.desc = true,
	.init = pid_init,
	.draw = pid_draw,
	.key = pid_key,
	.selected_pid = pid_selected_pid,
};
