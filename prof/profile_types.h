/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile_types.h - what a profile interval closes with (profile.h's
 * tt_prof_take()): per process its heaviest stacks, and the system-wide
 * functions. Its own header so that profile_out.c, which builds it, need
 * not stand on profile.c, which calls it.
 */
#ifndef TT_PROFILE_TYPES_H
#define TT_PROFILE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tt_prof_kind { TT_PROF_ONCPU, TT_PROF_OFFCPU, TT_PROF_KINDS };

struct tt_prof_frame {
	const char *name, *module;
	bool kernel;
};

struct tt_prof_stack {
	uint64_t weight; /* samples, or ns off-CPU */
	uint64_t events; /* samples, or times it blocked there */
	uint32_t nframes;
	bool truncated; /* the call chain was cut (see unwind.h) */
	const struct tt_prof_frame *const *frames; /* root first */
};

struct tt_prof_proc {
	uint32_t id, gen, pid;
	char comm[16];
	uint64_t weight[TT_PROF_KINDS], events[TT_PROF_KINDS]; /* all */
	uint32_t nstacks[TT_PROF_KINDS];
	const struct tt_prof_stack *stacks[TT_PROF_KINDS]; /* heaviest first */
};

/* a function, system-wide, on-CPU: samples where it was the leaf (self)
 * and where it was anywhere in the chain (total) */
struct tt_prof_func {
	const char *name, *module;
	bool kernel;
	uint64_t self, total;
};

/* cumulative since the start */
struct tt_prof_stats {
	uint64_t samples;   /* on-CPU samples read */
	uint64_t truncated; /* of them, with a cut call chain */
	uint64_t lost;	    /* samples or blocks not counted: table full */
	uint64_t captures;  /* off-CPU stacks captured */
	uint64_t blocks;    /* off-CPU waits weighed */
	uint64_t flushes;   /* times the tables were full and started over */
};

struct tt_prof_result {
	struct tt_prof_stats stats;
	uint64_t samples; /* on-CPU samples in this interval */
	size_t nprocs;
	const struct tt_prof_proc *procs; /* by (id, gen) */
	size_t nfuncs;
	const struct tt_prof_func *funcs; /* by total, descending */
};

#endif
