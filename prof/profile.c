// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile.c - the sample pipeline (unwind, name, intern, count) and the
 * interval's tables; profile_out.c makes the result from them.
 */
#include <stdlib.h>
#include <string.h>
#include "prof/profile.h"
#include "prof/profile_out.h"

#define UCACHE                                                                 \
	(1u << 14)	    /* (process, address) -> frame, direct-mapped:     \
			     * 384 KiB; 1 << 16 cost 1.1 MiB more resident     \
			     * and saved no measurable unwinding time */
#define KCACHE	 (1u << 14) /* kernel address -> frame */
#define MAX_KIPS 128

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
	struct tt_ptable cnt;	/* struct tt_prof_cnt */
	struct tt_ptable procs; /* struct tt_prof_pent */
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

/* ---- life cycle -----------------------------------------------------------
 */

static void opts_default(struct tt_prof_opts *o)
{
	if (!o->top_stacks)
		o->top_stacks = 32;
	if (!o->top_funcs)
		o->top_funcs = 200;
	if (!o->max_frames)
		o->max_frames = 1u << 17;
	if (!o->max_stacks)
		o->max_stacks = 1u << 16;
	if (!o->max_counts)
		o->max_counts = 1u << 16;
	if (!o->max_procs)
		o->max_procs = 1u << 14;
	if (!o->max_depth || o->max_depth > 1024)
		o->max_depth = 127;
}

static uint64_t proc_hash(uint32_t id, uint32_t gen)
{
	return ((uint64_t)id << 32 | gen) * 0x9e3779b97f4a7c15ULL;
}

static uint64_t cnt_hash(uint32_t id, uint32_t gen, uint32_t stack, int kind)
{
	return (proc_hash(id, gen) ^ ((uint64_t)stack << 8 | (uint64_t)kind) *
					     0xff51afd7ed558ccdULL) *
	       0x9e3779b97f4a7c15ULL;
}

static void clear_counts(struct tt_prof *p)
{
	tt_ptable_free(&p->cnt);
	tt_ptable_free(&p->procs);
	p->samples_iv = 0;
}

static void clear_caches(struct tt_prof *p)
{
	memset(p->uc, 0, UCACHE * sizeof(*p->uc));
	memset(p->kc, 0, KCACHE * sizeof(*p->kc));
	p->lost_stack = TT_NONE;
}

struct tt_prof *tt_prof_new(const struct tt_prof_opts *o)
{
	struct tt_prof *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (o)
		p->o = *o;
	opts_default(&p->o);
	tt_intern_init(&p->in, p->o.max_frames, p->o.max_stacks);
	p->sym = tt_sym_new(&p->o.sym);
	p->uw = p->sym ? tt_unwind_new(p->sym, 16) : NULL;
	p->uc = calloc(UCACHE, sizeof(*p->uc));
	p->kc = calloc(KCACHE, sizeof(*p->kc));
	p->pcs = malloc(p->o.max_depth * sizeof(*p->pcs));
	p->fr = malloc((p->o.max_depth + MAX_KIPS + 1) * sizeof(*p->fr));
	if (!p->uw || !p->uc || !p->kc || !p->pcs || !p->fr) {
		tt_prof_free(p);
		return NULL;
	}
	clear_counts(p);
	p->lost_stack = TT_NONE;
	return p;
}

void tt_prof_free(struct tt_prof *p)
{
	if (!p)
		return;
	tt_unwind_free(p->uw);
	tt_sym_free(p->sym);
	tt_intern_fini(&p->in);
	clear_counts(p);
	free(p->caps);
	free(p->uc);
	free(p->kc);
	free(p->pcs);
	free(p->fr);
	tt_arena_free(&p->rmem);
	free(p);
}

/* ---- frames -----------------------------------------------------------------
 */

static uint32_t user_frame(struct tt_prof *p, const struct tt_prof_in *s,
			   uint64_t pc)
{
	uint64_t h = (pc ^ ((uint64_t)s->pid << 40) ^ s->pgen) *
		     0x9e3779b97f4a7c15ULL;
	struct uent *e = &p->uc[h >> 48 & (UCACHE - 1)];
	struct tt_sym_res r = { 0 };
	uint32_t frame;

	if (e->frame && e->addr == pc && e->pid == s->pid && e->pgen == s->pgen)
		return e->frame - 1;
	tt_sym_user(p->sym, s->pid, s->pgen, pc, &r);
	frame = tt_intern_frame(&p->in, r.name, r.module, false);
	/* outside every mapping: the maps may be read again (a library
	 * loaded, an exec) and name it next time */
	if (frame == TT_NONE || !strcmp(r.name, "[unknown]"))
		return frame;
	e->frame = frame + 1;
	e->addr = pc;
	e->pid = s->pid;
	e->pgen = s->pgen;
	return frame;
}

static uint32_t kernel_frame(struct tt_prof *p, uint64_t ip)
{
	struct kent *e =
		&p->kc[(ip * 0x9e3779b97f4a7c15ULL) >> 50 & (KCACHE - 1)];
	struct tt_sym_res r = { 0 };

	/* kallsyms read again: what the cache holds may be stale */
	if (p->kgen != tt_sym_kernel_gen(p->sym)) {
		memset(p->kc, 0, KCACHE * sizeof(*p->kc));
		p->kgen = tt_sym_kernel_gen(p->sym);
	}
	if (e->frame && e->addr == ip)
		return e->frame - 1;
	tt_sym_kernel(p->sym, ip, &r);
	e->frame = tt_intern_frame(&p->in, r.name, r.module, true) + 1;
	e->addr = ip;
	return e->frame - 1;
}

/* the call chain of s as a stack id, root first; TT_NONE: a table full */
static uint32_t stack_of(struct tt_prof *p, const struct tt_prof_in *s,
			 bool *truncated)
{
	unsigned nu = 0, n = 0, nk = s->nkips < MAX_KIPS ? s->nkips : MAX_KIPS;
	bool ut = false;

	if (s->upcs) {
		nu = s->nupcs < p->o.max_depth ? s->nupcs : p->o.max_depth;
		ut = s->ucut || s->nupcs > nu;
		/* callers by an address inside their call, as unwind.c */
		for (unsigned i = 0; i < nu; i++)
			p->pcs[i] =
				i && s->upcs[i] ? s->upcs[i] - 1 : s->upcs[i];
	} else if (s->regs) {
		nu = tt_unwind(p->uw, s->pid, s->pgen, s->tid, s->regs,
			       s->stack, s->stack_len, p->pcs, p->o.max_depth,
			       &ut);
	}
	for (unsigned i = nu; i-- > 0;)
		if ((p->fr[n++] = user_frame(p, s, p->pcs[i])) == TT_NONE)
			return TT_NONE;
	for (unsigned i = nk; i-- > 0;)
		if ((p->fr[n++] = kernel_frame(p, s->kips[i])) == TT_NONE)
			return TT_NONE;
	*truncated = ut || s->user_missing || s->ktrunc || s->nkips > MAX_KIPS;
	return tt_intern_stack(&p->in, p->fr, n, *truncated);
}

/* ---- counting ---------------------------------------------------------------
 */

static struct tt_prof_pent *proc_get(struct tt_prof *p, uint32_t id,
				     uint32_t gen, uint32_t pid,
				     const char *comm)
{
	struct tt_ptable *t = &p->procs;
	struct tt_prof_pent *v = t->v, *e;
	uint64_t h = proc_hash(id, gen);
	bool rehash;

	if (t->idxcap)
		for (uint32_t i = (uint32_t)(h >> 32) & (t->idxcap - 1);
		     t->idx[i] != TT_NONE; i = (i + 1) & (t->idxcap - 1))
			if (v[t->idx[i]].id == id && v[t->idx[i]].gen == gen)
				return &v[t->idx[i]];
	if (t->n >= p->o.max_procs || !tt_ptable_room(t, sizeof(*v), &rehash))
		return NULL;
	v = t->v;
	for (uint32_t k = 0; rehash && k < t->n; k++)
		t->idx[tt_ptable_slot(t, proc_hash(v[k].id, v[k].gen),
				      TT_NONE)] = k;
	t->idx[tt_ptable_slot(t, h, TT_NONE)] = t->n;
	e = &v[t->n++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->gen = gen;
	e->pid = pid;
	snprintf(e->comm, sizeof(e->comm), "%s", comm ? comm : "");
	return e;
}

static struct tt_prof_cnt *cnt_get(struct tt_prof *p, uint32_t proc,
				   uint32_t stack, int kind)
{
	const struct tt_prof_pent *pe =
		(const struct tt_prof_pent *)p->procs.v + proc;
	struct tt_ptable *t = &p->cnt;
	struct tt_prof_cnt *v = t->v;
	uint64_t h = cnt_hash(pe->id, pe->gen, stack, kind);
	bool rehash;

	if (t->idxcap)
		for (uint32_t i = (uint32_t)(h >> 32) & (t->idxcap - 1);
		     t->idx[i] != TT_NONE; i = (i + 1) & (t->idxcap - 1)) {
			struct tt_prof_cnt *c = &v[t->idx[i]];

			if (c->stack == stack && c->kind == kind &&
			    c->proc == proc)
				return c;
		}
	if (t->n >= p->o.max_counts || !tt_ptable_room(t, sizeof(*v), &rehash))
		return NULL;
	v = t->v;
	for (uint32_t k = 0; rehash && k < t->n; k++)
		t->idx[tt_ptable_slot(
			t, cnt_hash(v[k].id, v[k].gen, v[k].stack, v[k].kind),
			TT_NONE)] = k;
	t->idx[tt_ptable_slot(t, h, TT_NONE)] = t->n;
	v[t->n] = (struct tt_prof_cnt){ pe->id,	       pe->gen, stack, proc,
					(uint8_t)kind, 0,	0 };
	return &v[t->n++];
}

static void count(struct tt_prof *p, uint32_t id, uint32_t gen, uint32_t pid,
		  const char *comm, uint32_t stack, int kind, uint64_t w)
{
	struct tt_prof_pent *pe = proc_get(p, id, gen, pid, comm);
	struct tt_prof_cnt *c;

	if (!pe) {
		p->st.lost++;
		return;
	}
	pe->weight[kind] += w;
	pe->events[kind]++;
	c = stack != TT_NONE
		    ? cnt_get(p,
			      (uint32_t)(pe -
					 (struct tt_prof_pent *)p->procs.v),
			      stack, kind)
		    : NULL;
	if (!c) {
		p->st.lost++; /* in the process's total, not in a stack */
		return;
	}
	c->weight += w;
	c->events++;
}

void tt_prof_sample(struct tt_prof *p, const struct tt_prof_in *s)
{
	bool trunc = false;
	uint32_t st = stack_of(p, s, &trunc);

	p->st.samples++;
	p->samples_iv++;
	p->st.truncated += trunc;
	count(p, s->id, s->gen, s->pid, s->comm, st, TT_PROF_ONCPU, 1);
}

/* ---- off-CPU ----------------------------------------------------------------
 */

static struct capture *capture_find(struct tt_prof *p, uint64_t seq)
{
	size_t lo = 0, hi = p->ncaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->caps[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->ncaps && p->caps[lo].seq == seq ? &p->caps[lo] : NULL;
}

/* drop the dead ones once they are half the array */
static void captures_compact(struct tt_prof *p)
{
	size_t n = 0;

	if (p->ndead * 2 < p->ncaps)
		return;
	for (size_t i = 0; i < p->ncaps; i++)
		if (p->caps[i].stack != TT_NONE)
			p->caps[n++] = p->caps[i];
	p->ncaps = n;
	p->ndead = 0;
}

/* Captures live as long as the kernel may refer to them: 4 per thread of
 * the process being watched. More than this means seqs were missed. */
#define MAX_CAPTURES 65536

void tt_prof_capture(struct tt_prof *p, uint64_t seq, uint64_t evicted,
		     const struct tt_prof_in *s)
{
	struct capture *c;
	bool trunc = false;

	if (evicted && (c = capture_find(p, evicted)) && c->stack != TT_NONE) {
		c->stack = TT_NONE;
		p->ndead++;
	}
	captures_compact(p);
	p->st.captures++;
	if (p->ncaps && seq <= p->caps[p->ncaps - 1].seq)
		return; /* out of order: cannot be, but must not unsort */
	if (p->ncaps == p->capcaps) {
		size_t cap = p->capcaps ? p->capcaps * 2 : 256;
		struct capture *v;

		if (cap > MAX_CAPTURES ||
		    !(v = realloc(p->caps, cap * sizeof(*v)))) {
			p->st.lost++;
			return;
		}
		p->caps = v;
		p->capcaps = cap;
	}
	p->caps[p->ncaps++] = (struct capture){ seq, stack_of(p, s, &trunc) };
	if (p->caps[p->ncaps - 1].stack == TT_NONE)
		p->ndead++;
}

static uint32_t lost_stack(struct tt_prof *p)
{
	uint32_t f;

	if (p->lost_stack == TT_NONE &&
	    (f = tt_intern_frame(&p->in, "[lost stack]", "[unknown]", false)) !=
		    TT_NONE)
		p->lost_stack = tt_intern_stack(&p->in, &f, 1, true);
	return p->lost_stack;
}

void tt_prof_block(struct tt_prof *p, uint64_t seq, uint32_t id, uint32_t gen,
		   uint32_t pid, const char *comm, uint64_t ns)
{
	const struct capture *c = capture_find(p, seq);

	p->st.blocks++;
	count(p, id, gen, pid, comm,
	      c && c->stack != TT_NONE ? c->stack : lost_stack(p),
	      TT_PROF_OFFCPU, ns);
}

void tt_prof_proc_gone(struct tt_prof *p, uint32_t pid)
{
	tt_sym_proc_gone(p->sym, pid);
	tt_unwind_proc_gone(p->uw, pid);
}

void tt_prof_proc_exec(struct tt_prof *p, uint32_t pid)
{
	tt_prof_proc_gone(p, pid);
	/* the same (pid, start) names other code now: rare, so the whole
	 * address cache goes rather than a walk of it per exit */
	memset(p->uc, 0, UCACHE * sizeof(*p->uc));
}

/* the interval's tables, for profile_out.c */
static struct tt_prof_out out_of(struct tt_prof *p)
{
	return (struct tt_prof_out){ &p->in,	      &p->cnt,	      &p->procs,
				     p->o.top_stacks, p->o.top_funcs, &p->rmem,
				     &p->res };
}

/*
 * Full tables start over between intervals; the live off-CPU captures
 * move over to the new tables (the kernel will not send them again).
 */
static void flush(struct tt_prof *p)
{
	struct saved {
		uint32_t n;
		bool trunc;
		struct tt_iframe f[];
	};
	struct saved **keep = calloc(p->ncaps + 1, sizeof(*keep));

	if (!keep)
		return;
	for (size_t i = 0; i < p->ncaps; i++) {
		uint32_t n;
		const uint32_t *ids;
		struct saved *s;

		if (p->caps[i].stack == TT_NONE)
			continue;
		ids = tt_intern_stack_frames(&p->in, p->caps[i].stack, &n);
		s = malloc(sizeof(*s) + n * sizeof(s->f[0]));
		if (!s)
			continue;
		s->n = n;
		s->trunc = p->in.stacks[p->caps[i].stack].truncated;
		for (uint32_t k = 0; k < n; k++) {
			s->f[k] = p->in.frames[ids[k]];
			/* copies: the strings go with the old tables */
			s->f[k].name = strdup(s->f[k].name);
			s->f[k].module = strdup(s->f[k].module);
		}
		keep[i] = s;
	}
	tt_intern_clear(&p->in);
	clear_caches(p);
	p->st.flushes++;
	for (size_t i = 0; i < p->ncaps; i++) {
		struct saved *s = keep[i];
		bool ok = s && s->n <= p->o.max_depth + MAX_KIPS;

		for (uint32_t k = 0; s && k < s->n; k++) {
			const struct tt_iframe *f = &s->f[k];

			if (ok && f->name && f->module)
				p->fr[k] = tt_intern_frame(
					&p->in, f->name, f->module, f->kernel);
			ok = ok && f->name && f->module && p->fr[k] != TT_NONE;
			free((char *)f->name);
			free((char *)f->module);
		}
		if (p->caps[i].stack != TT_NONE) {
			p->caps[i].stack = ok ? tt_intern_stack(&p->in, p->fr,
								s->n, s->trunc)
					      : TT_NONE;
			if (p->caps[i].stack == TT_NONE)
				p->ndead++;
		}
		free(s);
	}
	free(keep);
}
const struct tt_prof_result *tt_prof_take(struct tt_prof *p)
{
	struct tt_prof_out o = out_of(p);

	tt_arena_free(&p->rmem);
	memset(&p->res, 0, sizeof(p->res));
	tt_prof_out_build(&o);
	p->res.samples = p->samples_iv;
	p->res.stats = p->st;
	clear_counts(p);
	if (p->in.full)
		flush(p);
	return &p->res;
}

long tt_prof_folded(struct tt_prof *p, int kind, FILE *out)
{
	struct tt_prof_out o = out_of(p);

	return tt_prof_out_folded(&o, kind, out);
}

const struct tt_prof_stats *tt_prof_stats(const struct tt_prof *p)
{
	return &p->st;
}

void tt_prof_warm(struct tt_prof *p)
{
	struct tt_sym_res r = { 0 };

	tt_sym_kernel(p->sym, 0, &r);
}

struct tt_sym *tt_prof_sym(struct tt_prof *p)
{
	return p->sym;
}

size_t tt_prof_bytes(const struct tt_prof *p)
{
	return tt_intern_bytes(&p->in) + tt_sym_bytes(p->sym) +
	       (size_t)p->cnt.cap * sizeof(struct tt_prof_cnt) +
	       (size_t)p->procs.cap * sizeof(struct tt_prof_pent) +
	       ((size_t)p->cnt.idxcap + p->procs.idxcap) * 4 +
	       UCACHE * sizeof(*p->uc) + KCACHE * sizeof(*p->kc) +
	       p->capcaps * sizeof(*p->caps);
}
