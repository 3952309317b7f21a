// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * execs N UID - N children, one after another, each exec /bin/true with
 * the known arguments "true tt-exec-I arg2" (I its number), then one that
 * execs a path that does not exist (ENOENT) and exits 127. UID: when not
 * 0, each child takes that uid before it execs (for -u). The result lists
 * the children's pids, the failed one's last.
 */
#include <sys/wait.h>
#include "wl.h"

#define NOPATH "/nonexistent/tt-no-such-program"

int main(int argc, char **argv)
{
	const char *usage = "execs N UID";
	long n, uid;
	pid_t *pid;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	n = wl_arg(argv[1], usage);
	uid = wl_arg(argv[2], usage);
	pid = calloc((size_t)n + 1, sizeof(*pid));
	if (!pid)
		wl_die("calloc");
	printf("pid %d\n", getpid());
	wl_wait_go();
	for (long i = 0; i <= n; i++) {
		fflush(stdout);
		pid[i] = fork();
		if (pid[i] < 0)
			wl_die("fork");
		if (pid[i] == 0) {
			char num[32];

			if (uid && setuid((uid_t)uid) < 0)
				_exit(126);
			snprintf(num, sizeof(num), "tt-exec-%ld", i);
			if (i < n)
				execl("/bin/true", "true", num, "arg2",
				      (char *)NULL);
			else
				execl(NOPATH, "tt-none", num, (char *)NULL);
			_exit(errno == ENOENT ? 127 : 126);
		}
		while (waitpid(pid[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
	printf("{\"path\":\"" NOPATH "\",\"pids\":[");
	for (long i = 0; i <= n; i++)
		printf("%s%d", i ? "," : "", pid[i]);
	printf("]}\n");
	return 0;
}
