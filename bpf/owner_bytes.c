// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * owner_bytes.c - a sorted array of (process key, tx, rx): a few hundred
 * owners at most in practice, read once per refresh, so binary search
 * beats a hash table on code and memory. The adds, one a connection, go
 * through a hash index into the entries so that a key is added once.
 */
#include <stdlib.h>
#include <string.h>
#include "bpf/owner_bytes.h"

static int key_cmp(const struct tt_key *a, const struct tt_key *b)
{
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->gen != b->gen)
		return a->gen < b->gen ? -1 : 1;
	return 0;
}

static int ent_cmp(const void *a, const void *b)
{
	return key_cmp(&((const struct tt_ownb_ent *)a)->k,
		       &((const struct tt_ownb_ent *)b)->k);
}

static size_t key_hash(const struct tt_key *k, size_t nslot)
{
	uint64_t h = ((uint64_t)k->id << 32 | k->gen) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 32) & (nslot - 1);
}

/* the slot of key k: its entry's, or the empty one where it would go */
static uint32_t *slot_of(struct tt_ownb *m, const struct tt_key *k)
{
	size_t i = key_hash(k, m->nslot);

	while (m->slot[i] && key_cmp(&m->v[m->slot[i] - 1].k, k))
		i = (i + 1) & (m->nslot - 1);
	return &m->slot[i];
}

/* slots for every entry of v, at least twice as many as entries */
static bool reindex(struct tt_ownb *m, size_t want)
{
	size_t nslot = 64; /* smaller again after a burst */

	while (nslot < 2 * want)
		nslot *= 2;
	if (nslot != m->nslot || !m->slot) {
		uint32_t *t = malloc(nslot * sizeof(*t));

		if (!t)
			return false;
		free(m->slot);
		m->slot = t;
		m->nslot = nslot;
	}
	memset(m->slot, 0, m->nslot * sizeof(*m->slot));
	for (size_t i = 0; i < m->n; i++)
		*slot_of(m, &m->v[i].k) = (uint32_t)(i + 1);
	m->stale = false;
	return true;
}

bool tt_ownb_add(struct tt_ownb *m, const struct tt_key *k, uint64_t tx,
		 uint64_t rx)
{
	uint32_t *sl;

	if ((m->stale || !m->slot || 2 * (m->n + 1) > m->nslot) &&
	    !reindex(m, m->n + 1))
		return false;
	sl = slot_of(m, k);
	if (*sl) {
		m->v[*sl - 1].tx += tx;
		m->v[*sl - 1].rx += rx;
		return true;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct tt_ownb_ent *v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return false;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = (struct tt_ownb_ent){ *k, tx, rx };
	*sl = (uint32_t)m->n;
	return true;
}

void tt_ownb_settle(struct tt_ownb *m)
{
	size_t out = 0;

	if (m->n < 2)
		return;
	m->stale = true;
	qsort(m->v, m->n, sizeof(*m->v), ent_cmp);
	for (size_t i = 1; i < m->n; i++) {
		if (!key_cmp(&m->v[out].k, &m->v[i].k)) {
			m->v[out].tx += m->v[i].tx;
			m->v[out].rx += m->v[i].rx;
		} else {
			m->v[++out] = m->v[i];
		}
	}
	m->n = out + 1;
}

const struct tt_ownb_ent *tt_ownb_get(const struct tt_ownb *m,
				      const struct tt_key *k)
{
	struct tt_ownb_ent key = { .k = *k };

	if (!m->n)
		return NULL;
	return bsearch(&key, m->v, m->n, sizeof(*m->v), ent_cmp);
}

void tt_ownb_del(struct tt_ownb *m, const struct tt_key *k)
{
	const struct tt_ownb_ent *e = tt_ownb_get(m, k);
	size_t i;

	if (!e)
		return;
	i = (size_t)(e - m->v);
	memmove(&m->v[i], &m->v[i + 1], (m->n - i - 1) * sizeof(*m->v));
	m->n--;
	m->stale = true;
}

/* Empty; a buffer a burst grew (20,000 connections) goes back once
 * mostly unused: it would keep the RSS at the burst's level for good. */
void tt_ownb_clear(struct tt_ownb *m)
{
	if (m->cap > 1024 && m->n * 4 < m->cap)
		tt_ownb_free(m);
	m->n = 0;
	m->stale = true;
}

void tt_ownb_free(struct tt_ownb *m)
{
	free(m->v);
	free(m->slot);
	*m = (struct tt_ownb){ 0 };
}
