/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * unwplace.h - where each module's rows (unwtab.h) are in the kernel's
 * array, and each process's tables: its executable mappings, with the
 * load bias and the span of their module's rows (bpf/profile.h).
 *
 * A module's rows are built once (keyed by device and inode, as the
 * symbol cache is) and placed side by side through a sink: this file
 * knows nothing of BPF. When the array is full every placement is dropped
 * at once and the sink told (reset): processes then get their tables
 * again as they are sampled.
 */
#ifndef TT_UNWPLACE_H
#define TT_UNWPLACE_H

#include "prof/sym.h"
#include "prof/unwtab.h"

struct tt_unwplace_sink {
	void *ctx;
	/* rows for [at, at + n) of the kernel's array: 0 or a negative errno */
	int (*rows)(void *ctx, uint32_t at, const struct tt_unw_row *r,
		    uint32_t n);
	/* every placement is void: forget every process's tables */
	void (*reset)(void *ctx);
};

struct tt_unwplace_stats {
	uint64_t files;	    /* modules whose rows were built */
	uint64_t rows;	    /* rows placed */
	uint64_t failed;    /* modules without usable rows */
	uint64_t resets;    /* times the array was full and started over */
	uint32_t used, cap; /* rows of the array in use, its size */
};

struct tt_unwplace;

struct tt_unwplace *tt_unwplace_new(struct tt_sym *sym, uint32_t cap,
				    const struct tt_unwplace_sink *sink);
void tt_unwplace_free(struct tt_unwplace *t);

/*
 * Process (pid, gen)'s tables: its executable mappings whose module has
 * rows, by address, in out (mm 0), building and placing rows as needed.
 * *version is that of the maps they came from (tt_sym_maps). 0, or a
 * negative errno (-ENOENT: no maps, the process is gone).
 */
int tt_unwplace_proc(struct tt_unwplace *t, uint32_t pid, uint64_t gen,
		     struct tt_unw_proc *out, unsigned *version);

void tt_unwplace_stats(const struct tt_unwplace *t,
		       struct tt_unwplace_stats *out);

#endif
