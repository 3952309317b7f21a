// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sentinels K GAP_MS - K children with known answers that each live for
 * 1.5 to 2.5 s: child i starts GAP_MS after child i-1, makes exactly
 * 10000 + 1111 * i getppid() calls in ten bursts spread over its life of
 * 1500 + 1000 * i / K ms, and exits. A process that lives past one
 * refresh must show in tracetop with exactly that count, whatever else
 * the machine does meanwhile (the hardening suite runs them in a fork
 * storm). The result lists each child's pid, count and life.
 *
 * sentinels K GAP_MS exec - the same, but each child first execs this
 * program again as "wl-sentinels child N LIFE_MS", so that it has an exec
 * (with those arguments) as well as an exit to be seen.
 */
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <time.h>
#include "wl.h"

#define MAX_K 64

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void child(long n, long life_ms)
{
	for (int burst = 0; burst < 10; burst++) {
		long share = n / 10 + (burst < n % 10);

		for (long j = 0; j < share; j++)
			syscall(SYS_getppid);
		nap_ms(life_ms / 10);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *usage = "sentinels K GAP_MS";
	long k, gap, n[MAX_K], life[MAX_K];
	pid_t pid[MAX_K];

	bool exec = argc == 4 && !strcmp(argv[3], "exec");

	if (argc == 4 && !strcmp(argv[1], "child"))
		child(wl_arg(argv[2], usage), wl_arg(argv[3], usage));
	if (argc != 3 && !exec) {
		fprintf(stderr, "usage: %s [exec]\n", usage);
		return 2;
	}
	k = wl_arg(argv[1], usage);
	gap = wl_arg(argv[2], usage);
	if (k < 1 || k > MAX_K) {
		fprintf(stderr, "usage: %s (K from 1 to %d)\n", usage, MAX_K);
		return 2;
	}

	printf("pid %d\n", getpid());
	wl_wait_go();

	for (long i = 0; i < k; i++) {
		n[i] = 10000 + 1111 * i;
		life[i] = 1500 + 1000 * i / k;
		fflush(stdout);
		pid[i] = fork();
		if (pid[i] < 0)
			wl_die("fork");
		if (pid[i] == 0) {
			char a[32], b[32];

			wl_die_with_parent();
			if (!exec)
				child(n[i], life[i]);
			snprintf(a, sizeof(a), "%ld", n[i]);
			snprintf(b, sizeof(b), "%ld", life[i]);
			execl("/proc/self/exe", "wl-sentinels", "child", a, b,
			      (char *)NULL);
			_exit(127);
		}
		if (i + 1 < k)
			nap_ms(gap);
	}
	for (long i = 0; i < k; i++)
		while (waitpid(pid[i], NULL, 0) < 0 && errno == EINTR)
			;
	printf("{\"children\":[");
	for (long i = 0; i < k; i++)
		printf("%s{\"pid\":%d,\"getppid\":%ld,\"life_ms\":%ld}",
		       i ? "," : "", pid[i], n[i], life[i]);
	printf("]}\n");
	return 0;
}
