/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * wl.h - the protocol every workload follows, so the integration harness
 * can start tracing before the work begins:
 *
 *   1. print "pid P" (or "pids P Q" for two processes) on stdout, flush;
 *   2. block until one byte arrives on stdin (the "go" byte);
 *   3. do the work, print one JSON line of the workload's own measurements,
 *      flush, exit 0.
 *
 * Header-only on purpose: the Makefile builds each tests/workloads/NAME.c
 * alone into build/wl-NAME.
 */
#ifndef TT_WL_H
#define TT_WL_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>

/* CLOCK_MONOTONIC in seconds (a vDSO call: no syscall to count) */
static inline double wl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void wl_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(1);
}

static inline long wl_arg(const char *s, const char *usage)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0) {
		fprintf(stderr, "usage: %s\n", usage);
		exit(2);
	}
	return v;
}

/* A forked helper must not outlive the workload if the harness kills it. */
static inline void wl_die_with_parent(void)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		wl_die("prctl(PR_SET_PDEATHSIG)");
}

static inline void wl_wait_go(void)
{
	char c;
	ssize_t r;

	fflush(stdout);
	do
		r = read(STDIN_FILENO, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r != 1) {
		/* harness gone: no work without a tracer watching */
		fprintf(stderr, "no go byte on stdin\n");
		exit(1);
	}
}

/* read/write all of n bytes, or die: pipes between the workload's processes */
static inline void wl_read_full(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EPIPE;
			wl_die("read");
		}
		p += r;
		n -= r;
	}
}

static inline void wl_write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t r = write(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			wl_die("write");
		p += r;
		n -= r;
	}
}

/* A TCP socket listening on 127.0.0.1 at a port the kernel picks; *a is
 * set to the address to connect to. */
static inline int wl_listen_lo(struct sockaddr_in *a, int backlog)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)a, len) < 0 ||
	    listen(fd, backlog) < 0 ||
	    getsockname(fd, (struct sockaddr *)a, &len) < 0)
		wl_die("listen");
	return fd;
}

#endif
