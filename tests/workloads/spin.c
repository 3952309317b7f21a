// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * spin SECONDS - burn CPU for SECONDS of wall time, then report the CPU time
 * the kernel charged to this process: utime + stime from /proc/self/stat in
 * clock ticks, with the tick rate to convert them, the same time in ns
 * from CLOCK_PROCESS_CPUTIME_ID, and the thread's exact run time
 * (CLOCK_THREAD_CPUTIME_ID: the scheduler's sum_exec_runtime, not ticks)
 * from the go byte to the end of the spin, when tracetop is watching.
 * tracetop's sched.oncpu_ns must agree. On a virtual machine the
 * hypervisor steals time the scheduler does not charge to the thread,
 * while the thread holds its CPU: the time stolen from all CPUs meanwhile
 * (/proc/stat, in clock ticks) bounds that difference.
 */
#include <time.h>
#include "wl.h"

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* fields 14 and 15 of /proc/self/stat; comm (field 2) may hold spaces */
static void cpu_ticks(unsigned long long *ut, unsigned long long *st)
{
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n;

	if (!f)
		wl_die("/proc/self/stat");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime */
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
			 "%llu %llu",
			 ut, st) != 2) {
		fprintf(stderr, "cannot parse /proc/self/stat\n");
		exit(1);
	}
}

/* time stolen by the hypervisor from all CPUs, in clock ticks */
static unsigned long long steal_ticks(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f ||
	    fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		wl_die("/proc/stat");
	fclose(f);
	return v[7];
}

int main(int argc, char **argv)
{
	const char *usage = "spin SECONDS";
	unsigned long long ut, st, steal0, steal1;
	volatile unsigned long spins = 0;
	double end, t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	end = wl_arg(argv[1], usage);

	printf("pid %d\n", getpid());
	wl_wait_go();
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	steal0 = steal_ticks();

	/* clock_gettime is a vDSO call: the loop makes no syscall */
	end += now(CLOCK_MONOTONIC);
	while (now(CLOCK_MONOTONIC) < end)
		spins++;
	t1 = now(CLOCK_THREAD_CPUTIME_ID);
	steal1 = steal_ticks();

	cpu_ticks(&ut, &st);
	printf("{\"utime_ticks\":%llu,\"stime_ticks\":%llu,\"ticks_per_s\":%ld,"
	       "\"cputime_ns\":%.0f,\"thread_ns\":%.0f,\"steal_ticks\":%llu}\n",
	       ut, st, sysconf(_SC_CLK_TCK),
	       now(CLOCK_PROCESS_CPUTIME_ID) * 1e9, (t1 - t0) * 1e9,
	       steal1 - steal0);
	return 0;
}
