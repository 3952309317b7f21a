/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * proftree.h - a snapshot's stacks shaped for the screen, with no drawing:
 * the call tree of a set of stacks (a flame graph's boxes: a node's width is
 * its total, its children sit under it), and the callers and callees of one
 * function over every process (the Profile view's Enter).
 */
#ifndef TT_PROFTREE_H
#define TT_PROFTREE_H

#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

#define TT_PNODE_NONE UINT32_MAX

struct tt_pnode {
	const struct tt_frame *frame; /* NULL: the root (all the stacks) */
	uint64_t total;		      /* weight of the stacks through it */
	uint64_t self;		      /* of those ending here */
	uint32_t parent, child, next; /* first child, next sibling */
	uint32_t depth;		      /* 0: the root */
	bool truncated;		      /* holds stacks with a cut root */
};

/* v[0] is the root; children in order of total, heaviest first */
struct tt_ptree {
	struct tt_pnode *v;
	size_t n;
};

/* The tree of stacks[0..n) (a process's stacks or offcpu); 0 or -ENOMEM. */
int tt_ptree_build(const struct tt_stack *stacks, uint32_t n,
		   struct tt_ptree *out);
void tt_ptree_free(struct tt_ptree *t);

/* A caller or callee of a function, with the samples of the chains
 * where it is one. */
struct tt_pedge {
	const char *name, *module;
	bool kernel;
	uint64_t samples;
	double pct; /* of all the samples counted (s->prof.samples, or the
		       process's for tt_prof_hottest) */
};

/*
 * Over every process's on-CPU stacks in s: the functions calling the one
 * named (name, module) and those it calls, each by samples, heaviest
 * first; malloc'ed arrays (free them), names pointing into s. 0 or
 * -ENOMEM.
 */
int tt_prof_neighbours(const struct tt_snapshot *s, const char *name,
		       const char *module, struct tt_pedge **callers,
		       size_t *ncallers, struct tt_pedge **callees,
		       size_t *ncallees);

/*
 * A process's hottest functions: the leaf frames of its stacks (p->stacks)
 * by the weight that ends in them, heaviest first, as shares of
 * p->prof_samples; a malloc'ed array (free it), names pointing into the
 * stacks. 0 or -ENOMEM.
 */
int tt_prof_hottest(const struct tt_proc *p, struct tt_pedge **out, size_t *n);

#endif
