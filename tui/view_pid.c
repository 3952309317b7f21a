// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_pid.c - view 5: one process in depth. Who it is and where its
 * threads spend their time (the thread-state bar), then one of two pages:
 * sparklines of the last minutes, its syscalls with the selected one's
 * histogram, its recent events (and its children's execs and exits), its
 * connections and its run-queue histogram; or (f) its profile: flame
 * graphs of where it runs and where it waits, its hottest functions and
 * call chains. A process gone keeps its events.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/format.h"
#include "model/proftree.h"
#include "tui/ui_draw.h"
#include "tui/view_events.h"
#include "tui/view_sctable.h"
#include "tui/view_tcp.h"
#include "tui/widget_flame.h"
#include "tui/widget_heatmap.h"
#include "tui/widget_spark.h"
#include "tui/widget_states.h"

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

/* "hot   spin_a 74.8%  spin_b 25.0% ..." on one line: its hottest
 * functions in the interval */
static void pid_hot_line(struct tt_ui *ui, const struct tt_proc *p, int y)
{
	struct tt_pedge *hot = NULL;
	size_t n = 0;
	int x = 7, w = ui->cols;

	tt_draw_blank(y, 0, w);
	tt_draw_style(TT_EL_LABEL);
	tt_draw_str(y, 0, w, "hot");
	tt_draw_style(TT_EL_NORMAL);
	if (tt_prof_hottest(p, &hot, &n) || !n) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y, x, w - x,
			    strncmp(ui->snap->prof.status, "on", 2)
				    ? ui->snap->prof.status
				    : "no samples of it in this interval");
		tt_draw_style(TT_EL_NORMAL);
		free(hot);
		return;
	}
	for (size_t i = 0; i < n && x < w; i++)
		x += tt_draw_fmt(y, x, w - x, "%s %.1f%%  ", hot[i].name,
				 hot[i].pct);
	free(hot);
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

/* the process's syscalls, events, connections and run-queue latency */
static void pid_overview(struct tt_ui *ui, const struct tt_proc *p, int y,
			 int h)
{
	struct tt_table *conns = &ui->sub[TT_VIEW_PID];
	int used = 0, rest, evh, bottom = 0;
	struct tt_histpane pane;
	uint32_t key;
	char title[64];

	if (h >= 16)
		pid_hot_line(ui, p, y + used++);
	if (h >= 18)
		used += pid_sparklines(ui, p->pid, y + used,
				       ui->cols >= 100 || h < 28 ? 2 : 4);
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

/* the two graphs: 0 where it runs (samples), 1 where it waits (ns) */
static void pid_trees(const struct tt_proc *p, struct tt_ptree t[2])
{
	if (tt_ptree_build(p->stacks, p->nstacks, &t[0]))
		memset(&t[0], 0, sizeof(t[0]));
	if (tt_ptree_build(p->offcpu, p->noffcpu, &t[1]))
		memset(&t[1], 0, sizeof(t[1]));
}

/* what the selected box stands for, under the graphs */
static void pid_flame_info(struct tt_ui *ui, const struct tt_ptree *t,
			   int which, int y, int w)
{
	const struct tt_flame *f = &ui->flame[which];
	uint32_t n = tt_flame_find(t, f->sel), chain[64];
	const struct tt_pnode *v = t->n ? &t->v[n] : NULL;
	char a[16], b[16];
	int x = 0, k = 0;

	tt_draw_style(TT_EL_NORMAL);
	tt_draw_blank(y, 0, w);
	if (!v || !v->frame) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y, 0, w,
			    "Up Down Left Right choose a frame, Enter zooms "
			    "in, Esc out, o the other graph");
		tt_draw_style(TT_EL_NORMAL);
		return;
	}
	for (uint32_t i = n; i && k < 64; i = t->v[i].parent)
		chain[k++] = i;
	if (which == 0)
		x += tt_draw_fmt(
			y, x, w - x, "%s samples, %.1f%% (self %.1f%%)%s: ",
			tt_fmt_count(a, sizeof(a), (double)v->total),
			100.0 * (double)v->total / (double)t->v[0].total,
			100.0 * (double)v->self / (double)t->v[0].total,
			v->truncated ? ", chains cut" : "");
	else
		x += tt_draw_fmt(y, x, w - x, "%s waited, %.1f%% (self %s): ",
				 tt_fmt_ns(a, sizeof(a), v->total),
				 100.0 * (double)v->total /
					 (double)t->v[0].total,
				 tt_fmt_ns(b, sizeof(b), v->self));
	while (k-- && x < w)
		x += tt_draw_fmt(y, x, w - x, "%s%s",
				 t->v[chain[k]].frame->name, k ? " > " : "");
}

/* one graph's title line and its boxes */
static void pid_flame(struct tt_ui *ui, const struct tt_proc *p,
		      const struct tt_ptree *t, int which, int y, int h, int w)
{
	const struct tt_profile_info *pi = &ui->snap->prof;
	bool focus = ui->flame_focus == which;
	char a[16], b[16], root[64];
	const char *why = NULL;

	tt_draw_style(focus ? TT_EL_TITLE : TT_EL_LABEL);
	tt_draw_blank(y, 0, w);
	if (which == 0)
		tt_draw_fmt(y, 0, w,
			    "%sWhere it runs: %s on-CPU samples in %.1f s "
			    "(%u Hz)",
			    focus ? "> " : "  ",
			    tt_fmt_count(a, sizeof(a), (double)p->prof_samples),
			    ui->snap->interval_s, pi->hz);
	else
		tt_draw_fmt(
			y, 0, w, "%sWhere it waits: %s off the CPU in %s waits",
			focus ? "> " : "  ",
			tt_fmt_ns(a, sizeof(a), p->offcpu_ns),
			tt_fmt_count(b, sizeof(b), (double)p->offcpu_waits));
	tt_draw_style(TT_EL_NORMAL);
	if (which == 0 && strncmp(pi->status, "on", 2))
		why = pi->status;
	else if (which == 1 && strncmp(pi->offcpu_status, "on", 2))
		why = pi->offcpu_status[0] ? pi->offcpu_status : "off";
	else if (which == 1 && pi->offcpu_pid != p->pid)
		why = pi->offcpu_pid ? "captured for another process"
				     : "not captured in this snapshot";
	else if (!t->n || !t->v[0].total)
		why = which ? "no waits in this interval"
			    : "no samples in this interval";
	if (why) {
		for (int r = 1; r < h; r++)
			tt_draw_blank(y + r, 0, w);
		tt_draw_style(TT_EL_DIM);
		if (h > 1)
			tt_draw_str(y + 1, 4, w - 4, why);
		tt_draw_style(TT_EL_NORMAL);
		return;
	}
	snprintf(root, sizeof(root), "all %u %s", p->pid, p->comm);
	tt_flame_draw(&ui->flame[which], t, root, focus,
		      tt_glyphs_get(ui->utf8), y + 1, 0, h - 1, w);
}

/* its hottest functions and heaviest chains, in a column on the right */
static void pid_hot_list(struct tt_ui *ui, const struct tt_proc *p, int y,
			 int x, int h, int w)
{
	struct tt_pedge *hot = NULL;
	size_t n = 0;
	int r = 0;

	for (int i = 0; i < h; i++)
		tt_draw_blank(y + i, x, w);
	tt_draw_style(TT_EL_HEADER);
	tt_draw_field(y + r++, x, w, true, "Hottest functions (self)");
	tt_draw_style(TT_EL_NORMAL);
	if (!tt_prof_hottest(p, &hot, &n))
		for (size_t i = 0; i < n && r < h / 2; i++)
			tt_draw_fmt(y + r++, x, w, "%5.1f%% %s", hot[i].pct,
				    hot[i].name);
	free(hot);
	if (r >= h - 1)
		return;
	r++;
	tt_draw_style(TT_EL_HEADER);
	tt_draw_field(y + r++, x, w, true, "Heaviest call chains");
	tt_draw_style(TT_EL_NORMAL);
	for (uint32_t i = 0; i < p->nstacks && r < h; i++) {
		const struct tt_stack *st = &p->stacks[i];
		int cx = x;

		cx += tt_draw_fmt(y + r, cx, w, "%5.1f%% %s",
				  p->prof_samples
					  ? 100.0 * (double)st->weight /
						    (double)p->prof_samples
					  : 0,
				  st->truncated ? "... " : "");
		/* leaf first: the end of a chain is what matters most */
		for (uint32_t k = st->nframes; k-- && cx < x + w;)
			cx += tt_draw_fmt(y + r, cx, x + w - cx, "%s%s",
					  st->frames[k]->name, k ? " < " : "");
		r++;
	}
}

/* the profile page: the graphs, and the hottest beside them if room */
static void pid_profile(struct tt_ui *ui, const struct tt_proc *p, int y, int h)
{
	struct tt_ptree t[2];
	int w = ui->cols, gh;

	pid_trees(p, t);
	if (ui->cols >= 120) {
		int side = ui->cols >= 160 ? 56 : 40;

		w = ui->cols - side - 1;
		pid_hot_list(ui, p, y, w + 1, h - 1, side);
	} else if (h >= 16) {
		pid_hot_line(ui, p, y + h - 2);
		h--;
	}
	gh = (h - 1) / 2;
	pid_flame(ui, p, &t[0], 0, y, gh, w);
	pid_flame(ui, p, &t[1], 1, y + gh, h - 1 - gh, w);
	pid_flame_info(ui, &t[ui->flame_focus], ui->flame_focus, y + h - 1,
		       ui->cols);
	tt_ptree_free(&t[0]);
	tt_ptree_free(&t[1]);
}

static void pid_draw(struct tt_ui *ui, int y, int h)
{
	const struct tt_proc *p = tt_snapshot_find(ui->snap, ui->pid);
	int used;

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
	used = pid_ident(ui, p, y, !ui->flames && h >= 14 ? 3 : 1);
	tt_states_draw(p->state_pct, tt_glyphs_get(ui->utf8), y + used++, 0,
		       ui->cols);
	if (ui->flames)
		pid_profile(ui, p, y + used, h - used);
	else
		pid_overview(ui, p, y + used, h - used);
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

/* the flame graphs take the moves, Enter and Esc while they show */
static int pid_flame_key(struct tt_ui *ui, enum tt_act act)
{
	const struct tt_proc *p = tt_snapshot_find(ui->snap, ui->pid);
	struct tt_ptree t[2];
	bool took;

	if (act == TT_ACT_FLAME_SWITCH) {
		ui->flame_focus = !ui->flame_focus;
		return TT_R_REDRAW;
	}
	if (!p)
		return -1;
	pid_trees(p, t);
	took = tt_flame_act(&ui->flame[ui->flame_focus], &t[ui->flame_focus],
			    act);
	tt_ptree_free(&t[0]);
	tt_ptree_free(&t[1]);
	return took ? TT_R_REDRAW : -1;
}

static int pid_key(struct tt_ui *ui, enum tt_act act)
{
	if (act == TT_ACT_FLAME) {
		ui->flames = !ui->flames;
		return TT_R_REDRAW | TT_R_CLEAR;
	}
	if (ui->flames)
		return pid_flame_key(ui, act);
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
