// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * oom PROCS_FILE - a child that moves itself into the memory cgroup whose
 * cgroup.procs is PROCS_FILE (the test made it, with a limit), then
 * touches memory, 1 MiB at a time, until the OOM killer ends it. The
 * result: its pid and the signal that ended it.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "wl.h"

int main(int argc, char **argv)
{
	int status;
	pid_t child;

	if (argc != 2) {
		fprintf(stderr, "usage: oom PROCS_FILE\n");
		return 2;
	}
	printf("pid %d\n", getpid());
	wl_wait_go();
	fflush(stdout);
	child = fork();
	if (child < 0)
		wl_die("fork");
	if (child == 0) {
		int fd = open(argv[1], O_WRONLY);

		wl_die_with_parent();
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(3);
		close(fd);
		for (long i = 0; i < 4096; i++) {
			char *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (m == MAP_FAILED)
				_exit(4);
			memset(m, 1, 1 << 20);
		}
		_exit(5); /* 4 GiB and alive: no limit */
	}
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	printf("{\"child\":%d,\"signal\":%d,\"code\":%d}\n", child,
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
