// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * naps N MS - exactly N clock_nanosleep() calls of MS milliseconds each,
 * each timed by the workload itself around the call (CLOCK_MONOTONIC, a
 * vDSO read: no syscall). The kernel sleeps at least MS in each, and
 * tracetop's time from sys_enter to sys_exit lies inside the workload's
 * own window: N x MS <= by_name.clock_nanosleep.total_ns <= own_ns.
 */
#include <sys/syscall.h>
#include "wl.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *usage = "naps N MS";
	struct timespec nap;
	uint64_t own = 0;
	long n, ms;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	n = wl_arg(argv[1], usage);
	ms = wl_arg(argv[2], usage);
	nap.tv_sec = ms / 1000;
	nap.tv_nsec = (ms % 1000) * 1000000L;

	printf("pid %d\n", getpid());
	wl_wait_go();
	for (long i = 0; i < n; i++) {
		uint64_t t0 = now_ns();

		/* the raw call: libc may not add or split any */
		if (syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &nap,
			    NULL) != 0)
			wl_die("clock_nanosleep");
		own += now_ns() - t0;
	}
	printf("{\"naps\":%ld,\"ms\":%ld,\"own_ns\":%llu}\n", n, ms,
	       (unsigned long long)own);
	return 0;
}
