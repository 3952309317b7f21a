// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_events.c - events without the kernel: kind lists, the text line,
 * JSON there and back, the event log's bound.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <check.h>
#include <cjson/cJSON.h>
#include "model/columns.h"
#include "model/event.h"
#include "model/event_json.h"
#include "model/evlog.h"
#include "model/openmetrics.h"
#include "model/snapshot.h"

START_TEST(test_kinds_parse)
{
	uint32_t m;
	char err[256];

	ck_assert_int_eq(tt_ev_kinds_parse("default", &m, err, sizeof(err)), 0);
	ck_assert_uint_eq(m, TT_EV_DEFAULT);
	ck_assert(!(m & 1u << TT_EV_RETRANS) && !(m & 1u << TT_EV_RUNQ));
	ck_assert_int_eq(
		tt_ev_kinds_parse("default,-signal,runq", &m, err, sizeof(err)),
		0);
	ck_assert_uint_eq(m, (TT_EV_DEFAULT & ~(1u << TT_EV_SIGNAL)) |
				     1u << TT_EV_RUNQ);
	ck_assert_int_eq(tt_ev_kinds_parse("tcp", &m, err, sizeof(err)), 0);
	ck_assert_uint_eq(m, 1u << TT_EV_CONNECT | 1u << TT_EV_ACCEPT |
				     1u << TT_EV_CLOSE | 1u << TT_EV_RESET);
	ck_assert_int_eq(tt_ev_kinds_parse("exec,bogus", &m, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "'bogus'"));
}
END_TEST

static struct tt_event exec_ev(uint32_t pid, const char *argv, uint32_t len)
{
	struct tt_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = TT_EV_EXEC;
	ev.time = 1700000000.123456;
	ev.mono_ns = 42;
	ev.pid = ev.tid = pid;
	ev.gen = 7;
	ev.uid = 0;
	ev.ppid = 1;
	strcpy(ev.comm, "grep");
	ev.exec.path = "/usr/bin/grep";
	ev.exec.argv = argv;
	ev.exec.argv_len = len;
	ev.exec.argc = 4;
	ev.exec.cut = true;
	return ev;
}

START_TEST(test_exec_line_and_json)
{
	static const char argv[] = "grep\0-r\0foo\0/etc";
	struct tt_event ev = exec_ev(4511, argv, sizeof(argv)), back;
	struct tt_arena a = { 0 };
	char line[512], *j;
	cJSON *o;

	tt_event_detail(&ev, line, sizeof(line));
	ck_assert_str_eq(line, "/usr/bin/grep  grep -r foo /etc ...  (ppid 1)");
	j = tt_json_event_line(&ev);
	ck_assert_ptr_nonnull(j);
	o = cJSON_Parse(j);
	ck_assert_int_eq(tt_json_event_parse(o, &a, &back), 0);
	ck_assert_int_eq(back.kind, TT_EV_EXEC);
	ck_assert_uint_eq(back.pid, 4511);
	ck_assert_uint_eq(back.exec.argc, 4);
	ck_assert(back.exec.cut);
	ck_assert_str_eq(back.exec.path, "/usr/bin/grep");
	ck_assert_int_eq(memcmp(back.exec.argv, argv, sizeof(argv)), 0);
	ck_assert_double_eq_tol(back.time, ev.time, 1e-6);
	cJSON_Delete(o);
	free(j);
	tt_arena_free(&a);
}
END_TEST

START_TEST(test_exit_and_connect_text)
{
	struct tt_event ev;
	char d[256];

	memset(&ev, 0, sizeof(ev));
	ev.kind = TT_EV_EXIT;
	ev.exit.code = 1;
	ev.exit.lifetime_ns = 85000000;
	ev.exit.cpu_ns = 12000000;
	ev.exit.syscalls = 1204;
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "code 1  lived 85.0ms  cpu 12.0ms  1204 syscalls");
	ev.exit.signal = 9;
	ev.exit.syscalls = -1;
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "killed by SIGKILL  lived 85.0ms  cpu 12.0ms");
	memset(&ev, 0, sizeof(ev));
	ev.kind = TT_EV_CONNECT;
	ev.tcp.family = 4;
	strcpy(ev.tcp.daddr, "10.0.0.8");
	ev.tcp.dport = 80;
	ev.tcp.result = TT_EV_REFUSED;
	ev.tcp.ns = 45200000;
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "-> 10.0.0.8:80  refused  45.2ms");
	ev.tcp.retransmits = 2;
	ck_assert_str_eq(
		tt_event_detail(&ev, d, sizeof(d)),
		"-> 10.0.0.8:80  refused  45.2ms  (2 SYN retransmits)");
	ev.tcp.retransmits = 1;
	ck_assert_str_eq(tt_event_what(&ev, d, sizeof(d)),
			 "-> 10.0.0.8:80  45.2ms  (1 SYN retransmit)");
}
END_TEST

/*
 * The kinds whose detail is their "what" with the outcome around it. A
 * slow mmap returns an address: 15 digits, shown whole (it was cut after
 * 11 once).
 */
START_TEST(test_slow_signal_oom_exec_text)
{
	static const char argv[] = "grep\0-r\0foo\0/etc";
	struct tt_event ev;
	char d[256];

	memset(&ev, 0, sizeof(ev));
	ev.kind = TT_EV_SLOW;
	ev.slow.nr = 9; /* mmap */
	ev.slow.arg0 = 0x1000;
	ev.slow.ns = 45200000;
	ev.slow.ret = 140737488355328LL;
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "mmap(0x1000) 45.2ms  = 140737488355328");
	ev.slow.ret = -11;
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "mmap(0x1000) 45.2ms  EAGAIN");
	/* cut where one snprintf of the whole line would cut it */
	ck_assert_str_eq(tt_event_detail(&ev, d, 16), "mmap(0x1000) 45");
	ck_assert_str_eq(tt_event_detail(&ev, d, 23), "mmap(0x1000) 45.2ms  E");
	memset(&ev, 0, sizeof(ev));
	ev.kind = TT_EV_SIGNAL;
	ev.signal.sig = 15;
	ev.signal.target_pid = 42;
	strcpy(ev.signal.target_comm, "sleep");
	ev.signal.result = 1;
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "SIGTERM -> 42 sleep  ignored");
	memset(&ev, 0, sizeof(ev));
	ev.kind = TT_EV_OOM;
	ev.oom.rss_bytes = 1 << 20;
	ev.oom.cgroup = "/hog";
	ev.oom.trigger_pid = 7;
	strcpy(ev.oom.trigger_comm, "hog");
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "killed, rss 1.0M, cgroup /hog (by 7 hog)");
	ck_assert_str_eq(tt_event_detail(&ev, d, 11), "killed, rs");
	ev = exec_ev(4511, argv, sizeof(argv));
	ev.exec.ret = -2;
	ck_assert_str_eq(tt_event_detail(&ev, d, sizeof(d)),
			 "/usr/bin/grep  grep -r foo /etc ...  (ppid 1)  "
			 "failed ENOENT");
}
END_TEST

/* The log keeps the newest cap events, deep copies, and counts the rest. */
START_TEST(test_evlog_bound)
{
	static const char argv[] = "a\0b\0c\0d";
	struct tt_evlog *l = tt_evlog_new(3);
	struct tt_snapshot *s = tt_snapshot_new();
	struct tt_event evs[5];

	for (int i = 0; i < 5; i++)
		evs[i] = exec_ev(100 + (uint32_t)i, argv, sizeof(argv));
	s->events = evs;
	s->nevents = 5;
	s->events_omitted = 2;
	ck_assert_int_eq(tt_evlog_add(l, s), 0);
	s->events = NULL;
	s->nevents = 0;
	tt_snapshot_unref(s);
	ck_assert_uint_eq(tt_evlog_count(l), 3);
	ck_assert_uint_eq(tt_evlog_dropped(l), 2 + 2);
	ck_assert_uint_eq(tt_evlog_get(l, 0)->pid, 102);
	ck_assert_uint_eq(tt_evlog_get(l, 2)->pid, 104);
	ck_assert_ptr_ne(tt_evlog_get(l, 2)->exec.argv, argv);
	ck_assert_int_eq(
		memcmp(tt_evlog_get(l, 2)->exec.argv, argv, sizeof(argv)), 0);
	ck_assert_ptr_null(tt_evlog_get(l, 3));
	ck_assert(tt_event_of_pid(tt_evlog_get(l, 0), 1)); /* a child's */
	tt_evlog_free(l);
}
END_TEST

/* a snapshot of time t with events of pids t*10+1 .. t*10+n */
static struct tt_snapshot *ev_snap(double t, struct tt_event *evs, int n)
{
	static const char argv[] = "a\0b";
	struct tt_snapshot *s = tt_snapshot_new();

	for (int i = 0; i < n; i++)
		evs[i] = exec_ev((uint32_t)t * 10 + 1 + (uint32_t)i, argv,
				 sizeof(argv));
	s->time = t;
	s->events = evs;
	s->nevents = (size_t)n;
	return s;
}

static void ev_add(struct tt_evlog *l, double t, int n)
{
	struct tt_event evs[4];
	struct tt_snapshot *s = ev_snap(t, evs, n);

	ck_assert_int_eq(tt_evlog_add(l, s), 0);
	s->events = NULL;
	s->nevents = 0;
	tt_snapshot_unref(s);
}

/*
 * Back in a recording: the log is cut to the snapshot stepped back to,
 * when that one's events are still kept; the count of all added follows.
 */
START_TEST(test_evlog_rewind)
{
	struct tt_evlog *l = tt_evlog_new(5);

	ev_add(l, 1, 2);
	ev_add(l, 2, 2);
	ev_add(l, 3, 0);
	ev_add(l, 4, 2);
	ck_assert_uint_eq(tt_evlog_total(l), 6);
	ck_assert_uint_eq(tt_evlog_count(l), 5); /* 11 fell out */
	ck_assert(!tt_evlog_rewind(l, 5));	 /* never added */
	ck_assert(tt_evlog_rewind(l, 3));
	ck_assert_uint_eq(tt_evlog_count(l), 3);
	ck_assert_uint_eq(tt_evlog_total(l), 4);
	ck_assert_uint_eq(tt_evlog_get(l, 2)->pid, 22);
	ck_assert(!tt_evlog_rewind(l, 4)); /* cut off now */
	ev_add(l, 4, 1);
	ck_assert_uint_eq(tt_evlog_get(l, 3)->pid, 41);
	/* snapshot 1's events: one of two kept, so it can be stepped to */
	ck_assert(tt_evlog_rewind(l, 1));
	ck_assert_uint_eq(tt_evlog_count(l), 1);
	ck_assert_uint_eq(tt_evlog_get(l, 0)->pid, 12);
	ev_add(l, 2, 4);
	ev_add(l, 3, 4); /* 12 and snapshot 2's first three fall out */
	ck_assert(!tt_evlog_rewind(l, 1));
	ck_assert(tt_evlog_rewind(l, 2));
	ck_assert_uint_eq(tt_evlog_count(l), 1);
	ck_assert_uint_eq(tt_evlog_get(l, 0)->pid, 24);
	tt_evlog_clear(l);
	ck_assert_uint_eq(tt_evlog_total(l), 0);
	ck_assert(!tt_evlog_rewind(l, 2));
	tt_evlog_free(l);
}
END_TEST

/*
 * What the Events view's DUR, RESULT and TIME columns show, its search,
 * and the kinds list the E key takes and shows.
 */
START_TEST(test_event_columns)
{
	static const char argv[] = "grep\0-r\0foo";
	struct tt_event ev = exec_ev(4511, argv, sizeof(argv));
	char b[128], k[128];
	uint32_t m;

	setenv("TZ", "UTC", 1);
	tzset();
	tt_colset_cell(&tt_event_cols, TT_EC_TIME, &ev, b, sizeof(b));
	ck_assert_str_eq(b, "22:13:20.123");
	tt_colset_cell(&tt_event_cols, TT_EC_RESULT, &ev, b, sizeof(b));
	ck_assert_str_eq(b, "ok");
	tt_colset_cell(&tt_event_cols, TT_EC_DUR, &ev, b, sizeof(b));
	ck_assert_str_eq(b, "-");
	ck_assert(tt_event_matches(&ev, "-R FOO"));
	ck_assert(!tt_event_matches(&ev, "bar"));
	/* argc says 4, argv holds 3: nothing is read past argv_len */
	ck_assert_str_eq(tt_event_args(&ev, b, sizeof(b)), "grep -r foo ...");
	ev.exec.ret = -ENOENT;
	ck_assert_str_eq(tt_event_result(&ev, b, sizeof(b)), "ENOENT");

	memset(&ev, 0, sizeof(ev));
	ev.kind = TT_EV_EXIT;
	ev.exit.code = 1;
	ev.exit.lifetime_ns = 85000000;
	ck_assert_str_eq(tt_event_result(&ev, b, sizeof(b)), "code 1");
	ck_assert_uint_eq(tt_event_ns(&ev), 85000000);
	tt_colset_cell(&tt_event_cols, TT_EC_DUR, &ev, b, sizeof(b));
	ck_assert_str_eq(b, "85.0ms");
	ev.exit.signal = 9;
	ev.exit.core = true;
	ck_assert_str_eq(tt_event_result(&ev, b, sizeof(b)), "SIGKILL core");
	ev.kind = TT_EV_CONNECT;
	ev.tcp.result = TT_EV_REFUSED;
	ck_assert_str_eq(tt_event_result(&ev, b, sizeof(b)), "refused");

	ck_assert_str_eq(tt_ev_kinds_str(0, k, sizeof(k)), "none");
	ck_assert_str_eq(tt_ev_kinds_str((1u << TT_EV_KINDS) - 1, k, sizeof(k)),
			 "all");
	ck_assert_int_eq(tt_ev_kinds_parse("tcp,-reset,exit", &m, b, sizeof(b)),
			 0);
	ck_assert_str_eq(tt_ev_kinds_str(m, k, sizeof(k)),
			 "exit,connect,accept,close");
	ck_assert_int_eq(tt_ev_kinds_parse(k, &m, b, sizeof(b)), 0);
	ck_assert_str_eq(tt_ev_kinds_str(m, b, sizeof(b)), k);
}
END_TEST

/* The event counters by cgroup and the losses by kind, on /metrics. */
START_TEST(test_event_metrics)
{
	struct tt_metrics_opts o = { .openmetrics = false, .top = 5 };
	struct tt_snapshot *s = tt_snapshot_new();
	size_t len;
	char *t;

	strcpy(s->version, "1.0");
	s->events_on = true;
	s->groups = tt_arena_alloc(&s->arena, sizeof(*s->groups));
	s->ngroups = 1;
	s->groups[0].name = "/app";
	s->groups[0].ev_execs = 12;
	s->groups[0].ev_exec_failures = 3;
	s->groups[0].ev_exits[2] = 4;
	s->groups[0].ev_connects[TT_EV_REFUSED] = 5;
	s->groups[0].ev_ooms = 1;
	s->groups[0].ev_slow = 6;
	s->ev_lost_limited[TT_EV_EXEC] = 7;
	ck_assert_int_eq(tt_metrics_render(s, &o, &t, &len), 0);
	ck_assert_ptr_nonnull(strstr(t, "tracetop_cgroup_execs_total{cgroup=\"/"
					"app\",result=\"ok\"} 12\n"));
	ck_assert_ptr_nonnull(strstr(t, "tracetop_cgroup_execs_total{cgroup=\"/"
					"app\",result=\"failed\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(t, "tracetop_cgroup_exits_total{cgroup=\"/"
					"app\",code=\"signal\"} 4\n"));
	ck_assert_ptr_nonnull(
		strstr(t, "tracetop_cgroup_tcp_connect_results_total{cgroup=\"/"
			  "app\",result=\"refused\"} 5\n"));
	ck_assert_ptr_nonnull(strstr(
		t, "tracetop_cgroup_oom_kills_total{cgroup=\"/app\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(
		t, "tracetop_cgroup_slow_syscalls_total{cgroup=\"/app\"} 6\n"));
	ck_assert_ptr_nonnull(strstr(t, "tracetop_events_lost_total{kind="
					"\"exec\",cause=\"rate_limit\"} 7\n"));
	free(t);
	/* --no-events: the series are absent, not 0 */
	s->events_on = false;
	ck_assert_int_eq(tt_metrics_render(s, &o, &t, &len), 0);
	ck_assert_ptr_null(strstr(t, "tracetop_cgroup_execs_total"));
	ck_assert_ptr_null(strstr(t, "tracetop_events_lost_total"));
	free(t);
	tt_snapshot_unref(s);
}
END_TEST

Suite *events_suite(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("events");

	tcase_add_test(tc, test_kinds_parse);
	tcase_add_test(tc, test_exec_line_and_json);
	tcase_add_test(tc, test_exit_and_connect_text);
	tcase_add_test(tc, test_slow_signal_oom_exec_text);
	tcase_add_test(tc, test_evlog_bound);
	tcase_add_test(tc, test_evlog_rewind);
	tcase_add_test(tc, test_event_columns);
	tcase_add_test(tc, test_event_metrics);
	suite_add_tcase(s, tc);
	return s;
}
