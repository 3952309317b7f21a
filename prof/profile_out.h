/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile_out.h - an interval's tables as profile.c keeps them, and what
 * becomes of them (profile_out.c): the result in memory that lives until
 * the next take, or the folded text. Only profile.c includes it.
 */
#ifndef TT_PROFILE_OUT_H
#define TT_PROFILE_OUT_H

#include <stdint.h>
#include <stdio.h>
#include "prof/arena.h"
#include "prof/intern.h"
#include "prof/profile_types.h"
#include "prof/ptable.h"

/* a (process, stack) pair counted in the interval */
struct tt_prof_cnt {
	uint32_t id, gen, stack, proc; /* proc: index in procs */
	uint8_t kind;
	uint64_t weight, events;
};

/* a process with samples or waits in the interval */
struct tt_prof_pent {
	uint32_t id, gen, pid;
	char comm[16];
	uint64_t weight[TT_PROF_KINDS], events[TT_PROF_KINDS];
};

/* An interval's tables, and where the result goes. */
struct tt_prof_out {
	const struct tt_intern *in;
	const struct tt_ptable *cnt;   /* struct tt_prof_cnt */
	const struct tt_ptable *procs; /* struct tt_prof_pent */
	unsigned top_stacks;	       /* per process and kind */
	unsigned top_funcs;	       /* system-wide */
	struct tt_arena *mem;	       /* the result's strings and arrays */
	struct tt_prof_result *res;    /* its procs and funcs are set */
};

void tt_prof_out_build(struct tt_prof_out *p);
/* as tt_prof_folded() (profile.h) says */
long tt_prof_out_folded(struct tt_prof_out *p, int kind, FILE *out);

#endif
