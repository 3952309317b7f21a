// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpclose MODE N - N loopback TCP connections that end the two ways the
 * kernel, not the program, decides the last states: closed by the kernel
 * when their process exits, or closed by both ends at the same moment.
 *
 * Everything runs in a network namespace of its own whose lo spreads the
 * packets it receives over every CPU (RPS), as a multi-queue NIC does: the
 * kernel then handles them in softirqs that interrupt whatever the CPU is
 * running, state changes of other sockets included. That is where a
 * tracer can lose a transition: the kernel skips a BPF program that would
 * run nested in itself on one CPU.
 *
 * Three processes: the holder (this one) keeps the namespace alive so its
 * sockets can be listed with ss after the others are gone; the client
 * holds the N client ends, the server the N accepted ends, each pinned to
 * its own CPU. Protocol of wl.h, with more go bytes:
 *
 *   "pids CLIENT SERVER HOLDER"          go: connect N, one byte each way
 *   "open N"                             go:
 *     exit:  the client shuts down its sending side on every connection
 *            and the server reads EOF on each: "half" (client ends in
 *            FIN_WAIT2, server ends in CLOSE_WAIT); go: both exit at once,
 *            without closing anything (the kernel closes all 2N ends)
 *     simul: both close every end at the same moment, so FINs cross and
 *            ends go through CLOSING, then exit
 *   "closed" (client and server reaped)  go: the result line, exit.
 */
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "wl.h"

static long n_conns;
static int exit_mode;

static void fd_room(long need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		wl_die("getrlimit");
	if (rl.rlim_cur >= (rlim_t)need)
		return;
	rl.rlim_cur = (rlim_t)need;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		wl_die("setrlimit(RLIMIT_NOFILE)");
}

/* A namespace of our own, lo up, its received packets spread by RPS. */
static void own_netns(void)
{
	struct ifreq ifr = { 0 };
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), fd;
	char mask[16];

	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0)
		wl_die("unshare(CLONE_NEWNET | CLONE_NEWNS)");
	/* our own /sys shows our own lo: the host's is never touched */
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
		wl_die("mount sysfs");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		wl_die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		wl_die("SIOCSIFFLAGS lo");
	close(fd);
	snprintf(mask, sizeof(mask), "%x",
		 ncpu >= 32 ? 0xffffffffu : (1u << ncpu) - 1);
	fd = open("/sys/class/net/lo/queues/rx-0/rps_cpus", O_WRONLY);
	if (fd < 0 || write(fd, mask, strlen(mask)) < 0)
		wl_die("rps_cpus");
	close(fd);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % (int)sysconf(_SC_NPROCESSORS_ONLN), &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		wl_die("sched_setaffinity");
}

/* a byte from the holder: -1 when it is gone */
static int wait_byte(int fd)
{
	char c;
	ssize_t r;

	do
		r = read(fd, &c, 1);
	while (r < 0 && errno == EINTR);
	return r == 1 ? 0 : -1;
}

/*
 * One side. cmd: bytes from the holder; rep: one byte back per stage done.
 * Stage 1 (at once): connect or accept N, one byte each way. Stage 2:
 * half close (exit mode) or close all (simul mode). Stage 3 (exit mode):
 * exit with everything open.
 */
static void side(bool client, int lfd, int port, int cmd, int rep)
{
	int *fd = calloc(n_conns, sizeof(*fd));
	char c;

	wl_die_with_parent();
	if (!fd)
		wl_die("calloc");
	pin(client ? 0 : 1);
	if (wait_byte(cmd))
		_exit(1);
	for (long i = 0; i < n_conns; i++) {
		if (client) {
			struct sockaddr_in a = { .sin_family = AF_INET };

			a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			a.sin_port = htons(port);
			fd[i] = socket(AF_INET, SOCK_STREAM, 0);
			if (fd[i] < 0 ||
			    connect(fd[i], (void *)&a, sizeof(a)) < 0)
				wl_die("connect");
			wl_write_full(fd[i], "c", 1);
			wl_read_full(fd[i], &c, 1);
		} else {
			fd[i] = accept(lfd, NULL, NULL);
			if (fd[i] < 0)
				wl_die("accept");
			wl_read_full(fd[i], &c, 1);
			wl_write_full(fd[i], "s", 1);
		}
	}
	wl_write_full(rep, "1", 1);
	if (wait_byte(cmd))
		_exit(1);
	for (long i = 0; i < n_conns; i++) {
		if (!exit_mode) {
			close(fd[i]);
		} else if (client) {
			if (shutdown(fd[i], SHUT_WR) < 0)
				wl_die("shutdown");
		} else {
			ssize_t r;

			do
				r = read(fd[i], &c, 1);
			while (r < 0 && errno == EINTR);
			if (r != 0)
				wl_die("read EOF");
		}
	}
	wl_write_full(rep, "2", 1);
	if (exit_mode)
		wait_byte(cmd);
	_exit(0);
}

static pid_t start_side(bool client, int lfd, int port, int cmd[2], int rep[2])
{
	pid_t pid;

	if (pipe(cmd) < 0)
		wl_die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		close(cmd[1]);
		close(rep[0]);
		side(client, lfd, port, cmd[0], rep[1]);
	}
	close(cmd[0]);
	return pid;
}

/* the holder's part of a stage: tell both sides, wait until both did it */
static void stage(int cmd_c, int cmd_s, int rep)
{
	char c[2];

	wl_write_full(cmd_c, "g", 1);
	wl_write_full(cmd_s, "g", 1);
	wl_read_full(rep, c, 2);
}

int main(int argc, char **argv)
{
	const char *usage = "tcpclose exit|simul N";
	int lfd, cmd_c[2], cmd_s[2], rep[2];
	struct sockaddr_in a;
	pid_t cli, srv;

	if (argc != 3 ||
	    (strcmp(argv[1], "exit") && strcmp(argv[1], "simul"))) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	exit_mode = !strcmp(argv[1], "exit");
	n_conns = wl_arg(argv[2], usage);
	if (n_conns < 1) {
		fprintf(stderr, "usage: %s (N >= 1)\n", usage);
		return 2;
	}
	fd_room(n_conns + 64);
	own_netns();
	lfd = wl_listen_lo(&a, 4096);
	if (pipe(rep) < 0)
		wl_die("pipe");
	srv = start_side(false, lfd, 0, cmd_s, rep);
	cli = start_side(true, -1, ntohs(a.sin_port), cmd_c, rep);
	close(lfd);
	close(rep[1]);

	printf("pids %d %d %d\n", cli, srv, getpid());
	wl_wait_go();
	stage(cmd_c[1], cmd_s[1], rep[0]);
	printf("open %ld\n", n_conns);
	wl_wait_go();
	stage(cmd_c[1], cmd_s[1], rep[0]);
	if (exit_mode) {
		printf("half\n");
		wl_wait_go();
		/* both at once: the kernel closes every end as they exit */
		wl_write_full(cmd_c[1], "g", 1);
		wl_write_full(cmd_s[1], "g", 1);
	}
	while (waitpid(cli, NULL, 0) < 0 && errno == EINTR)
		;
	while (waitpid(srv, NULL, 0) < 0 && errno == EINTR)
		;
	printf("closed\n");
	wl_wait_go();
	printf("{\"mode\":\"%s\",\"opened\":%ld,\"port\":%d}\n", argv[1],
	       n_conns, ntohs(a.sin_port));
	return 0;
}
