// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_figures.c - figures that no other test proved (issue 11, the
 * figure->test table of tests/README.md): the snapshot's host, kernel and
 * CPUs, rates that must add up over the snapshots to the workload's own
 * totals, a connection's program name, syscall time against the
 * workload's own clock, and tracetop's own memory against /proc.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "tests/integ/integ_harness.h"

/* host, kernel and cpus: the system's own answers, exactly */
START_TEST(test_host_kernel_cpus)
{
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	char host[256] = "";
	struct utsname u;
	const cJSON *s;

	ih_tt_wait_snaps(tt, 1, 5000);
	ih_tt_stop(tt);
	ck_assert_int_eq(gethostname(host, sizeof(host) - 1), 0);
	ck_assert_int_eq(uname(&u), 0);
	for (size_t i = 0; i < tt->n; i++) {
		s = tt->snaps[i];
		ck_assert_str_eq(ih_path(s, "host")->valuestring, host);
		ck_assert_str_eq(ih_path(s, "kernel")->valuestring, u.release);
		ck_assert_double_eq(ih_num(s, "cpus"),
				    (double)sysconf(_SC_NPROCESSORS_ONLN));
	}
	ih_tt_free(tt);
}
END_TEST

/*
 * Sum over the snapshots of rate x interval_s for the row of pid (or the
 * snapshot itself, pid 0): a rate is its counter's growth over the
 * interval, so the sum is the counter's last value (each row's first
 * interval counts from 0).
 */
static double integral(const struct ih_tt *tt, int pid, const char *rate)
{
	double sum = 0;

	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *row =
			pid ? ih_snap_proc(tt->snaps[i], pid) : tt->snaps[i];

		if (row)
			sum += ih_num(row, rate) *
			       ih_num(tt->snaps[i], "interval_s");
	}
	return sum;
}

/* the connection of tt's snapshots whose local port is sport, the last
 * time it shows, and the sum of its rate over the snapshots */
static const cJSON *conn_integral(const struct ih_tt *tt, int sport,
				  const char *rate, double *sum)
{
	const cJSON *last = NULL;

	*sum = 0;
	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *c;

		cJSON_ArrayForEach(c, ih_path(tt->snaps[i], "connections"))
		{
			if (ih_num(c, "sport") != sport)
				continue;
			*sum += ih_num(c, rate) *
				ih_num(tt->snaps[i], "interval_s");
			last = c;
		}
	}
	return last;
}

/* equal within the rounding of the printed numbers (15 digits) */
static bool same(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(1, fabs(b));
}

/*
 * One connection, 1,000,000 bytes: the sender's tcp.tx_rate and the
 * receiver's tcp.rx_rate add up to what the workload sent and received,
 * so do the sender's connection's tx_rate; the connection's comm is the
 * workload's program name.
 */
START_TEST(test_tcp_rates_add_up)
{
	struct ih_wl *wl = ih_wl_start("tcpxfer", "1000000", NULL);
	struct ih_tt *tt;
	const cJSON *res, *c;
	double sum;
	int snd, rcv;

	ck_assert_int_eq(wl->npids, 2);
	tt = ih_tt_run(wl, 20000);
	res = wl->result;
	snd = (int)ih_num(res, "sender_pid");
	rcv = (int)ih_num(res, "receiver_pid");
	ck_assert_double_eq(ih_num(res, "sent"), 1000000);
	sum = integral(tt, snd, "tcp.tx_rate");
	ck_assert_msg(same(sum, ih_num(res, "sent")),
		      "sender: tx_rate x interval adds up to %.3f, sent %.0f",
		      sum, ih_num(res, "sent"));
	sum = integral(tt, rcv, "tcp.rx_rate");
	ck_assert_msg(same(sum, ih_num(res, "received")),
		      "receiver: rx_rate x interval adds up to %.3f, "
		      "received %.0f",
		      sum, ih_num(res, "received"));
	ck_assert_msg(same(integral(tt, snd, "tcp.rx_rate"), 0) &&
			      same(integral(tt, rcv, "tcp.tx_rate"), 0),
		      "bytes the other way");

	c = conn_integral(tt, (int)ih_num(res, "sender_port"), "tx_rate", &sum);
	ck_assert_msg(c != NULL, "the sender's connection never showed");
	ck_assert_double_eq(ih_num(c, "tx_bytes"), 1000000);
	ck_assert_msg(same(sum, 1000000),
		      "connection: tx_rate x interval adds up to %.3f", sum);
	ck_assert_str_eq(ih_path(c, "comm")->valuestring, "wl-tcpxfer");
	ck_assert_double_eq(ih_num(c, "pid"), snd);
	/* the accepted end: its local port is the listening one */
	c = conn_integral(tt, (int)ih_num(res, "port"), "rx_rate", &sum);
	ck_assert_msg(c != NULL, "the receiver's connection never showed");
	ck_assert_double_eq(ih_num(c, "pid"), rcv);
	ck_assert_msg(same(sum, ih_num(res, "received")),
		      "accepted end: rx_rate x interval adds up to %.3f", sum);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/*
 * pingpong: each process's sched.switch_rate adds up to its switches
 * (within 3 of getrusage, as integ_sched proves the counters), and the
 * system-wide sched.switch_rate (-p: theirs alone) to sched.switches,
 * within 4 x 3 of both processes' getrusage.
 */
START_TEST(test_switch_rates_add_up)
{
	struct ih_wl *wl = ih_wl_start("pingpong", "20000", NULL);
	struct ih_tt *tt;
	const cJSON *res;
	double own = 0, vol = 0, sum;
	static const char *const side[] = { "parent", "child" };

	ck_assert_int_eq(wl->npids, 2);
	tt = ih_tt_run(wl, 30000);
	res = wl->result;
	for (int i = 0; i < 2; i++) {
		char path[32];
		double ru, last;
		const cJSON *p = ih_tt_exited(tt, wl->pids[i]);

		snprintf(path, sizeof(path), "%s.nvcsw", side[i]);
		ru = ih_num(res, path);
		snprintf(path, sizeof(path), "%s.nivcsw", side[i]);
		ru += ih_num(res, path);
		own += ru;
		snprintf(path, sizeof(path), "%s.nvcsw", side[i]);
		vol += ih_num(res, path);
		last = ih_num(p, "sched.voluntary_switches") +
		       ih_num(p, "sched.involuntary_switches");
		sum = integral(tt, wl->pids[i], "sched.switch_rate");
		ck_assert_msg(same(sum, last) && fabs(sum - ru) <= 3,
			      "%s: switch_rate x interval %.3f, switches "
			      "%.0f, getrusage %.0f",
			      side[i], sum, last, ru);
	}
	sum = integral(tt, 0, "sched.switch_rate");
	ck_assert_msg(
		same(sum, ih_num(tt->snaps[tt->n - 1], "sched.switches")) &&
			fabs(sum - own) <= 12,
		"system-wide switch_rate x interval %.3f, switches %.0f, "
		"getrusage of both %.0f",
		sum, ih_num(tt->snaps[tt->n - 1], "sched.switches"), own);
	/* every voluntary switch is a wakeup later: a run-queue sample */
	ck_assert_msg(
		ih_hist_sum(tt->snaps[tt->n - 1], "sched.runq_hist") >= vol - 6,
		"sched.runq_hist holds %.0f samples for %.0f voluntary "
		"switches",
		ih_hist_sum(tt->snaps[tt->n - 1], "sched.runq_hist"), vol);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/*
 * Syscall time: 20 naps of 30 ms. The kernel sleeps at least 30 ms in
 * each, and tracetop's sys_enter..sys_exit lies inside the workload's
 * own clock reads around each call: 20 x 30 ms <= total_ns <= own_ns.
 */
START_TEST(test_syscall_time_within_own_clock)
{
	struct ih_wl *wl = ih_wl_start("naps", "20", "30", NULL);
	struct ih_tt *tt = ih_tt_start(wl->pidlist, NULL);
	const cJSON *res, *p;
	double t;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	ih_tt_wait_exited(tt, wl->pids, 1, 10000);
	ih_tt_stop(tt);
	p = ih_tt_exited(tt, wl->pids[0]);
	ck_assert_double_eq(ih_num(p, "syscalls.by_name.clock_nanosleep.count"),
			    20);
	t = ih_num(p, "syscalls.by_name.clock_nanosleep.total_ns");
	ck_assert_msg(t >= 20 * 30e6 && t <= ih_num(res, "own_ns"),
		      "clock_nanosleep total_ns %.0f, want between %.0f and "
		      "the workload's own %.0f",
		      t, 20 * 30e6, ih_num(res, "own_ns"));
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* VmRSS of tracetop's process, read from outside, in bytes */
static double vmrss(int pid)
{
	char path[64], line[256];
	double kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: cannot open", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %lf kB", &kb) == 1)
			break;
	fclose(f);
	ck_assert_msg(kb > 0, "%s: no VmRSS", path);
	return kb * 1024;
}

/*
 * cost.rss_bytes against the kernel's VmRSS of the tracetop process read
 * between two snapshots: within 1 MiB (it moves between the reads: a
 * snapshot's buffers come and go).
 */
START_TEST(test_self_rss)
{
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	double before, outside, after;

	ih_tt_wait_snaps(tt, 3, 5000);
	before = ih_num(tt->snaps[tt->n - 1], "cost.rss_bytes");
	outside = vmrss(tt->p->pid);
	ih_tt_wait_snaps(tt, 1, 5000);
	after = ih_num(tt->snaps[tt->n - 1], "cost.rss_bytes");
	ih_tt_stop(tt);
	ck_assert_msg(fabs(before - outside) <= 1 << 20 ||
			      fabs(after - outside) <= 1 << 20,
		      "cost.rss_bytes %.0f and %.0f around VmRSS %.0f", before,
		      after, outside);
	ih_tt_free(tt);
}
END_TEST

Suite *integ_figures_suite(void)
{
	Suite *s = suite_create("integ_figures");
	TCase *tc = ih_tcase(s, "figures", 60);

	tcase_add_test(tc, test_host_kernel_cpus);
	tcase_add_test(tc, test_tcp_rates_add_up);
	tcase_add_test(tc, test_switch_rates_add_up);
	tcase_add_test(tc, test_syscall_time_within_own_clock);
	tcase_add_test(tc, test_self_rss);
	return s;
}
