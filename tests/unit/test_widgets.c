// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_widgets.c - the screen's arithmetic without a terminal: column
 * layout, cells as the table shows them, histogram rows and bar scaling,
 * sparkline and heatmap levels.
 */
#include <string.h>
#include <check.h>
#include "model/columns.h"
#include "model/hist.h"
#include "tui/ui_keys.h"
#include "tui/widget_geom.h"

START_TEST(columns_lay_out_and_cut)
{
	int widths[] = { 7, 9, 5, 15 }, x[4], w[4];

	/* wide: one blank between, the last (text) runs to the edge */
	ck_assert_int_eq(tt_layout_columns(widths, 4, 80, true, x, w), 4);
	ck_assert_int_eq(x[0], 0);
	ck_assert_int_eq(x[1], 8);
	ck_assert_int_eq(x[2], 18);
	ck_assert_int_eq(x[3], 24);
	ck_assert_int_eq(w[3], 80 - 24);
	/* without stretch the last keeps its width */
	tt_layout_columns(widths, 4, 80, false, x, w);
	ck_assert_int_eq(w[3], 15);
	/* narrow: the crossing column is cut, the ones after dropped */
	ck_assert_int_eq(tt_layout_columns(widths, 4, 20, true, x, w), 3);
	ck_assert_int_eq(w[1], 9);
	ck_assert_int_eq(w[2], 2);
	ck_assert_int_eq(w[3], 0);
	/* the default columns at 40 cells: nothing starts past the edge */
	{
		int dw[TT_COL_MAX], dx[TT_COL_MAX], ww[TT_COL_MAX];
		int n = tt_proc_cols.ndefaults, shown;

		for (int i = 0; i < n; i++)
			dw[i] = tt_columns[tt_proc_cols.defaults[i]].width;
		shown = tt_layout_columns(dw, n, 40, true, dx, ww);
		ck_assert_int_ge(shown, 4);
		for (int i = 0; i < n; i++)
			ck_assert_int_le(dx[i] + ww[i],
					 40 + (ww[i] == 0) * 1000);
	}
}
END_TEST

START_TEST(clicks_find_their_column)
{
	int widths[] = { 7, 9, 5 }, x[3], w[3];

	tt_layout_columns(widths, 3, 80, false, x, w);
	ck_assert_int_eq(tt_layout_hit(x, w, 3, 0), 0);
	ck_assert_int_eq(tt_layout_hit(x, w, 3, 7), 0); /* the blank */
	ck_assert_int_eq(tt_layout_hit(x, w, 3, 8), 1);
	ck_assert_int_eq(tt_layout_hit(x, w, 3, 20), 2);
	ck_assert_int_eq(tt_layout_hit(x, w, 3, 79), -1);
}
END_TEST

/* numbers must fit their cells; text is cut */
static void cells_fit(const struct tt_colset *set, const void *row, double v)
{
	char buf[64];

	for (int c = 0; c < set->ncols; c++) {
		const struct tt_column *col = &set->cols[c];

		if (col->left || !col->width)
			continue;
		tt_colset_cell(set, c, row, buf, sizeof(buf));
		ck_assert_msg((int)strlen(buf) <= col->width,
			      "%s %s: '%s' wider than %d for %g", set->name,
			      col->title, buf, col->width, v);
	}
}

/* every column's cell fits its width for small, huge and odd values */
START_TEST(cells_fit_their_columns)
{
	struct tt_proc p;
	struct tt_sysc sc;
	struct tt_conn cn;
	static const double big[] = {
		0, 0.4, 9.96, 999.6, 12345.6, 9.9e9, 1e15
	};

	for (size_t k = 0; k < sizeof(big) / sizeof(big[0]); k++) {
		memset(&p, 0, sizeof(p));
		p.pid = 4194304;
		p.ppid = 4194303;
		p.threads = 9999;
		p.rss_bytes = (uint64_t)(big[k] * 1024);
		p.cpu_pct = big[k] > 999 ? 999 : big[k];
		/* 16 h: ONCPU (min:s.cs) grows past 9 cells after 16.6 h */
		p.oncpu_ns = 3600ULL * 1000000000ULL * 16;
		p.sc_rate = p.sc_err_rate = big[k];
		/* latencies come from histogram buckets: 99 s at most */
		p.sc_p99_ns = p.runq_p99_ns =
			big[k] * 1000 > 99e9 ? 99000000000ULL
					     : (uint64_t)(big[k] * 1000);
		p.tx_rate = p.rx_rate = big[k];
		p.csw_rate = big[k];
		p.connections = 99999;
		p.tcp.retransmits = 99999;
		p.migrations = 99999;
		p.oncpu_pct = p.cpu_pct;
		p.runq_p50_ns = p.runq_p99_ns;
		p.voluntary = p.involuntary = (uint64_t)big[k];
		cells_fit(&tt_proc_cols, &p, big[k]);
		cells_fit(&tt_sched_cols, &p, big[k]);

		memset(&sc, 0, sizeof(sc));
		sc.count = sc.errors = (uint64_t)big[k];
		sc.rate = sc.err_rate = big[k];
		sc.p50_ns = sc.p99_ns = p.sc_p99_ns;
		sc.total_ns = p.sc_p99_ns * 1000;
		sc.time_rate = big[k] > 2e9 ? 2e9 : big[k];
		cells_fit(&tt_sysc_cols, &sc, big[k]);

		memset(&cn, 0, sizeof(cn));
		cn.pid = p.pid;
		cn.tx_rate = cn.rx_rate = big[k];
		cn.tx_bytes = cn.rx_bytes = (uint64_t)big[k];
		cn.retransmits = 99999;
		cn.srtt_us = 99000000;
		cn.connect_ns = p.sc_p99_ns;
		cells_fit(&tt_conn_cols, &cn, big[k]);
	}
}
END_TEST

static struct tt_hbin bins[TT_HIST_BUCKETS];

static struct tt_hist hist_of(const uint64_t *dense)
{
	struct tt_hist h = { .bins = bins };

	h.n = tt_dense_to_bins(dense, bins);
	return h;
}

START_TEST(histogram_rows_span_and_merge)
{
	uint64_t dense[TT_HIST_BUCKETS] = { 0 };
	struct tt_hrow rows[TT_HIST_BUCKETS];
	struct tt_hist h;
	int n;

	ck_assert_int_eq(tt_hrows_build(NULL, rows, 10), 0);
	dense[tt_hist_index(1000)] = 90;   /* ~1us */
	dense[tt_hist_index(100000)] = 10; /* ~100us */
	h = hist_of(dense);
	n = tt_hrows_build(&h, rows, 64);
	/* every bucket in between shows, empty ones too */
	ck_assert_int_eq(
		n, (int)(tt_hist_index(100000) - tt_hist_index(1000) + 1));
	ck_assert_uint_eq(rows[0].count, 90);
	ck_assert_uint_eq(rows[n - 1].count, 10);
	ck_assert_uint_eq(rows[1].count, 0);
	ck_assert(rows[0].marks & TT_HMARK_P50);
	ck_assert(rows[n - 1].marks & TT_HMARK_P99);
	/* squeezed into 4 rows: merged, counts kept, bounds contiguous */
	n = tt_hrows_build(&h, rows, 4);
	ck_assert_int_le(n, 4);
	ck_assert_uint_eq(rows[0].count + rows[n - 1].count, 100);
	for (int i = 1; i < n; i++)
		ck_assert_uint_eq(rows[i].low, rows[i - 1].high);
	ck_assert_uint_le(rows[0].low, 1000);
	ck_assert_uint_gt(rows[n - 1].high, 100000);
	ck_assert_uint_eq(tt_hrows_max(rows, n), 90);
}
END_TEST

START_TEST(bars_scale_to_the_largest)
{
	ck_assert_int_eq(tt_bar_eighths(0, 100, 10), 0);
	ck_assert_int_eq(tt_bar_eighths(100, 100, 10), 80);
	ck_assert_int_eq(tt_bar_eighths(50, 100, 10), 40);
	ck_assert_int_eq(tt_bar_eighths(1, 1000000, 10), 1); /* visible */
	ck_assert_int_eq(tt_bar_eighths(5, 0, 10), 0);
	ck_assert_int_eq(tt_bar_eighths(5, 10, 0), 0);
	ck_assert_int_eq(tt_bar_eighths(200, 100, 10), 80); /* clamped */
}
END_TEST

START_TEST(spark_and_heat_levels)
{
	ck_assert_int_eq(tt_spark_level(0, 10, 9), 0);
	ck_assert_int_eq(tt_spark_level(10, 10, 9), 8);
	ck_assert_int_eq(tt_spark_level(0.01, 10, 9), 1);
	ck_assert_int_eq(tt_spark_level(5, 10, 9), 4);
	ck_assert_int_eq(tt_spark_level(5, 0, 9), 0);
	ck_assert_int_eq(tt_heat_level(0, 100), 0);
	ck_assert_int_eq(tt_heat_level(1, 1000000), 1);
	ck_assert_int_eq(tt_heat_level(1000000, 1000000), 4);
	ck_assert_int_ge(tt_heat_level(1000, 1000000), 2);
}
END_TEST

/*
 * Issue 11: at 200 columns the help cut long texts in its left column
 * ("H threads as rows (needs a source that collects the") while its
 * right column was half empty. Wide enough, no text is cut; never does
 * the layout leave the screen.
 */
START_TEST(help_uses_the_width_it_has)
{
	static const int sizes[][2] = { { 200, 50 }, { 200, 60 }, { 240, 40 },
					{ 120, 40 }, { 80, 24 },  { 40, 10 } };
	size_t longest = 0;

	for (size_t i = 0; i < tt_nkeybinds; i++)
		if (strlen(tt_keybinds[i].help) > longest)
			longest = strlen(tt_keybinds[i].help);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		int cols = sizes[k][0], rows = sizes[k][1];
		struct tt_help_layout l;

		tt_help_layout(cols, rows, (int)tt_nkeybinds, &l);
		ck_assert_int_ge(l.ncol, 1);
		ck_assert_int_le(l.ncol * l.colw, cols);
		ck_assert_int_eq(l.textw, l.colw - TT_HELP_KEYW - 2);
		ck_assert_int_eq(l.overflow,
				 (int)tt_nkeybinds - l.ncol * l.nrow);
		/* no column stands empty while another is cut */
		ck_assert_int_le((l.ncol - 1) * l.nrow, (int)tt_nkeybinds);
		if (cols < 200)
			continue;
		ck_assert_int_le(l.overflow, 0);
		ck_assert_msg(l.textw >= (int)longest,
			      "%dx%d: %d cells for texts of up to %zu", cols,
			      rows, l.textw, longest);
	}
}
END_TEST

Suite *widgets_suite(void)
{
	Suite *s = suite_create("widgets");
	TCase *tc = tcase_create("geometry");

	tcase_add_test(tc, columns_lay_out_and_cut);
	tcase_add_test(tc, clicks_find_their_column);
	tcase_add_test(tc, cells_fit_their_columns);
	tcase_add_test(tc, histogram_rows_span_and_merge);
	tcase_add_test(tc, bars_scale_to_the_largest);
	tcase_add_test(tc, spark_and_heat_levels);
	tcase_add_test(tc, help_uses_the_width_it_has);
	suite_add_tcase(s, tc);
	return s;
}
