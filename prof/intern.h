/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * intern.h - frames and stacks, each stored once and named by a small
 * number: a profile counts stack ids, and a stack is a run of frame ids.
 * Bounded: past its limits an intern call returns TT_NONE and the caller
 * counts the loss; tt_intern_clear() starts over (between intervals).
 */
#ifndef TT_INTERN_H
#define TT_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TT_NONE UINT32_MAX

struct tt_iframe {
	const char *name; /* stable until tt_intern_clear() */
	const char *module;
	bool kernel;
};

struct tt_istack {
	uint64_t hash;
	uint32_t off, len; /* frame ids in the pool, root first */
	bool truncated;
};

struct tt_intern {
	struct tt_iframe *frames;
	uint32_t nframes, capframes;
	uint32_t *fidx; /* open addressing over frames */
	uint32_t fidxcap;
	struct tt_istack *stacks;
	uint32_t nstacks, capstacks;
	uint32_t *sidx;
	uint32_t sidxcap;
	uint32_t *pool;
	size_t npool, cappool;
	struct chunk *strings;
	size_t string_bytes;
	/* limits */
	uint32_t max_frames, max_stacks;
	size_t max_pool, max_string_bytes;
	bool full; /* a limit was hit since the last clear */
};

void tt_intern_init(struct tt_intern *t, uint32_t max_frames,
		    uint32_t max_stacks);
void tt_intern_clear(struct tt_intern *t);
void tt_intern_fini(struct tt_intern *t);

/* A named frame (copies the strings). */
uint32_t tt_intern_frame(struct tt_intern *t, const char *name,
			 const char *module, bool kernel);

uint32_t tt_intern_stack(struct tt_intern *t, const uint32_t *frames,
			 uint32_t n, bool truncated);

static inline const uint32_t *tt_intern_stack_frames(const struct tt_intern *t,
						     uint32_t id, uint32_t *n)
{
	*n = t->stacks[id].len;
	return t->pool + t->stacks[id].off;
}

/* Copy a string into the table's own storage (stable until clear). */
const char *tt_intern_str(struct tt_intern *t, const char *s);

/* Bytes held. */
size_t tt_intern_bytes(const struct tt_intern *t);

#endif
