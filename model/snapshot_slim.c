// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * snapshot_slim.c - a small deep copy of a snapshot for the screen's
 * minute of history: what a heatmap reads (the system-wide syscall table
 * and run-queue histogram, and one process's), not every process and
 * connection. With a thousand processes a full snapshot is about half a
 * MiB; sixty of them were most of tracetop's memory.
 */
#include <string.h>
#include "model/snapshot.h"

static const char *slim_str(struct tt_arena *a, const char *s)
{
	return s ? tt_arena_strdup(a, s) : NULL;
}

static int slim_hist(struct tt_arena *a, struct tt_hist *h)
{
	struct tt_hbin *b;

	if (!h->n)
		return 0;
	b = tt_arena_alloc(a, h->n * sizeof(*b));
	if (!b)
		return -1;
	memcpy(b, h->bins, h->n * sizeof(*b));
	h->bins = b;
	return 0;
}

/* sc[0..n) copied into a, names and histograms with them */
static struct tt_sysc *slim_syscalls(struct tt_arena *a,
				     const struct tt_sysc *sc, size_t n)
{
	struct tt_sysc *v;

	if (!n)
		return NULL;
	v = tt_arena_alloc(a, n * sizeof(*v));
	if (!v)
		return NULL;
	memcpy(v, sc, n * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		if (!(v[i].name = slim_str(a, sc[i].name)) ||
		    slim_hist(a, &v[i].hist))
			return NULL;
	return v;
}

struct tt_snapshot *tt_snapshot_slim(const struct tt_snapshot *s,
				     uint32_t keep_pid)
{
	struct tt_snapshot *c = tt_snapshot_new();
	const struct tt_proc *p =
		keep_pid ? tt_snapshot_find(s, keep_pid) : NULL;
	struct tt_arena arena;

	if (!c)
		return NULL;
	arena = c->arena;
	*c = *s;
	c->refs = 1;
	c->arena = arena;
	c->nconns = c->ngroups = 0;
	c->conns = NULL;
	c->groups = NULL;
	c->nprocs = 0;
	c->procs = NULL;
	c->prof.nfuncs = 0; /* the profile is not history's */
	c->prof.funcs = NULL;
	/* nor the events: the event log keeps them (they were s's) */
	c->nevents = 0;
	c->events = NULL;
	c->events_block = NULL;
	c->procs_block = NULL;
	c->syscalls = slim_syscalls(&c->arena, s->syscalls, s->nsyscalls);
	if ((s->nsyscalls && !c->syscalls) || slim_hist(&c->arena, &c->runq))
		goto fail;
	if (p) {
		struct tt_proc *q = tt_arena_alloc(&c->arena, sizeof(*q));

		if (!q)
			goto fail;
		*q = *p;
		q->cmdline = slim_str(&c->arena, p->cmdline);
		q->cgroup = slim_str(&c->arena, p->cgroup);
		q->top_sc = slim_str(&c->arena, p->top_sc);
		q->sc = slim_syscalls(&c->arena, p->sc, p->nsc);
		q->nstacks = q->noffcpu = 0;
		q->stacks = q->offcpu = NULL;
		if ((p->nsc && !q->sc) || slim_hist(&c->arena, &q->runq))
			goto fail;
		c->procs = q;
		c->nprocs = 1;
	}
	return c;
fail:
	tt_snapshot_unref(c);
	return NULL;
}
