/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * history.h - a few numbers per process over the last refreshes (CPU%,
 * syscalls/s, TX/s, RX/s), for the sparklines of the PID drill-down.
 * Pure C: fed one snapshot at a time, read back oldest first.
 */
#ifndef TT_HISTORY_H
#define TT_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

enum tt_series {
	TT_SER_CPU,  /* cpu_pct */
	TT_SER_SYSC, /* sc_rate */
	TT_SER_TX,   /* tx_rate */
	TT_SER_RX,   /* rx_rate */
	TT_SER_MAX
};

struct tt_history;

/* depth: samples kept per process (at most 4096) */
struct tt_history *tt_history_new(size_t depth);
void tt_history_free(struct tt_history *h); /* accepts NULL */

/*
 * Record every process of s. A process unseen for depth samples is
 * forgotten; a pid reused by a new process (other gen) starts afresh.
 * Returns 0 or -ENOMEM (the history is then unchanged).
 */
int tt_history_add(struct tt_history *h, const struct tt_snapshot *s);

/*
 * The last samples of pid's series k, oldest first, up to max of them;
 * a refresh where the process was absent reads 0. Returns how many.
 */
/* Memory held: entries and rings (an idle process has no ring). */
size_t tt_history_bytes(const struct tt_history *h);

size_t tt_history_get(const struct tt_history *h, uint32_t pid,
		      enum tt_series k, double *out, size_t max);

#endif
