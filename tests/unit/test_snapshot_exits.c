// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_snapshot_exits.c - the model's side of a process's end: the exit
 * record's final counts reported once, processes seen only in the kernel,
 * PID reuse, records that come after /proc forgot the process or beyond
 * a refresh's cap, zombies already reported.
 */
#include <stdio.h>
#include <string.h>
#include <check.h>
#include "model/syscall_names.h"
#include "model_fixture.h"

START_TEST(exited_process_reported_once_with_final_counts)
{
	struct tt_snapshot *s;
	const struct tt_proc *p;

	mf_fake_proc(100, "job", 'S', 7, 0, 0);
	mf_feed_sc(100, 7, 39, 5, 0, 500);
	tt_snapshot_unref(mf_build(101.0));

	/* it exits: /proc is gone, the exit record and final counts arrive */
	mf_rm_proc(100);
	mf_feed_exit(100, 7, "job");
	mf_feed_sc(100, 7, 39, 12, 0, 500);
	s = mf_build(102.0);
	p = tt_snapshot_find(s, 100);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->exited);
	ck_assert_str_eq(p->comm, "job");
	ck_assert_uint_eq(p->sc_count, 12);
	ck_assert_int_eq(mf_nforgotten, 0); /* it had a record: no forgetting */
	tt_snapshot_unref(s);

	/* the next refresh: gone, but the system-wide total keeps it */
	s = mf_build(103.0);
	ck_assert_ptr_null(tt_snapshot_find(s, 100));
	ck_assert_uint_eq(s->nsyscalls, 1);
	ck_assert_uint_eq(s->syscalls[0].count, 12);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(short_lived_process_seen_only_in_kernel)
{
	struct tt_snapshot *s;
	const struct tt_proc *p;

	/* born and dead within one interval: /proc never saw it */
	mf_feed_exit(300, 11, "flash");
	mf_feed_sc(300, 11, 39, 3, 0, 700);
	s = mf_build(101.0);
	p = tt_snapshot_find(s, 300);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->exited);
	ck_assert_str_eq(p->comm, "flash");
	ck_assert_uint_eq(p->sc_count, 3);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(recycled_pid_inherits_nothing)
{
	struct tt_snapshot *s;
	const struct tt_proc *p;

	mf_fake_proc(200, "old", 'S', 5, 0, 0);
	mf_feed_sc(200, 5, 39, 50, 0, 500);
	tt_snapshot_unref(mf_build(101.0));

	/* the old one ended without a record; a new one took its PID */
	mf_fake_proc(200, "new", 'S', 9, 0, 0);
	mf_feed_sc(200, 5, 39, 50, 0, 500);
	mf_feed_sc(200, 9, 39, 3, 0, 500);
	s = mf_build(102.0);
	p = tt_snapshot_find_gen(s, 200, 9);
	ck_assert_ptr_nonnull(p);
	ck_assert(!p->exited);
	ck_assert_str_eq(p->comm, "new");
	ck_assert_uint_eq(p->sc_count, 3);
	/* the old one: gone from /proc, its exit record may be on its way
	 * (it waits one refresh for it) */
	p = tt_snapshot_find_gen(s, 200, 5);
	ck_assert_ptr_nonnull(p);
	ck_assert(!p->exited);
	ck_assert_uint_eq(p->sc_count, 50);
	ck_assert_int_eq(mf_nforgotten, 0);
	/* the first count of the new one is its own: rate 3/s, not -47 */
	ck_assert(tt_snapshot_find_gen(s, 200, 9)->sc_rate > 2.99);
	tt_snapshot_unref(s);

	/* still no record a refresh later: exited, and mf_forgotten */
	mf_feed_sc(200, 5, 39, 50, 0, 500);
	mf_feed_sc(200, 9, 39, 4, 0, 500);
	s = mf_build(103.0);
	p = tt_snapshot_find_gen(s, 200, 5);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->exited);
	ck_assert_uint_eq(p->sc_count, 50);
	ck_assert_int_eq(mf_nforgotten, 1);
	ck_assert_uint_eq(mf_forgotten[0].id, 200);
	ck_assert_uint_eq(mf_forgotten[0].gen, 5);
	ck_assert(!tt_snapshot_find_gen(s, 200, 9)->exited);
	tt_snapshot_unref(s);
}
END_TEST

/*
 * A process that exits after the maps are read and before /proc is: its
 * exit record, with the final counters, comes one refresh later. It must
 * be reported exited then, with those counters, not earlier with the
 * ones it had not finished (the hardening suite's PID-reuse run lost
 * one child in eight that way).
 */
START_TEST(exit_record_after_proc_is_gone)
{
	struct tt_snapshot *s;
	const struct tt_proc *p;

	mf_fake_proc(500, "late", 'R', 7, 0, 0);
	mf_feed_sc(500, 7, 39, 10, 0, 500);
	tt_snapshot_unref(mf_build(101.0));

	/* gone from /proc, no record yet; a short-lived one too */
	mf_rm_proc(500);
	mf_feed_sc(500, 7, 39, 15, 0, 500);
	mf_feed_sc(600, 8, 39, 2, 0, 500);
	s = mf_build(102.0);
	p = tt_snapshot_find_gen(s, 500, 7);
	ck_assert_ptr_nonnull(p);
	ck_assert(!p->exited);
	ck_assert_uint_eq(p->sc_count, 15);
	ck_assert(p->sc_rate > 4.99 && p->sc_rate < 5.01);
	ck_assert_ptr_null(tt_snapshot_find(s, 600)); /* not seen before */
	ck_assert_int_eq(mf_nforgotten, 0);
	tt_snapshot_unref(s);

	/* the records come, with the final counters */
	mf_feed_exit(500, 7, "late");
	mf_feed_sc(500, 7, 39, 20, 0, 500);
	mf_feed_exit(600, 8, "flash");
	mf_feed_sc(600, 8, 39, 3, 0, 500);
	s = mf_build(103.0);
	p = tt_snapshot_find_gen(s, 500, 7);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->exited);
	ck_assert_uint_eq(p->sc_count, 20);
	ck_assert_str_eq(p->comm, "late");
	p = tt_snapshot_find_gen(s, 600, 8);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->exited);
	ck_assert_uint_eq(p->sc_count, 3);
	ck_assert_str_eq(p->comm, "flash");
	ck_assert_int_eq(mf_nforgotten, 0);
	tt_snapshot_unref(s);

	/* and never again */
	s = mf_build(104.0);
	ck_assert_ptr_null(tt_snapshot_find(s, 500));
	ck_assert_ptr_null(tt_snapshot_find(s, 600));
	tt_snapshot_unref(s);
}
END_TEST

/*
 * A refresh takes exits_max exit records at most; the collector keeps the
 * rest in the kernel's map, with the processes' other entries unread, and
 * offers them again at the next read. Always taken: a process with a row
 * already, and any record the collector could not keep (no memory).
 */
START_TEST(exit_records_beyond_the_cap_wait)
{
	struct tt_model_opts o = { .uid = -1,
				   .have_sched = true,
				   .exits_max = 2 };
	struct tt_snapshot *s;
	const struct tt_proc *p;

	mf_teardown();
	mf_setup_with(&o);
	mf_fake_proc(700, "shown", 'S', 4, 0, 0);
	mf_feed_sc(700, 4, 39, 1, 0, 500);
	tt_snapshot_unref(mf_build(101.0));

	mf_rm_proc(700);
	ck_assert(mf_offer_exit(801, 1, "a", true));
	ck_assert(mf_offer_exit(802, 1, "b", true));
	ck_assert(!mf_offer_exit(803, 1, "c", true)); /* over the cap: later */
	ck_assert(mf_offer_exit(700, 4, "shown", true)); /* it has a row */
	ck_assert(mf_offer_exit(804, 1, "d", false));	 /* nowhere to wait */
	mf_feed_sc(801, 1, 39, 2, 0, 500);
	mf_feed_sc(700, 4, 39, 3, 0, 500);
	s = mf_build(102.0);
	ck_assert(tt_snapshot_find_gen(s, 801, 1)->exited);
	ck_assert_uint_eq(tt_snapshot_find_gen(s, 801, 1)->sc_count, 2);
	ck_assert(tt_snapshot_find_gen(s, 802, 1)->exited);
	ck_assert(tt_snapshot_find_gen(s, 804, 1)->exited);
	p = tt_snapshot_find_gen(s, 700, 4);
	ck_assert(p && p->exited);
	ck_assert_uint_eq(p->sc_count, 3);
	ck_assert_ptr_null(tt_snapshot_find(s, 803));
	ck_assert_int_eq(mf_nforgotten, 0);
	tt_snapshot_unref(s);

	/* the next read: the cap is the read's, not the model's life's */
	ck_assert(mf_offer_exit(803, 1, "c", true));
	mf_feed_sc(803, 1, 39, 5, 0, 500);
	s = mf_build(103.0);
	p = tt_snapshot_find_gen(s, 803, 1);
	ck_assert(p && p->exited);
	ck_assert_str_eq(p->comm, "c");
	ck_assert_uint_eq(p->sc_count, 5);
	ck_assert_ptr_null(tt_snapshot_find(s, 801));
	ck_assert_int_eq(mf_nforgotten, 0);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(reported_zombie_is_hidden)
{
	struct tt_snapshot *s;

	mf_fake_proc(400, "zomb", 'S', 3, 0, 0);
	tt_snapshot_unref(mf_build(101.0));
	mf_fake_proc(400, "zomb", 'Z', 3, 0, 0);
	mf_feed_exit(400, 3, "zomb");
	s = mf_build(102.0);
	ck_assert(tt_snapshot_find(s, 400)->exited);
	tt_snapshot_unref(s);
	s = mf_build(103.0); /* still a zombie in /proc: not shown again */
	ck_assert_ptr_null(tt_snapshot_find(s, 400));
	tt_snapshot_unref(s);
}
END_TEST

Suite *snapshot_exits_suite(void)
{
	Suite *s = suite_create("model_exits");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, mf_setup, mf_teardown);
	tcase_add_test(tc, exited_process_reported_once_with_final_counts);
	tcase_add_test(tc, short_lived_process_seen_only_in_kernel);
	tcase_add_test(tc, recycled_pid_inherits_nothing);
	tcase_add_test(tc, exit_record_after_proc_is_gone);
	tcase_add_test(tc, exit_records_beyond_the_cap_wait);
	tcase_add_test(tc, reported_zombie_is_hidden);
	suite_add_tcase(s, tc);
	return s;
}
