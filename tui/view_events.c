// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_events.c - view 6: the event stream, newest at the bottom, in the
 * columns of `tracetop --trace` with the result apart (model/columns.h,
 * tt_event_cols). Its rows
 * are the events logged up to the snapshot on screen (ui_state.h), so Z
 * holds them still while new ones are stored. The view follows the
 * newest until the selection moves off the last row; End (or moving down
 * onto it) follows again. E picks the kinds, \ filters by text, / finds.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/event.h"
#include "tui/ui_draw.h"
#include "tui/view_events.h"

#define ALL_KINDS ((1u << TT_EV_KINDS) - 1)

/* an outcome worth the eye: a failure, a kill, a loss of patience */
static bool ev_bad(const struct tt_event *ev)
{
	switch (ev->kind) {
	case TT_EV_EXEC:
		return ev->exec.ret != 0;
	case TT_EV_EXIT:
		return ev->exit.signal || ev->exit.code;
	case TT_EV_CONNECT:
		return ev->tcp.result != TT_EV_ESTABLISHED;
	case TT_EV_RESET:
	case TT_EV_OOM:
		return true;
	default:
		return false;
	}
}

static int ev_style(void *ctx, size_t i)
{
	const struct tt_event *ev = ((const void *const *)ctx)[i];

	return ev_bad(ev) ? TT_EL_WARN : -1;
}

/* the detail cell whole: the column's figure is only its start */
static bool ev_cell(void *ctx, size_t i, int col, char *buf, size_t len)
{
	if (col != TT_EC_DETAIL)
		return false;
	tt_event_what(((const void *const *)ctx)[i], buf, len);
	return true;
}

/* one event as the Events view's default columns show it */
static char *ev_text(const struct tt_event *ev, char *buf, size_t len)
{
	char t[32], r[32], w[TT_EV_ARGS_LEN + TT_EV_PATH_LEN + 64];

	tt_colset_cell(&tt_event_cols, TT_EC_TIME, ev, t, sizeof(t));
	snprintf(buf, len, "%s %7u %-15s %-7s %-12s %s", t, ev->pid,
		 ev->comm[0] ? ev->comm : "-", tt_ev_kind_name(ev->kind),
		 tt_event_result(ev, r, sizeof(r)),
		 tt_event_what(ev, w, sizeof(w)));
	return buf;
}

/* The rows on screen: shown so far, of the kinds chosen, matching the
 * filter; in log order. NULL when out of memory. */
static const void **ev_rows(const struct tt_ui *ui, size_t *n)
{
	size_t shown = tt_ui_events_shown(ui);
	const void **rows = calloc(shown ? shown : 1, sizeof(*rows));

	*n = 0;
	for (size_t i = 0; rows && i < shown; i++) {
		const struct tt_event *ev = tt_evlog_get(ui->evlog, i);

		if ((ui->ev_kinds & 1u << ev->kind) &&
		    tt_event_matches(ev, ui->ev_filter))
			rows[(*n)++] = ev;
	}
	return rows;
}

/* "exec 3, connect 12": the events the kernel could not hand over */
static void ev_lost(const struct tt_snapshot *s, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (int k = 0; k < TT_EV_KINDS && off < len; k++) {
		unsigned long long n =
			s->ev_lost_full[k] + s->ev_lost_limited[k];

		if (!n)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s %llu",
					off ? ", " : "", tt_ev_kind_name(k), n);
	}
}

static void ev_title(struct tt_ui *ui, size_t nrows, int y)
{
	const struct tt_snapshot *s = ui->snap;
	const struct tt_table *t = &ui->tbl[TT_VIEW_EVENTS];
	char lost[256], kinds[160], parts[512];
	size_t off = 0;

	ev_lost(s, lost, sizeof(lost));
	tt_ev_kinds_str(ui->ev_kinds, kinds, sizeof(kinds));
	off += (size_t)snprintf(parts + off, sizeof(parts) - off, "Events: %zu",
				nrows);
	if (nrows != tt_ui_events_shown(ui))
		off += (size_t)snprintf(parts + off, sizeof(parts) - off,
					" of %zu", tt_ui_events_shown(ui));
	if (ui->ev_kinds != ALL_KINDS)
		off += (size_t)snprintf(parts + off, sizeof(parts) - off,
					"  kinds %s", kinds);
	if (ui->ev_filter[0])
		off += (size_t)snprintf(parts + off, sizeof(parts) - off,
					"  filter '%s'", ui->ev_filter);
	if (ui->paused)
		off += (size_t)snprintf(parts + off, sizeof(parts) - off,
					"  paused");
	else if (!ui->ev_follow && t->nrows)
		off += (size_t)snprintf(parts + off, sizeof(parts) - off,
					"  scrolled (End follows)");
	if (tt_evlog_dropped(ui->evlog))
		snprintf(parts + off, sizeof(parts) - off,
			 "  %llu older not kept (--events-history)",
			 (unsigned long long)tt_evlog_dropped(ui->evlog));
	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, 0, ui->cols);
	off = (size_t)tt_draw_str(y, 0, ui->cols, parts);
	/* losses in the warning colour, never hidden behind the rest */
	if (lost[0] && (int)off + 8 < ui->cols) {
		tt_draw_style(TT_EL_WARN);
		tt_draw_fmt(y, (int)off, ui->cols - (int)off, "  lost: %s",
			    lost);
	}
	tt_draw_style(TT_EL_NORMAL);
}

/*
 * Follow the newest unless the user moved off it: a move up (keys, a
 * click) or a search stops following, a move onto the last row (End,
 * Down) starts it again. t->nrows is the last draw's.
 */
static void ev_follow(struct tt_ui *ui, struct tt_table *t, size_t n)
{
	if (t->find || (t->sel_by_index && t->sel < t->nrows - 1))
		ui->ev_follow = false;
	else if (t->sel_by_index && t->nrows && t->sel >= t->nrows - 1)
		ui->ev_follow = true;
	if (ui->ev_follow && n) {
		t->sel = (int)n - 1;
		t->sel_by_index = true;
	}
}

static void events_draw(struct tt_ui *ui, int y, int h)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_EVENTS];
	struct tt_table_src src;
	const void **rows;
	size_t n;

	if (!ui->snap->events_on && !tt_ui_events_shown(ui)) {
		for (int r = 0; r < h; r++)
			tt_draw_blank(y + r, 0, ui->cols);
		tt_draw_style(TT_EL_WARN);
		tt_draw_str(y + 1, 2, ui->cols - 2,
			    "No events: the stream is off (--no-events, "
			    "or a recording made without it).");
		tt_draw_style(TT_EL_NORMAL);
		return;
	}
	rows = ev_rows(ui, &n);
	if (!rows)
		return;
	tt_colset_sort(&tt_event_cols, rows, n, t->sort, t->desc);
	ev_follow(ui, t, n);
	ev_title(ui, n, y);
	src = (struct tt_table_src){
		.set = &tt_event_cols,
		.rows = rows,
		.nrows = n,
		.search = ui->search,
		.cell = ev_cell,
		.style = ev_style,
		.ctx = rows,
	};
	tt_table_draw(t, &src, y + 1, 0, h - 1, ui->cols);
	free(rows);
}

static int events_key(struct tt_ui *ui, enum tt_act act)
{
	return -1;
}

/* the process of the selected event */
static uint32_t events_selected_pid(const struct tt_ui *ui)
{
	const struct tt_table *t = &ui->tbl[TT_VIEW_EVENTS];
	size_t shown = tt_ui_events_shown(ui);

	for (size_t i = 0; t->nrows && i < shown; i++) {
		const struct tt_event *ev = tt_evlog_get(ui->evlog, i);

		if (tt_event_cols.id(ev) == t->sel_id)
			return ev->pid;
	}
	return 0;
}

size_t tt_events_of_pid_count(const struct tt_ui *ui, uint32_t pid)
{
	size_t shown = tt_ui_events_shown(ui), n = 0;

	for (size_t i = 0; i < shown; i++)
		n += tt_event_of_pid(tt_evlog_get(ui->evlog, i), pid);
	return n;
}

void tt_events_of_pid_draw(struct tt_ui *ui, uint32_t pid, int y, int h)
{
	size_t shown = tt_ui_events_shown(ui), total, skip, i;
	char line[TT_EV_ARGS_LEN + TT_EV_PATH_LEN + 128];
	int r = 1;

	if (h <= 0)
		return;
	total = tt_events_of_pid_count(ui, pid);
	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, 0, ui->cols);
	if (total)
		tt_draw_fmt(y, 0, ui->cols,
			    "Events of %u and its children: %zu%s", pid, total,
			    total > (size_t)(h - 1) ? " (the newest; 6 shows "
						      "them all)"
						    : "");
	else
		tt_draw_fmt(y, 0, ui->cols,
			    "Events of %u and its children: none %s", pid,
			    ui->snap->events_on ? "yet"
						: "(the stream is off)");
	tt_draw_style(TT_EL_NORMAL);
	/* the newest that fit, oldest of them first */
	skip = total > (size_t)(h - 1) ? total - (size_t)(h - 1) : 0;
	for (i = 0; i < shown && r < h; i++) {
		const struct tt_event *ev = tt_evlog_get(ui->evlog, i);

		if (!tt_event_of_pid(ev, pid))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		tt_draw_style(ev_bad(ev) ? TT_EL_WARN : TT_EL_NORMAL);
		tt_draw_blank(y + r, 0, ui->cols);
		tt_draw_str(y + r, 0, ui->cols,
			    ev_text(ev, line, sizeof(line)));
		r++;
	}
	tt_draw_style(TT_EL_NORMAL);
	for (; r < h; r++)
		tt_draw_blank(y + r, 0, ui->cols);
}

const struct tt_view_ops tt_view_events = {
	.name = "Events",
	.short_name = "Ev",
	.cols = &tt_event_cols,
	.config = "columns.events",
	.sort = TT_EC_TIME,
	.desc = false,
	.draw = events_draw,
	.key = events_key,
	.selected_pid = events_selected_pid,
};
