/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * conn_cache.h - the connections as last read from the kernel, by cookie.
 * A refresh reads the entries the programs marked changed and keeps the
 * rest from here (collector_conns.c): ten thousand idle connections cost
 * a merge in memory, not a walk of the kernel's map.
 */
#ifndef TT_CONN_CACHE_H
#define TT_CONN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/tracetop.h"

struct tt_conn_ent {
	uint64_t cookie;
	struct tt_conn_val v;
	bool gone; /* staged: the kernel has no entry for it any more */
};

struct tt_conn_cache {
	struct tt_conn_ent *v; /* sorted by cookie (after an update) */
	size_t n, cap;
	struct tt_conn_ent *stage; /* the changed, read this refresh */
	size_t nstage, cap_stage;
	uint64_t *del; /* reported closed by the last update */
	size_t ndel, cap_del;
	bool whole; /* this read takes the whole map, straight into v */
	bool valid; /* false: the next read must be a whole one */
};

/* A read begins: whole, or of the changed only (the rest kept). */
void tt_conn_cache_begin(struct tt_conn_cache *c, bool whole);
/* One connection read now; gone: it has no entry in the kernel. */
bool tt_conn_cache_put(struct tt_conn_cache *c, uint64_t cookie,
		       const struct tt_conn_val *v, bool gone);

typedef int (*tt_conn_cb)(void *ctx, uint64_t cookie,
			  const struct tt_conn_val *v);

/*
 * The read ends: what it put replaces what the cache held for those
 * cookies (all of it, after a whole read). cb sees each connection the
 * cache then holds, in cookie order; one it returns non-zero for
 * (reported closed) leaves the cache, its cookie in del for the caller to
 * delete in the kernel. -ENOMEM leaves the cache invalid (cb not called).
 */
int tt_conn_cache_update(struct tt_conn_cache *c, tt_conn_cb cb, void *ctx);
/* The next read must be a whole one (a read failed or was skipped). */
void tt_conn_cache_invalidate(struct tt_conn_cache *c);
void tt_conn_cache_free(struct tt_conn_cache *c);

#endif
