// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * columns_proc.c - the columns of a process: the process table's (the
 * batch output's too, and -s) and the scheduler view's.
 */
#include <string.h>
#include <strings.h>
#include "model/columns_get.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))
#define P	  struct tt_proc

GET_U(pid, P, r->pid)
GET_U(ppid, P, r->ppid)
GET_S(user, P, r->user)
GET_U(threads, P, r->threads)
GET_D(rss, P, (double)r->rss_bytes)
GET_D(cpu, P, r->cpu_pct)
GET_U(oncpu, P, r->oncpu_ns)
GET_D(oncpu_pct, P, r->oncpu_pct)
GET_D(sysc, P, r->sc_rate)
GET_D(err, P, r->sc_err_rate)
GET_S(topsc, P, r->top_sc ? r->top_sc : "")
GET_U(scp99, P, r->sc_p99_ns)
GET_D(tx, P, r->tx_rate)
GET_D(rx, P, r->rx_rate)
GET_U(conn, P, r->connections)
GET_U(retr, P, r->tcp.retransmits)
GET_U(runq50, P, r->runq_p50_ns)
GET_U(runq99, P, r->runq_p99_ns)
GET_D(csw, P, r->csw_rate)
GET_U(vcsw, P, r->voluntary)
GET_U(icsw, P, r->involuntary)
GET_U(migr, P, r->migrations)
GET_S(comm, P, r->comm)
GET_D(st_run, P, r->state_pct[TT_ST_RUNNING])
GET_D(st_rdy, P, r->state_pct[TT_ST_RUNNABLE])
GET_D(st_slp, P, r->state_pct[TT_ST_SLEEPING])
GET_D(st_blk, P, r->state_pct[TT_ST_BLOCKED])
GET_S(cmd, P, r->cmdline && * r->cmdline ? r->cmdline : r->comm)

static void get_state(const void *row, struct tt_value *v)
{
	const struct tt_proc *p = row;

	v->kind = TT_VAL_STR;
	v->buf[0] = (char)(p->state ? p->state : '?');
	v->buf[1] = '\0';
	v->s = v->buf;
}

const struct tt_column tt_columns[TT_COL_MAX] = {
	[TT_COL_PID] = { "pid", "PID", 7, false, false,
			 "process ID (thread ID with -H)", get_pid,
			 tt_cell_uint },
	[TT_COL_PPID] = { "ppid", "PPID", 7, false, false,
			  "parent process ID (/proc/PID/stat)", get_ppid,
			  tt_cell_uint },
	[TT_COL_USER] = { "user", "USER", 9, true, false,
			  "owner of the process (real UID)", get_user,
			  tt_cell_str },
	[TT_COL_STATE] = { "state", "S", 1, true, false,
			   "state as in /proc/PID/stat; X exited", get_state,
			   tt_cell_str },
	[TT_COL_THREADS] = { "threads", "THR", 4, false, true,
			     "number of threads (/proc/PID/stat)", get_threads,
			     tt_cell_uint },
	[TT_COL_RSS] = { "rss", "RES", 6, false, true,
			 "resident memory, bytes (/proc/PID/stat)", get_rss,
			 tt_cell_bytes },
	[TT_COL_CPU] = { "cpu", "CPU%", 5, false, true,
			 "CPU use over the interval, % of one CPU "
			 "(utime+stime from /proc, like top)",
			 get_cpu, tt_cell_pct },
	[TT_COL_ONCPU] = { "time", "ONCPU", 9, false, true,
			   "on-CPU time since tracing began, min:s "
			   "(sched_switch)",
			   get_oncpu, tt_cell_time },
	[TT_COL_SYSC] = { "sysc", "SYSC/s", 6, false, true,
			  "syscalls per second (raw_syscalls:sys_exit)",
			  get_sysc, tt_cell_count },
	[TT_COL_ERR] = { "err", "ERR/s", 6, false, true,
			 "failing syscalls (negative return) per second "
			 "(raw_syscalls:sys_exit)",
			 get_err, tt_cell_count },
	[TT_COL_TOPSC] = { "topsc", "TOP-SYSC", 12, true, false,
			   "the process's most frequent syscall in the "
			   "interval",
			   get_topsc, tt_cell_str },
	[TT_COL_SCP99] = { "scp99", "SC-p99", 6, false, true,
			   "99th percentile syscall latency, ns..s "
			   "(sys_enter to sys_exit)",
			   get_scp99, tt_cell_ns },
	[TT_COL_TX] = { "tx", "TX/s", 6, false, true,
			"TCP bytes sent per second (sock:sock_send_length)",
			get_tx, tt_cell_bytes },
	[TT_COL_RX] = { "rx", "RX/s", 6, false, true,
			"TCP bytes received per second "
			"(sock:sock_recv_length)",
			get_rx, tt_cell_bytes },
	[TT_COL_CONN] = { "conn", "CONN", 5, false, true,
			  "open TCP connections it owns "
			  "(sock:inet_sock_set_state)",
			  get_conn, tt_cell_uint },
	[TT_COL_RETR] = { "retr", "RETR", 5, false, true,
			  "TCP retransmits since tracing began "
			  "(tcp:tcp_retransmit_skb)",
			  get_retr, tt_cell_uint },
	[TT_COL_RUNQ99] = { "runq", "RUNQ-p99", 8, false, true,
			    "99th percentile run-queue latency: wakeup to "
			    "running (sched_wakeup, sched_switch)",
			    get_runq99, tt_cell_ns },
	[TT_COL_CSW] = { "csw", "CSW/s", 6, false, true,
			 "context switches per second, voluntary and not "
			 "(sched_switch)",
			 get_csw, tt_cell_count },
	[TT_COL_MIGR] = { "migr", "MIGR", 5, false, true,
			  "CPU migrations since tracing began "
			  "(sched_migrate_task)",
			  get_migr, tt_cell_uint },
	[TT_COL_COMM] = { "comm", "COMM", 15, true, false,
			  "program name (task comm)", get_comm, tt_cell_str },
	[TT_COL_CMD] = { "command", "COMMAND", 0, true, false,
			 "command line (/proc/PID/cmdline)", get_cmd,
			 tt_cell_str },
};

bool tt_proc_matches(const struct tt_proc *p, const char *needle)
{
	if (!needle || !*needle)
		return true;
	return strcasestr(p->comm, needle) ||
	       (p->cmdline && strcasestr(p->cmdline, needle));
}

static int proc_tie(const void *a, const void *b)
{
	return CMP(((const P *)a)->pid, ((const P *)b)->pid);
}

static uint64_t proc_id(const void *row)
{
	return ((const P *)row)->pid;
}

static bool proc_match(const void *row, const char *needle)
{
	return tt_proc_matches(row, needle);
}

static const int proc_defaults[] = {
	TT_COL_PID,   TT_COL_USER,   TT_COL_CPU, TT_COL_SYSC, TT_COL_ERR,
	TT_COL_TOPSC, TT_COL_SCP99,  TT_COL_TX,	 TT_COL_RX,   TT_COL_CONN,
	TT_COL_RETR,  TT_COL_RUNQ99, TT_COL_CSW, TT_COL_COMM,
};

const struct tt_colset tt_proc_cols = {
	.name = "processes",
	.cols = tt_columns,
	.ncols = TT_COL_MAX,
	.defaults = proc_defaults,
	.ndefaults = sizeof(proc_defaults) / sizeof(*proc_defaults),
	.tie = proc_tie,
	.id = proc_id,
	.match = proc_match,
};

int tt_column_find(const char *name)
{
	return tt_colset_find(&tt_proc_cols, name);
}

void tt_sort_procs(const struct tt_proc **v, size_t n, enum tt_col col,
		   bool desc)
{
	tt_colset_sort(&tt_proc_cols, (const void **)v, n, (int)col, desc);
}

/* ---- the scheduler view ---- */

static const struct tt_column sched_columns[TT_SD_MAX] = {
	[TT_SD_PID] = { "pid", "PID", 7, false, false,
			"process ID (thread ID with -H)", get_pid,
			tt_cell_uint },
	[TT_SD_ONCPU] = { "oncpu", "ONCPU%", 6, false, true,
			  "on-CPU time over the interval, % of one CPU "
			  "(sched_switch)",
			  get_oncpu_pct, tt_cell_pct },
	[TT_SD_CPU] = { "cpu", "CPU%", 5, false, true,
			"CPU use over the interval, % of one CPU "
			"(utime+stime from /proc, like top)",
			get_cpu, tt_cell_pct },
	[TT_SD_RQ50] = { "runq50", "RUNQ-p50", 8, false, true,
			 "median run-queue latency: wakeup to running "
			 "(sched_wakeup, sched_switch)",
			 get_runq50, tt_cell_ns },
	[TT_SD_RQ99] = { "runq99", "RUNQ-p99", 8, false, true,
			 "99th percentile run-queue latency: wakeup to "
			 "running (sched_wakeup, sched_switch)",
			 get_runq99, tt_cell_ns },
	[TT_SD_CSW] = { "csw", "CSW/s", 6, false, true,
			"context switches per second, voluntary and not "
			"(sched_switch)",
			get_csw, tt_cell_count },
	[TT_SD_VCSW] = { "vcsw", "VCSW", 7, false, true,
			 "voluntary context switches since tracing began "
			 "(sched_switch)",
			 get_vcsw, tt_cell_count },
	[TT_SD_ICSW] = { "icsw", "ICSW", 7, false, true,
			 "involuntary context switches (preempted) since "
			 "tracing began (sched_switch)",
			 get_icsw, tt_cell_count },
	[TT_SD_MIGR] = { "migr", "MIGR", 6, false, true,
			 "CPU migrations since tracing began "
			 "(sched_migrate_task)",
			 get_migr, tt_cell_count },
	[TT_SD_COMM] = { "comm", "COMM", 0, true, false,
			 "program name (task comm)", get_comm, tt_cell_str },
	[TT_SD_RUN] = { "run", "RUN%", 5, false, true,
			"thread state: running, % of its threads' time in "
			"the interval (sched_switch)",
			get_st_run, tt_cell_pct },
	[TT_SD_RDY] = { "runnable", "RDY%", 5, false, true,
			"thread state: runnable, waiting for a CPU, % of its "
			"threads' time (sched_wakeup, sched_switch)",
			get_st_rdy, tt_cell_pct },
	[TT_SD_SLP] = { "sleeping", "SLP%", 5, false, true,
			"thread state: sleeping (interruptibly: an event, a "
			"timer, input), % of its threads' time",
			get_st_slp, tt_cell_pct },
	[TT_SD_BLK] = { "blocked", "BLK%", 5, false, true,
			"thread state: blocked (uninterruptibly: disk, a "
			"lock), % of its threads' time",
			get_st_blk, tt_cell_pct },
};

static const int sched_defaults[] = {
	TT_SD_PID, TT_SD_ONCPU, TT_SD_CPU, TT_SD_RUN,  TT_SD_RDY,  TT_SD_SLP,
	TT_SD_BLK, TT_SD_RQ99,	TT_SD_CSW, TT_SD_MIGR, TT_SD_COMM,
};

const struct tt_colset tt_sched_cols = {
	.name = "scheduler",
	.cols = sched_columns,
	.ncols = TT_SD_MAX,
	.defaults = sched_defaults,
	.ndefaults = sizeof(sched_defaults) / sizeof(*sched_defaults),
	.tie = proc_tie,
	.id = proc_id,
	.match = proc_match,
};

_Static_assert(TT_COL_MAX <= TT_COLS_MAX && TT_SD_MAX <= TT_COLS_MAX,
	       "a set has at most TT_COLS_MAX columns");
