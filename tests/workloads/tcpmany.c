// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpmany N PORTS - N loopback TCP connections open at once, spread over
 * PORTS listening ports on 127.0.0.1. The parent holds the N client ends,
 * its child the listeners and the N accepted ends (one process for both
 * would need 2N descriptors, more than the usual hard limit of 20,000).
 * After the go byte the parent connects every client and sends one byte
 * on each; the child accepts each, reads its byte and answers one, which
 * the parent reads: every end has moved one byte each way, so both have
 * an owner in tracetop. Then the parent prints "open N" and waits for a
 * second byte on stdin; it closes every client, the child reads EOF on
 * every accepted end and closes it, and the parent prints the result:
 * the listening ports and the number opened and closed. Its first line
 * is "pids PARENT CHILD". RLIMIT_NOFILE is raised to fit if need be.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "wl.h"

#define MAX_PORTS 64

static void fd_room(long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		wl_die("getrlimit");
	if (rl.rlim_cur >= (rlim_t)need)
		return;
	rl.rlim_cur = (rlim_t)need;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur; /* root with CAP_SYS_RESOURCE */
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		wl_die("setrlimit(RLIMIT_NOFILE)");
}

/* the child: accept N, a byte each way, then read EOF on each and close */
static void server(int *lfd, long ports, long n, int done_fd)
{
	int *sfd = calloc(n, sizeof(*sfd));
	long closed = 0;
	char c;

	if (!sfd)
		wl_die("calloc");
	for (long i = 0; i < n; i++) {
		sfd[i] = accept(lfd[i % ports], NULL, NULL);
		if (sfd[i] < 0)
			wl_die("accept");
		wl_read_full(sfd[i], &c, 1);
		wl_write_full(sfd[i], "s", 1);
	}
	for (long p = 0; p < ports; p++)
		close(lfd[p]);
	for (long i = 0; i < n; i++) {
		ssize_t r;

		do
			r = read(sfd[i], &c, 1);
		while (r < 0 && errno == EINTR);
		closed += r == 0;
		close(sfd[i]);
	}
	wl_write_full(done_fd, &closed, sizeof(closed));
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *usage = "tcpmany N PORTS";
	unsigned short port[MAX_PORTS];
	int lfd[MAX_PORTS], done[2], *cfd;
	long n, ports, closed = 0;
	pid_t child;
	char c;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	n = wl_arg(argv[1], usage);
	ports = wl_arg(argv[2], usage);
	if (ports < 1 || ports > MAX_PORTS || n < 1) {
		fprintf(stderr, "usage: %s (PORTS 1 to %d)\n", usage,
			MAX_PORTS);
		return 2;
	}
	fd_room(n + ports + 64);
	cfd = calloc(n, sizeof(*cfd));
	if (!cfd || pipe(done) < 0)
		wl_die("calloc/pipe");
	for (long p = 0; p < ports; p++) {
		struct sockaddr_in a;

		lfd[p] = wl_listen_lo(&a, 4096);
		port[p] = ntohs(a.sin_port);
	}
	fflush(stdout);
	child = fork();
	if (child < 0)
		wl_die("fork");
	if (child == 0) {
		wl_die_with_parent();
		close(done[0]);
		server(lfd, ports, n, done[1]);
	}
	close(done[1]);
	for (long p = 0; p < ports; p++)
		close(lfd[p]);

	printf("pids %d %d\n", getpid(), child);
	wl_wait_go();

	for (long i = 0; i < n; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET };

		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons(port[i % ports]);
		cfd[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (cfd[i] < 0)
			wl_die("socket");
		if (connect(cfd[i], (void *)&a, sizeof(a)) < 0)
			wl_die("connect");
		wl_write_full(cfd[i], "c", 1);
	}
	for (long i = 0; i < n; i++)
		wl_read_full(cfd[i], &c, 1);
	printf("open %ld\n", n);
	wl_wait_go();

	for (long i = 0; i < n; i++)
		close(cfd[i]);
	wl_read_full(done[0], &closed, sizeof(closed));
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	printf("{\"opened\":%ld,\"closed\":%ld,\"ports\":[", n, closed);
	for (long p = 0; p < ports; p++)
		printf("%s%u", p ? "," : "", port[p]);
	printf("]}\n");
	return 0;
}
