/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_opts.h - what the model is asked to watch. A leaf of its own: the
 * parts of a refresh below model.c read these options without depending
 * on the model's public API (model.h).
 */
#ifndef TT_MODEL_OPTS_H
#define TT_MODEL_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include "bpf/tracetop.h"

struct tt_model_opts {
	bool per_thread;
	uint32_t pids[TT_MAX_FILTER_PIDS]; /* only these (none: all) */
	unsigned npids;
	int64_t uid;	       /* only this user's, -1: all */
	const char *proc_root; /* "/proc" unless testing */
	/* which kernel figures exist; the rest read from /proc each time */
	bool have_sched;
	/* CLOCK_MONOTONIC seconds when tracing began (0: now) */
	double start_mono;
	/* events kept per snapshot (the rest are counted, not kept); 0:
	 * TT_EV_MAX_PER_SNAPSHOT */
	unsigned ev_max;
	/* exit records taken per snapshot (the rest wait in the kernel's
	 * map for the next); 0: TT_EXITS_PER_SNAPSHOT */
	unsigned exits_max;
};

#define TT_EV_MAX_PER_SNAPSHOT 10000
/* what the exit map held before it grew to TT_MAX_EXITS: that snapshot's
 * peak memory was within bounds */
#define TT_EXITS_PER_SNAPSHOT 8192

#endif
