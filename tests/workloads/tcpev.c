// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpev est N TX RX HOLD_MS PORT - N connections to a listener of ours on
 * 127.0.0.1:PORT (0: any free port), one after another: the client sends
 * TX bytes, the server (a child) reads them and answers RX bytes, the
 * client holds the connection HOLD_MS, then both close. For each: its
 * local port, how long connect() took by our clock, and bounds of its
 * life from ESTABLISHED to CLOSED (the kernel's, which tcplife prints):
 * at least from connect()'s return to our close(), at most from before
 * connect() to after the server's close() (its FIN ends ours).
 *
 * tcpev refused - a connect to a port nobody listens on (we bound it and
 * let it go): its errno.
 */
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "wl.h"

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static double *closed_at; /* shared: when the server closed each one */

static void server(int lfd, long n, long tx, long rx)
{
	char *buf = malloc((size_t)(tx > rx ? tx : rx) + 1);

	if (!buf)
		wl_die("malloc");
	memset(buf, 'r', (size_t)rx);
	for (long i = 0; i < n; i++) {
		int fd = accept(lfd, NULL, NULL);
		char c;

		if (fd < 0)
			wl_die("accept");
		wl_read_full(fd, buf, (size_t)tx);
		wl_write_full(fd, buf, (size_t)rx);
		while (read(fd, &c, 1) > 0) /* until the client closes */
			;
		close(fd);
		closed_at[i] = wl_now();
	}
	_exit(0);
}

static int est(long n, long tx, long rx, long hold, long port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	char *buf = malloc((size_t)(tx > rx ? tx : rx) + 1);
	pid_t srv;

	closed_at =
		mmap(NULL, sizeof(double) * (size_t)(n + 1),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!buf || lfd < 0 || closed_at == MAP_FAILED)
		wl_die("socket");
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 16) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) < 0)
		wl_die("listen");
	fflush(stdout);
	srv = fork();
	if (srv < 0)
		wl_die("fork");
	if (srv == 0) {
		wl_die_with_parent();
		server(lfd, n, tx, rx);
	}
	close(lfd);
	memset(buf, 't', (size_t)tx);
	double t0[n > 0 ? n : 1], t1[n > 0 ? n : 1], tc[n > 0 ? n : 1];
	unsigned sport[n > 0 ? n : 1];

	for (long i = 0; i < n; i++) {
		struct sockaddr_in l;
		socklen_t ll = sizeof(l);
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		t0[i] = wl_now();
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			wl_die("connect");
		t1[i] = wl_now();
		getsockname(fd, (struct sockaddr *)&l, &ll);
		sport[i] = ntohs(l.sin_port);
		wl_write_full(fd, buf, (size_t)tx);
		wl_read_full(fd, buf, (size_t)rx);
		nap_ms(hold);
		tc[i] = wl_now();
		close(fd);
	}
	while (waitpid(srv, NULL, 0) < 0 && errno == EINTR)
		;
	printf("{\"port\":%u,\"server\":%d,\"conns\":[", ntohs(a.sin_port),
	       srv);
	for (long i = 0; i < n; i++)
		printf("%s{\"sport\":%u,\"connect_us\":%.0f,"
		       "\"life_min_us\":%.0f,\"life_max_us\":%.0f}",
		       i ? "," : "", sport[i], (t1[i] - t0[i]) * 1e6,
		       (tc[i] - t1[i]) * 1e6, (closed_at[i] - t0[i]) * 1e6);
	printf("]}\n");
	return 0;
}

static int refused(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), e;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		wl_die("bind");
	close(fd); /* the port is free, and nobody listens on it */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	e = connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ? errno : 0;
	close(fd);
	printf("{\"port\":%u,\"errno\":%d}\n", ntohs(a.sin_port), e);
	return 0;
}

int main(int argc, char **argv)
{
	const char *usage = "tcpev est N TX RX HOLD_MS PORT | tcpev refused";

	if (argc < 2 || (strcmp(argv[1], "refused") && argc != 7)) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	printf("pid %d\n", getpid());
	wl_wait_go();
	if (!strcmp(argv[1], "refused"))
		return refused();
	return est(wl_arg(argv[2], usage), wl_arg(argv[3], usage),
		   wl_arg(argv[4], usage), wl_arg(argv[5], usage),
		   wl_arg(argv[6], usage));
}
