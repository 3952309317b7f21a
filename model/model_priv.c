// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model_priv.c - the floor of a refresh: the work table that gathers what
 * the collector hands the sink, keyed by (pid, gen), and the small helpers
 * every other part uses (rates, the previous snapshot, the -p filter,
 * sorted key lists).
 */
#include <stdlib.h>
#include <string.h>
#include "model/model_priv.h"

/* ---- the snapshot being built and its work table ------------------------- */

struct tt_snapshot *tt_model_cur(struct tt_model *m)
{
	if (!m->cur)
		m->cur = tt_snapshot_new();
	return m->cur;
}

static size_t hash_key(const struct tt_key *k, size_t cap)
{
	uint64_t h = ((uint64_t)k->id << 32 | k->gen) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 20) & (cap - 1);
}

struct work *tt_model_work_get(struct tt_model *m, const struct tt_key *k)
{
	size_t i;

	if (!tt_model_cur(m))
		return NULL;
	if ((m->nwork + 1) * 2 > m->tabcap) {
		size_t cap = m->tabcap ? m->tabcap * 2 : 1024;
		struct work **t = calloc(cap, sizeof(*t));

		if (!t)
			return NULL;
		for (size_t j = 0; j < m->tabcap; j++) {
			struct work *w = m->tab[j];

			if (!w)
				continue;
			for (i = hash_key(&w->key, cap); t[i];
			     i = (i + 1) & (cap - 1))
				;
			t[i] = w;
		}
		free(m->tab);
		m->tab = t;
		m->tabcap = cap;
	}
	for (i = hash_key(k, m->tabcap); m->tab[i];
	     i = (i + 1) & (m->tabcap - 1))
		if (m->tab[i]->key.id == k->id && m->tab[i]->key.gen == k->gen)
			return m->tab[i];
	m->tab[i] = tt_arena_alloc(&m->works, sizeof(struct work));
	if (!m->tab[i])
		return NULL;
	m->tab[i]->key = *k;
	m->nwork++;
	return m->tab[i];
}

struct work_more *tt_model_work_more(struct tt_model *m, struct work *w)
{
	if (!w->x)
		w->x = tt_arena_alloc(&m->works, sizeof(*w->x));
	return w->x;
}

struct work *tt_model_work_find(struct tt_model *m, uint32_t pid, uint32_t gen)
{
	struct tt_key k = { pid, gen };

	if (!m->tabcap)
		return NULL;
	for (size_t i = hash_key(&k, m->tabcap); m->tab[i];
	     i = (i + 1) & (m->tabcap - 1))
		if (m->tab[i]->key.id == pid && m->tab[i]->key.gen == gen)
			return m->tab[i];
	return NULL;
}

void tt_model_hist_copy(struct tt_model *m, struct tt_hist *h,
			const uint64_t *dense)
{
	uint32_t n = tt_dense_to_bins(dense, m->bins);

	h->n = 0;
	h->bins = tt_arena_alloc(&m->cur->arena, n * sizeof(*h->bins) + 1);
	if (!h->bins)
		return;
	memcpy(h->bins, m->bins, n * sizeof(*h->bins));
	h->n = n;
}

/* ---- rates and the previous snapshot ------------------------------------- */

double tt_model_per_s(uint64_t cur, uint64_t prev, double dt)
{
	return cur > prev && dt > 0 ? (double)(cur - prev) / dt : 0;
}

const struct tt_proc *tt_model_prev_of(const struct tt_model *m, uint32_t pid,
				       uint32_t gen)
{
	return m->prev ? tt_snapshot_find_gen(m->prev, pid, gen) : NULL;
}

bool tt_model_pid_wanted(const struct tt_model *m, uint32_t tgid, uint32_t pid)
{
	uint32_t proc = tgid ? tgid : pid;

	if (!m->o.npids)
		return true;
	for (unsigned i = 0; i < m->o.npids; i++)
		if (m->o.pids[i] == proc)
			return true;
	return false;
}

/* ---- key lists ----------------------------------------------------------- */

int tt_model_cmp_key(const void *a, const void *b)
{
	const struct tt_key *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->gen < y->gen ? -1 : x->gen > y->gen;
}

void tt_model_keys_add(struct keylist *l, uint32_t pid, uint32_t gen)
{
	if (l->n == l->cap) {
		size_t c = l->cap ? l->cap * 2 : 64;
		struct tt_key *p = realloc(l->v, c * sizeof(*p));

		if (!p)
			return;
		l->v = p;
		l->cap = c;
	}
	l->v[l->n++] = (struct tt_key){ pid, gen };
}

bool tt_model_keys_has(const struct keylist *l, const struct tt_key *k)
{
	return l->n && bsearch(k, l->v, l->n, sizeof(*l->v), tt_model_cmp_key);
}
