// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * migrate K - one thread moved between two CPUs exactly K times with
 * sched_setaffinity(): pinned to the first CPU it may use before the go
 * byte (before tracing), then to the second, the first, ... each time
 * checking with sched_getcpu() that it runs where it was sent. A pinned
 * task has nowhere else to go: when it sleeps it wakes where it slept, so
 * the kernel's sched_migrate_task fires K times, no more.
 */
#include <sched.h>
#include "wl.h"

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		wl_die("sched_setaffinity");
	/* setaffinity returns once a running task was moved */
	if (sched_getcpu() != cpu) {
		fprintf(stderr, "migrate: on CPU %d, not %d\n", sched_getcpu(),
			cpu);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *usage = "migrate K";
	int cpu[2], n = 0;
	cpu_set_t set;
	long k;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	k = wl_arg(argv[1], usage);
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		wl_die("sched_getaffinity");
	for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
		if (CPU_ISSET(c, &set))
			cpu[n++] = c;
	if (n < 2) {
		fprintf(stderr, "migrate: needs two CPUs, has %d\n", n);
		return 1;
	}
	pin(cpu[0]);
	printf("pid %d\n", getpid());
	wl_wait_go();
	for (long i = 1; i <= k; i++)
		pin(cpu[i % 2]);
	printf("{\"moves\":%ld,\"cpus\":[%d,%d]}\n", k, cpu[0], cpu[1]);
	return 0;
}
