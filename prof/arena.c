// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * arena.c - a list of chunks, each at least 64 KiB; freeing is all at once.
 *
 * A chunk bigger than glibc's mmap threshold (128 KiB, tui/main.c) is a
 * mapping of its own, given back to the kernel when freed. A snapshot's
 * big tables are such chunks (10,000 connections: 2 MB), and the snapshot
 * two refreshes old is freed while the next is built: every refresh
 * faulted the same 2 MB in again and the kernel cleared it page by page,
 * 40 % of a refresh's CPU at 10,000 idle connections (perf). So the last
 * few big chunks freed are kept as spares, for the next arena that wants
 * about as much; one not taken within SPARE_AGE_S goes back, so a burst's
 * memory does not stay resident.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "prof/arena.h"
#include "prof/mono.h"

#define CHUNK	    ((size_t)64 * 1024)
#define SPARE_MIN   ((size_t)128 * 1024) /* glibc's threshold: mapped */
#define SPARE_MAX   4
#define SPARE_BYTES ((size_t)16 << 20)
#define SPARE_AGE_S 3.0

struct tt_arena_chunk {
	struct tt_arena_chunk *next;
	size_t size, used;
	double freed_at; /* while a spare */
	_Alignas(16) unsigned char data[];
};

/* the arenas of the model's thread and of the profiler's share them */
static struct {
	pthread_mutex_t lock;
	struct tt_arena_chunk *c[SPARE_MAX];
	size_t n, bytes;
} spare = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* spare i out of the list (lock held) */
static struct tt_arena_chunk *spare_take_at(size_t i)
{
	struct tt_arena_chunk *c = spare.c[i];

	spare.c[i] = spare.c[--spare.n];
	spare.bytes -= c->size;
	return c;
}

/* The smallest spare of at least cap bytes and at most a quarter more:
 * a table a few rows longer than the last fits, and a small one does not
 * take a burst's chunk. */
static struct tt_arena_chunk *spare_get(size_t cap)
{
	struct tt_arena_chunk *c = NULL;
	size_t best = 0;

	pthread_mutex_lock(&spare.lock);
	for (size_t i = 0; i < spare.n; i++) {
		size_t sz = spare.c[i]->size;

		if (sz >= cap && sz - cap <= cap / 4 &&
		    (!c || sz < spare.c[best]->size)) {
			c = spare.c[i];
			best = i;
		}
	}
	if (c)
		spare_take_at(best);
	pthread_mutex_unlock(&spare.lock);
	return c;
}

/* Keep chunk c as a spare if it is big (NULL: only age the spares); the
 * chunks given back are freed once the lock is released. */
static void spare_put(struct tt_arena_chunk *c)
{
	struct tt_arena_chunk *out[SPARE_MAX + 1];
	double now = tt_prof_mono();
	size_t nout = 0;

	pthread_mutex_lock(&spare.lock);
	for (size_t i = 0; i < spare.n;)
		if (now - spare.c[i]->freed_at > SPARE_AGE_S)
			out[nout++] = spare_take_at(i);
		else
			i++;
	if (c && c->size >= SPARE_MIN && c->size <= SPARE_BYTES) {
		/* room for it: the oldest spares go first */
		while (spare.n && (spare.n == SPARE_MAX ||
				   spare.bytes + c->size > SPARE_BYTES)) {
			size_t old = 0;

			for (size_t i = 1; i < spare.n; i++)
				if (spare.c[i]->freed_at <
				    spare.c[old]->freed_at)
					old = i;
			out[nout++] = spare_take_at(old);
		}
		c->freed_at = now;
		spare.c[spare.n++] = c;
		spare.bytes += c->size;
		c = NULL;
	}
	pthread_mutex_unlock(&spare.lock);
	while (nout)
		free(out[--nout]);
	free(c);
}

static struct tt_arena_chunk *chunk_add(struct tt_arena *a, size_t cap,
					bool exact)
{
	struct tt_arena_chunk *c = NULL;

	if (!exact && cap >= SPARE_MIN) {
		cap = (cap + CHUNK - 1) & ~(CHUNK - 1);
		c = spare_get(cap);
	}
	if (!c) {
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->size = cap;
	}
	c->used = 0;
	c->next = a->head;
	a->head = c;
	a->held_bytes += c->size;
	return c;
}

int tt_arena_reserve(struct tt_arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (a->head && a->head->size - a->head->used >= size)
		return 0;
	return chunk_add(a, size, true) ? 0 : -1;
}

void *tt_arena_alloc(struct tt_arena *a, size_t size)
{
	struct tt_arena_chunk *c = a->head;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!c || c->size - c->used < size) {
		c = chunk_add(a, size > CHUNK ? size : CHUNK, false);
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

		if (a->head->size >= SPARE_MIN)
			spare_put(a->head);
		else
			free(a->head);
		a->head = n;
	}
	spare_put(NULL); /* age the spares: a refresh frees a few arenas */
	a->used_bytes = a->held_bytes = 0;
}

size_t tt_arena_spare_bytes(void)
{
	size_t n;

	pthread_mutex_lock(&spare.lock);
	n = spare.bytes;
	pthread_mutex_unlock(&spare.lock);
	return n;
}
