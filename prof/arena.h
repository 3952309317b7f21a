/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * arena.h - bump allocation, freed all at once: a snapshot and everything
 * it points to (model/), the profiler's result of an interval (prof/).
 * Building either costs a few large allocations. It sits on the lowest
 * floor of user space that uses it, so both can.
 */
#ifndef TT_ARENA_H
#define TT_ARENA_H

#include <stddef.h>

struct tt_arena_chunk;

struct tt_arena {
	struct tt_arena_chunk *head;
	size_t used_bytes; /* total handed out, for accounting */
	size_t held_bytes; /* total of the chunks */
};

/*
 * The next size bytes of allocations (each rounded up to 16) from one
 * chunk of just that size, not the usual 64 KiB: for an arena whose total
 * is known beforehand and small. -1 when out of memory.
 */
int tt_arena_reserve(struct tt_arena *a, size_t size);
/* zeroed memory, aligned for any type; NULL only when out of memory */
void *tt_arena_alloc(struct tt_arena *a, size_t size);
char *tt_arena_strdup(struct tt_arena *a, const char *s);
char *tt_arena_strndup(struct tt_arena *a, const char *s, size_t n);
void tt_arena_free(struct tt_arena *a);
/* the big chunks freed and kept for the next arenas (arena.c), in bytes */
size_t tt_arena_spare_bytes(void);

#endif
