// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_snapshot.c - the model against a fake /proc and a fake collector:
 * rates, thread states, filters, system-wide totals, anomalies (exits,
 * PID reuse and zombies: test_snapshot_exits.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <cjson/cJSON.h>
#include "model/json.h"
#include "model/json_parse.h"
#include "model/syscall_names.h"
#include "model_fixture.h"

START_TEST(rates_over_the_interval)
{
	struct tt_snapshot *s;
	const struct tt_proc *p;
	const struct tt_sysc *c;

	mf_fake_proc(100, "web", 'S', 5, 0, 0);
	mf_feed_sc(100, 5, 39, 10, 1, 1000); /* getppid on x86 */
	mf_feed_sc(100, 5, 3, 4, 4, 2000);   /* close */
	s = mf_build(101.0);
	p = tt_snapshot_find(s, 100);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->comm, "web");
	ck_assert_str_eq(p->cmdline, "web --flag");
	ck_assert_str_eq(p->cgroup, "/system.slice/web.service");
	/* the rest of /proc/PID/stat as written by mf_fake_proc() */
	ck_assert_int_eq(p->state, 'S');
	ck_assert_uint_eq(p->ppid, 1);
	ck_assert_uint_eq(p->threads, 1);
	ck_assert_uint_eq(p->rss_bytes, 25 * (uint64_t)sysconf(_SC_PAGESIZE));
	ck_assert_uint_eq(p->sc_count, 14);
	ck_assert_uint_eq(p->sc_errors, 5);
	ck_assert(p->sc_rate > 13.99 && p->sc_rate < 14.01);
	tt_snapshot_unref(s);

	mf_feed_sc(100, 5, 39, 30, 1, 1000);
	mf_feed_sc(100, 5, 3, 4, 4, 2000);
	s = mf_build(103.0);
	p = tt_snapshot_find(s, 100);
	ck_assert(p->sc_rate > 9.99 && p->sc_rate < 10.01); /* 20 in 2 s */
	ck_assert_double_eq_tol(p->sc_err_rate, 0, 1e-9);
	ck_assert_str_eq(p->top_sc, tt_syscall_name(39));
	c = tt_proc_syscall(p, tt_syscall_name(39));
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->count, 30);
	ck_assert_uint_eq(c->p99_ns, (tt_hist_low(tt_hist_bucket(1000)) +
				      tt_hist_high(tt_hist_bucket(1000))) /
					     2);
	/* system-wide */
	ck_assert_uint_eq(s->nsyscalls, 2);
	ck_assert_uint_eq(s->syscalls[0].count, 30);
	ck_assert_uint_eq(s->syscalls[1].errors, 4);
	tt_snapshot_unref(s);
}
END_TEST

static void feed_sched(uint32_t pid, uint32_t gen, uint64_t oncpu_ns)
{
	static struct tt_sched_val v;
	struct tt_key k = { pid, gen };

	memset(&v, 0, sizeof(v));
	v.oncpu_ns = oncpu_ns;
	mf_sink->on_sched(mf_sink->ctx, &k, &v);
}

/* ONCPU% is the share of the interval the snapshot closes, in the model */
START_TEST(oncpu_share_of_the_interval)
{
	struct tt_snapshot *s, *a, *b;
	const struct tt_proc *p;

	mf_fake_proc(100, "web", 'S', 5, 0, 0);
	feed_sched(100, 5, 500000000); /* 0.5 s in the first second */
	s = mf_build(101.0);
	p = tt_snapshot_find(s, 100);
	ck_assert_double_eq_tol(p->oncpu_pct, 50, 1e-9);
	tt_snapshot_unref(s);
	feed_sched(100, 5, 800000000); /* 0.3 s more in 2 s */
	s = mf_build(103.0);
	p = tt_snapshot_find(s, 100);
	ck_assert_double_eq_tol(p->oncpu_pct, 15, 1e-9);
	tt_snapshot_unref(s);

	/* a record without it gets it from the record before, when that is
	 * where its interval starts; a gap leaves it 0 */
	a = tt_snapshot_new();
	b = tt_snapshot_new();
	a->time = 1000;
	b->time = 1002;
	b->interval_s = 2;
	a->nprocs = b->nprocs = 1;
	a->procs = tt_arena_alloc(&a->arena, sizeof(*a->procs));
	b->procs = tt_arena_alloc(&b->arena, sizeof(*b->procs));
	*a->procs =
		(struct tt_proc){ .pid = 7, .gen = 1, .oncpu_ns = 1000000000 };
	*b->procs =
		(struct tt_proc){ .pid = 7, .gen = 1, .oncpu_ns = 2500000000 };
	b->oncpu_pct_absent = true;
	tt_snapshot_rates_from(b, a);
	ck_assert_double_eq_tol(b->procs->oncpu_pct, 75, 1e-9);
	ck_assert(!b->oncpu_pct_absent);
	b->procs->oncpu_pct = 0;
	b->time = 1060;
	tt_snapshot_rates_from(b, a);
	ck_assert_double_eq_tol(b->procs->oncpu_pct, 0, 1e-9);
	tt_snapshot_unref(a);
	tt_snapshot_unref(b);
}
END_TEST

/*
 * The thread-state sums go through the mf_sink whole: a work record keeps
 * the value without its histogram, and once kept only the first four
 * counters (states.c then read whatever followed them in memory).
 */
START_TEST(thread_states_through_the_sink)
{
	static struct tt_sched_val v;
	struct tt_key k = { 100, 5 };
	struct tt_snapshot *s;
	const struct tt_proc *p;
	const uint64_t t0 = 50000000000ull; /* the sleep began, BPF clock */

	mf_fake_proc(100, "web", 'S', 5, 0, 0);
	memset(&v, 0, sizeof(v));
	v.oncpu_ns = 200000000;
	v.runq_ns = 30000000;
	/* one interruptible sleep of 0.4 s, ended; one uninterruptible of
	 * 0.1 s, ended */
	v.sleeps[TT_SLEEP_S] = v.wakes[TT_SLEEP_S] = 1;
	v.sleep_out[TT_SLEEP_S] = t0;
	v.sleep_in[TT_SLEEP_S] = t0 + 400000000;
	v.sleeps[TT_SLEEP_D] = v.wakes[TT_SLEEP_D] = 1;
	v.sleep_out[TT_SLEEP_D] = t0 + 500000000;
	v.sleep_in[TT_SLEEP_D] = t0 + 600000000;
	mf_sink->on_sched(mf_sink->ctx, &k, &v);
	s = mf_build(101.0);
	p = tt_snapshot_find(s, 100);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->state_ns[TT_ST_RUNNING], 200000000);
	ck_assert_uint_eq(p->state_ns[TT_ST_RUNNABLE], 30000000);
	ck_assert_uint_eq(p->state_ns[TT_ST_SLEEPING], 400000000);
	ck_assert_uint_eq(p->state_ns[TT_ST_BLOCKED], 100000000);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(filters_by_pid_and_user)
{
	struct tt_model_opts o = {
		.uid = 1000, .have_sched = true, .npids = 2, .pids = { 10, 11 }
	};
	struct tt_snapshot *s;

	mf_teardown();
	mf_setup_with(&o);
	mf_fake_proc(10, "mine", 'S', 1, 0, 1000);
	mf_fake_proc(11, "root", 'S', 1, 0, 0);
	mf_fake_proc(12, "other", 'S', 1, 0, 1000);
	s = mf_build(101.0);
	ck_assert_uint_eq(s->nprocs, 1);
	ck_assert_uint_eq(s->procs[0].pid, 10);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(cpu_percent_from_ticks)
{
	struct tt_snapshot *s;
	long hz = sysconf(_SC_CLK_TCK);

	mf_fake_proc(500, "spin", 'R', 1, 1000, 0);
	tt_snapshot_unref(mf_build(101.0)); /* first sight: no baseline, 0% */
	mf_fake_proc(500, "spin", 'R', 1, 1000 + (unsigned)hz, 0);
	s = mf_build(103.0); /* one second of CPU in two */
	ck_assert_double_eq_tol(tt_snapshot_find(s, 500)->cpu_pct, 50.0, 0.01);
	tt_snapshot_unref(s);
}
END_TEST

/*
 * Between full listings of /proc the new processes are the ones the kernel
 * reported (every process that runs is switched in); one it never reported
 * is listed after a loss at once, and otherwise within 8 refreshes.
 */
START_TEST(new_processes_from_the_kernel_between_listings)
{
	struct tt_snapshot *s;
	int seen_at = 0;

	mf_fake_proc(100, "old", 'S', 5, 0, 0);
	tt_snapshot_unref(mf_build(101.0)); /* the first refresh lists /proc */
	mf_fake_proc(200, "quiet", 'S', 6, 0, 0);
	mf_fake_proc(300, "ran", 'S', 7, 0, 0);
	feed_sched(300, 7, 1000);
	s = mf_build(102.0);
	ck_assert_ptr_nonnull(tt_snapshot_find(s, 100));
	ck_assert_ptr_nonnull(tt_snapshot_find(s, 300));
	ck_assert_ptr_null(tt_snapshot_find(s, 200)); /* not listed yet */
	ck_assert_str_eq(tt_snapshot_find(s, 300)->cmdline, "ran --flag");
	tt_snapshot_unref(s);
	tt_model_list_all(
		mf_model); /* a loss: the kernel's reports may miss one */
	s = mf_build(103.0);
	ck_assert_ptr_nonnull(tt_snapshot_find(s, 200));
	tt_snapshot_unref(s);
	mf_fake_proc(400, "later", 'S', 8, 0, 0);
	for (int i = 1; i <= 8 && !seen_at; i++) {
		s = mf_build(103.0 + i);
		if (tt_snapshot_find(s, 400))
			seen_at = i;
		tt_snapshot_unref(s);
	}
	ck_assert_int_gt(seen_at, 1);
	ck_assert_int_le(seen_at, 8);
}
END_TEST

/* the screen's history keeps slim copies: they must stand alone */
START_TEST(slim_copy_outlives_the_original)
{
	struct tt_snapshot *s = tt_snapshot_new(), *c;
	struct tt_hbin *b;
	struct tt_sysc *sc;
	char *name;

	s->nsyscalls = 1;
	s->syscalls = sc = tt_arena_alloc(&s->arena, sizeof(*sc));
	sc->name = name = tt_arena_strdup(&s->arena, "sys_999");
	sc->count = 42;
	sc->hist.n = 1;
	sc->hist.bins = b = tt_arena_alloc(&s->arena, sizeof(*b));
	b->idx = 7;
	b->count = 42;
	s->nprocs = 2;
	s->procs = tt_arena_alloc(&s->arena, 2 * sizeof(*s->procs));
	s->procs[0].pid = 10;
	s->procs[1].pid = 20;
	s->procs[1].cmdline = tt_arena_strdup(&s->arena, "sleep 1");
	s->procs[1].nsc = 1;
	s->procs[1].sc = sc;
	/* the model hands an interval's events over in a block of their own */
	s->nevents = 1;
	s->events = s->events_block = calloc(1, sizeof(*s->events));

	c = tt_snapshot_slim(s, 20);
	memset(name, 'x', 7); /* the original's memory must not be used */
	tt_snapshot_unref(s);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->nsyscalls, 1);
	ck_assert_str_eq(c->syscalls[0].name, "sys_999");
	ck_assert_uint_eq(c->syscalls[0].hist.bins[0].count, 42);
	ck_assert_uint_eq(c->nprocs, 1);
	ck_assert_uint_eq(c->procs[0].pid, 20);
	ck_assert_str_eq(c->procs[0].cmdline, "sleep 1");
	ck_assert_str_eq(c->procs[0].sc[0].name, "sys_999");
	ck_assert_uint_eq(c->nconns, 0);
	/* the events are the event log's, not history's: not shared either */
	ck_assert_uint_eq(c->nevents, 0);
	ck_assert_ptr_null(c->events_block);
	/* a minute of copies: each holds what it uses, no 64 KiB chunk */
	ck_assert_uint_gt(c->arena.used_bytes, 0);
	ck_assert_uint_eq(c->arena.held_bytes, c->arena.used_bytes);
	tt_snapshot_unref(c);
}
END_TEST

/* the snapshot as the JSON object -j prints, its probes on as the live
 * source sets them (the model leaves them "off: not started") */
static cJSON *json_of(struct tt_snapshot *s)
{
	char *line;
	cJSON *o;

	for (int i = 0; i < TT_PROBE_MAX; i++)
		snprintf(s->probes[i], sizeof(s->probes[i]), "on");
	line = tt_json_line(s);
	o = line ? cJSON_Parse(line) : NULL;

	ck_assert_ptr_nonnull(o);
	free(line);
	return o;
}

static const cJSON *json_proc(const cJSON *o, uint32_t pid)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItem(o, "processes"))
	{
		if (cJSON_GetObjectItem(p, "pid")->valuedouble == pid)
			return p;
	}
	ck_abort_msg("no process %u in the JSON", pid);
	return NULL;
}

static void feed_conn(uint64_t cookie, uint32_t pid, uint32_t gen, uint64_t tx)
{
	struct tt_conn_val v = { .id = pid,
				 .gen = gen,
				 .family = 2,
				 .sport = 40000,
				 .dport = 80,
				 .state = 1,
				 .flags = TT_CONN_OWNED,
				 .tx_bytes = tx };

	mf_sink->on_conn(mf_sink->ctx, cookie, &v);
}

/* the snapshot's JSON "anomalies": count, and (when last is not NULL)
 * the last one found, which must contain last */
static void ck_anomalies(const cJSON *o, double count, const char *last)
{
	const cJSON *a = cJSON_GetObjectItem(o, "anomalies");

	ck_assert_msg(a != NULL, "no anomalies in the JSON");
	ck_assert_double_eq(
		cJSON_GetObjectItem(a, "counters_down")->valuedouble, count);
	if (last)
		ck_assert_msg(
			strstr(cJSON_GetObjectItem(a, "last")->valuestring,
			       last) != NULL,
			"last: %s",
			cJSON_GetObjectItem(a, "last")->valuestring);
}

/* a connection's bytes going down is an anomaly, and its rate counts from
 * the previous snapshot's entry of the same cookie, among others */
START_TEST(connection_counter_down_is_an_anomaly)
{
	struct tt_snapshot *s;
	cJSON *o;

	mf_fake_proc(100, "web", 'S', 5, 0, 0);
	for (uint64_t c = 1; c <= 300; c++)
		feed_conn(c * 7919 % 1000, 100, 5, 1000);
	s = mf_build(101.0);
	tt_snapshot_unref(s);
	for (uint64_t c = 1; c <= 300; c++)
		feed_conn(c * 7919 % 1000, 100, 5, c == 77 ? 400 : 3000);
	s = mf_build(102.0);
	ck_assert_uint_eq(s->nconns, 300);
	for (size_t i = 0; i < s->nconns; i++) {
		ck_assert(i == 0 || s->conns[i - 1].id < s->conns[i].id);
		if (s->conns[i].tx_bytes == 3000)
			ck_assert_double_eq_tol(s->conns[i].tx_rate, 2000, 1);
	}
	o = json_of(s);
	ck_anomalies(o, 1, "from 1000 to 400");
	cJSON_Delete(o);
	tt_snapshot_unref(s);
}
END_TEST

/*
 * A counter lower than in the snapshot before (a reset, or a bug) is
 * counted and named in `anomalies`, and the system-wide sum adds what
 * it counted since the reset instead of wrapping below zero.
 */
START_TEST(counter_down_is_an_anomaly)
{
	struct tt_snapshot *s;
	const cJSON *sc;
	cJSON *o;

	mf_fake_proc(100, "web", 'S', 5, 0, 0);
	mf_feed_sc(100, 5, 39, 100, 0, 1000);
	s = mf_build(101.0);
	o = json_of(s);
	ck_anomalies(o, 0, NULL);
	cJSON_Delete(o);
	tt_snapshot_unref(s);

	mf_feed_sc(100, 5, 39, 40, 0, 1000); /* 100 -> 40 */
	s = mf_build(102.0);
	o = json_of(s);
	/* count and total_ns both went down */
	ck_anomalies(o, 2,
		     "pid 100 getpid.total_ns went down from 100000 to 40000");
	ck_assert_double_eq(
		cJSON_GetObjectItem(
			cJSON_GetObjectItem(json_proc(o, 100), "syscalls"),
			"rate")
			->valuedouble,
		0);
	sc = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "syscalls"), 0);
	ck_assert_double_eq(cJSON_GetObjectItem(sc, "count")->valuedouble, 140);
	cJSON_Delete(o);
	{ /* a replay of the recording says it too */
		char *line = tt_json_line(s), err[128];
		struct tt_snapshot *r =
			tt_json_parse(line, strlen(line), err, sizeof(err));

		ck_assert_msg(r != NULL, "%s", err);
		ck_assert_uint_eq(r->anomalies, 2);
		ck_assert_str_eq(r->anomaly, s->anomaly);
		tt_snapshot_unref(r);
		free(line);
	}
	tt_snapshot_unref(s);

	/* growing again is no anomaly; the count stays */
	mf_feed_sc(100, 5, 39, 50, 0, 1000);
	s = mf_build(103.0);
	o = json_of(s);
	ck_anomalies(o, 2, NULL);
	cJSON_Delete(o);
	tt_snapshot_unref(s);
}
END_TEST

/*
 * Gone from /proc, its exit record not read yet: the row says it is
 * exiting (state X), with no RSS or thread count from a /proc it no
 * longer has, not the last ones as if it still ran.
 */
START_TEST(gone_process_is_not_shown_alive)
{
	struct tt_snapshot *s;
	const cJSON *p;
	cJSON *o;

	mf_fake_proc(500, "late", 'R', 7, 0, 0);
	mf_feed_sc(500, 7, 39, 10, 0, 500);
	s = mf_build(101.0);
	o = json_of(s);
	p = json_proc(o, 500);
	ck_assert_str_eq(cJSON_GetObjectItem(p, "state")->valuestring, "R");
	ck_assert_double_gt(cJSON_GetObjectItem(p, "rss_bytes")->valuedouble,
			    0);
	cJSON_Delete(o);
	tt_snapshot_unref(s);

	mf_rm_proc(500);
	mf_feed_sc(500, 7, 39, 15, 0, 500);
	s = mf_build(102.0);
	o = json_of(s);
	p = json_proc(o, 500);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(p, "exited")));
	ck_assert_str_eq(cJSON_GetObjectItem(p, "state")->valuestring, "X");
	ck_assert_msg(cJSON_IsNull(cJSON_GetObjectItem(p, "rss_bytes")) &&
			      cJSON_IsNull(cJSON_GetObjectItem(p, "threads")),
		      "a process gone from /proc keeps its RSS or threads");
	/* its kernel counters are still its own */
	ck_assert_double_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(p, "syscalls"), "count")
			->valuedouble,
		15);
	cJSON_Delete(o);
	{ /* a replay of the recording says it too */
		char *line = tt_json_line(s), err[128];
		struct tt_snapshot *r =
			tt_json_parse(line, strlen(line), err, sizeof(err));

		ck_assert_msg(r != NULL, "%s", err);
		ck_assert(tt_snapshot_find(r, 500)->gone);
		tt_snapshot_unref(r);
		free(line);
	}
	tt_snapshot_unref(s);
}
END_TEST

/* an exited process and its pid's new owner in one snapshot: a lookup by
 * pid means the living one, a lookup by (pid, gen) the exact one */
START_TEST(find_prefers_the_living_instance)
{
	struct tt_snapshot *s = tt_snapshot_new();

	s->nprocs = 4;
	s->procs = tt_arena_alloc(&s->arena, 4 * sizeof(*s->procs));
	s->procs[0].pid = 5;
	s->procs[1] = (struct tt_proc){ .pid = 7, .gen = 1, .exited = true };
	s->procs[2] = (struct tt_proc){ .pid = 7, .gen = 2 };
	s->procs[3].pid = 9;
	ck_assert_uint_eq(tt_snapshot_find(s, 7)->gen, 2);
	ck_assert_uint_eq(tt_snapshot_find_gen(s, 7, 1)->gen, 1);
	s->procs[1].exited = false;
	s->procs[2].exited = true;
	ck_assert_uint_eq(tt_snapshot_find(s, 7)->gen, 1);
	ck_assert_ptr_null(tt_snapshot_find(s, 8));
	tt_snapshot_unref(s);
}
END_TEST

/*
 * A snapshot's big table (10,000 connections: 2 MB) takes the chunk of
 * the one freed before it, cleared, instead of a new mapping the kernel
 * faults in page by page (prof/arena.c); a much smaller one does not take
 * it, and a spare nobody took goes back to the kernel.
 */
START_TEST(big_table_reuses_the_last_freed)
{
	struct tt_arena a = { 0 }, b = { 0 }, c = { 0 };
	size_t big = (size_t)2 << 20;
	unsigned char *p = tt_arena_alloc(&a, big), *q, *r;
	size_t dirty = 0;

	ck_assert_ptr_nonnull(p);
	memset(p, 0xa5, big);
	tt_arena_free(&a);
	ck_assert_uint_eq(tt_arena_spare_bytes(), big);
	q = tt_arena_alloc(&b, big - 1000);
	ck_assert_ptr_eq(q, p);
	for (size_t i = 0; i < big - 1000; i++)
		dirty += q[i] != 0;
	ck_assert_uint_eq(dirty, 0);
	tt_arena_free(&b);
	r = tt_arena_alloc(&c, big / 4);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_ne(r, p);
	ck_assert_uint_eq(tt_arena_spare_bytes(), big);
	usleep(3100 * 1000); /* SPARE_AGE_S */
	/* ages the spares: p's chunk goes back, r's is kept */
	tt_arena_free(&c);
	ck_assert_uint_eq(tt_arena_spare_bytes(), big / 4);
}
END_TEST

Suite *snapshot_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, mf_setup, mf_teardown);
	tcase_add_test(tc, rates_over_the_interval);
	tcase_add_test(tc, oncpu_share_of_the_interval);
	tcase_add_test(tc, thread_states_through_the_sink);
	tcase_add_test(tc, filters_by_pid_and_user);
	tcase_add_test(tc, cpu_percent_from_ticks);
	tcase_add_test(tc, new_processes_from_the_kernel_between_listings);
	tcase_add_test(tc, slim_copy_outlives_the_original);
	tcase_add_test(tc, find_prefers_the_living_instance);
	tcase_add_test(tc, counter_down_is_an_anomaly);
	tcase_add_test(tc, connection_counter_down_is_an_anomaly);
	tcase_add_test(tc, gone_process_is_not_shown_alive);
	tcase_add_test(tc, big_table_reuses_the_last_freed);
	suite_add_tcase(s, tc);
	return s;
}
