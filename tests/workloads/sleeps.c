// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sleeps - the nanosleep syscall itself (not glibc's, which is
 * clock_nanosleep) for 150 ms, then for 50 ms; each timed by our clock.
 */
#include <sys/syscall.h>
#include "wl.h"

static double nap(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	double t = wl_now();

	if (syscall(SYS_nanosleep, &ts, NULL) < 0)
		wl_die("nanosleep");
	return wl_now() - t;
}

int main(void)
{
	double a, b;

	printf("pid %d\n", getpid());
	wl_wait_go();
	a = nap(150);
	b = nap(50);
	printf("{\"d150_ns\":%.0f,\"d50_ns\":%.0f}\n", a * 1e9, b * 1e9);
	return 0;
}
