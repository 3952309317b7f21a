// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* test_keysort.c - the radix sort against qsort, stability, skipped bytes */
#include <stdlib.h>
#include <check.h>
#include "model/keysort.h"

static uint64_t lcg_state;

static uint64_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return lcg_state;
}

/* by key, then by the record's address: what a stable sort keeps */
static int cmp_keyed(const void *a, const void *b)
{
	const struct tt_keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (uintptr_t)x->rec < (uintptr_t)y->rec
		       ? -1
		       : (uintptr_t)x->rec > (uintptr_t)y->rec;
}

/* n keys drawn by kind: 0 full 64-bit, 1 a counter's (high bytes shared),
 * 2 few distinct values (many ties) */
static void check_sorted(size_t n, int kind)
{
	struct tt_keyed *v = calloc(n + 1, sizeof(*v));
	struct tt_keyed *want = calloc(n + 1, sizeof(*v));
	struct tt_keyed *tmp = calloc(n + 1, sizeof(*v));
	static char recs[5000];

	ck_assert(v && want && tmp && n <= sizeof(recs));
	for (size_t i = 0; i < n; i++) {
		uint64_t r = lcg();

		v[i].key = kind == 0   ? r
			   : kind == 1 ? 0x1234000000ULL + (r >> 48)
				       : (r >> 60);
		v[i].rec = &recs[i]; /* input order = address order */
		want[i] = v[i];
	}
	qsort(want, n, sizeof(*want), cmp_keyed);
	tt_keysort(v, tmp, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(v[i].key, want[i].key);
		ck_assert_ptr_eq(v[i].rec, want[i].rec);
	}
	free(v);
	free(want);
	free(tmp);
}

START_TEST(sorts_like_qsort_and_keeps_ties_in_order)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 255, 256, 257, 4999 };

	lcg_state = 42 + (uint64_t)_i;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
		check_sorted(sizes[i], _i);
}
END_TEST

START_TEST(equal_keys_stay_put)
{
	struct tt_keyed v[3] = { { 7, "a" }, { 7, "b" }, { 7, "c" } }, tmp[3];
	const void *a = v[0].rec, *b = v[1].rec, *c = v[2].rec;

	tt_keysort(v, tmp, 3);
	ck_assert_ptr_eq(v[0].rec, a);
	ck_assert_ptr_eq(v[1].rec, b);
	ck_assert_ptr_eq(v[2].rec, c);
}
END_TEST

Suite *keysort_suite(void)
{
	Suite *s = suite_create("keysort");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, sorts_like_qsort_and_keeps_ties_in_order, 0, 3);
	tcase_add_test(tc, equal_keys_stay_put);
	suite_add_tcase(s, tc);
	return s;
}
