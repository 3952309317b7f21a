// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * columns_conn.c - the columns of the connection table (all of them in
 * the TCP view, one process's in the PID view).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "model/columns_get.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))
#define C	  struct tt_conn

static void conn_addr(char *b, size_t n, const C *c, bool local)
{
	const char *a = local ? c->saddr : c->daddr;
	unsigned port = local ? c->sport : c->dport;

	if (c->family == 6)
		snprintf(b, n, "[%s]:%u", a, port);
	else
		snprintf(b, n, "%s:%u", a, port);
}

static void get_local(const void *row, struct tt_value *v)
{
	v->kind = TT_VAL_STR;
	conn_addr(v->buf, sizeof(v->buf), row, true);
	v->s = v->buf;
}

static void get_remote(const void *row, struct tt_value *v)
{
	v->kind = TT_VAL_STR;
	conn_addr(v->buf, sizeof(v->buf), row, false);
	v->s = v->buf;
}

GET_U(pid, C, r->pid)
GET_S(comm, C, r->comm)
GET_S(state, C, r->state ? r->state : "?")
GET_D(txr, C, r->tx_rate)
GET_D(rxr, C, r->rx_rate)
GET_U(tx, C, r->tx_bytes)
GET_U(rx, C, r->rx_bytes)
GET_U(retr, C, r->retransmits)
GET_U(rtt, C, (uint64_t)r->srtt_us * 1000)
GET_U(connect, C, r->connect_ns)

static const struct tt_column conn_columns[TT_CN_MAX] = {
	[TT_CN_PID] = { "pid", "PID", 7, false, false,
			"the process that owns it", get_pid, tt_cell_uint },
	[TT_CN_COMM] = { "comm", "COMM", 15, true, false, "its program name",
			 get_comm, tt_cell_str },
	[TT_CN_LOCAL] = { "local", "LOCAL", 22, true, false,
			  "local address and port", get_local, tt_cell_str },
	[TT_CN_REMOTE] = { "remote", "REMOTE", 22, true, false,
			   "remote address and port", get_remote, tt_cell_str },
	[TT_CN_STATE] = { "state", "STATE", 11, true, false,
			  "TCP state (sock:inet_sock_set_state)", get_state,
			  tt_cell_str },
	[TT_CN_TXR] = { "txrate", "TX/s", 6, false, true,
			"bytes sent per second (sock:sock_send_length)",
			get_txr, tt_cell_bytes },
	[TT_CN_RXR] = { "rxrate", "RX/s", 6, false, true,
			"bytes received per second (sock:sock_recv_length)",
			get_rxr, tt_cell_bytes },
	[TT_CN_TX] = { "tx", "TX", 6, false, true,
		       "bytes sent since tracing began", get_tx,
		       tt_cell_bytes },
	[TT_CN_RX] = { "rx", "RX", 6, false, true,
		       "bytes received since tracing began", get_rx,
		       tt_cell_bytes },
	[TT_CN_RETR] = { "retr", "RETR", 5, false, true,
			 "retransmits (tcp:tcp_retransmit_skb)", get_retr,
			 tt_cell_uint },
	[TT_CN_RTT] = { "rtt", "RTT", 7, false, true,
			"smoothed round-trip time, from the socket", get_rtt,
			tt_cell_ns },
	[TT_CN_CONNECT] = { "connect", "CONNECT", 7, false, true,
			    "connect latency: SYN_SENT to ESTABLISHED",
			    get_connect, tt_cell_ns },
};

static const int conn_defaults[] = {
	TT_CN_PID,   TT_CN_COMM, TT_CN_LOCAL, TT_CN_REMOTE,
	TT_CN_STATE, TT_CN_TXR,	 TT_CN_RXR,   TT_CN_RETR,
	TT_CN_RTT,   TT_CN_TX,	 TT_CN_RX,    TT_CN_CONNECT,
};

const int tt_conn_cols_of_pid[] = {
	TT_CN_LOCAL, TT_CN_REMOTE, TT_CN_STATE, TT_CN_TXR, TT_CN_RXR,
	TT_CN_RETR,  TT_CN_RTT,	   TT_CN_TX,	TT_CN_RX,  TT_CN_CONNECT,
};
const int tt_nconn_cols_of_pid =
	sizeof(tt_conn_cols_of_pid) / sizeof(*tt_conn_cols_of_pid);

static int conn_tie(const void *a, const void *b)
{
	return CMP(((const C *)a)->id, ((const C *)b)->id);
}

static uint64_t conn_id(const void *row)
{
	return ((const C *)row)->id;
}

static bool conn_match(const void *row, const char *needle)
{
	const C *c = row;
	char a[80], b[80];

	conn_addr(a, sizeof(a), c, true);
	conn_addr(b, sizeof(b), c, false);
	return strcasestr(c->comm, needle) || strstr(a, needle) ||
	       strstr(b, needle);
}

const struct tt_colset tt_conn_cols = {
	.name = "connections",
	.cols = conn_columns,
	.ncols = TT_CN_MAX,
	.defaults = conn_defaults,
	.ndefaults = sizeof(conn_defaults) / sizeof(*conn_defaults),
	.tie = conn_tie,
	.id = conn_id,
	.match = conn_match,
};
