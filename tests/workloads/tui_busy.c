// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_busy MODE - a process for the TUI tests to find on screen, busy
 * until killed (the tests kill it; it dies with its parent too):
 *   errs   failing close(-1) and getppid() in a loop: the most ERR/s
 *   runq   4 spinning threads per CPU at nice 19: the worst run-queue p99
 *   tcp    a loopback TCP connection sending as fast as it can: the
 *          connection that moves the most bytes
 * Its comm names the mode (tt-errs, tt-runq, tt-tcp). Protocol of wl.h.
 */
#include <netinet/in.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include "wl.h"

static void *spin(void *arg)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
	return NULL;
}

static void *drain(void *arg)
{
	static char buf[1 << 16];
	int fd = *(int *)arg;

	while (read(fd, buf, sizeof(buf)) > 0)
		;
	return NULL;
}

static void errs(void)
{
	struct timespec nap = { 0, 1000000 };

	for (;;) {
		/* bursts with a nap: many errors, not a whole CPU */
		for (int i = 0; i < 2000; i++) {
			close(-1);
			syscall(SYS_getppid);
		}
		nanosleep(&nap, NULL);
	}
}

static void runq(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN) * 4;
	pthread_t t;

	setpriority(PRIO_PROCESS, 0, 19);
	for (long i = 1; i < n; i++)
		if (pthread_create(&t, NULL, spin, NULL))
			wl_die("pthread_create");
	spin(NULL);
}

static void tcp(void)
{
	static char buf[1 << 16];
	struct sockaddr_in a;
	int l = wl_listen_lo(&a, 1), c, s;
	pthread_t t;

	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		wl_die("connect");
	s = accept(l, NULL, NULL);
	if (s < 0 || pthread_create(&t, NULL, drain, &s))
		wl_die("accept");
	for (;;)
		if (write(c, buf, sizeof(buf)) < 0)
			wl_die("write");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *mode, *comm;
		void (*run)(void);
	} modes[] = { { "errs", "tt-errs", errs },
		      { "runq", "tt-runq", runq },
		      { "tcp", "tt-tcp", tcp } };

	for (size_t i = 0; argc == 2 && i < sizeof(modes) / sizeof(*modes);
	     i++) {
		if (strcmp(argv[1], modes[i].mode))
			continue;
		wl_die_with_parent();
		prctl(PR_SET_NAME, modes[i].comm);
		printf("pid %d\n", getpid());
		wl_wait_go();
		modes[i].run();
	}
	fprintf(stderr, "usage: tui_busy errs|runq|tcp\n");
	return 2;
}
