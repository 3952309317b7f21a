/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * hist.h - sparse log-linear latency histograms (bucket layout in
 * bpf/tracetop.h). The kernel keeps 128 dense counters per entry; the model
 * keeps only the non-empty buckets, a handful for a typical syscall, so a
 * snapshot of thousands of processes stays small.
 */
#ifndef TT_HIST_H
#define TT_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/tracetop.h"

struct tt_hbin {
	uint32_t idx; /* bucket index, 0 .. TT_HIST_BUCKETS-1 */
	uint32_t pad;
	uint64_t count;
};

/* bins sorted by idx, no zero counts; memory owned by whoever built it */
struct tt_hist {
	uint32_t n;
	struct tt_hbin *bins;
};

/* Bounds of bucket idx in ns: [low, high). The last one also takes more. */
uint64_t tt_hist_low(uint32_t idx);
uint64_t tt_hist_high(uint32_t idx);
/* The bucket of a value, as the kernel computes it. */
uint32_t tt_hist_index(uint64_t ns);

uint64_t tt_hist_total(const struct tt_hist *h);

/*
 * The q-quantile (0 < q <= 1) as the midpoint of the bucket that holds it:
 * within 12.5% of the true value (8 ns below 64 ns). 0 when empty.
 */
uint64_t tt_hist_quantile(const struct tt_hist *h, double q);

/* Same over dense counters, as read from the kernel. */
uint64_t tt_dense_quantile(const uint64_t *dense, double q);

/* dense[i] += h's count in bucket i */
void tt_hist_add_to_dense(uint64_t *dense, const struct tt_hist *h);
/* dense[i] += cur - prev, bucket by bucket (prev may be NULL) */
void tt_hist_delta_to_dense(uint64_t *dense, const struct tt_hist *cur,
			    const struct tt_hist *prev);

/* Non-zero buckets of dense, written to bins (room for TT_HIST_BUCKETS). */
uint32_t tt_dense_to_bins(const uint64_t *dense, struct tt_hbin *bins);

#endif
