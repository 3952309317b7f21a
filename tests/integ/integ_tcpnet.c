// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_tcpnet.c - TCP figures that need a network misbehaving on purpose:
 * connect latency, retransmits, RTT and resets. tests/workloads/tcpnet.c
 * makes the trouble inside a network namespace of its own (nftables
 * drops, a tbf shaper on its own lo) and brings the answers from outside
 * tracetop: its own clock around connect(), the kernel's tcp_info for its
 * socket, the errors its calls returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/integ/integ_harness.h"

#define INIT_RTO_NS 1000000000.0 /* TCP_TIMEOUT_INIT */
/*
 * connect() returns when the woken client runs again, after the SYN-ACK
 * made the socket ESTABLISHED: on a busy machine that wait is the only
 * gap between the workload's clock and tracetop's SYN_SENT-to-ESTABLISHED.
 */
#define WAKE_SLACK_NS 50000000.0

struct run {
	struct ih_wl *wl;
	struct ih_tt *tt;
	const cJSON *res;
	const cJSON *client, *server; /* their exited records */
	const cJSON *conn; /* the client's connection, its last record */
};

/* tcpnet MODE under tracetop -p, to the end of both processes */
static void tcpnet(const char *mode, struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->wl = ih_wl_start("tcpnet", mode, NULL);
	ck_assert_int_eq(r->wl->npids, 2);
	r->tt = ih_tt_start(r->wl->pidlist, NULL);
	ih_wl_go(r->wl);
	r->res = ih_wl_finish(r->wl, r->tt, 20000);
	ih_tt_wait_exited(r->tt, r->wl->pids, 2, 10000);
	ih_tt_stop(r->tt);
	for (int i = 0; i < 2; i++)
		ih_tt_check_lifecycle(r->tt, r->wl->pids[i]);
	r->client = ih_tt_exited(r->tt, (int)ih_num(r->res, "client_pid"));
	r->server = ih_tt_exited(r->tt, (int)ih_num(r->res, "server_pid"));
	ck_assert_ptr_nonnull(r->client);
	ck_assert_ptr_nonnull(r->server);
	/* the last snapshot that shows the connection has its final figures */
	for (size_t i = 0; i < r->tt->n; i++) {
		const cJSON *c;

		cJSON_ArrayForEach(
			c, cJSON_GetObjectItemCaseSensitive(
				   r->tt->snaps[i],
				   "connections")) if (ih_num(c, "pid") ==
							       ih_num(r->res,
								      "client_"
								      "pid") &&
						       ih_num(c, "dport") ==
							       ih_num(r->res,
								      "port"))
			r->conn = c;
	}
}

static void run_free(struct run *r)
{
	ih_tt_free(r->tt);
	ih_wl_free(r->wl);
}

/* the connection's and the client's retransmits: tcp_info's, exactly */
static void check_retransmits(const struct run *r)
{
	double want = ih_num(r->res, "retrans");

	ck_assert_msg(r->conn != NULL, "no connection of pid %.0f to port %.0f",
		      ih_num(r->res, "client_pid"), ih_num(r->res, "port"));
	ck_assert_msg(ih_num(r->conn, "retransmits") == want,
		      "connection retransmits %.0f, tcp_info says %.0f",
		      ih_num(r->conn, "retransmits"), want);
	ck_assert_msg(ih_num(r->client, "tcp.retransmits") == want,
		      "client tcp.retransmits %.0f, tcp_info says %.0f",
		      ih_num(r->client, "tcp.retransmits"), want);
	ck_assert_msg(ih_num(r->server, "tcp.retransmits") ==
			      ih_num(r->res, "server_retrans"),
		      "server tcp.retransmits %.0f, tcp_info says %.0f",
		      ih_num(r->server, "tcp.retransmits"),
		      ih_num(r->res, "server_retrans"));
}

/*
 * The first SYN dropped: connect() takes the initial RTO. tracetop's
 * connect latency lies between that and what the client timed; the SYN
 * sent again is a retransmit, in tcp_info as in tracetop.
 */
START_TEST(test_connect_latency_first_syn_lost)
{
	struct run r;
	double own, got;

	tcpnet("synloss", &r);
	own = ih_num(r.res, "connect_ns");
	ck_assert_msg(own >= INIT_RTO_NS,
		      "connect() took %.0f ns: the first SYN was not dropped",
		      own);
	check_retransmits(&r);
	got = ih_num(r.conn, "connect_ns");
	ck_assert_msg(got >= INIT_RTO_NS && got <= own &&
			      own - got <= WAKE_SLACK_NS,
		      "connect_ns %.0f; the client timed %.0f, the kernel "
		      "waits %.0f before sending the SYN again",
		      got, own, INIT_RTO_NS);
	ck_assert_double_eq(ih_num(r.client, "tcp.connects"), 1);
	ck_assert_double_eq(ih_num(r.server, "tcp.accepts"), 1);
	run_free(&r);
}
END_TEST

/*
 * Every fifth data packet dropped on the way in: retransmits as tcp_info
 * counts them, for the connection and for each process; and the bytes
 * stay those the applications wrote and read, not those on the wire.
 */
START_TEST(test_retransmits_under_loss)
{
	struct run r;
	double bytes;

	tcpnet("loss", &r);
	ck_assert_msg(ih_num(r.res, "retrans") > 0,
		      "tcp_info counts no retransmit: nothing was dropped");
	check_retransmits(&r);
	bytes = ih_num(r.res, "server_bytes");
	ck_assert_double_eq(ih_num(r.client, "tcp.tx_bytes"), bytes);
	ck_assert_double_eq(ih_num(r.server, "tcp.rx_bytes"), bytes);
	ck_assert_double_eq(ih_num(r.conn, "tx_bytes"), bytes);
	run_free(&r);
}
END_TEST

/*
 * A shaped lo (tbf, 10 Mbit/s): the smoothed RTT tracetop read at the
 * client's last I/O is the one tcp_info gives after it, exactly; and it is
 * the shaper's milliseconds, not an unshaped loopback's microseconds.
 */
START_TEST(test_srtt_shaped_link)
{
	struct run r;
	double want;

	tcpnet("rtt", &r);
	want = ih_num(r.res, "rtt_us");
	ck_assert_msg(want >= 2000,
		      "tcp_info rtt %.0f us: the shaper did not shape", want);
	ck_assert_msg(r.conn != NULL, "no connection to port %.0f",
		      ih_num(r.res, "port"));
	ck_assert_msg(ih_num(r.conn, "srtt_us") == want,
		      "srtt_us %.0f, tcp_info says %.0f",
		      ih_num(r.conn, "srtt_us"), want);
	check_retransmits(&r);
	run_free(&r);
}
END_TEST

/*
 * REFUSED connects to a closed port (each gets a reset) and LINGER0
 * connections closed with SO_LINGER 0 (a reset sent by the client, one
 * received by the server's end): counted exactly on each side.
 */
START_TEST(test_refused_and_reset)
{
	struct run r;
	double refused, linger0;

	tcpnet("resets", &r);
	refused = ih_num(r.res, "refused");
	linger0 = ih_num(r.res, "linger0");
	ck_assert_double_eq(refused, 3);
	ck_assert_double_eq(ih_num(r.res, "server_resets_seen"), linger0);
	ck_assert_double_eq(ih_num(r.client, "tcp.connects"),
			    refused + linger0);
	ck_assert_double_eq(ih_num(r.client, "tcp.resets"), refused + linger0);
	ck_assert_double_eq(ih_num(r.server, "tcp.accepts"), linger0);
	ck_assert_double_eq(ih_num(r.server, "tcp.resets"), linger0);
	ck_assert_double_eq(ih_num(r.client, "tcp.retransmits"), 0);
	run_free(&r);
}
END_TEST

Suite *integ_tcpnet_suite(void)
{
	Suite *s = suite_create("integ_tcpnet");
	TCase *tc = ih_tcase(s, "netns", 60);

	tcase_add_test(tc, test_connect_latency_first_syn_lost);
	tcase_add_test(tc, test_retransmits_under_loss);
	tcase_add_test(tc, test_srtt_shaped_link);
	tcase_add_test(tc, test_refused_and_reset);
	return s;
}
