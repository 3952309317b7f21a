// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* test_hist.c - log-linear buckets, quantiles against a brute-force sort */
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "model/hist.h"

static uint64_t lcg_state;

static uint64_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return lcg_state >> 11;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

START_TEST(ilog2_matches_reference)
{
	for (int k = 0; k < 64; k++) {
		uint64_t v = 1ULL << k;

		ck_assert_uint_eq(tt_ilog2(v), k);
		if (k > 0)
			ck_assert_uint_eq(tt_ilog2(v - 1), k - 1);
		ck_assert_uint_eq(tt_ilog2(v | (v >> 1)), k);
	}
}
END_TEST

START_TEST(buckets_are_contiguous_and_narrow)
{
	for (uint32_t i = 0; i < TT_HIST_BUCKETS; i++) {
		uint64_t lo = tt_hist_low(i), hi = tt_hist_high(i);

		ck_assert_uint_lt(lo, hi);
		ck_assert_uint_eq(tt_hist_index(lo), i);
		if (i + 1 < TT_HIST_BUCKETS) {
			ck_assert_uint_eq(tt_hist_index(hi - 1), i);
			ck_assert_uint_eq(hi, tt_hist_low(i + 1));
		}
		/* the stated error: width at most a quarter of the low bound */
		if (i >= TT_HIST_SUB)
			ck_assert_uint_le((hi - lo) * 4, lo);
	}
	ck_assert_uint_eq(tt_hist_index(0), 0);
	ck_assert_uint_eq(tt_hist_index(UINT64_MAX), TT_HIST_BUCKETS - 1);
	/* 137 s is past the last bound and still lands in the last bucket */
	ck_assert_uint_eq(tt_hist_index(200000000000ULL), TT_HIST_BUCKETS - 1);
}
END_TEST

/* values spread over 6 decades, like syscall latencies */
static uint64_t sample(int dist)
{
	switch (dist) {
	case 0:
		return 50 + lcg() % 2000; /* narrow, fast */
	case 1:
		return 1ULL << (6 + lcg() % 24) |
		       (lcg() % 1024); /* log-uniform */
	default:
		return lcg() % 3 ? 800 + lcg() % 100
				 : 5000000 + lcg() % 999; /* bimodal */
	}
}

START_TEST(quantiles_within_stated_error)
{
	static uint64_t vals[20000];
	static const double qs[] = { 0.01, 0.5, 0.9, 0.99, 0.999, 1.0 };
	int dist = _i;

	lcg_state = 42 + dist;
	for (size_t n = 1; n <= 20000; n *= 7) {
		uint64_t dense[TT_HIST_BUCKETS] = { 0 };

		for (size_t i = 0; i < n; i++) {
			vals[i] = sample(dist);
			dense[tt_hist_index(vals[i])]++;
		}
		qsort(vals, n, sizeof(vals[0]), cmp_u64);
		for (size_t j = 0; j < sizeof(qs) / sizeof(qs[0]); j++) {
			size_t rank = (size_t)(qs[j] * (double)n + 0.999999);
			uint64_t exact = vals[(rank ? rank : 1) - 1];
			uint64_t est = tt_dense_quantile(dense, qs[j]);
			uint64_t diff = est > exact ? est - exact : exact - est;

			ck_assert_msg(diff * 8 <= exact + 64,
				      "dist %d n %zu q %.3f: est %lu exact %lu",
				      dist, n, qs[j], (unsigned long)est,
				      (unsigned long)exact);
		}
	}
}
END_TEST

START_TEST(sparse_and_dense_agree)
{
	uint64_t dense[TT_HIST_BUCKETS] = { 0 }, back[TT_HIST_BUCKETS] = { 0 };
	struct tt_hbin bins[TT_HIST_BUCKETS];
	struct tt_hist h;

	lcg_state = 7;
	for (int i = 0; i < 5000; i++)
		dense[tt_hist_index(sample(1))]++;
	h.n = tt_dense_to_bins(dense, bins);
	h.bins = bins;
	for (uint32_t i = 1; i < h.n; i++)
		ck_assert_uint_lt(bins[i - 1].idx, bins[i].idx);
	ck_assert_uint_eq(tt_hist_total(&h), 5000);
	tt_hist_add_to_dense(back, &h);
	for (int i = 0; i < TT_HIST_BUCKETS; i++)
		ck_assert_uint_eq(back[i], dense[i]);
	ck_assert_uint_eq(tt_hist_quantile(&h, 0.99),
			  tt_dense_quantile(dense, 0.99));
}
END_TEST

START_TEST(delta_subtracts_previous)
{
	struct tt_hbin pb[] = { { .idx = 3, .count = 5 },
				{ .idx = 9, .count = 2 } };
	struct tt_hbin cb[] = { { .idx = 3, .count = 7 },
				{ .idx = 9, .count = 2 },
				{ .idx = 20, .count = 4 } };
	struct tt_hist prev = { 2, pb }, cur = { 3, cb };
	uint64_t d[TT_HIST_BUCKETS] = { 0 };

	tt_hist_delta_to_dense(d, &cur, &prev);
	ck_assert_uint_eq(d[3], 2);
	ck_assert_uint_eq(d[9], 0);
	ck_assert_uint_eq(d[20], 4);
	memset(d, 0, sizeof(d));
	tt_hist_delta_to_dense(d, &cur, NULL);
	ck_assert_uint_eq(d[3], 7);
	/* empty histograms have no quantile */
	struct tt_hist empty = { 0, NULL };
	ck_assert_uint_eq(tt_hist_quantile(&empty, 0.5), 0);
}
END_TEST

Suite *hist_suite(void)
{
	Suite *s = suite_create("hist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ilog2_matches_reference);
	tcase_add_test(tc, buckets_are_contiguous_and_narrow);
	tcase_add_loop_test(tc, quantiles_within_stated_error, 0, 3);
	tcase_add_test(tc, sparse_and_dense_agree);
	tcase_add_test(tc, delta_subtracts_previous);
	suite_add_tcase(s, tc);
	return s;
}
