// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_owner_bytes.c - the per-owner sums the collector adds back to a
 * process's TCP figures (bpf/owner_bytes.h): merged by key, found by key,
 * deleted by key, whatever order the connections came in.
 */
#include <string.h>
#include <check.h>
#include "bpf/owner_bytes.h"

START_TEST(merges_and_finds_by_key)
{
	struct tt_ownb m = { 0 };
	const struct tt_key a = { 100, 7 }, a2 = { 100, 8 }, b = { 42, 1 },
			    none = { 43, 1 };
	const struct tt_ownb_ent *e;

	ck_assert(tt_ownb_add(&m, &a, 10, 1));
	ck_assert(tt_ownb_add(&m, &b, 5, 0));
	ck_assert(tt_ownb_add(&m, &a2, 1000, 2000)); /* PID reused: its own */
	ck_assert(tt_ownb_add(&m, &a, 20, 2));
	tt_ownb_settle(&m);
	ck_assert_uint_eq(m.n, 3);
	e = tt_ownb_get(&m, &a);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->tx, 30);
	ck_assert_uint_eq(e->rx, 3);
	e = tt_ownb_get(&m, &a2);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->tx, 1000);
	ck_assert_ptr_null(tt_ownb_get(&m, &none));

	/* a second settle after more adds keeps one entry per key */
	ck_assert(tt_ownb_add(&m, &b, 1, 1));
	tt_ownb_settle(&m);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_uint_eq(tt_ownb_get(&m, &b)->tx, 6);

	tt_ownb_del(&m, &a);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_ptr_null(tt_ownb_get(&m, &a));
	ck_assert_uint_eq(tt_ownb_get(&m, &a2)->rx, 2000);
	ck_assert_uint_eq(tt_ownb_get(&m, &b)->rx, 1);
	tt_ownb_del(&m, &none); /* absent: nothing happens */
	ck_assert_uint_eq(m.n, 2);
	tt_ownb_clear(&m);
	ck_assert_ptr_null(tt_ownb_get(&m, &b));
	tt_ownb_free(&m);
}
END_TEST

START_TEST(grows_past_its_first_block)
{
	struct tt_ownb m = { 0 };
	uint64_t sum = 0;

	/* 1000 owners, each twice, added in an order that is not sorted */
	for (uint32_t i = 0; i < 2000; i++) {
		struct tt_key k = { (i * 7919) % 1000, 1 };

		ck_assert(tt_ownb_add(&m, &k, i, 0));
	}
	tt_ownb_settle(&m);
	ck_assert_uint_eq(m.n, 1000);
	for (uint32_t id = 0; id < 1000; id++) {
		struct tt_key k = { id, 1 };
		const struct tt_ownb_ent *e = tt_ownb_get(&m, &k);

		ck_assert_ptr_nonnull(e);
		sum += e->tx;
	}
	ck_assert_uint_eq(sum, 1999ULL * 2000 / 2);
	tt_ownb_free(&m);
}
END_TEST

/* many adds of interleaved keys, as connections come from a hash map: the
 * sums equal a plain per-key count, through growth, clears and deletes */
START_TEST(sums_many_adds_through_growth)
{
	enum { KEYS = 3000, ADDS = 30000 };
	static uint64_t want[KEYS];
	struct tt_ownb m = { 0 };

	for (int round = 0; round < 2; round++) {
		size_t nkeys = round ? 2 : KEYS; /* a burst, then two owners */

		memset(want, 0, sizeof(want));
		for (uint32_t i = 0; i < ADDS; i++) {
			uint32_t j = (i * 7919u) % nkeys;
			struct tt_key k = { 1000 + j / 4, j % 4 };

			ck_assert(tt_ownb_add(&m, &k, i, 1));
			want[j] += i;
		}
		tt_ownb_settle(&m);
		ck_assert_uint_eq(m.n, nkeys);
		for (uint32_t j = 0; j < nkeys; j++) {
			struct tt_key k = { 1000 + j / 4, j % 4 };
			const struct tt_ownb_ent *e = tt_ownb_get(&m, &k);

			ck_assert_ptr_nonnull(e);
			ck_assert_uint_eq(e->tx, want[j]);
		}
		/* after a delete, adds still merge by key */
		struct tt_key k0 = { 1000, 0 }, k1 = { 1000, 1 };

		tt_ownb_del(&m, &k0);
		ck_assert(tt_ownb_add(&m, &k1, 5, 0));
		tt_ownb_settle(&m);
		ck_assert_uint_eq(m.n, nkeys - 1);
		ck_assert_uint_eq(tt_ownb_get(&m, &k1)->tx, want[1] + 5);
		tt_ownb_clear(&m);
	}
	tt_ownb_free(&m);
}
END_TEST

Suite *owner_bytes_suite(void)
{
	Suite *s = suite_create("owner_bytes");
	TCase *tc = tcase_create("sums");

	tcase_add_test(tc, merges_and_finds_by_key);
	tcase_add_test(tc, grows_past_its_first_block);
	tcase_add_test(tc, sums_many_adds_through_growth);
	suite_add_tcase(s, tc);
	return s;
}
