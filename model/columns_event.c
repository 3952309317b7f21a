// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * columns_event.c - the columns of the event table (the Events view): one
 * row per event of the stream, as `tracetop --trace` prints it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "model/columns_get.h"
#include "model/event.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))
#define E	  struct tt_event

/* local time of day to the ms, as the trace lines show it */
static void cell_clock(const struct tt_value *v, char *b, size_t n)
{
	time_t t = (time_t)v->d;
	int ms = (int)((v->d - (double)t) * 1000);
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(b, n, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ms > 999 ? 999
		 : ms < 0 ? 0
			  : ms);
}

/* a UID, "-" for none */
static void cell_uid(const struct tt_value *v, char *b, size_t n)
{
	if (v->u == UINT64_MAX)
		snprintf(b, n, "-");
	else
		tt_cell_uint(v, b, n);
}

static void get_result(const void *row, struct tt_value *v)
{
	v->kind = TT_VAL_STR;
	v->s = tt_event_result(row, v->buf, sizeof(v->buf));
}

/* the figure is the detail's start, enough to sort by; the screen draws
 * the whole text (tt_event_what) in the cell */
static void get_detail(const void *row, struct tt_value *v)
{
	v->kind = TT_VAL_STR;
	v->s = tt_event_what(row, v->buf, sizeof(v->buf));
}

GET_D(time, E, r->time)
GET_U(pid, E, r->pid)
GET_U(tid, E, r->tid)
GET_U(ppid, E, r->ppid)
GET_U(uid, E, r->uid >= 0 ? (uint64_t)r->uid : UINT64_MAX)
GET_S(comm, E, r->comm[0] ? r->comm : "-")
GET_S(kind, E, tt_ev_kind_name(r->kind))
GET_U(dur, E, tt_event_ns(r))

static const struct tt_column event_columns[TT_EC_MAX] = {
	[TT_EC_TIME] = { "time", "TIME", 12, true, false,
			 "when it happened, local time (the kernel's clock)",
			 get_time, cell_clock },
	[TT_EC_PID] = { "pid", "PID", 7, false, false,
			"the process (OOM: the victim; signal: the sender)",
			get_pid, tt_cell_uint },
	[TT_EC_TID] = { "tid", "TID", 7, false, false, "its thread", get_tid,
			tt_cell_uint },
	[TT_EC_PPID] = { "ppid", "PPID", 7, false, false,
			 "the parent (exec and exit)", get_ppid, tt_cell_uint },
	[TT_EC_UID] = { "uid", "UID", 6, false, false,
			"the user (TCP state changes have none)", get_uid,
			cell_uid },
	[TT_EC_COMM] = { "comm", "COMM", 15, true, false,
			 "its program name at the time", get_comm,
			 tt_cell_str },
	[TT_EC_KIND] = { "kind", "KIND", 7, true, false,
			 "exec, exit, connect, accept, close, reset, retrans, "
			 "slow, signal, oom, runq",
			 get_kind, tt_cell_str },
	[TT_EC_DUR] = { "duration", "DUR", 7, false, true,
			"a connect's latency, a life (exit, close), a slow "
			"syscall, a wait for a CPU",
			get_dur, tt_cell_ns },
	[TT_EC_RESULT] = { "result", "RESULT", 12, true, false,
			   "the outcome: errno, exit code or signal, connect "
			   "result, signal delivery",
			   get_result, tt_cell_str },
	[TT_EC_DETAIL] = { "detail", "DETAIL", 0, true, false,
			   "what happened besides its result: an exec's path, "
			   "arguments and parent, a connection's addresses...",
			   get_detail, tt_cell_str },
};

static const int event_defaults[] = {
	TT_EC_TIME, TT_EC_PID,	  TT_EC_COMM,
	TT_EC_KIND, TT_EC_RESULT, TT_EC_DETAIL,
};

static int event_tie(const void *a, const void *b)
{
	const E *x = a, *y = b;

	if (x->mono_ns != y->mono_ns)
		return CMP(x->mono_ns, y->mono_ns);
	return CMP(x->pid, y->pid);
}

/* the kernel's ns clock, with the process and kind: unique enough */
static uint64_t event_id(const void *row)
{
	const E *e = row;

	return e->mono_ns ^ (uint64_t)e->pid << 40 ^ (uint64_t)e->kind << 36;
}

static bool event_match(const void *row, const char *needle)
{
	char line[TT_EV_ARGS_LEN + TT_EV_PATH_LEN + 128];

	return strcasestr(tt_event_line(row, line, sizeof(line)), needle);
}

const struct tt_colset tt_event_cols = {
	.name = "events",
	.cols = event_columns,
	.ncols = TT_EC_MAX,
	.defaults = event_defaults,
	.ndefaults = sizeof(event_defaults) / sizeof(*event_defaults),
	.tie = event_tie,
	.id = event_id,
	.match = event_match,
};

bool tt_event_matches(const struct tt_event *ev, const char *needle)
{
	return !needle || !*needle || event_match(ev, needle);
}
