// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * owner_bytes.c - a sorted array of (process key, tx, rx): a few hundred
 * owners at most in practice, read once per refresh, so binary search
 * beats a hash table on code and memory.
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

bool tt_ownb_add(struct tt_ownb *m, const struct tt_key *k, uint64_t tx,
		 uint64_t rx)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct tt_ownb_ent *v = realloc(m->v, cap * sizeof(*v));

		if (!v)
			return false;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = (struct tt_ownb_ent){ *k, tx, rx };
	return true;
}

void tt_ownb_settle(struct tt_ownb *m)
{
	size_t out = 0;

	if (m->n < 2)
		return;
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
}

/* Empty; a buffer a burst grew (20,000 connections) goes back once
 * mostly unused: it would keep the RSS at the burst's level for good. */
void tt_ownb_clear(struct tt_ownb *m)
{
	if (m->cap > 1024 && m->n * 4 < m->cap)
		tt_ownb_free(m);
	m->n = 0;
}

void tt_ownb_free(struct tt_ownb *m)
{
	free(m->v);
	*m = (struct tt_ownb){ 0 };
}
