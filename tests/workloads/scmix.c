// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * scmix T R - T threads, each R rounds of six syscalls in turn: getppid,
 * getuid, getgid, geteuid, getegid and a failing close(-1). Then "done" on
 * stdout, and every thread sleeps until a second go byte; then each makes
 * LAST_CALLS getpgrp() calls and exits at once.
 *
 * More distinct syscalls than tracetop keeps pending per thread, from
 * several threads of one process: the counts must still be exact, and
 * exact while the threads sleep (not only once they have exited).
 */
#include <pthread.h>
#include <sys/syscall.h>
#include "wl.h"

static const long calls[] = { SYS_getppid, SYS_getuid,	SYS_getgid,
			      SYS_geteuid, SYS_getegid, SYS_close };

#define LAST_CALLS 1000

static long rounds;
static pthread_barrier_t done, leave;

static void *worker(void *arg)
{
	long failed = 0;

	for (long r = 0; r < rounds; r++)
		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if (calls[i] == SYS_close)
				failed += syscall(SYS_close, -1) < 0;
			else
				syscall(calls[i]);
	pthread_barrier_wait(&done);
	pthread_barrier_wait(&leave); /* asleep until the go byte */
	/* and calls its thread's exit must flush: nothing sleeps after them */
	for (long r = 0; r < LAST_CALLS; r++)
		syscall(SYS_getpgrp);
	return (void *)failed;
}

int main(int argc, char **argv)
{
	const char *usage = "scmix T R";
	pthread_t th[64];
	long t, failed = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	t = wl_arg(argv[1], usage);
	rounds = wl_arg(argv[2], usage);
	if (t < 1 || t > 64) {
		fprintf(stderr, "usage: %s (1 <= T <= 64)\n", usage);
		return 2;
	}
	printf("pid %d\n", getpid());
	wl_wait_go();

	if (pthread_barrier_init(&done, NULL, (unsigned)t + 1) ||
	    pthread_barrier_init(&leave, NULL, (unsigned)t + 1))
		wl_die("pthread_barrier_init");
	for (long i = 0; i < t; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			wl_die("pthread_create");
	pthread_barrier_wait(&done);
	printf("done\n");
	wl_wait_go();
	pthread_barrier_wait(&leave);
	for (long i = 0; i < t; i++) {
		void *r;

		pthread_join(th[i], &r);
		failed += (long)r;
	}
	printf("{\"threads\":%ld,\"rounds\":%ld,\"close_errors\":%ld,"
	       "\"getpgrp\":%ld}\n",
	       t, rounds, failed, t * LAST_CALLS);
	return 0;
}
