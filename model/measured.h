/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * measured.h - which figures a snapshot measured. A subsystem switched off
 * (--no-tcp) or a tracepoint that did not attach leaves its figures
 * unmeasured: every output shows them absent (JSON null, a "-" cell, no
 * /metrics series), never as a 0 that reads as measured. Decided from the
 * snapshot's probe statuses, so a recording says it too.
 */
#ifndef TT_MEASURED_H
#define TT_MEASURED_H

#include <stdbool.h>
#include "model/columns.h"
#include "model/snapshot.h"

/* a group of figures that one set of tracepoints makes */
enum tt_fig {
	TT_FIG_ALWAYS,	  /* /proc's, or the row's identity */
	TT_FIG_SC,	  /* syscall counts and errors (sys_exit) */
	TT_FIG_SC_LAT,	  /* syscall latencies (sys_enter and sys_exit) */
	TT_FIG_TCP_TX,	  /* bytes sent (sock_send_length) */
	TT_FIG_TCP_RX,	  /* bytes received (sock_recv_length) */
	TT_FIG_TCP_STATE, /* connections, connects, accepts, the list */
	TT_FIG_TCP_RETR,  /* retransmits (tcp_retransmit_skb) */
	TT_FIG_TCP_RST,	  /* resets (tcp_send_reset, tcp_receive_reset) */
	TT_FIG_SCHED_CPU, /* on-CPU time and switches (sched_switch) */
	TT_FIG_SCHED_RQ,  /* run-queue latency (sched_wakeup*) */
	TT_FIG_SCHED_MIG, /* migrations (sched_migrate_task) */
	TT_FIG_MAX
};

/* Did s measure figure f? (a snapshot without probe statuses: yes) */
bool tt_fig_measured(const struct tt_snapshot *s, enum tt_fig f);
/* Did s measure anything of probe set p (not switched off)? */
bool tt_probe_set_measured(const struct tt_snapshot *s, enum tt_probe_set p);
/* The figure column col of set shows. */
enum tt_fig tt_colset_fig(const struct tt_colset *set, int col);
/* Cell text of column col of set for row of s: "-" when s did not
 * measure it, else tt_colset_cell()'s. */
void tt_colset_cell_of(const struct tt_colset *set, int col, const void *row,
		       const struct tt_snapshot *s, char *buf, size_t len);

#endif
