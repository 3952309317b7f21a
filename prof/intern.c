// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * intern.c - hash tables of frames and stacks (open addressing, ids into
 * arrays), and the strings they name, in chunks that never move.
 */
#include <stdlib.h>
#include <string.h>
#include "prof/intern.h"

#define CHUNK ((size_t)64 << 10)

struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};

void tt_intern_init(struct tt_intern *t, uint32_t max_frames,
		    uint32_t max_stacks)
{
	memset(t, 0, sizeof(*t));
	t->max_frames = max_frames;
	t->max_stacks = max_stacks;
	t->max_pool = (size_t)max_stacks * 64;
	t->max_string_bytes = (size_t)max_frames * 128;
}

static void free_chunks(struct tt_intern *t)
{
	struct chunk *c = t->strings, *n;

	for (; c; c = n) {
		n = c->next;
		free(c);
	}
	t->strings = NULL;
	t->string_bytes = 0;
}

void tt_intern_clear(struct tt_intern *t)
{
	t->nframes = t->nstacks = 0;
	t->npool = 0;
	if (t->fidx)
		memset(t->fidx, 0xff, t->fidxcap * sizeof(*t->fidx));
	if (t->sidx)
		memset(t->sidx, 0xff, t->sidxcap * sizeof(*t->sidx));
	free_chunks(t);
	t->full = false;
}

void tt_intern_fini(struct tt_intern *t)
{
	free_chunks(t);
	free(t->frames);
	free(t->fidx);
	free(t->stacks);
	free(t->sidx);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}

const char *tt_intern_str(struct tt_intern *t, const char *s)
{
	size_t len = strlen(s) + 1;
	struct chunk *c = t->strings;
	char *p;

	if (t->string_bytes + len > t->max_string_bytes) {
		t->full = true;
		return NULL;
	}
	if (!c || c->cap - c->used < len) {
		size_t cap = len > CHUNK ? len : CHUNK;

		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = t->strings;
		t->strings = c;
		t->string_bytes += sizeof(*c) + cap;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	c->used += len;
	return p;
}

/* FNV-1a, then mixed: strings and id runs */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

static uint64_t frame_hash(const char *name, const char *module, bool kernel)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)kernel;

	return mix(hash_str(hash_str(h, name), module));
}

static bool grow_index(uint32_t **idx, uint32_t *cap, uint32_t n)
{
	uint32_t nc;
	uint32_t *p;

	if ((uint64_t)(n + 1) * 2 <= *cap)
		return true;
	nc = *cap ? *cap * 2 : 4096;
	p = malloc(nc * sizeof(*p));
	if (!p)
		return false;
	memset(p, 0xff, nc * sizeof(*p));
	free(*idx);
	*idx = p;
	*cap = nc;
	return true;
}

static bool grow(void **v, uint32_t *cap, uint32_t n, size_t size)
{
	void *p;
	uint32_t nc;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 1024;
	p = realloc(*v, nc * size);
	if (!p)
		return false;
	*v = p;
	*cap = nc;
	return true;
}

static bool frame_eq(const struct tt_iframe *f, const char *name,
		     const char *module, bool kernel)
{
	return f->kernel == kernel && !strcmp(f->name, name) &&
	       !strcmp(f->module, module);
}

static void reindex_frames(struct tt_intern *t)
{
	for (uint32_t id = 0; id < t->nframes; id++) {
		const struct tt_iframe *f = &t->frames[id];
		uint32_t i =
			(uint32_t)frame_hash(f->name, f->module, f->kernel) &
			(t->fidxcap - 1);

		while (t->fidx[i] != TT_NONE)
			i = (i + 1) & (t->fidxcap - 1);
		t->fidx[i] = id;
	}
}

uint32_t tt_intern_frame(struct tt_intern *t, const char *name,
			 const char *module, bool kernel)
{
	uint64_t h = frame_hash(name, module, kernel);
	uint32_t i, cap = t->fidxcap;
	struct tt_iframe *f;

	if (cap) {
		for (i = (uint32_t)h & (cap - 1); t->fidx[i] != TT_NONE;
		     i = (i + 1) & (cap - 1))
			if (frame_eq(&t->frames[t->fidx[i]], name, module,
				     kernel))
				return t->fidx[i];
	}
	if (t->nframes >= t->max_frames) {
		t->full = true;
		return TT_NONE;
	}
	if (!grow((void **)&t->frames, &t->capframes, t->nframes,
		  sizeof(*t->frames)))
		return TT_NONE;
	if ((uint64_t)(t->nframes + 1) * 2 > t->fidxcap) {
		if (!grow_index(&t->fidx, &t->fidxcap, t->nframes))
			return TT_NONE;
		reindex_frames(t);
	}
	f = &t->frames[t->nframes];
	f->kernel = kernel;
	f->module = tt_intern_str(t, module);
	f->name = tt_intern_str(t, name);
	if (!f->name || !f->module)
		return TT_NONE;
	for (i = (uint32_t)h & (t->fidxcap - 1); t->fidx[i] != TT_NONE;
	     i = (i + 1) & (t->fidxcap - 1))
		;
	t->fidx[i] = t->nframes;
	return t->nframes++;
}

static uint64_t stack_hash(const uint32_t *frames, uint32_t n, bool trunc)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ trunc;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ frames[i]) * 0x100000001b3ULL;
	return mix(h ^ n);
}

static void reindex_stacks(struct tt_intern *t)
{
	for (uint32_t id = 0; id < t->nstacks; id++) {
		uint32_t i = (uint32_t)t->stacks[id].hash & (t->sidxcap - 1);

		while (t->sidx[i] != TT_NONE)
			i = (i + 1) & (t->sidxcap - 1);
		t->sidx[i] = id;
	}
}

uint32_t tt_intern_stack(struct tt_intern *t, const uint32_t *frames,
			 uint32_t n, bool truncated)
{
	uint64_t h = stack_hash(frames, n, truncated);
	uint32_t i, cap = t->sidxcap;
	struct tt_istack *s;

	if (cap) {
		for (i = (uint32_t)h & (cap - 1); t->sidx[i] != TT_NONE;
		     i = (i + 1) & (cap - 1)) {
			s = &t->stacks[t->sidx[i]];
			if (s->hash == h && s->len == n &&
			    s->truncated == truncated &&
			    !memcmp(t->pool + s->off, frames,
				    n * sizeof(*frames)))
				return t->sidx[i];
		}
	}
	if (t->nstacks >= t->max_stacks || t->npool + n > t->max_pool) {
		t->full = true;
		return TT_NONE;
	}
	if (!grow((void **)&t->stacks, &t->capstacks, t->nstacks,
		  sizeof(*t->stacks)))
		return TT_NONE;
	if (t->npool + n > t->cappool) {
		size_t c = t->cappool ? t->cappool * 2 : 16384;
		uint32_t *p;

		while (c < t->npool + n)
			c *= 2;
		p = realloc(t->pool, c * sizeof(*p));
		if (!p)
			return TT_NONE;
		t->pool = p;
		t->cappool = c;
	}
	if ((uint64_t)(t->nstacks + 1) * 2 > t->sidxcap) {
		if (!grow_index(&t->sidx, &t->sidxcap, t->nstacks))
			return TT_NONE;
		reindex_stacks(t);
	}
	s = &t->stacks[t->nstacks];
	s->hash = h;
	s->off = (uint32_t)t->npool;
	s->len = n;
	s->truncated = truncated;
	memcpy(t->pool + t->npool, frames, n * sizeof(*frames));
	t->npool += n;
	for (i = (uint32_t)h & (t->sidxcap - 1); t->sidx[i] != TT_NONE;
	     i = (i + 1) & (t->sidxcap - 1))
		;
	t->sidx[i] = t->nstacks;
	return t->nstacks++;
}

size_t tt_intern_bytes(const struct tt_intern *t)
{
	return t->string_bytes + (size_t)t->capframes * sizeof(*t->frames) +
	       (size_t)t->fidxcap * 4 +
	       (size_t)t->capstacks * sizeof(*t->stacks) +
	       (size_t)t->sidxcap * 4 + t->cappool * 4;
}
