// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * signals K - K SIGUSR1 sent with kill() to a child that counts them,
 * each after the child has taken the one before (so none merge), then
 * SIGTERM. The result: the child's pid and how many it took.
 */
#include <signal.h>
#include <sys/wait.h>
#include "wl.h"

static volatile sig_atomic_t got;

static void on_usr1(int s)
{
	got++;
}

int main(int argc, char **argv)
{
	const char *usage = "signals K";
	long k;
	int p[2], status;
	pid_t child;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	k = wl_arg(argv[1], usage);
	if (pipe(p) < 0)
		wl_die("pipe");
	signal(SIGUSR1, on_usr1);
	printf("pid %d\n", getpid());
	wl_wait_go();
	fflush(stdout);
	child = fork();
	if (child < 0)
		wl_die("fork");
	if (child == 0) {
		sig_atomic_t seen = 0;

		close(p[0]);
		wl_write_full(p[1], "r", 1);
		for (;;) {
			while (got == seen)
				pause();
			seen = got;
			wl_write_full(p[1], "a", 1); /* acknowledged */
		}
	}
	close(p[1]);
	{
		char c;

		wl_read_full(p[0], &c, 1);
		for (long i = 0; i < k; i++) {
			if (kill(child, SIGUSR1) < 0)
				wl_die("kill");
			wl_read_full(p[0], &c, 1);
		}
	}
	kill(child, SIGTERM);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	printf("{\"child\":%d,\"sent\":%ld}\n", child, k);
	return 0;
}
