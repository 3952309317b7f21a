// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcpnet MODE - TCP figures with answers known from outside tracetop, in a
 * network namespace of the workload's own (unshare(CLONE_NEWNET): its own
 * lo, nftables rules and qdisc, gone with it; the host's lo is never
 * touched). The parent is the client, its child the server; both print
 * nothing but the protocol of wl.h: "pids CLIENT SERVER", the go byte,
 * one JSON result line.
 *
 *   synloss  nftables drops the first SYN to the server: connect() takes
 *            the kernel's initial retransmission timeout (1 s), timed by
 *            the client itself (connect_ns)
 *   loss     nftables drops every LOSS_EVERY-th data packet on the way in
 *            (an output drop is a local send error, never retransmitted):
 *            the client's retransmits from its own tcp_info
 *            (tcpi_total_retrans), the server's too
 *   rtt      a tbf qdisc shapes lo: the client's smoothed RTT from its
 *            tcp_info (tcpi_rtt) after its last I/O on the socket
 *   resets   REFUSED connects to a closed port (a reset received each) and
 *            LINGER0 connections closed with SO_LINGER 0 (a reset sent by
 *            the client, received by the server, which owns its end)
 *
 * In every mode the client sends one byte first and the server reads it,
 * so each end has its owner; the connection stays open HOLD_MS so that a
 * snapshot shows it.
 */
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "wl.h"

#define HOLD_MS	   600
#define LOSS_MSGS  300
#define LOSS_SIZE  1000
#define LOSS_EVERY 5
#define RTT_MSGS   10
#define RTT_SIZE   10000
#define RTT_MTU	   8000
#define REFUSED	   3
#define LINGER0	   2

static int mode_synloss, mode_loss, mode_rtt, mode_resets;

static void sh(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "tcpnet: '%s' failed\n", cmd);
		exit(1);
	}
}

/* our own network namespace, its lo up */
static void netns(void)
{
	struct ifreq ifr = { 0 };
	int fd;

	if (unshare(CLONE_NEWNET) < 0)
		wl_die("unshare(CLONE_NEWNET)");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		wl_die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		wl_die("SIOCSIFFLAGS lo");
	/* packets the shaper can pass: none above its burst */
	ifr.ifr_mtu = RTT_MTU;
	if (mode_rtt && ioctl(fd, SIOCSIFMTU, &ifr) < 0)
		wl_die("SIOCSIFMTU lo");
	close(fd);
}

static void nft(int port)
{
	char cmd[512];
	const char *rule = "";

	/* input hook: the packet left the sender, then was lost */
	if (mode_synloss) /* a SYN is 60 bytes: only the first fits */
		rule = "tcp flags & (syn | ack) == syn quota until 100 bytes";
	else if (mode_loss)
		rule = "ip length > 200 numgen inc mod 5 == 0";
	else
		return;
	snprintf(cmd, sizeof(cmd),
		 "nft -f - <<EOF\n"
		 "table ip tcpnet {\n"
		 " chain in {\n"
		 "  type filter hook input priority 0;\n"
		 "  tcp dport %d %s counter drop\n"
		 " }\n"
		 "}\n"
		 "EOF",
		 port, rule);
	sh(cmd);
}

static struct tcp_info info(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		wl_die("TCP_INFO");
	return ti;
}

static void hold(void)
{
	struct timespec ts = { HOLD_MS / 1000, HOLD_MS % 1000 * 1000000L };

	nanosleep(&ts, NULL);
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		wl_die("getsockname");
	return ntohs(a.sin_port);
}

/* ---- the server (child) -------------------------------------------------- */

struct srv_report {
	long accepted, resets_seen, retrans, bytes;
};

static void server(int lfd, int go, int rep)
{
	static char buf[65536];
	struct srv_report r = { 0 };
	int n = mode_resets ? LINGER0 : 1;
	char c;

	wl_die_with_parent();
	wl_read_full(go, &c, 1);
	for (int i = 0; i < n; i++) {
		int fd = accept(lfd, NULL, NULL);
		ssize_t got;

		if (fd < 0)
			wl_die("accept");
		r.accepted++;
		wl_read_full(fd, &c, 1); /* now it owns its end */
		r.bytes++;
		if (mode_resets) /* and the client may reset it */
			wl_write_full(fd, "y", 1);
		while ((got = read(fd, buf, sizeof(buf))) > 0)
			r.bytes += got;
		if (got < 0 && errno == ECONNRESET)
			r.resets_seen++;
		else if (got < 0)
			wl_die("server read");
		if (mode_rtt) /* the client's last I/O: this byte */
			wl_write_full(fd, "r", 1);
		r.retrans += info(fd).tcpi_total_retrans;
		close(fd);
	}
	wl_write_full(rep, &r, sizeof(r));
	_exit(0);
}

/* ---- the client (parent) ------------------------------------------------- */

static double mono_ns(void)
{
	return wl_now() * 1e9;
}

static int dial(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		wl_die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* a port nobody listens on: bound, never listening, in our namespace */
static int closed_port(int *keep)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	*keep = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (*keep < 0 || bind(*keep, (struct sockaddr *)&a, len) < 0 ||
	    getsockname(*keep, (struct sockaddr *)&a, &len) < 0)
		wl_die("bind");
	return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
	static char buf[RTT_SIZE > LOSS_SIZE ? RTT_SIZE : LOSS_SIZE];
	const char *usage = "tcpnet synloss|loss|rtt|resets";
	struct sockaddr_in a;
	struct srv_report sr;
	struct tcp_info ti;
	int lfd, go[2], rep[2], port, fd = -1, sport = 0, status, one = 1;
	int refused = 0, keep;
	double t0, connect_ns = 0;
	pid_t pid;

	if (argc == 2) {
		mode_synloss = !strcmp(argv[1], "synloss");
		mode_loss = !strcmp(argv[1], "loss");
		mode_rtt = !strcmp(argv[1], "rtt");
		mode_resets = !strcmp(argv[1], "resets");
	}
	if (!mode_synloss && !mode_loss && !mode_rtt && !mode_resets) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	netns();
	if (mode_rtt) /* 10 KB take 8 ms at 10 Mbit/s, each way it queues */
		sh("tc qdisc add dev lo root tbf rate 10mbit burst 10kb "
		   "latency 200ms");
	lfd = wl_listen_lo(&a, 8);
	port = ntohs(a.sin_port);
	nft(port);
	if (pipe(go) < 0 || pipe(rep) < 0)
		wl_die("pipe");
	pid = fork();
	if (pid < 0)
		wl_die("fork");
	if (pid == 0) {
		close(go[1]);
		close(rep[0]);
		server(lfd, go[0], rep[1]);
	}
	close(lfd);
	close(go[0]);
	close(rep[1]);

	printf("pids %d %d\n", getpid(), pid);
	wl_wait_go();
	wl_write_full(go[1], "g", 1);

	if (mode_resets) {
		int cport = closed_port(&keep);
		struct linger lg = { 1, 0 };

		for (int i = 0; i < REFUSED; i++)
			if (dial(cport) < 0 && errno == ECONNREFUSED)
				refused++;
		close(keep);
		for (int i = 0; i < LINGER0; i++) {
			fd = dial(port);
			if (fd < 0)
				wl_die("connect");
			wl_write_full(fd, "x", 1);
			wl_read_full(fd, buf, 1); /* the server owns its end */
			if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg,
				       sizeof(lg)) < 0)
				wl_die("SO_LINGER");
			close(fd);
		}
		fd = -1;
	} else {
		t0 = mono_ns();
		fd = dial(port);
		connect_ns = mono_ns() - t0;
		if (fd < 0)
			wl_die("connect");
		sport = port_of(fd);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		wl_write_full(fd, "x", 1);
	}
	memset(buf, 'x', sizeof(buf));
	if (mode_loss) {
		struct timespec gap = { 0, 200000 };

		for (int i = 0; i < LOSS_MSGS; i++) {
			wl_write_full(fd, buf, LOSS_SIZE);
			nanosleep(&gap, NULL);
		}
	}
	if (mode_rtt)
		for (int i = 0; i < RTT_MSGS; i++)
			wl_write_full(fd, buf, RTT_SIZE);
	if (fd >= 0) {
		/* every byte acked: no retransmit can come after */
		do {
			ti = info(fd);
		} while (ti.tcpi_unacked && usleep(10000) == 0);
		hold();
		shutdown(fd, SHUT_WR);
		/* rtt: the server's byte after our FIN is the last I/O on
		 * the socket, read with the RTT that tcp_info has now;
		 * the others: EOF, after which nothing is in flight */
		if (mode_rtt)
			wl_read_full(fd, buf, 1);
		else if (read(fd, buf, 1) != 0)
			wl_die("EOF");
		ti = info(fd);
		close(fd);
	}
	wl_read_full(rep[0], &sr, sizeof(sr));
	if (waitpid(pid, &status, 0) < 0 || status)
		wl_die("server");
	printf("{\"client_pid\":%d,\"server_pid\":%d,\"port\":%d,"
	       "\"sport\":%d,\"connect_ns\":%.0f,\"retrans\":%u,"
	       "\"rtt_us\":%u,\"refused\":%d,\"linger0\":%d,"
	       "\"server_accepted\":%ld,\"server_resets_seen\":%ld,"
	       "\"server_retrans\":%ld,\"server_bytes\":%ld}\n",
	       getpid(), pid, port, sport, connect_ns,
	       fd >= 0 ? ti.tcpi_total_retrans : 0, fd >= 0 ? ti.tcpi_rtt : 0,
	       refused, mode_resets ? LINGER0 : 0, sr.accepted, sr.resets_seen,
	       sr.retrans, sr.bytes);
	return 0;
}
