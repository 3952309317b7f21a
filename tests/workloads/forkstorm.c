// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * forkstorm SECONDS EXEC_EVERY [RATE [KINDS]] - short-lived processes as fast
 * as one parent can make them (or RATE per second), for SECONDS: each child
 * exits at once, except every EXEC_EVERY-th, which execs (0: never).
 * Children are reaped as they end. vfork(), as posix_spawn() does: a full
 * fork() copies the page tables and is ten times slower on small VMs, too
 * slow for the thousands per second this load is for. For the hardening
 * suite (tests/hardening/run): the load that fills tracetop's per-process
 * maps and races its /proc reads. Protocol of wl.h; the result gives
 * forks, execs and the rate achieved.
 *
 * With RATE, every child is an answer to check: child i makes 1 + i % 7
 * getppid() calls and exits (an exec'ing child makes them after exec'ing
 * this program again, as "forkstorm --child N"), and the result lists each
 * one as [pid, first, last, calls]: its start time, in the clock ticks of
 * /proc/PID/stat's starttime, lies in [first, last] (read from
 * CLOCK_BOOTTIME, a vDSO call, around the vfork), which tells the
 * incarnations of a recycled PID apart. Without RATE, no list.
 *
 * With KINDS (1 to 20), a child that does not exec makes its n calls of
 * each of the first KINDS system calls of the table below, not getppid()
 * alone: so many (process, syscall) pairs a second that tracetop's
 * syscall map must hold a whole refresh of them (1,500 children a second
 * of 20 kinds: 30,000 pairs).
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "wl.h"

struct rec {
	long pid, first, last, calls;
};

/* CLOCK_BOOTTIME in USER_HZ (100) ticks, as /proc/PID/stat's starttime */
static long boot_ticks(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 100 + ts.tv_nsec / 10000000;
}

static void calls(long n)
{
	for (long j = 0; j < n; j++)
		syscall(SYS_getppid);
}

/* cheap calls that change nothing a vfork parent shares; getppid first */
static const long kind_nr[] = {
	SYS_getppid,
	SYS_getpid,
	SYS_gettid,
	SYS_getuid,
	SYS_geteuid,
	SYS_getgid,
	SYS_getegid,
	SYS_getpgrp,
	SYS_getsid,
	SYS_getpgid,
	SYS_sched_yield,
	SYS_getpriority,
	SYS_times,
	SYS_getcpu,
	SYS_sched_getscheduler,
	SYS_alarm,
	SYS_personality,
	SYS_sched_get_priority_max,
	SYS_sched_get_priority_min,
	SYS_getrandom,
};

static void kinds_calls(long n, long kinds)
{
	char b[8];

	for (long k = 0; k < kinds; k++)
		for (long j = 0; j < n; j++) {
			switch (kind_nr[k]) {
			case SYS_getpriority:
				syscall(kind_nr[k], 0 /* PRIO_PROCESS */, 0);
				break;
			case SYS_personality:
				syscall(kind_nr[k], 0xffffffffUL); /* query */
				break;
			case SYS_getrandom:
				syscall(kind_nr[k], b, sizeof(b), 0);
				break;
			default: /* 0 or NULL args: this process, no out */
				syscall(kind_nr[k], 0, 0, 0);
			}
		}
}

int main(int argc, char **argv)
{
	const char *usage = "forkstorm SECONDS EXEC_EVERY [RATE [KINDS]]";
	long secs, every, rate = 0, kinds = 0, forks = 0, execs = 0, max = 0;
	char self[4096];
	ssize_t len;
	struct rec *r = NULL;
	double t0, end;

	if (argc == 3 && !strcmp(argv[1], "--child")) {
		calls(wl_arg(argv[2], usage));
		return 0;
	}
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	secs = wl_arg(argv[1], usage);
	every = wl_arg(argv[2], usage);
	if (argc == 5) {
		kinds = wl_arg(argv[4], usage);
		if (kinds < 1 ||
		    kinds > (long)(sizeof(kind_nr) / sizeof(*kind_nr))) {
			fprintf(stderr, "usage: %s (KINDS 1 to 20)\n", usage);
			return 2;
		}
	}
	if (argc >= 4) {
		rate = wl_arg(argv[3], usage);
		max = rate * secs + 64;
		r = mmap(NULL, max * sizeof(*r), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r == MAP_FAILED)
			wl_die("mmap");
	}

	/* by its own name: exec'ing /proc/self/exe would name it "exe" */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		wl_die("readlink /proc/self/exe");
	self[len] = '\0';
	printf("pid %d\n", getpid());
	wl_wait_go();

	t0 = wl_now();
	for (end = t0 + secs; wl_now() < end;) {
		/* a batch between clock reads: the clock is not the load */
		for (int i = 0; i < 16; i++, forks++) {
			int ex = every && forks % every == 0;
			long n = 1 + forks % 7, first = r ? boot_ticks() : 0;
			char arg[24];
			pid_t pid;

			if (r && forks >= max)
				break;
			snprintf(arg, sizeof(arg), "%ld", n);
			pid = vfork();
			if (pid < 0) {
				if (errno == EAGAIN) /* pid space or limits */
					break;
				wl_die("fork");
			}
			if (pid == 0) {
				if (ex)
					execl(self, "wl-forkstorm", "--child",
					      arg, (char *)NULL);
				if (r && !ex && kinds)
					kinds_calls(n, kinds);
				else if (r && !ex)
					calls(n);
				_exit(0);
			}
			if (r)
				r[forks] = (struct rec){ pid, first,
							 boot_ticks(), n };
			execs += ex;
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		if (r && forks >= max)
			break;
		/* RATE: no faster than the clock allows (16 at a time) */
		while (rate && forks > (wl_now() - t0) * rate)
			usleep(1000);
	}
	printf("{\"forks\":%ld,\"execs\":%ld,\"seconds\":%.3f,\"per_s\":%.0f",
	       forks, execs, wl_now() - t0, forks / (wl_now() - t0));
	if (r) {
		printf(",\"children\":[");
		for (long i = 0; i < forks; i++)
			printf("%s[%ld,%ld,%ld,%ld]", i ? "," : "", r[i].pid,
			       r[i].first, r[i].last, r[i].calls);
		printf("]");
	}
	printf("}\n");
	return 0;
}
