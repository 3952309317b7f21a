// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * exits - children that end in known ways: exit codes 0, 1, 42 and 255,
 * one killed by SIGTERM, and one that computes for about 50 ms and makes
 * exactly 5000 getppid() calls before exit code 7. For each, its pid,
 * how it ended (wait status), its CPU time from wait4's rusage and its
 * life by our clock: at least from its first instruction to its _exit()
 * (the child's own clock), at most from before fork() to reaped.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "wl.h"

static const int codes[] = { 0, 1, 42, 255 };
#define NCODES 4
#define NKIDS  (NCODES + 2)

static void spin(double s)
{
	volatile unsigned long x = 0;
	double end = wl_now() + s;

	while (wl_now() < end)
		x++;
}

int main(void)
{
	double t0[NKIDS], life[NKIDS];
	/* each child's own view of its life, shared with us */
	double *inside =
		mmap(NULL, sizeof(double) * NKIDS, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct rusage ru[NKIDS];
	int status[NKIDS];
	pid_t pid[NKIDS];

	if (inside == MAP_FAILED)
		wl_die("mmap");
	printf("pid %d\n", getpid());
	wl_wait_go();
	for (int i = 0; i < NKIDS; i++) {
		int p[2];

		if (pipe(p) < 0)
			wl_die("pipe");
		fflush(stdout);
		t0[i] = wl_now();
		pid[i] = fork();
		if (pid[i] < 0)
			wl_die("fork");
		if (pid[i] == 0) {
			double born = wl_now();
			char c;

			close(p[1]);
			if (i < NCODES)
				_exit(codes[i]);
			if (i == NCODES) { /* wait for the signal */
				if (read(p[0], &c, 1) < 0)
					_exit(3);
				pause();
				_exit(3);
			}
			spin(0.05);
			for (int j = 0; j < 5000; j++)
				syscall(SYS_getppid);
			inside[i] = wl_now() - born;
			_exit(7);
		}
		close(p[0]);
		if (i == NCODES) {
			wl_write_full(p[1], "g", 1);
			usleep(100000);
			kill(pid[i], SIGTERM);
		}
		while (wait4(pid[i], &status[i], 0, &ru[i]) < 0 &&
		       errno == EINTR)
			;
		life[i] = wl_now() - t0[i];
		close(p[1]);
	}
	printf("{\"children\":[");
	for (int i = 0; i < NKIDS; i++)
		printf("%s{\"pid\":%d,\"status\":%d,\"cpu_us\":%ld,"
		       "\"life_us\":%.0f,\"inside_us\":%.0f}",
		       i ? "," : "", pid[i], status[i],
		       ru[i].ru_utime.tv_sec * 1000000L +
			       ru[i].ru_utime.tv_usec +
			       ru[i].ru_stime.tv_sec * 1000000L +
			       ru[i].ru_stime.tv_usec,
		       life[i] * 1e6, inside[i] * 1e6);
	printf("]}\n");
	return 0;
}
