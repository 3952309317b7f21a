/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ptable.h - a dense array with an open-addressing index of it, for the
 * profiler's interval tables: it grows as used, so memory follows the
 * interval's load, not the limits. The caller keeps the entries (v, n)
 * and hashes them; this keeps the room and the probing.
 */
#ifndef TT_PROF_PTABLE_H
#define TT_PROF_PTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tt_ptable {
	void *v;
	uint32_t n, cap;
	uint32_t *idx; /* UINT32_MAX (TT_NONE): empty */
	uint32_t idxcap;
};

void tt_ptable_free(struct tt_ptable *t);

/* Room for one more entry of size bytes; false when out of memory. The
 * index is rebuilt by the caller (rehash) when it grew. */
bool tt_ptable_room(struct tt_ptable *t, size_t size, bool *rehash);

/* the index slot of entry id (or the empty one where it goes) for hash h */
uint32_t tt_ptable_slot(const struct tt_ptable *t, uint64_t h, uint32_t id);

#endif
