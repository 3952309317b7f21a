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

/* What the copy below takes from its arena, each piece as the arena
 * rounds it: sixty copies in 64 KiB chunks each were 3.9 MB, most of it
 * never used. Were it short, the arena would just take another chunk. */
static size_t r16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

static size_t slim_hist_bytes(const struct tt_hist *h)
{
	return r16(h->n * sizeof(*h->bins));
}

static size_t slim_str_bytes(const char *s)
{
	return s ? r16(strlen(s) + 1) : 0;
}

static size_t slim_syscalls_bytes(const struct tt_sysc *sc, size_t n)
{
	size_t b = r16(n * sizeof(*sc));

	for (size_t i = 0; i < n; i++)
		b += slim_str_bytes(sc[i].name) + slim_hist_bytes(&sc[i].hist);
	return b;
}

static size_t slim_bytes(const struct tt_snapshot *s, const struct tt_proc *p)
{
	size_t b = slim_syscalls_bytes(s->syscalls, s->nsyscalls) +
		   slim_hist_bytes(&s->runq);

	if (p)
		b += r16(sizeof(*p)) + slim_str_bytes(p->cmdline) +
		     slim_str_bytes(p->cgroup) + slim_str_bytes(p->top_sc) +
		     slim_syscalls_bytes(p->sc, p->nsc) +
		     slim_hist_bytes(&p->runq);
	return b;
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
	if (tt_arena_reserve(&c->arena, slim_bytes(s, p)))
		goto fail;
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
