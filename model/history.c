// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * history.c - per-process rings of samples, kept in pid order so each
 * snapshot (also in pid order) merges in one pass: no hash table, and
 * the cost is linear in the number of processes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/history.h"

struct hist_entry {
	uint32_t pid, gen;
	uint64_t first, last; /* ticks of the first and last sample */
	float *v;	      /* depth samples per series, ring by tick */
};

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

static void hist_put(struct tt_history *h, struct hist_entry *e,
		     const struct tt_proc *p)
{
	float *v = e->v;
	size_t at = h->tick % h->depth;

	/* ticks the process missed read 0, not the value before the gap */
	for (uint64_t t = e->last + 1; t < h->tick && t + h->depth > h->tick;
	     t++)
		for (int k = 0; k < TT_SER_MAX; k++)
			v[k * h->depth + t % h->depth] = 0;
	v[TT_SER_CPU * h->depth + at] = (float)p->cpu_pct;
	v[TT_SER_SYSC * h->depth + at] = (float)p->sc_rate;
	v[TT_SER_TX * h->depth + at] = (float)p->tx_rate;
	v[TT_SER_RX * h->depth + at] = (float)p->rx_rate;
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

/* does the history hold an entry for p (binary search by pid, gen)? */
static bool hist_has(const struct tt_history *h, const struct tt_proc *p)
{
	size_t lo = 0, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = hist_key_cmp(h->e[mid].pid, h->e[mid].gen, p->pid,
				     p->gen);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * Entries are kept in (pid, gen) order: an exited process and the new
 * one that reused its pid may both be in one snapshot, and each keeps
 * its own ring; the old one expires after depth samples. Every ring is
 * allocated before h changes, so running out of memory leaves h whole.
 */
int tt_history_add(struct tt_history *h, const struct tt_snapshot *s)
{
	size_t cap = h->n + s->nprocs, i = 0, j = 0, n = 0, nf = 0, used = 0;
	struct hist_entry *out = calloc(cap ? cap : 1, sizeof(*out));
	const struct tt_proc **v =
		calloc(s->nprocs ? s->nprocs : 1, sizeof(*v));
	float **fresh = calloc(s->nprocs ? s->nprocs : 1, sizeof(*fresh));

	if (!out || !v || !fresh)
		goto oom;
	for (size_t k = 0; k < s->nprocs; k++)
		v[k] = &s->procs[k];
	qsort(v, s->nprocs, sizeof(*v), hist_proc_cmp);
	for (size_t k = 0; k < s->nprocs; k++) {
		if (k > 0 && !hist_proc_cmp(&v[k - 1], &v[k]))
			continue; /* one ring per (pid, gen) */
		if (hist_has(h, v[k]))
			continue;
		fresh[nf] = calloc(h->depth * TT_SER_MAX, sizeof(float));
		if (!fresh[nf])
			goto oom;
		nf++;
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
			i++;
		} else {
			out[n] = (struct hist_entry){ .pid = p->pid,
						      .gen = p->gen,
						      .first = h->tick,
						      .last = h->tick,
						      .v = fresh[used++] };
		}
		hist_put(h, &out[n++], p);
		j++;
	}
	free(h->e);
	free(v);
	free(fresh);
	h->e = out;
	h->n = n;
	h->tick++;
	return 0;
oom:
	for (size_t k = 0; fresh && k < nf; k++)
		free(fresh[k]);
	free(fresh);
	free(out);
	free(v);
	return -ENOMEM;
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
		out[got++] =
			t > e->last ? 0 : e->v[k * h->depth + t % h->depth];
	return got;
}
