// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * keepcalling N MS - a thread that keeps calling: exactly N getppid()
 * calls, then getpid() without a pause for MS milliseconds. It runs
 * SCHED_FIFO, so nothing of ordinary priority switches it out: its
 * getppid calls wait in its tallies (bpf/syscalls.bpf.c) until they are
 * SC_PEND_NS old and the next call folds them. The result gives the
 * wall-clock times (CLOCK_REALTIME, as in snapshots) when the getppid
 * calls were done and when the thread stopped calling.
 */
#include <sched.h>
#include <sys/syscall.h>
#include "wl.h"

static double real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *usage = "keepcalling N MS";
	struct sched_param sp = { .sched_priority = 1 };
	double a_end, b_end, until;
	long n, ms, b = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	n = wl_arg(argv[1], usage);
	ms = wl_arg(argv[2], usage);
	printf("pid %d\n", getpid());
	wl_wait_go();
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
		wl_die("sched_setscheduler(SCHED_FIFO)");
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	a_end = real_now(); /* a vDSO call: no syscall */
	until = wl_now() + ms / 1e3;
	while (wl_now() < until) {
		syscall(SYS_getpid);
		b++;
	}
	b_end = real_now();
	sp.sched_priority = 0;
	sched_setscheduler(0, SCHED_OTHER, &sp);
	printf("{\"getppid\":%ld,\"getpid\":%ld,\"calls_end\":%.6f,"
	       "\"end\":%.6f}\n",
	       n, b, a_end, b_end);
	return 0;
}
