// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * pidreuse N [RATE] - N children one after the other (no more than RATE a
 * second, if given), each making a known number
 * of getppid() calls (1 + i % 199 for child i) and exiting at once. With
 * kernel.pid_max set low, PIDs come round many times: tracetop must key
 * each incarnation apart, so no process ever shows more calls than its
 * own. Each child records its pid, its start time (field 22 of
 * /proc/self/stat, as tracetop's start_ticks) and its count in memory
 * shared with the parent, which prints them all as [pid, start, n]
 * triples after a summary line.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include "wl.h"

struct rec {
	int pid;
	unsigned long long start;
	long n;
};

static unsigned long long my_start(void)
{
	char buf[1024], *p;
	unsigned long long v = 0;
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	p = strrchr(buf, ')'); /* comm may hold spaces */
	/* after ") ": field 3 (state) ... field 22 (starttime) */
	for (int f = 3; p && f <= 22; f++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoull(p, NULL, 10);
	return v;
}

int main(int argc, char **argv)
{
	const char *usage = "pidreuse N [RATE]";
	struct rec *r;
	long n, rate = 0, done = 0;
	double t0;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	n = wl_arg(argv[1], usage);
	if (argc == 3)
		rate = wl_arg(argv[2], usage);
	r = mmap(NULL, (n + 1) * sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		wl_die("mmap");

	printf("pid %d\n", getpid());
	wl_wait_go();

	t0 = wl_now();
	for (long i = 0; i < n; i++) {
		/* vfork: fork() copies the page tables, several times slower
		 * on small VMs; the child only makes system calls and writes
		 * its own slot of the shared records before _exit() */
		pid_t pid = vfork();

		if (pid < 0) {
			if (errno == EAGAIN) {
				i--;
				continue;
			}
			wl_die("fork");
		}
		if (pid == 0) {
			long calls = 1 + i % 199;

			r[i].pid = getpid();
			r[i].start = my_start();
			r[i].n = calls;
			for (long j = 0; j < calls; j++)
				syscall(SYS_getppid);
			_exit(0);
		}
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		done++;
		while (rate && done > (wl_now() - t0) * rate)
			usleep(1000);
	}
	printf("{\"children\":%ld,\"seconds\":%.3f,\"records\":[", done,
	       wl_now() - t0);
	for (long i = 0; i < n; i++)
		printf("%s[%d,%llu,%ld]", i ? "," : "", r[i].pid, r[i].start,
		       r[i].n);
	printf("]}\n");
	return 0;
}
