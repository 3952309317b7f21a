/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile.h - samples in, profiles out. Each on-CPU sample (registers,
 * stack copy, kernel stack) is unwound (unwind.h), named (sym.h) and
 * counted under its process and call chain; off-CPU, a captured stack is
 * kept under its sequence number and the time blocked there is added to
 * it as it comes. An interval ends with tt_prof_take(): per process its
 * heaviest stacks, and the system-wide functions by self and total.
 *
 * Everything is bounded (frames, stacks, (process, stack) pairs and
 * processes per interval); what does not fit is counted in `lost`, never
 * dropped silently. Not thread-safe: one caller at a time.
 */
#ifndef TT_PROFILE_H
#define TT_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "prof/profile_types.h"
#include "prof/sym.h"
#include "prof/unwind.h"

struct tt_prof_opts {
	struct tt_sym_opts sym;
	unsigned top_stacks; /* per process and kind in a result (32) */
	unsigned top_funcs;  /* system-wide functions in a result (200) */
	uint32_t max_frames; /* distinct frames kept (131072) */
	uint32_t max_stacks; /* distinct stacks kept (65536) */
	uint32_t max_counts; /* (process, stack) pairs an interval (65536) */
	uint32_t max_procs;  /* processes an interval (16384) */
	unsigned max_depth;  /* user frames walked (127) */
};

/* One sample (or off-CPU capture) as the kernel handed it over. */
struct tt_prof_in {
	uint32_t pid, tid; /* process (tgid) and thread */
	uint64_t pgen;	   /* the process's start, clock ticks */
	uint32_t id, gen;  /* what it counts under: the process, or the
			    * thread with -H */
	const char *comm;  /* the process's name */
	const struct tt_uregs *regs; /* NULL: no user part */
	bool user_missing; /* a user task whose user part could not be had */
	const void *stack; /* user stack copy from regs' sp */
	size_t stack_len;
	/* or the user stack unwound already (in the kernel): the ip, then
	 * return addresses; ucut when that walk stopped short */
	const uint64_t *upcs;
	unsigned nupcs;
	bool ucut;
	const uint64_t *kips; /* kernel stack, leaf first */
	unsigned nkips;
	bool ktrunc; /* the kernel stack was longer than nkips */
};

struct tt_prof;

struct tt_prof *tt_prof_new(const struct tt_prof_opts *o);
void tt_prof_free(struct tt_prof *p);

/* One on-CPU sample. */
void tt_prof_sample(struct tt_prof *p, const struct tt_prof_in *s);
/* Off-CPU: the stack of capture seq (evicted: a seq the kernel will not
 * use again, or 0), then the time blocked there, wait by wait. */
void tt_prof_capture(struct tt_prof *p, uint64_t seq, uint64_t evicted,
		     const struct tt_prof_in *s);
void tt_prof_block(struct tt_prof *p, uint64_t seq, uint32_t id, uint32_t gen,
		   uint32_t pid, const char *comm, uint64_t ns);

/* Close the interval: its result, valid until the next call or free. */
const struct tt_prof_result *tt_prof_take(struct tt_prof *p);

/*
 * Every stack of kind counted since the last take, folded: one line per
 * (process, stack), "comm;root;...;leaf count", kernel frames suffixed
 * "_[k]", a cut chain marked by a "[truncated]" frame under comm. The
 * format flamegraph.pl, inferno and speedscope read. Returns lines written.
 */
long tt_prof_folded(struct tt_prof *p, int kind, FILE *out);

void tt_prof_proc_gone(struct tt_prof *p, uint32_t pid);
/* pid exec'ed another program: what was known of its image goes */
void tt_prof_proc_exec(struct tt_prof *p, uint32_t pid);

const struct tt_prof_stats *tt_prof_stats(const struct tt_prof *p);

/* Read what naming needs whatever is sampled (kallsyms: 2.5 MB, some
 * 40 ms), now rather than at the first kernel frame, mid-run. */
void tt_prof_warm(struct tt_prof *p);

/* The symbolizer, for the in-kernel unwinding's tables (unwtab.h): the
 * same thread only. */
struct tt_sym *tt_prof_sym(struct tt_prof *p);

/* Memory held (caches, tables). */
size_t tt_prof_bytes(const struct tt_prof *p);

#endif
