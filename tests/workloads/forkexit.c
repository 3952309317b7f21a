// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * forkexit N - after the go byte, fork a child that makes exactly N
 * getppid() calls and exits at once. The child is born while tracing runs,
 * so no -p filter can name it in advance: tracetop (run without -p) must
 * pick it up, and report it exited with its final counters. The parent
 * prints the child's pid, then lives one more second so the child's exit
 * falls between two refreshes and the parent's exit comes later.
 */
#include <sys/syscall.h>
#include <sys/wait.h>
#include "wl.h"

int main(int argc, char **argv)
{
	const char *usage = "forkexit N";
	int status;
	long n;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	n = wl_arg(argv[1], usage);

	printf("pid %d\n", getpid());
	wl_wait_go();

	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		wl_die("waitpid");
	printf("{\"child_pid\":%d,\"getppid\":%ld,\"child_status\":%d}\n", pid,
	       n, status);
	fflush(stdout);
	sleep(1);
	return 0;
}
