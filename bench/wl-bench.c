// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * wl-bench - timed load generators for the benchmark, where
 * tests/workloads/ has the load but not the clock:
 *
 *   wl-bench pingpong K   parent and child bounce one byte K times over two
 *                         pipes; events = context switches of both sides
 *                         during the loop (getrusage nvcsw + nivcsw)
 *   wl-bench tcp N        N send()s of 64 KiB over one loopback TCP
 *                         connection, read to EOF by the parent;
 *                         events = N
 *   wl-bench tcprr N      N round trips of a 64-byte request and a 64-byte
 *                         response over one loopback TCP connection
 *                         (TCP_NODELAY), the child echoing; events = N.
 *                         Small messages: the cost per message is the
 *                         stack's, not the copy's, so a tracer's share
 *                         stands out of the noise (one 64 KiB write's
 *                         time varies by microseconds)
 *   wl-bench conns N      N loopback TCP connections, one after another:
 *                         connect, accept, one byte each way, close both
 *                         ends; events = N
 *   wl-bench sleepers N   N children that sleep in pause() until this
 *                         process ends (its stdin reaches EOF); they die
 *                         with it. The idle crowd that a monitor must list.
 *   wl-bench holdconns N  N loopback TCP connections, each with one byte
 *                         each way, held open and idle until stdin
 *                         reaches EOF: this process holds the connecting
 *                         ends, a child the accepted ones (N descriptors
 *                         each). The connections a monitor must list.
 *
 * Same protocol as tests/workloads/wl.h (print "pid P", wait for the go
 * byte); one JSON line at the end: {"mode","ops","events","seconds"}, the
 * seconds covering only the loop, not start-up or connection set-up.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include "../tests/workloads/wl.h"

#define CHUNK 65536

static long switches(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		wl_die("getrusage");
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

static int pingpong(long k)
{
	int p2c[2], c2p[2], status;
	long cs0, child_cs;
	double t0, t1;
	pid_t pid;
	char c = 'x';

	if (pipe(p2c) < 0 || pipe(c2p) < 0)
		wl_die("pipe");
	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		wl_die_with_parent();
		cs0 = switches();
		for (long i = 0; i < k; i++) {
			wl_read_full(p2c[0], &c, 1);
			wl_write_full(c2p[1], &c, 1);
		}
		child_cs = switches() - cs0;
		wl_write_full(c2p[1], &child_cs, sizeof(child_cs));
		_exit(0);
	}
	printf("pid %d\n", getpid());
	wl_wait_go();
	cs0 = switches();
	t0 = wl_now();
	for (long i = 0; i < k; i++) {
		wl_write_full(p2c[1], &c, 1);
		wl_read_full(c2p[0], &c, 1);
	}
	t1 = wl_now();
	cs0 = switches() - cs0;
	wl_read_full(c2p[0], &child_cs, sizeof(child_cs));
	if (waitpid(pid, &status, 0) < 0)
		wl_die("waitpid");
	printf("{\"mode\":\"pingpong\",\"ops\":%ld,\"events\":%ld,"
	       "\"seconds\":%.6f}\n",
	       k, cs0 + child_cs, t1 - t0);
	return 0;
}

static int tcp(long n)
{
	static char buf[CHUNK];
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int lfd, cfd, fd, status, go[2];
	double t0, t1;
	long got = 0;
	ssize_t r;
	pid_t pid;
	char c;

	lfd = wl_listen_lo(&a, 1);
	if (pipe(go) < 0)
		wl_die("pipe");
	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		wl_die_with_parent();
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, len) < 0)
			wl_die("connect");
		memset(buf, 'x', sizeof(buf));
		wl_read_full(go[0], &c, 1);
		for (long i = 0; i < n; i++) {
			size_t off = 0;

			while (off < sizeof(buf)) {
				r = send(fd, buf + off, sizeof(buf) - off, 0);
				if (r < 0 && errno == EINTR)
					continue;
				if (r < 0)
					wl_die("send");
				off += r;
			}
		}
		close(fd);
		_exit(0);
	}
	cfd = accept(lfd, NULL, NULL);
	if (cfd < 0)
		wl_die("accept");
	printf("pid %d\n", getpid());
	wl_wait_go();
	t0 = wl_now();
	wl_write_full(go[1], "g", 1);
	for (;;) {
		r = recv(cfd, buf, sizeof(buf), 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			wl_die("recv");
		if (r == 0)
			break;
		got += r;
	}
	t1 = wl_now();
	if (waitpid(pid, &status, 0) < 0)
		wl_die("waitpid");
	if (got != n * (long)sizeof(buf)) {
		fprintf(stderr, "tcp: got %ld of %ld bytes\n", got,
			n * (long)sizeof(buf));
		return 1;
	}
	printf("{\"mode\":\"tcp\",\"ops\":%ld,\"events\":%ld,"
	       "\"seconds\":%.6f}\n",
	       n, n, t1 - t0);
	return 0;
}

/* CPU alone, no system call: what a sampling profiler interrupts. One
 * event is a million iterations. */
static int spin(long n)
{
	volatile unsigned long x = 0;
	double t0;

	printf("pid %d\n", getpid());
	wl_wait_go();
	t0 = wl_now();
	for (long i = 0; i < n; i++)
		for (long j = 0; j < 1000000; j++)
			x += (unsigned long)j;
	printf("{\"mode\":\"spin\",\"ops\":%ld,\"events\":%ld,"
	       "\"seconds\":%.6f}\n",
	       n, n, wl_now() - t0);
	return 0;
}

#define RR_SIZE 64

static void nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		wl_die("setsockopt TCP_NODELAY");
}

static int tcprr(long n)
{
	char msg[RR_SIZE];
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int lfd, cfd, fd, status;
	double t0, t1;
	pid_t pid;

	lfd = wl_listen_lo(&a, 1);
	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) { /* the server: echo each request */
		wl_die_with_parent();
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, len) < 0)
			wl_die("connect");
		nodelay(fd);
		for (long i = 0; i < n; i++) {
			wl_read_full(fd, msg, sizeof(msg));
			wl_write_full(fd, msg, sizeof(msg));
		}
		close(fd);
		_exit(0);
	}
	cfd = accept(lfd, NULL, NULL);
	if (cfd < 0)
		wl_die("accept");
	nodelay(cfd);
	memset(msg, 'q', sizeof(msg));
	printf("pid %d\n", getpid());
	wl_wait_go();
	t0 = wl_now();
	for (long i = 0; i < n; i++) {
		wl_write_full(cfd, msg, sizeof(msg));
		wl_read_full(cfd, msg, sizeof(msg));
	}
	t1 = wl_now();
	if (waitpid(pid, &status, 0) < 0)
		wl_die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "tcprr: the echo side failed\n");
		return 1;
	}
	printf("{\"mode\":\"tcprr\",\"ops\":%ld,\"events\":%ld,"
	       "\"seconds\":%.6f}\n",
	       n, n, t1 - t0);
	return 0;
}

static int sleepers(long n)
{
	char c;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			wl_die_with_parent();
			if (getppid() == 1) /* parent died before the prctl */
				_exit(0);
			for (;;)
				pause();
		}
	}
	printf("pid %d\nready %ld\n", getpid(), n);
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	return 0; /* the children get SIGKILL from PR_SET_PDEATHSIG */
}

/* one byte over fd, and read on the other side */
static void one_byte(int from, int to)
{
	char c = 'c';

	wl_write_full(from, &c, 1);
	wl_read_full(to, &c, 1);
}

/* Room for n more descriptors, within the hard limit (raising that needs
 * CAP_SYS_RESOURCE, which a container's root may not have). */
static void fds_for(long n)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) < 0)
		wl_die("getrlimit RLIMIT_NOFILE");
	if (r.rlim_max != RLIM_INFINITY && r.rlim_max < (rlim_t)n + 16) {
		fprintf(stderr,
			"holdconns: %ld descriptors wanted, hard limit "
			"%lu\n",
			n + 16, (unsigned long)r.rlim_max);
		exit(1);
	}
	r.rlim_cur = (rlim_t)n + 16;
	if (setrlimit(RLIMIT_NOFILE, &r) < 0)
		wl_die("setrlimit RLIMIT_NOFILE");
}

/* The accepting side, in its own process: n descriptors each. */
static void hold_accepted(int lfd, long n)
{
	fds_for(n);
	wl_die_with_parent();
	for (long i = 0; i < n; i++) {
		int sfd = accept(lfd, NULL, NULL);
		char c;

		if (sfd < 0)
			wl_die("accept");
		wl_read_full(sfd, &c, 1);
		wl_write_full(sfd, &c, 1);
	}
	for (;;)
		pause();
}

static int holdconns(long n)
{
	struct sockaddr_in a;
	int lfd = wl_listen_lo(&a, 4096);
	pid_t pid;
	char c;

	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0)
		hold_accepted(lfd, n);
	close(lfd);
	fds_for(n);
	for (long i = 0; i < n; i++) {
		int cfd = socket(AF_INET, SOCK_STREAM, 0);

		c = 'c';
		if (cfd < 0 || connect(cfd, (struct sockaddr *)&a, sizeof(a)))
			wl_die("connect");
		wl_write_full(cfd, &c, 1);
		wl_read_full(cfd, &c, 1);
	}
	printf("pid %d\nready %ld\n", getpid(), n);
	fflush(stdout);
	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	return 0; /* the kernel closes them; the child dies with us */
}

static int conns(long n)
{
	struct sockaddr_in a;
	int lfd = wl_listen_lo(&a, 16);
	double t0, t1;

	printf("pid %d\n", getpid());
	wl_wait_go();
	t0 = wl_now();
	for (long i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s;

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
			wl_die("connect");
		s = accept(lfd, NULL, NULL);
		if (s < 0)
			wl_die("accept");
		one_byte(c, s);
		one_byte(s, c);
		close(c);
		close(s);
	}
	t1 = wl_now();
	printf("{\"mode\":\"conns\",\"ops\":%ld,\"events\":%ld,"
	       "\"seconds\":%.6f}\n",
	       n, n, t1 - t0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *usage = "wl-bench pingpong K | tcp N | tcprr N | conns N | "
			    "sleepers N | holdconns N | spin N";

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	if (!strcmp(argv[1], "pingpong"))
		return pingpong(wl_arg(argv[2], usage));
	if (!strcmp(argv[1], "tcp"))
		return tcp(wl_arg(argv[2], usage));
	if (!strcmp(argv[1], "tcprr"))
		return tcprr(wl_arg(argv[2], usage));
	if (!strcmp(argv[1], "conns"))
		return conns(wl_arg(argv[2], usage));
	if (!strcmp(argv[1], "holdconns"))
		return holdconns(wl_arg(argv[2], usage));
	if (!strcmp(argv[1], "sleepers"))
		return sleepers(wl_arg(argv[2], usage));
	if (!strcmp(argv[1], "spin"))
		return spin(wl_arg(argv[2], usage));
	fprintf(stderr, "usage: %s\n", usage);
	return 2;
}
