// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * conn_cache.c - the connections as last read, merged with what a refresh
 * read (conn_cache.h). One sorted array, merged into in place: a second
 * copy of 20,000 connections would be 3.4 MB more at the peak. A whole
 * read goes straight into it; the changed ones of a partial read are
 * merged from the back into the room after it, then one pass forward
 * reports each connection and closes the gaps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf/conn_cache.h"

static bool room(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

void tt_conn_cache_begin(struct tt_conn_cache *c, bool whole)
{
	c->whole = whole || !c->valid;
	c->nstage = 0;
	if (c->whole)
		c->n = 0;
}

bool tt_conn_cache_put(struct tt_conn_cache *c, uint64_t cookie,
		       const struct tt_conn_val *v, bool gone)
{
	struct tt_conn_ent **a = c->whole ? &c->v : &c->stage;
	size_t *n = c->whole ? &c->n : &c->nstage;
	size_t *cap = c->whole ? &c->cap : &c->cap_stage;
	struct tt_conn_ent *e;

	if (!room((void **)a, cap, *n + 1, sizeof(**a)))
		return false;
	e = &(*a)[(*n)++];
	e->cookie = cookie;
	if (v)
		e->v = *v;
	else
		memset(&e->v, 0, sizeof(e->v));
	e->gone = gone;
	return true;
}

static int by_cookie(const void *a, const void *b)
{
	uint64_t x = ((const struct tt_conn_ent *)a)->cookie;
	uint64_t y = ((const struct tt_conn_ent *)b)->cookie;

	return x < y ? -1 : x > y;
}

/*
 * The staged entries into v, from the back: v[0..n) and the stage, both
 * sorted, end in v[from..n + nstage), one entry a cookie (a changed one
 * replaces its old figures). Returns from.
 */
static size_t merge_back(struct tt_conn_cache *c)
{
	size_t i = c->n, j = c->nstage, k = c->n + c->nstage;

	if (c->nstage > 1)
		qsort(c->stage, c->nstage, sizeof(*c->stage), by_cookie);
	while (j > 0) {
		const struct tt_conn_ent *s = &c->stage[j - 1];

		if (i > 0 && c->v[i - 1].cookie > s->cookie) {
			c->v[--k] = c->v[--i];
			continue;
		}
		if (i > 0 && c->v[i - 1].cookie == s->cookie)
			i--; /* changed: the new figures stand */
		c->v[--k] = *s;
		j--;
	}
	/* what is left of v below i is in place already: close the gap */
	if (k > i && i) {
		memmove(&c->v[k - i], c->v, i * sizeof(*c->v));
		k -= i;
	} else if (k == i) {
		k = 0;
	}
	return k;
}

int tt_conn_cache_update(struct tt_conn_cache *c, tt_conn_cb cb, void *ctx)
{
	size_t from = 0, end = c->n, out = 0;

	c->ndel = 0;
	if (!room((void **)&c->del, &c->cap_del, c->n + c->nstage,
		  sizeof(*c->del)) ||
	    (!c->whole &&
	     !room((void **)&c->v, &c->cap, c->n + c->nstage, sizeof(*c->v)))) {
		tt_conn_cache_invalidate(c);
		return -ENOMEM;
	}
	if (c->whole) {
		if (c->n > 1)
			qsort(c->v, c->n, sizeof(*c->v), by_cookie);
	} else {
		from = merge_back(c);
		end = c->n + c->nstage;
	}
	for (size_t i = from; i < end; i++) {
		const struct tt_conn_ent *e = &c->v[i];

		if (e->gone)
			continue;
		if (cb(ctx, e->cookie, &e->v)) {
			c->del[c->ndel++] = e->cookie;
			continue;
		}
		if (out != i)
			c->v[out] = *e;
		out++;
	}
	c->n = out;
	c->nstage = 0;
	c->valid = true;
	/* room a burst grew (20,000 connections closed) is given back */
	if (c->cap > 4096 && c->n * 4 < c->cap) {
		struct tt_conn_ent *v = NULL;

		if (!c->n)
			free(c->v);
		else
			v = realloc(c->v, c->n * 2 * sizeof(*v));
		if (v || !c->n) {
			c->v = v;
			c->cap = c->n * 2;
		}
	}
	if (c->cap_stage > 4096) {
		free(c->stage);
		c->stage = NULL;
		c->cap_stage = 0;
	}
	return 0;
}

void tt_conn_cache_invalidate(struct tt_conn_cache *c)
{
	c->valid = false;
	c->nstage = 0;
}

void tt_conn_cache_free(struct tt_conn_cache *c)
{
	free(c->v);
	free(c->stage);
	free(c->del);
	memset(c, 0, sizeof(*c));
}
