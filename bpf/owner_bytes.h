/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * owner_bytes.h - TCP bytes that a connection's owner moved through it,
 * summed per process.
 *
 * tcp.bpf.c counts the owner's I/O only in the connection's entry: that
 * saves a second hash lookup on every send and receive (most of what one
 * costs). The collector adds those bytes back to the owner's figures: the
 * bytes of the connections in the map now, plus the bytes of connections
 * already deleted ("retired", kept here until the owner is gone).
 */
#ifndef TT_OWNER_BYTES_H
#define TT_OWNER_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/tracetop.h"

struct tt_ownb_ent {
	struct tt_key k;
	uint64_t tx, rx;
};

/* Entries by key; tt_ownb_settle() sorts and merges what tt_ownb_add()
 * appended, and must run before tt_ownb_get(). */
struct tt_ownb {
	struct tt_ownb_ent *v;
	size_t n, cap;
	/* where each key is in v, while v is in the order of the adds: an
	 * add to a key already there merges into it (20,000 connections of
	 * two owners give two entries to sort, not 20,000) */
	uint32_t *slot; /* open addressing: index in v + 1; 0 empty */
	size_t nslot;	/* a power of two, over twice n */
	bool stale;	/* v reordered since the slots were made */
};

bool tt_ownb_add(struct tt_ownb *m, const struct tt_key *k, uint64_t tx,
		 uint64_t rx);
void tt_ownb_settle(struct tt_ownb *m);
const struct tt_ownb_ent *tt_ownb_get(const struct tt_ownb *m,
				      const struct tt_key *k);
void tt_ownb_del(struct tt_ownb *m, const struct tt_key *k);
void tt_ownb_clear(struct tt_ownb *m);
void tt_ownb_free(struct tt_ownb *m);

#endif
