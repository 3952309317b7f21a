// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * blockstates SECONDS - one thread that spends known shares of its time
 * in each scheduler state, cycle after cycle for SECONDS:
 *
 *   spin      running, about 8 ms of CPU        main -> do_spin
 *   nanosleep sleeping (interruptible), 12 ms   main -> do_sleep
 *   read      sleeping on a pipe, 6 ms          main -> do_read
 *             (a helper process answers after 6 ms)
 *   vfork     blocked (uninterruptible: the parent of a vfork waits in
 *             TASK_KILLABLE), 4 ms while the child sleeps, then _exits
 *
 * and report, as measured by the workload itself: its CPU time, the wall
 * time of each kind of wait, and the kernel's own run and run-queue time
 * for the thread from /proc/self/schedstat. Built without frame pointers.
 */
#include <sched.h>
#include <sys/wait.h>
#include "wl.h"

#define SPIN_S	0.008
#define SLEEP_S 0.012
#define READ_S	0.006
#define VFORK_S 0.004

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
	struct timespec ts = { 0, (long)(s * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

__attribute__((noipa)) static void do_spin(void)
{
	double end = cpu_now() + SPIN_S;
	volatile unsigned long x = 0;

	while (cpu_now() < end)
		for (int i = 0; i < 20000; i++)
			x += (unsigned long)i;
}

__attribute__((noipa)) static void do_sleep(void)
{
	nap(SLEEP_S);
	__asm__ volatile("");
}

__attribute__((noipa)) static void do_read(int req, int ans)
{
	char c = 'q';

	wl_write_full(req, &c, 1);
	wl_read_full(ans, &c, 1);
	__asm__ volatile("");
}

__attribute__((noipa)) static void do_vfork(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		nap(VFORK_S);
		_exit(0);
	}
	if (pid < 0)
		wl_die("vfork");
	waitpid(pid, NULL, 0);
	__asm__ volatile("");
}

/* the helper: answer each request after READ_S */
static void helper(int req, int ans)
{
	char c;

	wl_die_with_parent();
	while (read(req, &c, 1) == 1) {
		nap(READ_S);
		wl_write_full(ans, &c, 1);
	}
	_exit(0);
}

static void schedstat(unsigned long long *run, unsigned long long *wait)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "r");

	*run = *wait = 0;
	if (!f || fscanf(f, "%llu %llu", run, wait) != 2)
		wl_die("/proc/thread-self/schedstat");
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *usage = "blockstates SECONDS";
	double end, t0, wall0, spin = 0, slp = 0, rd = 0, vf = 0, c0;
	unsigned long long run0, wait0, run1, wait1;
	int req[2], ans[2];
	long cycles = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	end = (double)wl_arg(argv[1], usage);
	if (pipe(req) || pipe(ans))
		wl_die("pipe");
	if (fork() == 0)
		helper(req[0], ans[1]);
	printf("pid %d\n", getpid());
	wl_wait_go();
	schedstat(&run0, &wait0);
	c0 = cpu_now();
	wall0 = wl_now();
	end += wall0;
	while (wl_now() < end) {
		t0 = wl_now();
		do_spin();
		spin += wl_now() - t0;
		t0 = wl_now();
		do_sleep();
		slp += wl_now() - t0;
		t0 = wl_now();
		do_read(req[1], ans[0]);
		rd += wl_now() - t0;
		t0 = wl_now();
		do_vfork();
		vf += wl_now() - t0;
		cycles++;
	}
	schedstat(&run1, &wait1);
	printf("{\"wall_ns\":%.0f,\"cpu_ns\":%.0f,\"spin_ns\":%.0f,"
	       "\"sleep_ns\":%.0f,\"read_ns\":%.0f,\"vfork_ns\":%.0f,"
	       "\"cycles\":%ld,\"sched_run_ns\":%llu,\"sched_wait_ns\":%llu}\n",
	       (wl_now() - wall0) * 1e9, (cpu_now() - c0) * 1e9, spin * 1e9,
	       slp * 1e9, rd * 1e9, vf * 1e9, cycles, run1 - run0,
	       wait1 - wait0);
	return 0;
}
