// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * pingpong K - a parent and its child bounce one byte K times over two
 * pipes. Each read blocks, so each side makes about K voluntary context
 * switches. Both sides report the kernel's own count (getrusage
 * RUSAGE_SELF ru_nvcsw/ru_nivcsw) for tracetop's figures to be checked
 * against, less what they had made before: the parent from the go byte,
 * when tracetop watches; the child from before its first read, which
 * blocks before tracetop attaches (so it counts one switch more). The
 * child sends its figures to the parent, which prints both.
 */
#include <sys/resource.h>
#include <sys/wait.h>
#include "wl.h"

struct side {
	long pid, nvcsw, nivcsw;
};

static void measure(struct side *s)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		wl_die("getrusage");
	s->pid = getpid();
	s->nvcsw = ru.ru_nvcsw;
	s->nivcsw = ru.ru_nivcsw;
}

static void since(struct side *s, const struct side *base)
{
	s->nvcsw -= base->nvcsw;
	s->nivcsw -= base->nivcsw;
}

static void child(int in, int out, long k)
{
	struct side me, base;
	char c;

	wl_die_with_parent();
	measure(&base);
	for (long i = 0; i < k; i++) {
		wl_read_full(in, &c, 1);
		wl_write_full(out, &c, 1);
	}
	measure(&me);
	since(&me, &base);
	wl_write_full(out, &me, sizeof(me));
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *usage = "pingpong K";
	int p2c[2], c2p[2], status;
	struct side par, chi, base;
	pid_t pid;
	long k;
	char c = 'x';

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	k = wl_arg(argv[1], usage);
	if (pipe(p2c) < 0 || pipe(c2p) < 0)
		wl_die("pipe");

	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		child(p2c[0], c2p[1], k);
	}
	close(p2c[0]);
	close(c2p[1]);

	/* the child already waits on its pipe: both exist before tracing */
	printf("pids %d %d\n", getpid(), pid);
	wl_wait_go();
	measure(&base);

	for (long i = 0; i < k; i++) {
		wl_write_full(p2c[1], &c, 1);
		wl_read_full(c2p[0], &c, 1);
	}
	wl_read_full(c2p[0], &chi, sizeof(chi));
	if (waitpid(pid, &status, 0) < 0)
		wl_die("waitpid");
	measure(&par);
	since(&par, &base);

	printf("{\"round_trips\":%ld,"
	       "\"parent\":{\"pid\":%ld,\"nvcsw\":%ld,\"nivcsw\":%ld},"
	       "\"child\":{\"pid\":%ld,\"nvcsw\":%ld,\"nivcsw\":%ld},"
	       "\"child_status\":%d}\n",
	       k, par.pid, par.nvcsw, par.nivcsw, chi.pid, chi.nvcsw,
	       chi.nivcsw, status);
	return 0;
}
