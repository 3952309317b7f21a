// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_tcp.c - view 3: TCP connections (who, where, state, throughput,
 * retransmits, RTT; model/columns.h, tt_conn_cols) and the
 * connect-latency histogram of those seen connecting (SYN_SENT to
 * ESTABLISHED).
 */
#include <curses.h>
#include <stdlib.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/view_tcp.h"
#include "tui/widget_hist.h"

static int conn_style(void *ctx, size_t i)
{
	const struct tt_conn *c = ((const void *const *)ctx)[i];

	return c->closed ? TT_EL_DIM : -1;
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
	tt_colset_sort(&tt_conn_cols, rows, n, t->sort, t->desc);
	src = (struct tt_table_src){
		.set = &tt_conn_cols,
		.rows = rows,
		.nrows = n,
		.search = ui->search,
		.snap = ui->snap,
		.style = conn_style,
		.ctx = rows,
	};
	tt_table_draw(t, &src, y, x, h, w);
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
	const struct tt_snapshot *s = ui->snap;
	struct tt_hbin bins[TT_HIST_BUCKETS];
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
		tt_hist_draw(tt_glyphs_get(ui->utf8), &ch,
			     "connect latency (SYN_SENT to ESTABLISHED)",
			     y + th, 0, hh, ui->cols);
	}
}

static int tcp_key(struct tt_ui *ui, enum tt_act act)
{
	if (act != TT_ACT_SORT_PID)
		return -1;
	tt_table_sort_by(&ui->tbl[TT_VIEW_TCP], &tt_conn_cols, TT_CN_PID);
	return TT_R_REDRAW;
}

/* the process that owns the selected connection */
static uint32_t tcp_selected_pid(const struct tt_ui *ui)
{
	const struct tt_table *t = &ui->tbl[TT_VIEW_TCP];

	for (size_t i = 0; t->nrows && i < ui->snap->nconns; i++)
		if (ui->snap->conns[i].id == t->sel_id)
			return ui->snap->conns[i].pid;
	return 0;
}

const struct tt_view_ops tt_view_tcp = {
	.name = "TCP",
	.short_name = "TCP",
	.cols = &tt_conn_cols,
	.config = "columns.tcp",
	.sort = TT_CN_TXR,
	.desc = true,
	.draw = tcp_draw,
	.key = tcp_key,
	.selected_pid = tcp_selected_pid,
};
