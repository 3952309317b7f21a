// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile_out.c - what an interval's tables become: the result (each
 * process's heaviest stacks, the system-wide functions by self and total
 * samples), and the folded text flamegraph.pl, inferno and speedscope
 * read. profile.c keeps the tables and hands them over (profile_out.h).
 */
#include <stdlib.h>
#include <string.h>
#include "prof/profile_out.h"

/* ---- the result
 * ---------------------------------------------------------------- */

/* a string of the result; "" rather than NULL when out of memory */
static const char *rstr(struct tt_prof_out *p, const char *s)
{
	const char *d = tt_arena_strdup(p->mem, s);

	return d ? d : "";
}

/* result frames, one per interned frame used: rf[id] */
static const struct tt_prof_frame *
rframe(struct tt_prof_out *p, struct tt_prof_frame **rf, uint32_t id)
{
	if (!rf[id]) {
		const struct tt_iframe *f = &p->in->frames[id];
		struct tt_prof_frame *r = tt_arena_alloc(p->mem, sizeof(*r));

		if (!r)
			return NULL;
		r->name = rstr(p, f->name);
		r->module = rstr(p, f->module);
		r->kernel = f->kernel;
		rf[id] = r;
	}
	return rf[id];
}

/*
 * Off-CPU, the kernel stack is taken inside sched_switch's tracepoint:
 * its leaf frames are __schedule, the tracing glue and our program, the
 * same for every wait. The chain shown ends at __schedule's caller.
 */
static uint32_t shown_len(const struct tt_prof_out *p, int kind,
			  const uint32_t *ids, uint32_t n)
{
	if (kind != TT_PROF_OFFCPU)
		return n;
	for (uint32_t i = n; i-- > 0;) {
		const struct tt_iframe *f = &p->in->frames[ids[i]];

		if (!f->kernel)
			break;
		if (!strcmp(f->name, "__schedule"))
			return i;
	}
	return n;
}

static int cmp_cnt(const void *a, const void *b)
{
	const struct tt_prof_cnt *x = *(const struct tt_prof_cnt *const *)a;
	const struct tt_prof_cnt *y = *(const struct tt_prof_cnt *const *)b;

	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return x->stack < y->stack ? -1 : x->stack > y->stack;
}

static int cmp_proc(const void *a, const void *b)
{
	const struct tt_prof_proc *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->gen < y->gen ? -1 : x->gen > y->gen;
}

static struct tt_prof_stack *rstack(struct tt_prof_out *p,
				    struct tt_prof_frame **rf,
				    const struct tt_prof_cnt *c,
				    struct tt_prof_stack *out)
{
	uint32_t n;
	const uint32_t *ids = tt_intern_stack_frames(p->in, c->stack, &n);
	const struct tt_prof_frame **v;

	n = shown_len(p, c->kind, ids, n);
	v = tt_arena_alloc(p->mem, (n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		if (!(v[i] = rframe(p, rf, ids[i])))
			return NULL;
	out->weight = c->weight;
	out->events = c->events;
	out->nframes = n;
	out->truncated = p->in->stacks[c->stack].truncated;
	out->frames = v;
	return out;
}

/* procs (v[k] is procs[k] until sorted) and their top stacks */
static void build_procs(struct tt_prof_out *p, struct tt_prof_frame **rf,
			const struct tt_prof_cnt **sorted, size_t ns)
{
	uint32_t n = p->procs->n;
	struct tt_prof_proc *v = tt_arena_alloc(p->mem, (n + 1) * sizeof(*v));
	const struct tt_prof_pent *pv = p->procs->v;
	size_t i = 0;

	if (!v)
		return;
	for (uint32_t k = 0; k < n; k++) {
		const struct tt_prof_pent *e = &pv[k];

		memset(&v[k], 0, sizeof(v[k]));
		v[k].id = e->id;
		v[k].gen = e->gen;
		v[k].pid = e->pid;
		memcpy(v[k].comm, e->comm, sizeof(v[k].comm));
		memcpy(v[k].weight, e->weight, sizeof(e->weight));
		memcpy(v[k].events, e->events, sizeof(e->events));
	}
	/* sorted by (proc slot, kind, weight): a run per proc and kind */
	while (i < ns) {
		uint32_t proc = sorted[i]->proc, kind = sorted[i]->kind;
		size_t j = i, take;
		struct tt_prof_proc *pp = &v[proc];
		struct tt_prof_stack *st;

		while (j < ns && sorted[j]->proc == proc &&
		       sorted[j]->kind == kind)
			j++;
		take = j - i < p->top_stacks ? j - i : p->top_stacks;
		st = tt_arena_alloc(p->mem, (take + 1) * sizeof(*st));
		for (size_t k = 0; st && k < take; k++)
			if (!rstack(p, rf, sorted[i + k], &st[k]))
				take = k;
		if (st) {
			pp->stacks[kind] = st;
			pp->nstacks[kind] = (uint32_t)take;
		}
		i = j;
	}
	qsort(v, n, sizeof(*v), cmp_proc);
	p->res->procs = v;
	p->res->nprocs = n;
}

struct facc {
	uint64_t self, total;
	uint32_t mark; /* the last count entry that added to total, +1 */
};

static int cmp_func(const void *a, const void *b)
{
	const struct tt_prof_func *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if (x->self != y->self)
		return x->self > y->self ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void build_funcs(struct tt_prof_out *p,
			const struct tt_prof_cnt **sorted, size_t ns)
{
	struct facc *acc = calloc(p->in->nframes + 1, sizeof(*acc));
	struct tt_prof_func *all;
	size_t n = 0, keep;

	if (!acc)
		return;
	for (size_t i = 0; i < ns; i++) {
		const struct tt_prof_cnt *c = sorted[i];
		uint32_t nf;
		const uint32_t *ids;

		if (c->kind != TT_PROF_ONCPU)
			continue;
		ids = tt_intern_stack_frames(p->in, c->stack, &nf);
		if (nf)
			acc[ids[nf - 1]].self += c->weight;
		for (uint32_t k = 0; k < nf; k++)
			if (acc[ids[k]].mark != i + 1) {
				acc[ids[k]].mark = (uint32_t)(i + 1);
				acc[ids[k]].total += c->weight;
			}
	}
	all = malloc((p->in->nframes + 1) * sizeof(*all));
	for (uint32_t f = 0; all && f < p->in->nframes; f++) {
		const struct tt_iframe *fr = &p->in->frames[f];

		if (!acc[f].total)
			continue;
		all[n++] =
			(struct tt_prof_func){ fr->name, fr->module, fr->kernel,
					       acc[f].self, acc[f].total };
	}
	if (all && n) {
		struct tt_prof_func *v;

		qsort(all, n, sizeof(*all), cmp_func);
		keep = n < p->top_funcs ? n : p->top_funcs;
		v = tt_arena_alloc(p->mem, keep * sizeof(*v));
		for (size_t i = 0; v && i < keep; i++) {
			v[i] = all[i];
			v[i].name = rstr(p, all[i].name);
			v[i].module = rstr(p, all[i].module);
		}
		if (v) {
			p->res->funcs = v;
			p->res->nfuncs = keep;
		}
	}
	free(all);
	free(acc);
}

/* the entries of the interval, sorted by (proc, kind, weight) */
static const struct tt_prof_cnt **sorted_counts(struct tt_prof_out *p,
						size_t *n)
{
	const struct tt_prof_cnt **v = malloc((p->cnt->n + 1) * sizeof(*v));
	const struct tt_prof_cnt *cv = p->cnt->v;

	*n = 0;
	if (!v)
		return NULL;
	for (uint32_t i = 0; i < p->cnt->n; i++)
		v[(*n)++] = &cv[i];
	qsort(v, *n, sizeof(*v), cmp_cnt);
	return v;
}

void tt_prof_out_build(struct tt_prof_out *p)
{
	struct tt_prof_frame **rf;
	const struct tt_prof_cnt **sorted;
	size_t ns = 0;

	sorted = sorted_counts(p, &ns);
	rf = calloc(p->in->nframes + 1, sizeof(*rf));
	if (sorted && rf) {
		build_procs(p, rf, sorted, ns);
		build_funcs(p, sorted, ns);
	}
	free(rf);
	free(sorted);
}

/* ---- folded output
 * --------------------------------------------------------------- */

/* ';' separates frames and the last ' ' the count: neither may be in a
 * name where it would cut it (spaces are fine before the count) */
static void put_frame(FILE *out, const char *s, bool kernel)
{
	fputc(';', out);
	for (; *s; s++)
		fputc(*s == ';' ? ':' : *s == '\n' ? ' ' : *s, out);
	if (kernel)
		fputs("_[k]", out);
}

long tt_prof_out_folded(struct tt_prof_out *p, int kind, FILE *out)
{
	size_t ns = 0;
	const struct tt_prof_cnt **v;
	long lines = 0;

	v = sorted_counts(p, &ns);
	if (!v)
		return -1;
	for (size_t i = 0; i < ns; i++) {
		const struct tt_prof_cnt *c = v[i];
		const struct tt_prof_pent *pe =
			(const struct tt_prof_pent *)p->procs->v + c->proc;
		uint32_t n;
		const uint32_t *ids;

		if (c->kind != kind || !c->weight)
			continue;
		ids = tt_intern_stack_frames(p->in, c->stack, &n);
		n = shown_len(p, kind, ids, n);
		for (const char *s = pe->comm[0] ? pe->comm : "?"; *s; s++)
			fputc(*s == ';' ? ':' : *s == ' ' ? '_' : *s, out);
		if (p->in->stacks[c->stack].truncated)
			fputs(";[truncated]", out);
		for (uint32_t k = 0; k < n; k++) {
			const struct tt_iframe *f = &p->in->frames[ids[k]];

			put_frame(out, f->name, f->kernel);
		}
		fprintf(out, " %llu\n", (unsigned long long)c->weight);
		lines++;
	}
	free(v);
	return lines;
}
