/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * keysort.h - records sorted by a 64-bit key through a small (key,
 * pointer) array: the records themselves never move, and the sort is a
 * radix sort, linear in the count, for the tables rebuilt every refresh
 * (tens of thousands of connections).
 */
#ifndef TT_KEYSORT_H
#define TT_KEYSORT_H
#include <stddef.h>
#include <stdint.h>

struct tt_keyed {
	uint64_t key;
	const void *rec;
};

/* v[0..n) ascending by key, stable; tmp is scratch room for n entries */
void tt_keysort(struct tt_keyed *v, struct tt_keyed *tmp, size_t n);

#endif
