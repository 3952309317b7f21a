// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile_unw.c - processes with tables in the kernel: a bounded list,
 * the least recently tried dropped first (and forgotten by the kernel).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "model/profile_unw.h"
#include "prof/mono.h"

#define MAX_PROCS 1024 /* unw_procs' max_entries */
#define RETRY_S	  1.0
/*
 * Tables only for a process that runs: 4 samples within a second (4 % of
 * a CPU at 99 Hz). Reading a binary's CFI takes milliseconds (python3:
 * 25 ms), which thousands of samples unwound in user space cost, and a
 * machine runs many processes that wake for a moment now and then (a
 * shell, a cron job, the benchmark's own Python).
 */
#define MIN_SAMPLES 4
#define WINDOW_S    1.0
#define EXEC_S	    0.25

struct uent {
	uint32_t pid;
	uint64_t pgen;
	unsigned version; /* of the maps the tables came from */
	bool has;	  /* the kernel has its tables */
	double tried_at;
	double exec_at;	  /* the last exec seen */
	unsigned samples; /* not unwound in the kernel, in the window */
	double window_at; /* when the window began */
};

struct tt_prof_unw {
	struct tt_profiler *kp;
	struct tt_prof *prof;
	struct tt_sym *sym;
	struct tt_unwplace *tab;
	struct uent *v;
	unsigned n;
	struct tt_unw_proc scratch; /* 2 KiB: not on the stack */
};

static int sink_rows(void *ctx, uint32_t at, const struct tt_unw_row *r,
		     uint32_t n)
{
	struct tt_prof_unw *u = ctx;

	return tt_profiler_unw_rows(u->kp, at, r, n);
}

/* the rows array starts over: nobody's spans hold */
static void sink_reset(void *ctx)
{
	struct tt_prof_unw *u = ctx;

	tt_profiler_unw_forget(u->kp, 0);
	for (unsigned i = 0; i < u->n; i++) {
		u->v[i].has = false;
		u->v[i].tried_at = 0;
	}
}

struct tt_prof_unw *tt_prof_unw_new(struct tt_profiler *kp,
				    struct tt_prof *prof)
{
	struct tt_prof_unw *u;
	struct tt_unwplace_sink sink = { NULL, sink_rows, sink_reset };
	uint32_t cap = kp ? tt_profiler_unw_cap(kp) : 0;
	struct tt_sym *sym = prof ? tt_prof_sym(prof) : NULL;

	if (!cap || !sym)
		return NULL;
	u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	sink.ctx = u;
	u->kp = kp;
	u->prof = prof;
	u->sym = sym;
	u->v = calloc(MAX_PROCS, sizeof(*u->v));
	u->tab = tt_unwplace_new(sym, cap, &sink);
	if (!u->v || !u->tab) {
		tt_prof_unw_free(u);
		return NULL;
	}
	return u;
}

void tt_prof_unw_free(struct tt_prof_unw *u)
{
	if (!u)
		return;
	tt_unwplace_free(u->tab);
	free(u->v);
	free(u);
}

static void drop(struct tt_prof_unw *u, struct uent *e)
{
	if (e->has)
		tt_profiler_unw_forget(u->kp, e->pid);
	*e = u->v[--u->n];
}

static struct uent *get(struct tt_prof_unw *u, uint32_t pid, uint64_t pgen)
{
	struct uent *e = NULL, *old = NULL;

	for (unsigned i = 0; i < u->n && !e; i++) {
		if (u->v[i].pid == pid)
			e = &u->v[i];
		else if (!old || u->v[i].tried_at < old->tried_at)
			old = &u->v[i];
	}
	if (e && e->pgen == pgen)
		return e;
	if (e) /* the pid is another process's now */
		drop(u, e);
	else if (u->n == MAX_PROCS)
		drop(u, old);
	e = &u->v[u->n++];
	*e = (struct uent){ .pid = pid, .pgen = pgen };
	return e;
}

static void build(struct tt_prof_unw *u, struct uent *e)
{
	unsigned version = 0;
	int r = tt_unwplace_proc(u->tab, e->pid, e->pgen, &u->scratch,
				 &version);

	if (!r && u->scratch.n)
		r = tt_profiler_unw_proc(u->kp, e->pid, &u->scratch);
	else if (!r)
		r = -ENOENT; /* no module with rows */
	if (r && e->has)     /* what the kernel has is stale */
		tt_profiler_unw_forget(u->kp, e->pid);
	e->has = !r;
	e->version = version;
}

void tt_prof_unw_miss(struct tt_prof_unw *u, uint32_t pid, uint64_t pgen,
		      unsigned why)
{
	struct uent *e;
	double now = tt_prof_mono();
	size_t n;
	unsigned version;

	if (!u || why == TT_UNW_NORULE || why >= TT_UNW_STAT_MAX)
		return;
	e = get(u, pid, pgen);
	/* an exec voids the tables at once, whenever they were made; the
	 * samples already on their way say so too, and are let be */
	if (why == TT_UNW_EXECED && now - e->exec_at >= EXEC_S) {
		e->exec_at = now;
		e->tried_at = 0;
	}
	if (now - e->window_at > WINDOW_S) {
		e->window_at = now;
		e->samples = 0;
	}
	if (++e->samples < MIN_SAMPLES || now - e->tried_at < RETRY_S)
		return;
	if (why == TT_UNW_OUTSIDE && e->has) {
		/* only a change of the maps can help */
		tt_sym_maps(u->sym, pid, pgen, &n, &version);
		if (version == e->version)
			return;
	}
	e->tried_at = now;
	/* the maps and unwinding state of the image before the exec */
	if (why == TT_UNW_EXECED)
		tt_prof_proc_exec(u->prof, pid);
	build(u, e);
}

void tt_prof_unw_gone(struct tt_prof_unw *u, uint32_t pid)
{
	for (unsigned i = 0; u && i < u->n; i++)
		if (u->v[i].pid == pid) {
			drop(u, &u->v[i]);
			return;
		}
}

unsigned tt_prof_unw_procs(const struct tt_prof_unw *u)
{
	unsigned n = 0;

	for (unsigned i = 0; u && i < u->n; i++)
		n += u->v[i].has;
	return n;
}

void tt_prof_unw_stats(const struct tt_prof_unw *u,
		       struct tt_unwplace_stats *out)
{
	if (u)
		tt_unwplace_stats(u->tab, out);
	else
		memset(out, 0, sizeof(*out));
}
