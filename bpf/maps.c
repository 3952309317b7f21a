// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * maps.c - batch reads of BPF hash maps with a fallback, and a key set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "bpf/maps.h"

/* for `make test-valgrind`; the client requests cost nothing outside it */
#if defined(__has_include) && __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#else
#define VALGRIND_MAKE_MEM_DEFINED(addr, len) ((void)(addr), (void)(len))
#endif

/* entries per batch: at least BATCH, more while under BATCH_BYTES (a read
 * of 20,000 connections in 12 calls, not 80) */
#define BATCH	    256
#define BATCH_BYTES (256 << 10)

/*
 * The kernel's own ENOTSUPP (include/linux/errno.h, not ENOTSUP): bpf(2)
 * returns it for a map type without batch operations.
 */
#define TT_ENOTSUPP 524

static int grow(void **buf, size_t *cap, size_t need)
{
	void *p;

	if (*cap >= need)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

/* Remember key i for deletion after the walk. */
static int mark(struct tt_map_reader *r, size_t *ndel, const void *key,
		size_t key_size)
{
	size_t need = (*ndel + 1) * key_size;

	if (need > r->cap_del && grow(&r->del, &r->cap_del, need * 2))
		return -ENOMEM;
	memcpy((char *)r->del + *ndel * key_size, key, key_size);
	(*ndel)++;
	return 0;
}

/* Walk the map in batches; take: each batch deleted as it is read. */
static int read_batch(struct tt_map_reader *r, int fd, size_t ks, size_t vs,
		      tt_map_cb cb, void *ctx, size_t *ndel, bool take)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u64 in = 0, out = 0;
	bool first = true;
	size_t cap = BATCH_BYTES / (ks + vs) > BATCH ? BATCH_BYTES / (ks + vs)
						     : BATCH;

	for (;;) {
		__u32 count = cap;
		int err;

		if (grow(&r->keys, &r->cap_keys, cap * ks) ||
		    grow(&r->vals, &r->cap_vals, cap * vs))
			return -ENOMEM;
		r->calls++;
		err = (take ? bpf_map_lookup_and_delete_batch
			    : bpf_map_lookup_batch)(fd, first ? NULL : &in,
						    &out, r->keys, r->vals,
						    &count, &opts);
		if (err)
			err = -errno;
		if (err == -ENOSPC && count == 0) {
			/* one hash bucket holds more than cap entries */
			cap *= 2;
			continue;
		}
		if (err && err != -ENOENT)
			return err;
		/*
		 * Valgrind (3.19) has no model of BPF_MAP_LOOKUP_BATCH and
		 * would take what the kernel wrote for uninitialised: say it is
		 * not.
		 */
		VALGRIND_MAKE_MEM_DEFINED(r->keys, (size_t)count * ks);
		VALGRIND_MAKE_MEM_DEFINED(r->vals, (size_t)count * vs);
		VALGRIND_MAKE_MEM_DEFINED(&out, sizeof(out));
		for (__u32 i = 0; i < count; i++) {
			const char *k = (const char *)r->keys + i * ks;

			if (cb(ctx, k, (const char *)r->vals + i * vs) &&
			    mark(r, ndel, k, ks))
				return -ENOMEM;
		}
		if (err == -ENOENT)
			return 0; /* walked the whole map */
		in = out;
		first = false;
	}
}

static int read_iter(struct tt_map_reader *r, int fd, size_t ks, size_t vs,
		     tt_map_cb cb, void *ctx, size_t *ndel)
{
	char prev[64], next[64];
	bool first = true;

	if (ks > sizeof(prev) || grow(&r->vals, &r->cap_vals, vs))
		return -EINVAL;
	for (;;) {
		r->calls++;
		/* cppcheck-suppress legacyUninitvar ; prev is read once set */
		if (bpf_map_get_next_key(fd, first ? NULL : prev, next))
			break;
		first = false;
		memcpy(prev, next, ks);
		r->calls++;
		if (bpf_map_lookup_elem(fd, next, r->vals))
			continue; /* deleted under us */
		if (cb(ctx, next, r->vals) && mark(r, ndel, next, ks))
			return -ENOMEM;
	}
	return 0;
}

bool tt_map_refused(int err)
{
	return err == -EINVAL || err == -TT_ENOTSUPP || err == -EOPNOTSUPP;
}

/*
 * Delete the n keys marked: BPF_MAP_DELETE_BATCH takes them all in one
 * call (hash, per-CPU and LRU hashes, 5.6+), where one call per key made
 * a churn of short-lived processes cost a thousand and more calls a
 * refresh. The kernel stops at a key that is gone (a program deleted it
 * meanwhile: tcp.bpf.c does, for a socket that connects again), saying
 * how many it deleted before it: skip that one and go on. A kernel
 * without the operation gets one call per key, as before.
 */
static void delete_keys(struct tt_map_reader *r, int fd, const void *keys,
			size_t ks, size_t n)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t done = 0;

	while (done < n && !r->no_delete_batch) {
		__u32 count = (__u32)(n - done);
		int err;

		r->calls++;
		err = bpf_map_delete_batch(fd, (const char *)keys + done * ks,
					   &count, &opts);
		if (!err)
			return;
		err = -errno;
		VALGRIND_MAKE_MEM_DEFINED(&count, sizeof(count));
		if (count > n - done)
			count = 0; /* not a count of ours: trust none */
		done += count;
		if (err == -ENOENT) {
			done++; /* gone already */
		} else if (tt_map_refused(err) && !count) {
			r->no_delete_batch = true;
		} else {
			break; /* the rest one by one, whatever stopped it */
		}
	}
	for (; done < n; done++) {
		r->calls++;
		bpf_map_delete_elem(fd, (const char *)keys + done * ks);
	}
}

void tt_map_delete(struct tt_map_reader *r, int fd, size_t ks, const void *keys,
		   size_t n)
{
	if (fd >= 0 && n)
		delete_keys(r, fd, keys, ks, n);
}

static int keep_key(void *ctx, const void *key, const void *val)
{
	(void)ctx;
	(void)key;
	(void)val;
	return 1; /* its key into r->del */
}

int tt_map_take_keys(struct tt_map_reader *r, int fd, size_t ks, size_t vs,
		     size_t *n)
{
	*n = 0;
	if (r->no_batch)
		return -TT_ENOTSUPP;
	return read_batch(r, fd, ks, vs, keep_key, NULL, n, true);
}

int tt_map_read(struct tt_map_reader *r, int fd, size_t ks, size_t vs,
		tt_map_cb cb, void *ctx)
{
	size_t ndel = 0;
	int err = -EINVAL;

	if (fd < 0)
		return 0;
	if (!r->no_batch) {
		err = read_batch(r, fd, ks, vs, cb, ctx, &ndel, false);
		if (tt_map_refused(err)) {
			r->no_batch = true;
			ndel = 0;
		}
	}
	if (r->no_batch)
		err = read_iter(r, fd, ks, vs, cb, ctx, &ndel);
	delete_keys(r, fd, r->del, ks, ndel);
	if (r->cap_del > 65536 && ndel * ks * 4 < r->cap_del) {
		free(r->del); /* grown by a burst of exits: give it back */
		r->del = NULL;
		r->cap_del = 0;
	}
	return err;
}

void tt_map_reader_free(struct tt_map_reader *r)
{
	free(r->keys);
	free(r->vals);
	free(r->del);
	memset(r, 0, sizeof(*r));
}

/* ---- key set ------------------------------------------------------------ */

static size_t slot_of(const struct tt_keyset *s, const struct tt_key *k)
{
	uint64_t h = ((uint64_t)k->id << 32 | k->gen) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17) & (s->cap - 1);
}

bool tt_keyset_has(const struct tt_keyset *s, const struct tt_key *k)
{
	if (!s->n)
		return false;
	for (size_t i = slot_of(s, k);; i = (i + 1) & (s->cap - 1)) {
		if (!s->used[i])
			return false;
		if (s->slots[i].id == k->id && s->slots[i].gen == k->gen)
			return true;
	}
}

/* k into s, which has room for it (no growing, so no recursion) */
static void put(struct tt_keyset *s, const struct tt_key *k)
{
	size_t i;

	for (i = slot_of(s, k); s->used[i]; i = (i + 1) & (s->cap - 1))
		if (s->slots[i].id == k->id && s->slots[i].gen == k->gen)
			return;
	s->used[i] = 1;
	s->slots[i] = *k;
	s->n++;
}

static bool rehash(struct tt_keyset *s, size_t cap)
{
	struct tt_keyset n = { calloc(cap, sizeof(*n.slots)), calloc(cap, 1),
			       cap, 0 };

	if (!n.slots || !n.used) {
		free(n.slots);
		free(n.used);
		return false;
	}
	for (size_t i = 0; i < s->cap; i++)
		if (s->used[i])
			put(&n, &s->slots[i]);
	tt_keyset_free(s);
	*s = n;
	return true;
}

bool tt_keyset_room(struct tt_keyset *s)
{
	return (s->n + 1) * 2 <= s->cap || rehash(s, s->cap ? s->cap * 2 : 64);
}

bool tt_keyset_add(struct tt_keyset *s, const struct tt_key *k)
{
	if (!tt_keyset_room(s))
		return false;
	put(s, k);
	return true;
}

/* Empty; a set a burst grew goes back once mostly unused (owner_bytes.c) */
void tt_keyset_clear(struct tt_keyset *s)
{
	if (s->cap > 4096 && s->n * 8 < s->cap)
		tt_keyset_free(s);
	if (s->used)
		memset(s->used, 0, s->cap);
	s->n = 0;
}

void tt_keyset_free(struct tt_keyset *s)
{
	free(s->slots);
	free(s->used);
	memset(s, 0, sizeof(*s));
}
