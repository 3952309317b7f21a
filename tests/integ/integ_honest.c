// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_honest.c - numbers that must not pretend (issue 11): a figure
 * tracetop cannot measure any more is estimated and says so, or is shown
 * as absent; it never turns into a zero that reads as measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/bpf_stats.h"
#include "tests/integ/integ_harness.h"

#define N_STORM 2000000 /* getppid calls, made after the calibration */

/* seconds tracing has run: the snapshots' intervals */
static double traced_s(const struct ih_tt *tt)
{
	double t = 0;

	for (size_t i = 0; i < tt->n; i++)
		t += ih_num(tt->snaps[i], "interval_s");
	return t;
}

static bool snap_estimated(const cJSON *snap)
{
	return cJSON_IsTrue(ih_path(snap, "cost.bpf_estimated"));
}

/*
 * The kernel's run-time stats are on only for the first 2 s; the cost of
 * the BPF programs must go on being reported after that, estimated. The
 * workload's getppid calls start once the estimate has begun, so every
 * one of them falls in estimated snapshots: each call runs sys_enter and
 * sys_exit, so those snapshots must count at least 2 runs per call (other
 * processes' syscalls and switches add to it). ns per run is a figure
 * measured in the calibration window: between 10 ns (no BPF program runs
 * faster) and 20 us (none of ours runs that long).
 */
START_TEST(test_cost_after_calibration)
{
	struct ih_wl *wl = ih_wl_start("getppid", "2000000", "0", NULL);
	struct ih_tt *tt = ih_tt_start(wl->pidlist, NULL);
	double events = 0, ns = 0;
	size_t from, estimated = 0;
	char before[64], after[64];

	/* past the calibration window: the snapshot that says it closed,
	 * or 3 s of snapshots (while someone else holds the stats on, none
	 * says so) */
	while (!snap_estimated(tt->snaps[tt->n - 1]) && traced_s(tt) < 3.0)
		ih_tt_wait_snaps(tt, 1, 5000);
	from = tt->n;
	snprintf(before, sizeof(before), "/tmp/tt-stats-%d-a", (int)getpid());
	snprintf(after, sizeof(after), "/tmp/tt-stats-%d-b", (int)getpid());
	bpf_stats_mark(before);
	ih_wl_go(wl);
	ih_wl_finish(wl, tt, 20000);
	ih_tt_wait_exited(tt, wl->pids, 1, 10000);
	ih_tt_wait_snaps(tt, 2, 5000);
	bpf_stats_mark(after);
	ih_tt_stop(tt);

	for (size_t i = from; i < tt->n; i++) {
		const cJSON *s = tt->snaps[i];
		double dt = ih_num(s, "interval_s");
		double e = ih_num(s, "cost.bpf_events_per_s") * dt;
		double n = ih_num(s, "cost.bpf_ns_per_s") * dt;

		events += e;
		ns += n;
		estimated += snap_estimated(s) && e > 0;
		if (e > 0)
			ck_assert_msg(n >= 10 * e && n <= 20000 * e,
				      "snapshot %zu: %.0f ns for %.0f runs", i,
				      n, e);
	}
	ck_assert_msg(events >= 2.0 * N_STORM,
		      "%.0f BPF runs counted after calibration for %d "
		      "getppid calls (at least 2 each)",
		      events, N_STORM);
	/* measured instead while someone else held the stats on */
	ck_assert_msg(estimated >= 1 || bpf_stats_moved(before, after),
		      "no snapshot after calibration says its cost is an "
		      "estimate");
	unlink(before);
	unlink(after);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/*
 * --no-tcp --no-sched: the real binary's snapshots carry no TCP or
 * scheduler figure of any process (null, as the schema says, which
 * ih_tt_stop() checks every line against), while its syscall counts stay
 * exact; -b shows "-" in the TCP columns of the workload's row.
 */
START_TEST(test_subsystem_off_is_absent)
{
	struct ih_wl *wl = ih_wl_start("getppid", "1000", "0", "hold", NULL);
	struct ih_tt *tt =
		ih_tt_start(wl->pidlist, "--no-tcp", "--no-sched", NULL);
	char *argv[] = { (char *)ih_tracetop(),
			 "-b",
			 "-n",
			 "1",
			 "-d",
			 "0.3",
			 "--no-tcp",
			 "-p",
			 wl->pidlist,
			 NULL };
	char *out = NULL, *err = NULL, *row, pid[16];
	const cJSON *p = NULL;

	ih_wl_go(wl);
	free(ih_wl_line(wl, tt, 10000)); /* its result: the calls are made */
	ih_tt_wait_snaps(tt, 2, 5000);
	ck_assert_int_eq(ih_exit_code(ih_run(argv, 20000, &out, &err)), 0);
	ih_wl_go(wl); /* it ends */
	ih_tt_wait_exited(tt, wl->pids, 1, 10000);
	ih_tt_stop(tt);

	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *s = tt->snaps[i], *q;

		ck_assert_msg(cJSON_IsNull(ih_path(s, "connections")) &&
				      cJSON_IsNull(ih_path(s, "sched")),
			      "snapshot %zu: connections or sched not null", i);
		cJSON_ArrayForEach(q, ih_path(s, "processes"))
		{
			ck_assert_msg(cJSON_IsNull(ih_path(q, "tcp")) &&
					      cJSON_IsNull(ih_path(q, "sched")),
				      "snapshot %zu: a process's tcp or sched "
				      "is not null",
				      i);
		}
	}
	p = ih_tt_exited(tt, wl->pids[0]);
	ck_assert_double_eq(ih_num(p, "syscalls.by_name.getppid.count"), 1000);

	/* -b: the row of the workload, "-" under the TCP titles */
	snprintf(pid, sizeof(pid), "\n%7d ", wl->pids[0]);
	row = strstr(out, pid);
	ck_assert_msg(row != NULL, "-b: no row of %d:\n%s", wl->pids[0], out);
	row++;
	row[strcspn(row, "\n")] = '\0';
	{
		const char *hdr = strstr(out, "    PID ");
		static const char *const t[] = { "TX/s", "RX/s", "CONN",
						 "RETR" };

		ck_assert_ptr_nonnull(hdr);
		for (size_t i = 0; i < 4; i++) {
			const char *h = strstr(hdr, t[i]);
			size_t end = (size_t)(h - hdr) + strlen(t[i]);

			ck_assert_msg(h && strlen(row) >= end &&
					      row[end - 1] == '-' &&
					      row[end - 2] == ' ',
				      "-b --no-tcp: %s is not \"-\":\n%s\n%s",
				      t[i], hdr, row);
		}
	}
	free(out);
	free(err);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/*
 * One tracepoint that is missing (TRACETOP_FAULTS): the figure it makes
 * is null in every process, the figures of the rest of its subsystem are
 * there and exact.
 */
START_TEST(test_missing_probe_is_null)
{
	struct ih_wl *wl;
	struct ih_tt *tt;
	const cJSON *p;

	setenv("TRACETOP_FAULTS", "missing:tt_tcp_retransmit", 1);
	wl = ih_wl_start("tcpxfer", "100000", NULL);
	tt = ih_tt_run(wl, 20000);
	unsetenv("TRACETOP_FAULTS");
	ck_assert_int_eq(wl->npids, 2);
	p = ih_tt_exited(tt, wl->pids[1]); /* the sender: it connected */
	ck_assert_msg(cJSON_IsNull(ih_path(p, "tcp.retransmits")),
		      "tcp.retransmits is not null without its tracepoint");
	ck_assert(cJSON_IsNumber(ih_path(p, "tcp.tx_bytes")));
	ck_assert(cJSON_IsNumber(ih_path(p, "tcp.connects")));
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

Suite *integ_honest_suite(void)
{
	Suite *s = suite_create("integ_honest");
	TCase *tc = ih_tcase(s, "cost", 60);

	tcase_add_test(tc, test_cost_after_calibration);
	tc = ih_tcase(s, "absent", 60);
	tcase_add_test(tc, test_subsystem_off_is_absent);
	tcase_add_test(tc, test_missing_probe_is_null);
	return s;
}
