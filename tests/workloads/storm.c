// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * storm MODE COUNT - load generators for the benchmarks (tracetop's cost):
 *   storm calls N     N getppid() syscalls as fast as possible
 *   storm mix N       N syscalls cycling through six kinds (getppid, getuid,
 *                     getgid, geteuid, getegid, a failing close): more
 *                     kinds than tracetop keeps pending per thread
 *   storm secs T      getppid() in a loop for T seconds
 *   storm forks N     N times fork + exec of /bin/true, each waited for
 * Same protocol as the other workloads; the result line gives the number of
 * operations and the wall time they took, so a benchmark can compare the
 * rate with and without tracetop running.
 */
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "wl.h"

static void fork_exec_true(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		wl_die("waitpid");
}

int main(int argc, char **argv)
{
	static const long mix[] = { SYS_getppid, SYS_getuid,  SYS_getgid,
				    SYS_geteuid, SYS_getegid, SYS_close };
	const char *usage = "storm calls|mix|secs|forks COUNT";
	double t0, t1, end;
	long count, ops = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	count = wl_arg(argv[2], usage);

	printf("pid %d\n", getpid());
	wl_wait_go();

	t0 = wl_now();
	if (!strcmp(argv[1], "calls")) {
		for (; ops < count; ops++)
			syscall(SYS_getppid);
	} else if (!strcmp(argv[1], "mix")) {
		for (; ops < count; ops++)
			syscall(mix[ops % 6], -1L);
	} else if (!strcmp(argv[1], "secs")) {
		/* check the clock every 1024 calls: the clock is not the load
		 */
		for (end = t0 + count; wl_now() < end;)
			for (int i = 0; i < 1024; i++, ops++)
				syscall(SYS_getppid);
	} else if (!strcmp(argv[1], "forks")) {
		for (; ops < count; ops++)
			fork_exec_true();
	} else {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	t1 = wl_now();

	printf("{\"mode\":\"%s\",\"ops\":%ld,\"seconds\":%.6f,\"ops_per_s\":%."
	       "0f}\n",
	       argv[1], ops, t1 - t0, (t1 > t0) ? ops / (t1 - t0) : 0.0);
	return 0;
}
