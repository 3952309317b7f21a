// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * spin SECONDS - burn CPU for SECONDS of wall time, then report the CPU time
 * the kernel charged to this process: utime + stime from /proc/self/stat in
 * clock ticks, with the tick rate to convert them, and the same time in ns
 * from CLOCK_PROCESS_CPUTIME_ID. tracetop's sched.oncpu_ns must agree.
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

int main(int argc, char **argv)
{
	const char *usage = "spin SECONDS";
	unsigned long long ut, st;
	volatile unsigned long spins = 0;
	double end;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	end = wl_arg(argv[1], usage);

	printf("pid %d\n", getpid());
	wl_wait_go();

	/* clock_gettime is a vDSO call: the loop makes no syscall */
	end += now(CLOCK_MONOTONIC);
	while (now(CLOCK_MONOTONIC) < end)
		spins++;

	cpu_ticks(&ut, &st);
	printf("{\"utime_ticks\":%llu,\"stime_ticks\":%llu,\"ticks_per_s\":%ld,"
	       "\"cputime_ns\":%.0f}\n",
	       ut, st, sysconf(_SC_CLK_TCK),
	       now(CLOCK_PROCESS_CPUTIME_ID) * 1e9);
	return 0;
}
