// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * columns.c - the process table's columns as one table (like htop's
 * Process_fields[]): title, width, help, formatter and comparator.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/columns.h"
#include "model/format.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

/* one formatter and comparator per column, generated from a field and kind */
#define NUM_COL(fn, expr, fmt)                                                 \
	static void fmt_##fn(const struct tt_proc *p, char *b, size_t n)       \
	{                                                                      \
		fmt(b, n, (expr));                                             \
	}                                                                      \
	static int cmp_##fn(const struct tt_proc *a, const struct tt_proc *b)  \
	{                                                                      \
		const struct tt_proc *p = a;                                   \
		__typeof__(expr) x = (expr);                                   \
		p = b;                                                         \
		return CMP(x, (expr));                                         \
	}

static void fmt_uint(char *b, size_t n, uint64_t v)
{
	snprintf(b, n, "%llu", (unsigned long long)v);
}

static void fmt_pct(char *b, size_t n, double v)
{
	tt_fmt_pct(b, n, v);
}

static void fmt_count(char *b, size_t n, double v)
{
	tt_fmt_count(b, n, v);
}

static void fmt_bytes(char *b, size_t n, double v)
{
	tt_fmt_bytes(b, n, v);
}

static void fmt_ns(char *b, size_t n, uint64_t v)
{
	if (v)
		tt_fmt_ns(b, n, v);
	else
		snprintf(b, n, "-");
}

static void fmt_time(char *b, size_t n, uint64_t ns)
{
	unsigned long long cs = ns / 10000000ULL; /* hundredths, like top */
	unsigned long long min = cs / 6000;

	/* like top, coarser as it grows, so it stays within 9 cells */
	if (min < 1000)
		snprintf(b, n, "%llu:%02llu.%02llu", min, cs / 100 % 60,
			 cs % 100);
	else if (min < 100000)
		snprintf(b, n, "%llu:%02llu", min, cs / 100 % 60);
	else
		snprintf(b, n, "%llud%02lluh", min / 1440, min / 60 % 24);
}

NUM_COL(pid, p->pid, fmt_uint)
NUM_COL(ppid, p->ppid, fmt_uint)
NUM_COL(threads, p->threads, fmt_uint)
NUM_COL(rss, (double)p->rss_bytes, fmt_bytes)
NUM_COL(cpu, p->cpu_pct, fmt_pct)
NUM_COL(oncpu, p->oncpu_ns, fmt_time)
NUM_COL(sysc, p->sc_rate, fmt_count)
NUM_COL(err, p->sc_err_rate, fmt_count)
NUM_COL(scp99, p->sc_p99_ns, fmt_ns)
NUM_COL(tx, p->tx_rate, fmt_bytes)
NUM_COL(rx, p->rx_rate, fmt_bytes)
NUM_COL(conn, p->connections, fmt_uint)
NUM_COL(retr, p->tcp.retransmits, fmt_uint)
NUM_COL(runq99, p->runq_p99_ns, fmt_ns)
NUM_COL(csw, p->csw_rate, fmt_count)
NUM_COL(migr, p->migrations, fmt_uint)

#define STR_COL(fn, expr)                                                      \
	static void fmt_##fn(const struct tt_proc *p, char *b, size_t n)       \
	{                                                                      \
		snprintf(b, n, "%s", (expr));                                  \
	}                                                                      \
	static int cmp_##fn(const struct tt_proc *a, const struct tt_proc *b)  \
	{                                                                      \
		const struct tt_proc *p = a;                                   \
		const char *x = (expr);                                        \
		p = b;                                                         \
		return strcmp(x, (expr));                                      \
	}

STR_COL(user, p->user)
STR_COL(comm, p->comm)
STR_COL(topsc, p->top_sc ? p->top_sc : "")
STR_COL(cmd, p->cmdline && * p->cmdline ? p->cmdline : p->comm)

static void fmt_state(const struct tt_proc *p, char *b, size_t n)
{
	snprintf(b, n, "%c", p->state ? p->state : '?');
}

static int cmp_state(const struct tt_proc *a, const struct tt_proc *b)
{
	return CMP(a->state, b->state);
}

const struct tt_column tt_columns[TT_COL_MAX] = {
	[TT_COL_PID] = { "pid", "PID", 7, false, false,
			 "process ID (thread ID with -H)", fmt_pid, cmp_pid },
	[TT_COL_PPID] = { "ppid", "PPID", 7, false, false,
			  "parent process ID (/proc/PID/stat)", fmt_ppid,
			  cmp_ppid },
	[TT_COL_USER] = { "user", "USER", 9, true, false,
			  "owner of the process (real UID)", fmt_user,
			  cmp_user },
	[TT_COL_STATE] = { "state", "S", 1, true, false,
			   "state as in /proc/PID/stat; X exited", fmt_state,
			   cmp_state },
	[TT_COL_THREADS] = { "threads", "THR", 4, false, true,
			     "number of threads (/proc/PID/stat)", fmt_threads,
			     cmp_threads },
	[TT_COL_RSS] = { "rss", "RES", 6, false, true,
			 "resident memory, bytes (/proc/PID/stat)", fmt_rss,
			 cmp_rss },
	[TT_COL_CPU] = { "cpu", "CPU%", 5, false, true,
			 "CPU use over the interval, % of one CPU "
			 "(utime+stime from /proc, like top)",
			 fmt_cpu, cmp_cpu },
	[TT_COL_ONCPU] = { "time", "ONCPU", 9, false, true,
			   "on-CPU time since tracing began, min:s "
			   "(sched_switch)",
			   fmt_oncpu, cmp_oncpu },
	[TT_COL_SYSC] = { "sysc", "SYSC/s", 6, false, true,
			  "syscalls per second (raw_syscalls:sys_exit)",
			  fmt_sysc, cmp_sysc },
	[TT_COL_ERR] = { "err", "ERR/s", 6, false, true,
			 "failing syscalls (negative return) per second "
			 "(raw_syscalls:sys_exit)",
			 fmt_err, cmp_err },
	[TT_COL_TOPSC] = { "topsc", "TOP-SYSC", 12, true, false,
			   "the process's most frequent syscall in the "
			   "interval",
			   fmt_topsc, cmp_topsc },
	[TT_COL_SCP99] = { "scp99", "SC-p99", 6, false, true,
			   "99th percentile syscall latency, ns..s "
			   "(sys_enter to sys_exit)",
			   fmt_scp99, cmp_scp99 },
	[TT_COL_TX] = { "tx", "TX/s", 6, false, true,
			"TCP bytes sent per second (sock:sock_send_length)",
			fmt_tx, cmp_tx },
	[TT_COL_RX] = { "rx", "RX/s", 6, false, true,
			"TCP bytes received per second "
			"(sock:sock_recv_length)",
			fmt_rx, cmp_rx },
	[TT_COL_CONN] = { "conn", "CONN", 5, false, true,
			  "open TCP connections it owns "
			  "(sock:inet_sock_set_state)",
			  fmt_conn, cmp_conn },
	[TT_COL_RETR] = { "retr", "RETR", 5, false, true,
			  "TCP retransmits since tracing began "
			  "(tcp:tcp_retransmit_skb)",
			  fmt_retr, cmp_retr },
	[TT_COL_RUNQ99] = { "runq", "RUNQ-p99", 8, false, true,
			    "99th percentile run-queue latency: wakeup to "
			    "running (sched_wakeup, sched_switch)",
			    fmt_runq99, cmp_runq99 },
	[TT_COL_CSW] = { "csw", "CSW/s", 6, false, true,
			 "context switches per second, voluntary and not "
			 "(sched_switch)",
			 fmt_csw, cmp_csw },
	[TT_COL_MIGR] = { "migr", "MIGR", 5, false, true,
			  "CPU migrations since tracing began "
			  "(sched_migrate_task)",
			  fmt_migr, cmp_migr },
	[TT_COL_COMM] = { "comm", "COMM", 15, true, false,
			  "program name (task comm)", fmt_comm, cmp_comm },
	[TT_COL_CMD] = { "command", "COMMAND", 0, true, false,
			 "command line (/proc/PID/cmdline)", fmt_cmd, cmp_cmd },
};

const enum tt_col tt_default_columns[] = {
	TT_COL_PID,   TT_COL_USER,   TT_COL_CPU, TT_COL_SYSC, TT_COL_ERR,
	TT_COL_TOPSC, TT_COL_SCP99,  TT_COL_TX,	 TT_COL_RX,   TT_COL_CONN,
	TT_COL_RETR,  TT_COL_RUNQ99, TT_COL_CSW, TT_COL_COMM,
};
const size_t tt_ndefault_columns =
	sizeof(tt_default_columns) / sizeof(tt_default_columns[0]);

int tt_column_find(const char *name)
{
	for (int i = 0; i < TT_COL_MAX; i++)
		if (!strcasecmp(name, tt_columns[i].name) ||
		    !strcasecmp(name, tt_columns[i].title))
			return i;
	return -1;
}

static enum tt_col sort_col;
static bool sort_desc;

static int cmp_rows(const void *x, const void *y)
{
	const struct tt_proc *a = *(const struct tt_proc *const *)x;
	const struct tt_proc *b = *(const struct tt_proc *const *)y;
	int c = tt_columns[sort_col].cmp(a, b);

	if (sort_desc)
		c = -c;
	return c ? c : CMP(a->pid, b->pid);
}

void tt_sort_procs(const struct tt_proc **v, size_t n, enum tt_col col,
		   bool desc)
{
	/* qsort has no context argument in C11; the UI sorts on one thread */
	sort_col = col;
	sort_desc = desc;
	qsort(v, n, sizeof(*v), cmp_rows);
}
