// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ptable.c - the profiler's growing tables (ptable.h): doubling arrays,
 * and an index kept at most half full so that probing stays short.
 */
#include <stdlib.h>
#include <string.h>
#include "prof/ptable.h"

void tt_ptable_free(struct tt_ptable *t)
{
	free(t->v);
	free(t->idx);
	memset(t, 0, sizeof(*t));
}

bool tt_ptable_room(struct tt_ptable *t, size_t size, bool *rehash)
{
	*rehash = false;
	if (t->n == t->cap) {
		uint32_t c = t->cap ? t->cap * 2 : 256;
		void *v = realloc(t->v, (size_t)c * size);

		if (!v)
			return false;
		t->v = v;
		t->cap = c;
	}
	if ((uint64_t)(t->n + 1) * 2 > t->idxcap) {
		uint32_t c = t->idxcap ? t->idxcap * 2 : 512;
		uint32_t *x = malloc((size_t)c * sizeof(*x));

		if (!x)
			return false;
		memset(x, 0xff, (size_t)c * sizeof(*x));
		free(t->idx);
		t->idx = x;
		t->idxcap = c;
		*rehash = true;
	}
	return true;
}

uint32_t tt_ptable_slot(const struct tt_ptable *t, uint64_t h, uint32_t id)
{
	uint32_t i = (uint32_t)(h >> 32) & (t->idxcap - 1);

	while (t->idx[i] != UINT32_MAX && t->idx[i] != id)
		i = (i + 1) & (t->idxcap - 1);
	return i;
}
