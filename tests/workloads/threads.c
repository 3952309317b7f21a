// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * threads N1 N2 - two threads besides the main one: the first makes
 * exactly N1 getppid() calls, the second N2, the main thread none. They
 * wait for each other before exiting, so both are alive at once; the
 * result names their thread IDs.
 */
#include <pthread.h>
#include <sys/syscall.h>
#include "wl.h"

static long calls[2];
static int tids[2];
static pthread_barrier_t done;

static void *worker(void *arg)
{
	long i = (long)arg;

	tids[i] = (int)syscall(SYS_gettid);
	for (long k = 0; k < calls[i]; k++)
		syscall(SYS_getppid);
	pthread_barrier_wait(&done);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *usage = "threads N1 N2";
	pthread_t th[2];

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	calls[0] = wl_arg(argv[1], usage);
	calls[1] = wl_arg(argv[2], usage);
	pthread_barrier_init(&done, NULL, 2);
	printf("pid %d\n", getpid());
	wl_wait_go();
	for (long i = 0; i < 2; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)i))
			wl_die("pthread_create");
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	printf("{\"tids\":[%d,%d],\"calls\":[%ld,%ld]}\n", tids[0], tids[1],
	       calls[0], calls[1]);
	return 0;
}
