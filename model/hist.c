// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * hist.c - bucket bounds, quantiles and merges of log-linear histograms.
 */
#include "model/hist.h"

uint32_t tt_hist_index(uint64_t ns)
{
	return tt_hist_bucket(ns);
}

/* lower bound of bucket idx in units of 2^TT_HIST_UNIT_SHIFT ns */
static uint64_t low_units(uint32_t idx)
{
	uint32_t k, sub;

	if (idx < TT_HIST_SUB)
		return idx;
	k = idx / TT_HIST_SUB + 1;
	sub = idx % TT_HIST_SUB;
	return (uint64_t)(TT_HIST_SUB + sub) << (k - TT_HIST_SUB_BITS);
}

uint64_t tt_hist_low(uint32_t idx)
{
	return low_units(idx) << TT_HIST_UNIT_SHIFT;
}

uint64_t tt_hist_high(uint32_t idx)
{
	if (idx < TT_HIST_SUB)
		return (uint64_t)(idx + 1) << TT_HIST_UNIT_SHIFT;
	return (low_units(idx) +
		(1ULL << (idx / TT_HIST_SUB + 1 - TT_HIST_SUB_BITS)))
	       << TT_HIST_UNIT_SHIFT;
}

uint64_t tt_hist_total(const struct tt_hist *h)
{
	uint64_t t = 0;

	for (uint32_t i = 0; i < h->n; i++)
		t += h->bins[i].count;
	return t;
}

static uint64_t midpoint(uint32_t idx)
{
	return (tt_hist_low(idx) + tt_hist_high(idx)) / 2;
}

/* rank of the q-quantile among total values, 1-based (nearest rank) */
static uint64_t rank_of(uint64_t total, double q)
{
	double r = q * (double)total;
	uint64_t k = (uint64_t)r;

	if ((double)k < r)
		k++;
	return k ? k : 1;
}

uint64_t tt_hist_quantile(const struct tt_hist *h, double q)
{
	uint64_t total = tt_hist_total(h), seen = 0, want;

	if (!total)
		return 0;
	want = rank_of(total, q);
	for (uint32_t i = 0; i < h->n; i++) {
		seen += h->bins[i].count;
		if (seen >= want)
			return midpoint(h->bins[i].idx);
	}
	return midpoint(h->bins[h->n - 1].idx);
}

uint64_t tt_dense_quantile(const uint64_t *dense, double q)
{
	uint64_t total = 0, seen = 0, want;

	for (uint32_t i = 0; i < TT_HIST_BUCKETS; i++)
		total += dense[i];
	if (!total)
		return 0;
	want = rank_of(total, q);
	for (uint32_t i = 0; i < TT_HIST_BUCKETS; i++) {
		seen += dense[i];
		if (dense[i] && seen >= want)
			return midpoint(i);
	}
	return 0;
}

void tt_hist_add_to_dense(uint64_t *dense, const struct tt_hist *h)
{
	for (uint32_t i = 0; i < h->n; i++)
		dense[h->bins[i].idx] += h->bins[i].count;
}

void tt_hist_delta_to_dense(uint64_t *dense, const struct tt_hist *cur,
			    const struct tt_hist *prev)
{
	tt_hist_add_to_dense(dense, cur);
	if (!prev)
		return;
	for (uint32_t i = 0; i < prev->n; i++) {
		uint64_t *d = &dense[prev->bins[i].idx];

		/* counters only grow; a shrink means a new instance */
		*d = *d >= prev->bins[i].count ? *d - prev->bins[i].count : 0;
	}
}

uint32_t tt_dense_to_bins(const uint64_t *dense, struct tt_hbin *bins)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < TT_HIST_BUCKETS; i++)
		if (dense[i])
			bins[n++] =
				(struct tt_hbin){ .idx = i, .count = dense[i] };
	return n;
}
