// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_conn_cache.c - the connections kept between refreshes
 * (bpf/conn_cache.h): after a whole read, the map as read; after a read
 * of the changed, the changed as read and the rest as before; each
 * reported once a refresh in cookie order; the closed reported once and
 * handed back for deletion; the gone dropped. The answer key is a plain
 * array the test keeps itself.
 */
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "bpf/conn_cache.h"

/* what the callback saw: cookies in order, and tx_bytes of each */
struct seen {
	uint64_t cookie[512];
	uint64_t tx[512];
	size_t n;
};

static int see(void *ctx, uint64_t cookie, const struct tt_conn_val *v)
{
	struct seen *s = ctx;

	ck_assert_uint_lt(s->n, 512);
	s->cookie[s->n] = cookie;
	s->tx[s->n++] = v->tx_bytes;
	return (v->flags & TT_CONN_CLOSED) != 0;
}

static struct tt_conn_val val(uint64_t tx, bool closed)
{
	struct tt_conn_val v = { 0 };

	v.tx_bytes = tx;
	v.flags = closed ? TT_CONN_CLOSED : 0;
	return v;
}

START_TEST(whole_read_in_cookie_order_closed_deleted)
{
	struct tt_conn_cache c = { 0 };
	struct seen s = { 0 };
	const uint64_t in[] = { 30, 10, 50, 20, 40 };

	tt_conn_cache_begin(&c, false); /* never read: whole all the same */
	ck_assert(c.whole);
	for (size_t i = 0; i < 5; i++) {
		struct tt_conn_val v = val(in[i] * 100, in[i] == 20);

		ck_assert(tt_conn_cache_put(&c, in[i], &v, false));
	}
	ck_assert_int_eq(tt_conn_cache_update(&c, see, &s), 0);
	ck_assert_uint_eq(s.n, 5);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_uint_eq(s.cookie[i], (i + 1) * 10);
		ck_assert_uint_eq(s.tx[i], (i + 1) * 1000);
	}
	ck_assert_uint_eq(c.ndel, 1);
	ck_assert_uint_eq(c.del[0], 20);
	ck_assert_uint_eq(c.n, 4);

	/* nothing changed: the four kept are reported again, as they were */
	memset(&s, 0, sizeof(s));
	tt_conn_cache_begin(&c, false);
	ck_assert(!c.whole);
	ck_assert_int_eq(tt_conn_cache_update(&c, see, &s), 0);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_uint_eq(s.cookie[1], 30);
	ck_assert_uint_eq(s.tx[3], 5000);
	ck_assert_uint_eq(c.ndel, 0);
	tt_conn_cache_free(&c);
}
END_TEST

START_TEST(changed_replace_new_insert_gone_leave)
{
	struct tt_conn_cache c = { 0 };
	struct seen s = { 0 };
	struct tt_conn_val v;

	tt_conn_cache_begin(&c, true);
	for (uint64_t k = 10; k <= 50; k += 10) {
		v = val(k, false);
		tt_conn_cache_put(&c, k, &v, false);
	}
	ck_assert_int_eq(tt_conn_cache_update(&c, see, &s), 0);

	memset(&s, 0, sizeof(s));
	tt_conn_cache_begin(&c, false);
	v = val(777, false);
	tt_conn_cache_put(&c, 30, &v, false); /* moved */
	v = val(5, false);
	tt_conn_cache_put(&c, 5, &v, false);   /* new, before all */
	tt_conn_cache_put(&c, 10, NULL, true); /* its entry is gone */
	v = val(60, true);
	tt_conn_cache_put(&c, 60, &v, false); /* new and closed at once */
	v = val(35, false);
	tt_conn_cache_put(&c, 35, &v, false); /* new, in between */
	ck_assert_int_eq(tt_conn_cache_update(&c, see, &s), 0);
	{
		const uint64_t ck[] = { 5, 20, 30, 35, 40, 50, 60 };
		const uint64_t tx[] = { 5, 20, 777, 35, 40, 50, 60 };

		ck_assert_uint_eq(s.n, 7);
		for (size_t i = 0; i < 7; i++) {
			ck_assert_uint_eq(s.cookie[i], ck[i]);
			ck_assert_uint_eq(s.tx[i], tx[i]);
		}
	}
	ck_assert_uint_eq(c.ndel, 1);
	ck_assert_uint_eq(c.del[0], 60);
	ck_assert_uint_eq(c.n, 6);

	/* invalidated (a read failed): the next read is whole */
	tt_conn_cache_invalidate(&c);
	tt_conn_cache_begin(&c, false);
	ck_assert(c.whole);
	ck_assert_uint_eq(c.n, 0);
	tt_conn_cache_free(&c);
}
END_TEST

/* Random rounds against an answer key: the map as a plain array. */
START_TEST(random_rounds_match_the_map)
{
	enum { KEYS = 300 };
	static uint64_t map_tx[KEYS]; /* 0: no entry */
	static bool map_closed[KEYS];
	struct tt_conn_cache c = { 0 };

	srand(15);
	memset(map_tx, 0, sizeof(map_tx));
	memset(map_closed, 0, sizeof(map_closed));
	for (int round = 0; round < 400; round++) {
		bool changed[KEYS] = { false };
		bool whole = round % 37 == 0;
		struct seen s = { 0 };
		size_t want = 0;

		/* the kernel's side: new entries, bytes, closes, deletions */
		for (int i = 0; i < 20; i++) {
			int k = rand() % KEYS;
			int what = rand() % 10;

			if (!map_tx[k] && what < 7) {
				map_tx[k] = 1 + rand() % 1000;
			} else if (map_tx[k] && what < 7) {
				map_tx[k] += 1 + rand() % 1000;
			} else if (map_tx[k] && what < 9) {
				map_closed[k] = true;
			} else {
				map_tx[k] = 0; /* connect() again: deleted */
				map_closed[k] = false;
			}
			changed[k] = true;
		}
		tt_conn_cache_begin(&c, whole);
		for (int k = KEYS - 1; k >= 0; k--) {
			struct tt_conn_val v = val(map_tx[k], map_closed[k]);

			if (c.whole ? map_tx[k] != 0 : changed[k])
				tt_conn_cache_put(&c, (uint64_t)k + 1, &v,
						  !map_tx[k]);
		}
		ck_assert_int_eq(tt_conn_cache_update(&c, see, &s), 0);
		for (int k = 0; k < KEYS; k++) {
			if (!map_tx[k])
				continue;
			ck_assert_uint_lt(want, s.n);
			ck_assert_uint_eq(s.cookie[want], (uint64_t)k + 1);
			ck_assert_uint_eq(s.tx[want], map_tx[k]);
			want++;
		}
		ck_assert_uint_eq(s.n, want);
		/* the closed were handed back: the kernel deletes them */
		for (size_t i = 0; i < c.ndel; i++) {
			int k = (int)c.del[i] - 1;

			ck_assert(map_closed[k]);
			map_tx[k] = 0;
			map_closed[k] = false;
		}
		for (int k = 0; k < KEYS; k++)
			ck_assert(!map_closed[k]);
	}
	tt_conn_cache_free(&c);
}
END_TEST

Suite *conn_cache_suite(void)
{
	Suite *s = suite_create("conn_cache");
	TCase *tc = tcase_create("merge");

	tcase_add_test(tc, whole_read_in_cookie_order_closed_deleted);
	tcase_add_test(tc, changed_replace_new_insert_gone_leave);
	tcase_add_test(tc, random_rounds_match_the_map);
	suite_add_tcase(s, tc);
	return s;
}
