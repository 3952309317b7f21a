// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpidle N PAUSE_MS - N loopback TCP connections that go quiet and move
 * again, so that a monitor which reads only the connections that changed
 * must keep the others as they were. One process holds both ends of each.
 * After the go byte: connect all N, client i sends i + 1 bytes (read by
 * its server end); pause; the odd clients send 1000 bytes more; pause;
 * the even ones close (both ends); pause; exit. Prints
 * {"port", "n", "sports": [...], "first": [...], "more": [...]}: the
 * listening port, each client's local port and the bytes it sent in each
 * phase.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "wl.h"

#define MAX_N 512

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* client c sends n bytes; its server end s reads them all */
static void move(int c, int s, size_t n)
{
	char buf[1000];

	memset(buf, 'i', sizeof(buf));
	wl_write_full(c, buf, n);
	wl_read_full(s, buf, n);
}

int main(int argc, char **argv)
{
	static int cfd[MAX_N], sfd[MAX_N], sport[MAX_N];
	const char *usage = "tcpidle N PAUSE_MS";
	struct sockaddr_in a;
	long n, ms;
	int lfd;

	if (argc != 3)
		return fprintf(stderr, "usage: %s\n", usage), 2;
	n = wl_arg(argv[1], usage);
	ms = wl_arg(argv[2], usage);
	if (n < 2 || n > MAX_N)
		return fprintf(stderr, "N: 2 to %d\n", MAX_N), 2;
	lfd = wl_listen_lo(&a, (int)n);
	printf("pid %d\n", (int)getpid());
	wl_wait_go();
	for (long i = 0; i < n; i++) {
		struct sockaddr_in l;
		socklen_t len = sizeof(l);

		cfd[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (cfd[i] < 0 ||
		    connect(cfd[i], (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    getsockname(cfd[i], (struct sockaddr *)&l, &len) < 0)
			wl_die("connect");
		sfd[i] = accept(lfd, NULL, NULL);
		if (sfd[i] < 0)
			wl_die("accept");
		sport[i] = ntohs(l.sin_port);
		move(cfd[i], sfd[i], (size_t)i + 1);
	}
	pause_ms(ms);
	for (long i = 1; i < n; i += 2)
		move(cfd[i], sfd[i], 1000);
	pause_ms(ms);
	for (long i = 0; i < n; i += 2) {
		close(cfd[i]);
		close(sfd[i]);
	}
	pause_ms(ms);
	printf("{\"port\":%d,\"n\":%ld,\"sports\":[", ntohs(a.sin_port), n);
	for (long i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", sport[i]);
	printf("],\"first\":[");
	for (long i = 0; i < n; i++)
		printf("%s%ld", i ? "," : "", i + 1);
	printf("],\"more\":[");
	for (long i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", i % 2 ? 1000 : 0);
	printf("]}\n");
	fflush(stdout);
	return 0;
}
