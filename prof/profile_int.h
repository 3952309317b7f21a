/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile_int.h - the profile's insides, shared by profile.c (samples in,
 * the interval's tables) and profile_out.c (the result and the folded
 * output made from those tables). Nothing else includes it.
 */
#ifndef TT_PROFILE_INT_H
#define TT_PROFILE_INT_H

#include "prof/arena.h"
#include "prof/intern.h"
#include "prof/ptable.h"
#include "prof/profile.h"

#define UCACHE                                                                 \
	(1u << 14)	    /* (process, address) -> frame, direct-mapped:     \
			     * 384 KiB; 1 << 16 cost 1.1 MiB more resident     \
			     * and saved no measurable unwinding time */
#define KCACHE	 (1u << 14) /* kernel address -> frame */
#define MAX_KIPS 128

struct cnt {
	uint32_t id, gen, stack, proc; /* proc: index in procs */
	uint8_t kind;
	uint64_t weight, events;
};

struct pent {
	uint32_t id, gen, pid;
	char comm[16];
	uint64_t weight[TT_PROF_KINDS], events[TT_PROF_KINDS];
};

struct capture {
	uint64_t seq;
	uint32_t stack; /* TT_NONE: dead */
};

struct uent {
	uint64_t addr, pgen;
	uint32_t pid, frame;
};

struct kent {
	uint64_t addr;
	uint32_t frame;
};

struct tt_prof {
	struct tt_prof_opts o;
	struct tt_sym *sym;
	struct tt_unwind *uw;
	struct tt_intern in;
	struct tt_ptable cnt;	/* struct cnt */
	struct tt_ptable procs; /* struct pent */
	struct capture *caps;	/* by seq (they come in order) */
	size_t ncaps, capcaps, ndead;
	struct uent *uc;
	struct kent *kc;
	uint64_t *pcs;
	uint32_t *fr;
	uint32_t lost_stack; /* "[lost stack]": a block whose capture is gone */
	unsigned kgen;	     /* tt_sym_kernel_gen() the kernel cache is of */
	uint64_t samples_iv;
	struct tt_prof_stats st;
	struct tt_arena rmem; /* the result's memory: freed at the next take */
	struct tt_prof_result res;
};

/* the interval's result from its tables, into p->res (procs and funcs) */
void tt_prof_build(struct tt_prof *p);

#endif
