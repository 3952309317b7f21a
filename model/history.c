// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * history.c - per-process rings of samples, kept in pid order so each
 * snapshot (also in pid order) merges in one pass: no hash table, and
 * the cost is linear in the number of processes. A process that has done
 * nothing yet (every sample 0: most of a machine's processes, most of the
 * time) has no ring at all.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/history.h"

struct hist_entry {
	uint32_t pid, gen;
	uint64_t first, last; /* ticks of the first and last sample */
	size_t cap;	      /* samples per series in v: grows to depth */
	float *v; /* cap samples per series, ring by tick % cap; NULL (cap
		   * 0) while every sample since first was 0 */
};

/*
 * A process seen once (the thousands a fork storm makes each refresh)
 * costs a ring of HIST_MIN_CAP samples, not depth, and none while idle; rings
 * grow as their process lives on. Processes gone from the snapshots are kept
 * for depth samples (the screen, paused, may still show them), but no more than
 * HIST_MAX_GONE of them: churn must not make the history grow.
 */
#define HIST_MIN_CAP  4
#define HIST_MAX_GONE 1024

struct tt_history {
	size_t depth;
	uint64_t tick; /* samples recorded so far */
	size_t n;
	struct hist_entry *e; /* by pid */
};

struct tt_history *tt_history_new(size_t depth)
{
	struct tt_history *h;

	if (depth == 0 || depth > 4096)
		return NULL;
	h = calloc(1, sizeof(*h));
	if (h)
		h->depth = depth;
	return h;
}

void tt_history_free(struct tt_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		free(h->e[i].v);
	free(h->e);
	free(h);
}

/* samples e must hold to take one at the current tick */
static size_t hist_need(const struct tt_history *h, const struct hist_entry *e)
{
	uint64_t span = h->tick - e->first + 1;

	return span < h->depth ? (size_t)span : h->depth;
}

/* a bigger ring for e (allocated beforehand): move the samples over */
static void hist_grow(struct tt_history *h, struct hist_entry *e, float *nv,
		      size_t ncap)
{
	uint64_t from = e->first;

	if (e->last + 1 > e->cap && from < e->last + 1 - e->cap)
		from = e->last + 1 - e->cap; /* older ones were overwritten */
	if (h->tick + 1 > ncap && from < h->tick + 1 - ncap)
		from = h->tick + 1 - ncap; /* out of the new window */
	for (uint64_t t = from; e->v && t <= e->last; t++)
		for (int k = 0; k < TT_SER_MAX; k++)
			nv[k * ncap + t % ncap] = e->v[k * e->cap + t % e->cap];
	free(e->v);
	e->v = nv;
	e->cap = ncap;
}

/* all of p's samples are 0: it needs no ring for them */
static bool hist_idle(const struct tt_proc *p)
{
	return (float)p->cpu_pct == 0 && (float)p->sc_rate == 0 &&
	       (float)p->tx_rate == 0 && (float)p->rx_rate == 0;
}

static void hist_put(struct tt_history *h, struct hist_entry *e,
		     const struct tt_proc *p)
{
	float *v = e->v;
	size_t cap = e->cap, at;

	if (!v) { /* idle so far, and now (tt_history_add made sure) */
		e->last = h->tick;
		return;
	}
	at = h->tick % cap;
	/* ticks the process missed read 0, not the value before the gap */
	for (uint64_t t = e->last + 1; t < h->tick && t + cap > h->tick; t++)
		for (int k = 0; k < TT_SER_MAX; k++)
			v[k * cap + t % cap] = 0;
	v[TT_SER_CPU * cap + at] = (float)p->cpu_pct;
	v[TT_SER_SYSC * cap + at] = (float)p->sc_rate;
	v[TT_SER_TX * cap + at] = (float)p->tx_rate;
	v[TT_SER_RX * cap + at] = (float)p->rx_rate;
	e->last = h->tick;
}

static int hist_key_cmp(uint32_t pa, uint32_t ga, uint32_t pb, uint32_t gb)
{
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return ga < gb ? -1 : ga > gb;
}

static int hist_proc_cmp(const void *x, const void *y)
{
	const struct tt_proc *a = *(const struct tt_proc *const *)x;
	const struct tt_proc *b = *(const struct tt_proc *const *)y;

	return hist_key_cmp(a->pid, a->gen, b->pid, b->gen);
}

static int cmp_u64_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x > y ? -1 : x < y;
}

/* Keep the HIST_MAX_GONE most recently seen of the entries gone now. */
static size_t hist_trim_gone(struct tt_history *h, struct hist_entry *e,
			     size_t n)
{
	size_t ngone = 0, kept = 0, m = 0;
	uint64_t *last, cut;

	for (size_t i = 0; i < n; i++)
		ngone += e[i].last != h->tick;
	if (ngone <= HIST_MAX_GONE)
		return n;
	last = malloc(ngone * sizeof(*last));
	if (!last)
		return n; /* trimmed next time */
	for (size_t i = 0; i < n; i++)
		if (e[i].last != h->tick)
			last[m++] = e[i].last;
	qsort(last, m, sizeof(*last), cmp_u64_desc);
	cut = last[HIST_MAX_GONE - 1];
	free(last);
	/* the newer ones first, then of the cut's tick while room is left */
	for (size_t i = 0; i < n; i++)
		kept += e[i].last != h->tick && e[i].last > cut;
	m = 0;
	for (size_t i = 0; i < n; i++) {
		bool gone = e[i].last != h->tick;

		if (gone && (e[i].last < cut ||
			     (e[i].last == cut && kept >= HIST_MAX_GONE))) {
			free(e[i].v);
			continue;
		}
		kept += gone && e[i].last == cut;
		e[m++] = e[i];
	}
	return m;
}

/*
 * Entries are kept in (pid, gen) order: an exited process and the new
 * one that reused its pid may both be in one snapshot, and each keeps
 * its own ring; the old one expires after depth samples. Every ring is
 * allocated (or grown) before h changes, so running out of memory
 * leaves h whole.
 */
int tt_history_add(struct tt_history *h, const struct tt_snapshot *s)
{
	size_t cap = h->n + s->nprocs, i = 0, j = 0, n = 0;
	struct hist_entry *out = calloc(cap ? cap : 1, sizeof(*out));
	const struct tt_proc **v =
		calloc(s->nprocs ? s->nprocs : 1, sizeof(*v));
	float **fresh = calloc(s->nprocs ? s->nprocs : 1, sizeof(*fresh));
	/* per entry of h: the bigger ring it needs now, if any */
	float **grown = calloc(h->n ? h->n : 1, sizeof(*grown));
	size_t *gcap = calloc(h->n ? h->n : 1, sizeof(*gcap));
	size_t first_cap = h->depth < HIST_MIN_CAP ? h->depth : HIST_MIN_CAP;
	bool sorted = true;

	if (!out || !v || !fresh || !grown || !gcap)
		goto oom;
	for (size_t k = 0; k < s->nprocs; k++) {
		v[k] = &s->procs[k];
		sorted = sorted && (!k || hist_proc_cmp(&v[k - 1], &v[k]) <= 0);
	}
	/* a snapshot comes in pid order already: no sort to find it so */
	if (!sorted)
		qsort(v, s->nprocs, sizeof(*v), hist_proc_cmp);
	/* both in (pid, gen) order: a walk finds each process's entry */
	for (size_t k = 0, at = 0; k < s->nprocs; k++) {
		struct hist_entry *e;
		size_t need, ncap;

		if (k > 0 && !hist_proc_cmp(&v[k - 1], &v[k]))
			continue; /* one ring per (pid, gen) */
		while (at < h->n && hist_key_cmp(h->e[at].pid, h->e[at].gen,
						 v[k]->pid, v[k]->gen) < 0)
			at++;
		if (at == h->n || h->e[at].pid != v[k]->pid ||
		    h->e[at].gen != v[k]->gen) {
			if (hist_idle(v[k]))
				continue; /* no ring: fresh[] gets NULL */
			fresh[k] =
				calloc(first_cap * TT_SER_MAX, sizeof(float));
			if (!fresh[k])
				goto oom;
			continue;
		}
		e = &h->e[at];
		need = hist_need(h, e);
		if (!e->v && hist_idle(v[k]))
			continue;
		if (need <= e->cap)
			continue;
		ncap = e->cap * 2;
		ncap = ncap < need ? need : ncap > h->depth ? h->depth : ncap;
		grown[at] = calloc(ncap * TT_SER_MAX, sizeof(float));
		if (!grown[at])
			goto oom;
		gcap[at] = ncap;
	}
	while (i < h->n || j < s->nprocs) {
		struct hist_entry *old = i < h->n ? &h->e[i] : NULL;
		const struct tt_proc *p = j < s->nprocs ? v[j] : NULL;
		int c = !old ? 1
			: !p ? -1
			     : hist_key_cmp(old->pid, old->gen, p->pid, p->gen);

		if (j > 0 && p && !hist_proc_cmp(&v[j - 1], &v[j])) {
			j++; /* the same process twice: the first counts */
			continue;
		}
		if (c < 0) {
			if (old->last + h->depth > h->tick)
				out[n++] = *old;
			else
				free(old->v);
			i++;
			continue;
		}
		if (c == 0) {
			out[n] = *old;
			if (grown[i])
				hist_grow(h, &out[n], grown[i], gcap[i]);
			i++;
		} else {
			/* c > 0 means p is set; clang-analyzer takes &h->e[i]
			 * for NULL and then p too */
			/* NOLINTBEGIN(clang-analyzer-core.NullDereference) */
			out[n] =
				(struct hist_entry){ .pid = p->pid,
						     .gen = p->gen,
						     .first = h->tick,
						     .last = h->tick,
						     .cap = fresh[j] ? first_cap
								     : 0,
						     .v = fresh[j] };
			/* NOLINTEND(clang-analyzer-core.NullDereference) */
		}
		hist_put(h, &out[n++], p);
		j++;
	}
	n = hist_trim_gone(h, out, n);
	free(h->e);
	free(v);
	free(fresh);
	free(grown);
	free(gcap);
	h->e = out;
	h->n = n;
	h->tick++;
	return 0;
oom:
	for (size_t k = 0; fresh && k < s->nprocs; k++)
		free(fresh[k]);
	for (size_t k = 0; grown && k < h->n; k++)
		free(grown[k]);
	free(fresh);
	free(grown);
	free(gcap);
	free(out);
	free(v);
	return -ENOMEM;
}

size_t tt_history_bytes(const struct tt_history *h)
{
	size_t b = sizeof(*h) + h->n * sizeof(*h->e);

	for (size_t i = 0; i < h->n; i++)
		b += h->e[i].cap * TT_SER_MAX * sizeof(float);
	return b;
}

size_t tt_history_get(const struct tt_history *h, uint32_t pid,
		      enum tt_series k, double *out, size_t max)
{
	size_t lo = 0, hi = h->n, got = 0;
	const struct hist_entry *e = NULL;
	uint64_t from;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (h->e[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* several instances of a reused pid: the most recent one */
	for (; lo < h->n && h->e[lo].pid == pid; lo++)
		if (!e || h->e[lo].last >= e->last)
			e = &h->e[lo];
	if (!e || k >= TT_SER_MAX || max == 0)
		return 0;
	/* from the oldest sample still in the ring up to the newest tick */
	from = e->first;
	if (h->tick > h->depth && from < h->tick - h->depth)
		from = h->tick - h->depth;
	if (h->tick - from > max)
		from = h->tick - max;
	for (uint64_t t = from; t < h->tick; t++)
		out[got++] = t > e->last || !e->v
				     ? 0
				     : e->v[k * e->cap + t % e->cap];
	return got;
}
