/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile_live.h - the profiler in a live run: a thread of its own drains
 * the kernel's sample and off-CPU ring buffers (bpf/profiler.h) into the
 * prof/ floor (unwinding, naming, counting) as the records come, so a
 * process that exits right after a sample still has its maps read; each
 * snapshot then takes the interval's profile (tt_prof_live_fill).
 *
 * The thread holds a mutex while it works on a record; fill, folded and
 * offcpu take it too. Nothing here draws or prints but the folded output.
 */
#ifndef TT_PROFILE_LIVE_H
#define TT_PROFILE_LIVE_H

#include <stdint.h>
#include <stdio.h>
#include "bpf/collector.h"
#include "model/snapshot.h"

struct tt_prof_live_opts {
	unsigned hz; /* on-CPU samples a second per CPU; 0: none */
	uint32_t pids[TT_MAX_FILTER_PIDS];
	unsigned npids;
	int64_t uid; /* -1: all */
	bool per_thread;
	uint32_t offcpu_pid; /* watch where it blocks from the start */
	bool user_unwind;    /* never unwind in the kernel: copy stacks */
};

struct tt_prof_live;

/*
 * Start the profiler; c (may be NULL) gives the off-CPU side. *out is set
 * when at least one side works; otherwise a negative errno and err.
 */
int tt_prof_live_new(const struct tt_prof_live_opts *o, struct tt_collector *c,
		     struct tt_prof_live **out, char *err, size_t errlen);
/*
 * The same in two steps, so that the sampler's object loads on a thread
 * while the caller loads the collector's: load returns at once (-ENOMEM,
 * or 0 and *out); start waits for the load and starts the rest, or fails
 * as tt_prof_live_new does and leaves pl to tt_prof_live_free.
 */
int tt_prof_live_load(const struct tt_prof_live_opts *o,
		      struct tt_prof_live **out);
int tt_prof_live_start(struct tt_prof_live *pl, struct tt_collector *c,
		       char *err, size_t errlen);
void tt_prof_live_free(struct tt_prof_live *pl);

/*
 * Close the interval into s (its processes built, in pid order): each
 * process's stacks, s->prof, and the sampler's cost added to s->cost.
 * dt: the interval in seconds.
 */
void tt_prof_live_fill(struct tt_prof_live *pl, struct tt_snapshot *s,
		       double dt);

/* Capture where pid's threads block (0: stop); -ENOTSUP without the
 * scheduler probes. */
int tt_prof_live_offcpu(struct tt_prof_live *pl, uint32_t pid);

/* Wait until the records the kernel wrote before this call are counted
 * (at most timeout_ms). A record another CPU is still writing ends a read
 * where it is: the few behind it wait for the next round. */
void tt_prof_live_sync(struct tt_prof_live *pl, int timeout_ms);

/* Everything of kind (enum tt_prof_kind) counted since the last fill,
 * folded (prof/profile.h); the lines written, or -1. */
long tt_prof_live_folded(struct tt_prof_live *pl, int kind, FILE *out);

/* "on" or "off: <reason>", on-CPU and off-CPU */
const char *tt_prof_live_status(const struct tt_prof_live *pl, bool offcpu);

/* Samples and waits lost so far (kernel ring buffers and our tables). */
uint64_t tt_prof_live_lost(struct tt_prof_live *pl);

/* Samples so far whose user stack the kernel unwound, and those it
 * copied for user space instead; both 0 with --unwind user. */
void tt_prof_live_unwound(struct tt_prof_live *pl, uint64_t *kernel,
			  uint64_t *copied);

#endif
