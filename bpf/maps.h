/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * maps.h - all map reads go through tt_map_read(): batch lookups where the
 * kernel has them (5.6+), key-by-key iteration where it does not, and
 * deletion of the entries the callback is done with. Plus a small set of
 * process keys.
 */
#ifndef TT_MAPS_H
#define TT_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bpf/tracetop.h"

/* Reusable buffers, so a refresh allocates nothing once warmed up. */
struct tt_map_reader {
	void *keys, *vals, *del;
	size_t cap_keys, cap_vals, cap_del;
	bool no_batch; /* the kernel refused batch ops once: do not retry */
	bool no_delete_batch; /* the same for BPF_MAP_DELETE_BATCH */
	uint64_t calls;	      /* bpf() system calls made, cumulative */
};

/*
 * Call cb for every entry of the hash map fd. A callback that returns
 * non-zero asks for the entry to be deleted after the walk. fd < 0 is an
 * empty map. Returns 0 or a negative errno.
 */
typedef int (*tt_map_cb)(void *ctx, const void *key, const void *val);
int tt_map_read(struct tt_map_reader *r, int fd, size_t key_size,
		size_t val_size, tt_map_cb cb, void *ctx);
void tt_map_reader_free(struct tt_map_reader *r);
/* Delete the n keys (key_size bytes each) from the hash map fd. */
void tt_map_delete(struct tt_map_reader *r, int fd, size_t key_size,
		   const void *keys, size_t n);
/* Empty the hash map fd, its keys into r->del: *n of them. Returns 0 or
 * a negative errno (tt_map_refused: the kernel has no batch for it). */
int tt_map_take_keys(struct tt_map_reader *r, int fd, size_t key_size,
		     size_t val_size, size_t *n);
/* err (negative) says the kernel has no such batch operation for a map */
bool tt_map_refused(int err);

/* A set of process keys: open addressing, grows by doubling. */
struct tt_keyset {
	struct tt_key *slots;
	uint8_t *used;
	size_t cap, n;
};

bool tt_keyset_add(struct tt_keyset *s, const struct tt_key *k);
/* room for one more key, so the next add cannot fail */
bool tt_keyset_room(struct tt_keyset *s);
bool tt_keyset_has(const struct tt_keyset *s, const struct tt_key *k);
void tt_keyset_clear(struct tt_keyset *s);
void tt_keyset_free(struct tt_keyset *s);

#endif
