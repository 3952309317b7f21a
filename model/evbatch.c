// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * evbatch.c - a growing array of event copies over one arena.
 */
#include <stdlib.h>
#include "model/event.h"
#include "model/evbatch.h"

struct tt_evbatch *tt_evbatch_new(void)
{
	return calloc(1, sizeof(struct tt_evbatch));
}

void tt_evbatch_add(struct tt_evbatch *b, const struct tt_event *ev)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		struct tt_event *v;

		if (b->n >= TT_EVBATCH_MAX) {
			b->omitted++;
			return;
		}
		v = realloc(b->v, cap * sizeof(*v));
		if (!v) {
			b->omitted++;
			return;
		}
		b->v = v;
		b->cap = cap;
	}
	if (tt_event_copy(&b->arena, &b->v[b->n], ev))
		b->omitted++;
	else
		b->n++;
}

void tt_evbatch_free(struct tt_evbatch *b)
{
	if (!b)
		return;
	tt_arena_free(&b->arena);
	free(b->v);
	free(b);
}
