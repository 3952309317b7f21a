// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_tcp.c - view 3: TCP connections (who, where, state, throughput,
 * retransmits, RTT) and the connect-latency histogram of those seen
 * connecting (SYN_SENT to ESTABLISHED).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/view_tcp.h"
#include "tui/widget_hist.h"
#include "tui/widget_table.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

enum conn_col {
	CN_PID,
	CN_COMM,
	CN_LOCAL,
	CN_REMOTE,
	CN_STATE,
	CN_TXR,
	CN_RXR,
	CN_TX,
	CN_RX,
	CN_RETR,
	CN_RTT,
	CN_CONNECT,
	CN_MAX
};

static const struct tt_tcol conn_cols[CN_MAX] = {
	[CN_PID] = { "PID", 7, false, false },
	[CN_COMM] = { "COMM", 15, true, false },
	[CN_LOCAL] = { "LOCAL", 22, true, false },
	[CN_REMOTE] = { "REMOTE", 22, true, false },
	[CN_STATE] = { "STATE", 11, true, false },
	[CN_TXR] = { "TX/s", 6, false, true },
	[CN_RXR] = { "RX/s", 6, false, true },
	[CN_TX] = { "TX", 6, false, true },
	[CN_RX] = { "RX", 6, false, true },
	[CN_RETR] = { "RETR", 5, false, true },
	[CN_RTT] = { "RTT", 7, false, true },
	[CN_CONNECT] = { "CONNECT", 7, false, true },
};

static const int conn_show_all[] = { CN_PID,   CN_COMM, CN_LOCAL, CN_REMOTE,
				     CN_STATE, CN_TXR,	CN_RXR,	  CN_RETR,
				     CN_RTT,   CN_TX,	CN_RX,	  CN_CONNECT };
static const int conn_show_pid[] = { CN_LOCAL, CN_REMOTE, CN_STATE, CN_TXR,
				     CN_RXR,   CN_RETR,	  CN_RTT,   CN_TX,
				     CN_RX,    CN_CONNECT };

static void conn_addr(char *b, size_t n, const struct tt_conn *c, bool local)
{
	const char *a = local ? c->saddr : c->daddr;
	unsigned port = local ? c->sport : c->dport;

	if (c->family == 6)
		snprintf(b, n, "[%s]:%u", a, port);
	else
		snprintf(b, n, "%s:%u", a, port);
}

static void conn_cell(void *ctx, const void *row, int col, char *b, size_t n)
{
	const struct tt_conn *c = row;

	switch (col) {
	case CN_PID:
		snprintf(b, n, "%u", c->pid);
		break;
	case CN_COMM:
		snprintf(b, n, "%s", c->comm);
		break;
	case CN_LOCAL:
	case CN_REMOTE:
		conn_addr(b, n, c, col == CN_LOCAL);
		break;
	case CN_STATE:
		snprintf(b, n, "%s", c->state ? c->state : "?");
		break;
	case CN_TXR:
		tt_fmt_bytes(b, n, c->tx_rate);
		break;
	case CN_RXR:
		tt_fmt_bytes(b, n, c->rx_rate);
		break;
	case CN_TX:
		tt_fmt_bytes(b, n, (double)c->tx_bytes);
		break;
	case CN_RX:
		tt_fmt_bytes(b, n, (double)c->rx_bytes);
		break;
	case CN_RETR:
		snprintf(b, n, "%llu", (unsigned long long)c->retransmits);
		break;
	case CN_RTT:
		if (c->srtt_us)
			tt_fmt_ns(b, n, (uint64_t)c->srtt_us * 1000);
		else
			snprintf(b, n, "-");
		break;
	case CN_CONNECT:
		if (c->connect_ns)
			tt_fmt_ns(b, n, c->connect_ns);
		else
			snprintf(b, n, "-");
		break;
	}
}

static int conn_cmp(const void *x, const void *y, int col)
{
	const struct tt_conn *a = x, *b = y;
	char sa[80], sb[80];

	switch (col) {
	case CN_PID:
		return CMP(a->pid, b->pid);
	case CN_COMM:
		return strcmp(a->comm, b->comm);
	case CN_LOCAL:
	case CN_REMOTE:
		conn_addr(sa, sizeof(sa), a, col == CN_LOCAL);
		conn_addr(sb, sizeof(sb), b, col == CN_LOCAL);
		return strcmp(sa, sb);
	case CN_STATE:
		return strcmp(a->state ? a->state : "",
			      b->state ? b->state : "");
	case CN_TXR:
		return CMP(a->tx_rate, b->tx_rate);
	case CN_RXR:
		return CMP(a->rx_rate, b->rx_rate);
	case CN_TX:
		return CMP(a->tx_bytes, b->tx_bytes);
	case CN_RX:
		return CMP(a->rx_bytes, b->rx_bytes);
	case CN_RETR:
		return CMP(a->retransmits, b->retransmits);
	case CN_RTT:
		return CMP(a->srtt_us, b->srtt_us);
	default:
		return CMP(a->connect_ns, b->connect_ns);
	}
}

static int conn_style(void *ctx, const void *row)
{
	return ((const struct tt_conn *)row)->closed ? TT_EL_DIM : -1;
}

static uint64_t conn_id(void *ctx, const void *row)
{
	return ((const struct tt_conn *)row)->id;
}

static bool conn_match(void *ctx, const void *row, const char *needle)
{
	const struct tt_conn *c = row;
	char a[80], b[80];

	conn_addr(a, sizeof(a), c, true);
	conn_addr(b, sizeof(b), c, false);
	return strcasestr(c->comm, needle) || strstr(a, needle) ||
	       strstr(b, needle);
}

void tt_conns_init(struct tt_table *t)
{
	t->sort = CN_TXR;
	t->desc = true;
}

void tt_conns_draw(struct tt_ui *ui, struct tt_table *t, uint32_t pid, int y,
		   int x, int h, int w)
{
	const struct tt_snapshot *s = ui->snap;
	const void **rows = calloc(s->nconns ? s->nconns : 1, sizeof(*rows));
	struct tt_table_src src;
	size_t n = 0;

	if (!rows)
		return;
	for (size_t i = 0; i < s->nconns; i++)
		if (!pid || s->conns[i].pid == pid)
			rows[n++] = &s->conns[i];
	tt_table_sort(rows, n, conn_cmp, t->sort, t->desc);
	src = (struct tt_table_src){
		.cols = conn_cols,
		.show = pid ? conn_show_pid : conn_show_all,
		.nshow = pid ? (int)(sizeof(conn_show_pid) / sizeof(int))
			     : (int)(sizeof(conn_show_all) / sizeof(int)),
		.nrows = n,
		.rows = rows,
		.cell = conn_cell,
		.style = conn_style,
		.id = conn_id,
		.match = conn_match,
		.ctx = ui,
	};
	tt_table_draw(ui, t, &src, y, x, h, w);
	free(rows);
}

/* connect latencies of the connections in a snapshot, as a histogram */
static void tcp_connect_hist(const struct tt_snapshot *s, struct tt_hist *h,
			     struct tt_hbin *bins)
{
	uint64_t dense[TT_HIST_BUCKETS] = { 0 };

	for (size_t i = 0; i < s->nconns; i++)
		if (s->conns[i].connect_ns)
			dense[tt_hist_index(s->conns[i].connect_ns)]++;
	h->bins = bins;
	h->n = tt_dense_to_bins(dense, bins);
}

static void tcp_draw(struct tt_ui *ui, int y, int h)
{
	static struct tt_hbin bins[TT_HIST_BUCKETS];
	const struct tt_snapshot *s = ui->snap;
	struct tt_hist ch;
	int th = h, hh = 0;
	char tx[16], rx[16];

	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, 0, ui->cols);
	tt_draw_fmt(y, 0, ui->cols, "TCP: %zu connections, tx %s/s, rx %s/s",
		    s->nconns, tt_fmt_bytes(tx, sizeof(tx), s->tx_rate),
		    tt_fmt_bytes(rx, sizeof(rx), s->rx_rate));
	tt_draw_style(TT_EL_NORMAL);
	y++;
	h--;
	if (h >= 14) {
		hh = h / 3;
		th = h - hh;
	}
	tt_conns_draw(ui, &ui->tbl[TT_VIEW_TCP], 0, y, 0, th, ui->cols);
	if (hh) {
		tcp_connect_hist(s, &ch, bins);
		tt_hist_draw(ui, &ch,
			     "connect latency (SYN_SENT to ESTABLISHED)",
			     y + th, 0, hh, ui->cols);
	}
}

static void tcp_init(struct tt_ui *ui)
{
	tt_conns_init(&ui->tbl[TT_VIEW_TCP]);
}

static int tcp_key(struct tt_ui *ui, enum tt_act act)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_TCP];

	if (act != TT_ACT_SORT_PID)
		return -1;
	t->desc = t->sort == CN_PID ? !t->desc : false;
	t->sort = CN_PID;
	return TT_R_REDRAW;
}

const struct tt_view_ops tt_view_tcp = {
	.name = "TCP",
	.init = tcp_init,
	.draw = tcp_draw,
	.key = tcp_key,
};
