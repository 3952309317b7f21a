// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * forkstorm SECONDS EXEC_EVERY - short-lived processes as fast as one
 * parent can make them, for SECONDS: each child exits at once, except
 * every EXEC_EVERY-th, which execs /bin/true (0: never). Children are
 * reaped as they end. vfork(), as posix_spawn() does: a full fork() copies
 * the page tables and is ten times slower on small VMs, too slow for the
 * thousands per second this load is for. For the hardening suite
 * (tests/hardening/run): the load that fills tracetop's per-process maps and
 * races its /proc reads. Protocol of wl.h; the result gives forks, execs and
 * the rate achieved.
 */
#include <sys/wait.h>
#include <time.h>
#include "wl.h"

int main(int argc, char **argv)
{
	const char *usage = "forkstorm SECONDS EXEC_EVERY";
	long secs, every, forks = 0, execs = 0;
	double t0, end;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	secs = wl_arg(argv[1], usage);
	every = wl_arg(argv[2], usage);

	printf("pid %d\n", getpid());
	wl_wait_go();

	t0 = wl_now();
	for (end = t0 + secs; wl_now() < end;) {
		/* a batch between clock reads: the clock is not the load */
		for (int i = 0; i < 16; i++, forks++) {
			int ex = every && forks % every == 0;
			pid_t pid = vfork();

			if (pid < 0) {
				if (errno == EAGAIN) /* pid space or limits */
					break;
				wl_die("fork");
			}
			if (pid == 0) {
				if (ex)
					execl("/bin/true", "true",
					      (char *)NULL);
				_exit(0);
			}
			execs += ex;
			while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
	printf("{\"forks\":%ld,\"execs\":%ld,\"seconds\":%.3f,\"per_s\":%.0f}"
	       "\n",
	       forks, execs, wl_now() - t0, forks / (wl_now() - t0));
	return 0;
}
