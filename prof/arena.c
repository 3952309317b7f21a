// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * arena.c - a list of chunks, each at least 64 KiB; freeing is all at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "prof/arena.h"

#define CHUNK ((size_t)64 * 1024)

struct tt_arena_chunk {
	struct tt_arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

static struct tt_arena_chunk *chunk_add(struct tt_arena *a, size_t cap)
{
	struct tt_arena_chunk *c = malloc(sizeof(*c) + cap);

	if (!c)
		return NULL;
	c->size = cap;
	c->used = 0;
	c->next = a->head;
	a->head = c;
	a->held_bytes += cap;
	return c;
}

int tt_arena_reserve(struct tt_arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (a->head && a->head->size - a->head->used >= size)
		return 0;
	return chunk_add(a, size) ? 0 : -1;
}

void *tt_arena_alloc(struct tt_arena *a, size_t size)
{
	struct tt_arena_chunk *c = a->head;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->size - c->used < size) {
		c = chunk_add(a, size > CHUNK ? size : CHUNK);
		if (!c)
			return NULL;
	}
	p = c->data + c->used;
	c->used += size;
	a->used_bytes += size;
	memset(p, 0, size);
	return p;
}

char *tt_arena_strndup(struct tt_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = tt_arena_alloc(a, len + 1);

	if (d)
		memcpy(d, s, len);
	return d;
}

char *tt_arena_strdup(struct tt_arena *a, const char *s)
{
	return tt_arena_strndup(a, s, strlen(s));
}

void tt_arena_free(struct tt_arena *a)
{
	while (a->head) {
		struct tt_arena_chunk *n = a->head->next;

		free(a->head);
		a->head = n;
	}
	a->used_bytes = a->held_bytes = 0;
}
