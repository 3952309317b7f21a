// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * measured.c - which figures a snapshot measured, from its probe statuses
 * ("off: disabled by option", "on; partial, off: tcp:tcp_retransmit_skb
 * (reason)"), and which figure each column shows: tables, not code.
 */
#include <stdio.h>
#include <string.h>
#include "model/measured.h"

/* the probe set of each figure, and the tracepoints it needs all of */
static const struct {
	enum tt_probe_set set;
	const char *tp[2];
} figs[TT_FIG_MAX] = {
	[TT_FIG_SC] = { TT_PROBE_SYSCALLS, { "raw_syscalls:sys_exit" } },
	[TT_FIG_SC_LAT] = { TT_PROBE_SYSCALLS,
			    { "raw_syscalls:sys_enter",
			      "raw_syscalls:sys_exit" } },
	[TT_FIG_TCP_TX] = { TT_PROBE_TCP, { "sock:sock_send_length" } },
	[TT_FIG_TCP_RX] = { TT_PROBE_TCP, { "sock:sock_recv_length" } },
	[TT_FIG_TCP_STATE] = { TT_PROBE_TCP, { "sock:inet_sock_set_state" } },
	[TT_FIG_TCP_RETR] = { TT_PROBE_TCP, { "tcp:tcp_retransmit_skb" } },
	[TT_FIG_TCP_RST] = { TT_PROBE_TCP,
			     { "tcp:tcp_send_reset",
			       "tcp:tcp_receive_reset" } },
	[TT_FIG_SCHED_CPU] = { TT_PROBE_SCHED, { "sched:sched_switch" } },
	[TT_FIG_SCHED_RQ] = { TT_PROBE_SCHED,
			      { "sched:sched_wakeup", "sched:sched_switch" } },
	[TT_FIG_SCHED_MIG] = { TT_PROBE_SCHED, { "sched:sched_migrate_task" } },
};

bool tt_probe_set_measured(const struct tt_snapshot *s, enum tt_probe_set p)
{
	return strncmp(s->probes[p], "off", 3) != 0;
}

/* is tracepoint tp named in status's list of the probes that are off? */
static bool tp_off(const char *status, const char *tp)
{
	char pat[80];

	snprintf(pat, sizeof(pat), "%s (", tp);
	return strstr(status, pat) != NULL;
}

bool tt_fig_measured(const struct tt_snapshot *s, enum tt_fig f)
{
	const char *st;

	if (f == TT_FIG_ALWAYS || f >= TT_FIG_MAX)
		return true;
	st = s->probes[figs[f].set];
	if (!tt_probe_set_measured(s, figs[f].set))
		return false;
	for (int i = 0; i < 2; i++)
		if (figs[f].tp[i] && tp_off(st, figs[f].tp[i]))
			return false;
	return true;
}

/* the columns that show a kernel figure; the others show /proc's */
static const struct {
	const struct tt_colset *set;
	int col;
	enum tt_fig fig;
} cols[] = {
	{ &tt_proc_cols, TT_COL_ONCPU, TT_FIG_SCHED_CPU },
	{ &tt_proc_cols, TT_COL_SYSC, TT_FIG_SC },
	{ &tt_proc_cols, TT_COL_ERR, TT_FIG_SC },
	{ &tt_proc_cols, TT_COL_TOPSC, TT_FIG_SC },
	{ &tt_proc_cols, TT_COL_SCP99, TT_FIG_SC_LAT },
	{ &tt_proc_cols, TT_COL_TX, TT_FIG_TCP_TX },
	{ &tt_proc_cols, TT_COL_RX, TT_FIG_TCP_RX },
	{ &tt_proc_cols, TT_COL_CONN, TT_FIG_TCP_STATE },
	{ &tt_proc_cols, TT_COL_RETR, TT_FIG_TCP_RETR },
	{ &tt_proc_cols, TT_COL_RUNQ99, TT_FIG_SCHED_RQ },
	{ &tt_proc_cols, TT_COL_CSW, TT_FIG_SCHED_CPU },
	{ &tt_proc_cols, TT_COL_MIGR, TT_FIG_SCHED_MIG },
	{ &tt_sched_cols, TT_SD_ONCPU, TT_FIG_SCHED_CPU },
	{ &tt_sched_cols, TT_SD_RQ50, TT_FIG_SCHED_RQ },
	{ &tt_sched_cols, TT_SD_RQ99, TT_FIG_SCHED_RQ },
	{ &tt_sched_cols, TT_SD_CSW, TT_FIG_SCHED_CPU },
	{ &tt_sched_cols, TT_SD_VCSW, TT_FIG_SCHED_CPU },
	{ &tt_sched_cols, TT_SD_ICSW, TT_FIG_SCHED_CPU },
	{ &tt_sched_cols, TT_SD_MIGR, TT_FIG_SCHED_MIG },
	{ &tt_sysc_cols, TT_SC_RATE, TT_FIG_SC },
	{ &tt_sysc_cols, TT_SC_ERR, TT_FIG_SC },
	{ &tt_sysc_cols, TT_SC_AVG, TT_FIG_SC_LAT },
	{ &tt_sysc_cols, TT_SC_P50, TT_FIG_SC_LAT },
	{ &tt_sysc_cols, TT_SC_P99, TT_FIG_SC_LAT },
	{ &tt_sysc_cols, TT_SC_TIME, TT_FIG_SC_LAT },
	{ &tt_sysc_cols, TT_SC_COUNT, TT_FIG_SC },
	{ &tt_sysc_cols, TT_SC_ERRORS, TT_FIG_SC },
	{ &tt_sysc_cols, TT_SC_TOTAL, TT_FIG_SC_LAT },
	{ &tt_conn_cols, TT_CN_TXR, TT_FIG_TCP_TX },
	{ &tt_conn_cols, TT_CN_RXR, TT_FIG_TCP_RX },
	{ &tt_conn_cols, TT_CN_TX, TT_FIG_TCP_TX },
	{ &tt_conn_cols, TT_CN_RX, TT_FIG_TCP_RX },
	{ &tt_conn_cols, TT_CN_RETR, TT_FIG_TCP_RETR },
};

enum tt_fig tt_colset_fig(const struct tt_colset *set, int col)
{
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if (cols[i].set == set && cols[i].col == col)
			return cols[i].fig;
	return TT_FIG_ALWAYS;
}

/* a process gone from /proc has no /proc figures to show */
static bool gone_unknown(const struct tt_colset *set, int col, const void *row)
{
	return set == &tt_proc_cols && ((const struct tt_proc *)row)->gone &&
	       (col == TT_COL_RSS || col == TT_COL_THREADS);
}

void tt_colset_cell_of(const struct tt_colset *set, int col, const void *row,
		       const struct tt_snapshot *s, char *buf, size_t len)
{
	if ((s && !tt_fig_measured(s, tt_colset_fig(set, col))) ||
	    gone_unknown(set, col, row))
		snprintf(buf, len, "-");
	else
		tt_colset_cell(set, col, row, buf, len);
}
