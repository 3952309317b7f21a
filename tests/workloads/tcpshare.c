// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpshare A B - one process owns both ends of a loopback TCP connection
 * and sends A bytes through it; a child it forks sends B more on the
 * inherited socket. The parent reads all A + B, closes everything, prints
 * "closed", and sleeps until a second go byte before it exits.
 *
 * So: the owner's bytes (counted in the connection by tracetop's kernel
 * side), a non-owner's bytes on a shared socket (counted to that process),
 * and an owner that outlives its closed connections, whose bytes must not
 * leave its figures with them.
 */
#include <sys/wait.h>
#include "wl.h"

static void send_n(int fd, long n)
{
	static char buf[16384];

	memset(buf, 'x', sizeof(buf));
	while (n > 0) {
		ssize_t r = send(
			fd, buf,
			n < (long)sizeof(buf) ? (size_t)n : sizeof(buf), 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			wl_die("send");
		n -= r;
	}
}

static void recv_n(int fd, long n)
{
	static char buf[16384];

	while (n > 0) {
		ssize_t r = recv(
			fd, buf,
			n < (long)sizeof(buf) ? (size_t)n : sizeof(buf), 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			wl_die("recv");
		n -= r;
	}
}

int main(int argc, char **argv)
{
	const char *usage = "tcpshare A B";
	struct sockaddr_in a;
	int lfd, cfd, sfd, status;
	long na, nb;
	pid_t child;

	if (argc != 3) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	na = wl_arg(argv[1], usage);
	nb = wl_arg(argv[2], usage);
	printf("pid %d\n", getpid());
	wl_wait_go();

	lfd = wl_listen_lo(&a, 1);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	if (cfd < 0 || connect(cfd, (struct sockaddr *)&a, sizeof(a)) < 0)
		wl_die("connect");
	sfd = accept(lfd, NULL, NULL);
	if (sfd < 0)
		wl_die("accept");
	/* in turns of 16 KiB: the socket buffers need not hold all of A */
	for (long done = 0; done < na; done += 16384) {
		long n = na - done < 16384 ? na - done : 16384;

		send_n(cfd, n);
		recv_n(sfd, n);
	}
	child = fork();
	if (child < 0)
		wl_die("fork");
	if (child == 0) {
		send_n(cfd, nb);
		_exit(0);
	}
	recv_n(sfd, nb);
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		wl_die("child");
	close(cfd);
	close(sfd);
	close(lfd);
	printf("closed\n");
	wl_wait_go();
	printf("{\"tx\":%ld,\"rx\":%ld,\"child_pid\":%d,\"child_tx\":%ld}\n",
	       na, na + nb, (int)child, nb);
	return 0;
}
