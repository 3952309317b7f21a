/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * evbatch.h - events handed over as they come, between snapshots (a
 * source's TT_REC_EVENTS record): deep copies in the order they were
 * taken in, their strings in the batch's own arena, freed at once.
 */
#ifndef TT_EVBATCH_H
#define TT_EVBATCH_H

#include <stddef.h>
#include <stdint.h>
#include "bpf/event.h"
#include "prof/arena.h"

/* A batch holds at most this many; the rest are counted in omitted. */
#define TT_EVBATCH_MAX 65536

struct tt_evbatch {
	size_t n, cap;
	struct tt_event *v;
	uint64_t omitted; /* past TT_EVBATCH_MAX, or out of memory */
	struct tt_arena arena;
};

struct tt_evbatch *tt_evbatch_new(void);
/* A copy of ev at the end (counted in omitted when it cannot be). */
void tt_evbatch_add(struct tt_evbatch *b, const struct tt_event *ev);
void tt_evbatch_free(struct tt_evbatch *b);

#endif
