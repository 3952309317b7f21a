// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * keysort.c - least-significant-digit radix sort, a byte a pass. One pass
 * over the keys first counts every byte position at once; a position
 * where all keys share the byte is skipped, so socket cookies (a counter:
 * their high bytes agree) take two or three passes, not eight.
 */
#include <string.h>
#include "model/keysort.h"

void tt_keysort(struct tt_keyed *v, struct tt_keyed *tmp, size_t n)
{
	static const int bytes = sizeof(uint64_t);
	size_t count[sizeof(uint64_t)][256];
	struct tt_keyed *from = v, *to = tmp;

	if (n < 2)
		return;
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < bytes; b++)
			count[b][(v[i].key >> (8 * b)) & 0xff]++;
	for (int b = 0; b < bytes; b++) {
		size_t *c = count[b], sum = 0;
		struct tt_keyed *t;

		if (c[(v[0].key >> (8 * b)) & 0xff] == n)
			continue; /* every key has this byte: order unchanged */
		for (int d = 0; d < 256; d++) {
			size_t k = c[d];

			c[d] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			to[c[(from[i].key >> (8 * b)) & 0xff]++] = from[i];
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
}
