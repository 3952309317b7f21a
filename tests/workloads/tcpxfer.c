// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpxfer [-6] BYTES - one TCP connection over loopback carrying exactly
 * BYTES bytes. The parent (receiver) listens on 127.0.0.1 (or ::1 with -6),
 * port chosen by the kernel; its child (sender) connects, send()s BYTES
 * bytes, holds the connection open for HOLD_MS, then closes; the receiver
 * reads until EOF.
 *
 * The hold is there because tracetop samples connections once per refresh:
 * with it at least one snapshot shows the open connection after all bytes
 * were sent, whatever tracetop does with closed ones.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include "wl.h"

#define HOLD_MS 600

struct report {
	long pid, sport, sent;
};

static int v6;

static socklen_t loopback(struct sockaddr_storage *ss, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		a->sin6_port = htons(port);
		return sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a->sin_port = htons(port);
		return sizeof(*a);
	}
}

static int port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		wl_die("getsockname");
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void sender(int go, int rep, int port, long bytes)
{
	static char buf[65536];
	struct sockaddr_storage ss;
	struct report r = { .pid = getpid() };
	struct timespec hold = { HOLD_MS / 1000, HOLD_MS % 1000 * 1000000L };
	socklen_t len = loopback(&ss, port);
	char c;
	int fd;

	wl_die_with_parent();
	wl_read_full(go, &c, 1);
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		wl_die("socket");
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		wl_die("connect");
	r.sport = port_of(fd);
	memset(buf, 'x', sizeof(buf));
	while (r.sent < bytes) {
		size_t n = bytes - r.sent;
		ssize_t w;

		w = send(fd, buf, n < sizeof(buf) ? n : sizeof(buf), 0);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			wl_die("send");
		r.sent += w;
	}
	nanosleep(&hold, NULL);
	close(fd);
	wl_write_full(rep, &r, sizeof(r));
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *usage = "tcpxfer [-6] BYTES";
	int lfd, cfd, port, go[2], rep[2], status, one = 1;
	struct sockaddr_storage ss;
	struct report r;
	static char buf[65536];
	long bytes, got = 0;
	socklen_t len;
	pid_t pid;
	ssize_t n;

	if (argc == 3 && !strcmp(argv[1], "-6")) {
		v6 = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	bytes = wl_arg(argv[1], usage);

	len = loopback(&ss, 0);
	lfd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (lfd < 0)
		wl_die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&ss, len) < 0)
		wl_die("bind");
	if (listen(lfd, 1) < 0)
		wl_die("listen");
	port = port_of(lfd);
	if (pipe(go) < 0 || pipe(rep) < 0)
		wl_die("pipe");

	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		close(lfd);
		close(go[1]);
		close(rep[0]);
		sender(go[0], rep[1], port, bytes);
	}
	close(go[0]);
	close(rep[1]);

	printf("pids %d %d\n", getpid(), pid);
	wl_wait_go();
	wl_write_full(go[1], "g", 1);

	cfd = accept(lfd, NULL, NULL);
	if (cfd < 0)
		wl_die("accept");
	for (;;) {
		n = recv(cfd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			wl_die("recv");
		if (n == 0)
			break;
		got += n;
	}
	close(cfd);
	close(lfd);
	wl_read_full(rep[0], &r, sizeof(r));
	if (waitpid(pid, &status, 0) < 0)
		wl_die("waitpid");

	printf("{\"family\":%d,\"port\":%d,\"receiver_pid\":%d,\"received\":%"
	       "ld,"
	       "\"sender_pid\":%ld,\"sender_port\":%ld,\"sent\":%ld,"
	       "\"sender_status\":%d}\n",
	       v6 ? 6 : 4, port, getpid(), got, r.pid, r.sport, r.sent, status);
	return 0;
}
