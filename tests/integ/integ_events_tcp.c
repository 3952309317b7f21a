// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_events_tcp.c - TCP events against workloads with known answers:
 * connections established (their latency, the close's life and payload
 * bytes exact on both sides), refused, and delayed by a first SYN that
 * nftables drops in a network namespace of our own (never the host's lo).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/integ/integ_evlib.h"

/* ---- TCP ------------------------------------------------------------------
 */

#define N_CONNS 3
#define TX	100000
#define RX	3000

START_TEST(test_tcp_connect_close_exact)
{
	struct ih_wl *wl = ih_wl_start("tcpev", "est", "3", "100000", "3000",
				       "200", "0", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	struct tcpk k = { "close", 0, 0 };
	const cJSON *res, *conns, *c, *e;
	int port, server;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	port = (int)ih_num(res, "port");
	server = (int)ih_num(res, "server");
	conns = cJSON_GetObjectItemCaseSensitive(res, "conns");
	k.dport = port;
	ev_wait(tt, by_tuple, &k, N_CONNS, 5000);
	ih_tt_wait_snaps(tt, 2, 5000);
	ih_tt_stop(tt);
	for (int i = 0; i < N_CONNS; i++) {
		int sport;
		double held, life;

		c = cJSON_GetArrayItem(conns, i);
		sport = (int)ih_num(c, "sport");
		e = tcp_one(tt, "connect", sport, port);
		ck_assert_str_eq(ev_str(e, "result"), "established");
		ck_assert_int_eq((int)ev_num(e, "pid"), wl->pids[0]);
		ck_assert_msg(ev_num(e, "latency_ns") > 0 &&
				      ev_num(e, "latency_ns") <=
					      ih_num(c, "connect_us") * 1000,
			      "connect latency %.0f ns, connect() took %.0f us",
			      ev_num(e, "latency_ns"), ih_num(c, "connect_us"));
		/* the client's close: bytes exact, life as it held it */
		e = tcp_one(tt, "close", sport, port);
		ck_assert_int_eq((int)ev_num(e, "pid"), wl->pids[0]);
		ck_assert_double_eq(ev_num(e, "tx_bytes"), TX);
		ck_assert_double_eq(ev_num(e, "rx_bytes"), RX);
		life = ev_num(e, "lifetime_ns") / 1000;
		held = ih_num(c, "life_min_us");
		ck_assert_msg(life >= held && life <= ih_num(c, "life_max_us"),
			      "close lifetime %.0f us, not within %.0f to %.0f",
			      life, held, ih_num(c, "life_max_us"));
		/* the server's side of it: the accept and its close */
		e = tcp_one(tt, "accept", port, sport);
		ck_assert_int_eq((int)ev_num(e, "pid"), server);
		e = tcp_one(tt, "close", port, sport);
		ck_assert_int_eq((int)ev_num(e, "pid"), server);
		ck_assert_double_eq(ev_num(e, "tx_bytes"), RX);
		ck_assert_double_eq(ev_num(e, "rx_bytes"), TX);
		ck_assert(cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(e, "passive")));
	}
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

START_TEST(test_tcp_refused)
{
	struct ih_wl *wl = ih_wl_start("tcpev", "refused", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	struct tcpk k = { "connect", 0, 0 };
	const cJSON *res, *e;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	ck_assert_int_eq((int)ih_num(res, "errno"), ECONNREFUSED);
	k.dport = (int)ih_num(res, "port");
	ev_wait(tt, by_tuple, &k, 1, 5000);
	ih_tt_wait_snaps(tt, 1, 5000);
	ih_tt_stop(tt);
	e = tcp_one(tt, "connect", 0, k.dport);
	ck_assert_str_eq(ev_str(e, "result"), "refused");
	ck_assert_str_eq(ev_str(e, "error"), "ECONNREFUSED");
	ck_assert_int_eq((int)ev_num(e, "pid"), wl->pids[0]);
	/* the reset that refused it, as its socket received it */
	k.kind = "reset";
	{
		size_t n;
		const cJSON **v = ev_find(tt, by_tuple, &k, &n);
		size_t got = 0;

		for (size_t i = 0; i < n; i++)
			got += !strcmp(ev_str(v[i], "direction"), "received") &&
			       ev_num(v[i], "pid") == wl->pids[0];
		free(v);
		ck_assert_uint_eq(got, 1);
	}
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* Run a shell command; fail the test with its output if it fails. */
static void sh(const char *cmd)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char *out = NULL, *err = NULL;
	int code = ih_run(argv, 20000, &out, &err);

	ck_assert_msg(code == 0, "'%s' exited %d: %s%s", cmd, code, out, err);
	free(out);
	free(err);
}

static char netns[32];

static void netns_teardown(void)
{
	char cmd[96];

	if (!netns[0])
		return;
	snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null", netns);
	if (system(cmd)) { /* gone already: nothing to do */
	}
	netns[0] = 0;
}

/*
 * The first SYN dropped by nftables, in a network namespace of ours (never
 * the host's lo): connect() takes one initial RTO (about 1 s) by the
 * workload's clock, and the event says so, with the SYN's retransmit.
 */
START_TEST(test_tcp_syn_dropped)
{
	char cmd[512], port[16], wl_path[256];
	struct ih_wl *wl;
	struct ih_tt *tt;
	const cJSON *res, *c, *e;
	struct tcpk k = { "connect", 0, 0 };
	double took;

	ck_assert_msg(access("/usr/sbin/nft", X_OK) == 0,
		      "nft is missing (make deps installs nftables)");
	snprintf(netns, sizeof(netns), "tt-ev-%d", getpid());
	snprintf(port, sizeof(port), "%d", 20000 + getpid() % 20000);
	snprintf(cmd, sizeof(cmd),
		 "ip netns add %s && ip -n %s link set lo up && "
		 "ip netns exec %s nft -f - <<'EOF'\n"
		 "table inet tt {\n chain in {\n"
		 "  type filter hook input priority 0;\n"
		 "  tcp dport %s tcp flags & (syn | ack) == syn"
		 " numgen inc mod 2 == 0 drop\n }\n}\nEOF",
		 netns, netns, netns, port);
	sh(cmd);
	snprintf(wl_path, sizeof(wl_path), "%s/wl-tcpev",
		 ih_env("WL", "build"));
	{
		char *argv[] = { "ip", "netns", "exec", netns, wl_path, "est",
				 "1",  "1000",	"1000", "0",   port,	NULL };

		wl = ih_wl_start_argv(argv);
	}
	tt = ih_tt_start(wl->pidlist, NULL);
	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "conns"),
			       0);
	k.dport = atoi(port);
	ev_wait(tt, by_tuple, &k, 1, 5000);
	ih_tt_wait_snaps(tt, 1, 5000);
	ih_tt_stop(tt);
	netns_teardown();
	e = tcp_one(tt, "connect", (int)ih_num(c, "sport"), k.dport);
	took = ih_num(c, "connect_us") * 1000;
	ck_assert_msg(took > 0.9e9, "connect() took %.0f ns: no SYN dropped?",
		      took);
	ck_assert_str_eq(ev_str(e, "result"), "established");
	ck_assert_msg(ev_num(e, "latency_ns") <= took &&
			      ev_num(e, "latency_ns") > took * 0.95,
		      "latency %.0f ns, connect() took %.0f ns",
		      ev_num(e, "latency_ns"), took);
	ck_assert_double_ge(ev_num(e, "retransmits"), 1);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

static bool any_event(const cJSON *ev, const void *arg)
{
	(void)ev;
	(void)arg;
	return true;
}

/*
 * -u with a uid nobody uses: a workload's connections (root's) make no
 * event. The server never reads or writes its accepted socket, so no
 * process ever owns that end: its close was once reported with pid 0 to
 * every filter, and now to none.
 */
START_TEST(test_tcp_filtered_out)
{
	char uid[16];
	struct ih_wl *wl =
		ih_wl_start("tcpev", "est", "3", "0", "0", "50", "0", NULL);
	struct ih_tt *tt;
	const cJSON **v;
	const cJSON *res;
	size_t n;

	snprintf(uid, sizeof(uid), "%d", 40000 + getpid() % 20000);
	tt = ih_tt_start(NULL, "-u", uid, NULL);
	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	ih_tt_wait_snaps(tt, 3, 5000);
	ih_tt_stop(tt);
	ck_assert_int_gt((int)ih_num(res, "port"), 0);
	v = ev_find(tt, any_event, NULL, &n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(0,
			      "-u %s: an event of nobody's: %s %s:%.0f -> "
			      "%s:%.0f pid %.0f",
			      uid, ev_str(v[i], "kind"), ev_str(v[i], "saddr"),
			      ev_num(v[i], "sport"), ev_str(v[i], "daddr"),
			      ev_num(v[i], "dport"), ev_num(v[i], "pid"));
	free(v);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

Suite *integ_events_tcp_suite(void)
{
	Suite *s = suite_create("integ_events_tcp");
	TCase *tc = ih_tcase(s, "tcp", 60);

	tcase_add_checked_fixture(tc, NULL, netns_teardown);
	tcase_add_test(tc, test_tcp_connect_close_exact);
	tcase_add_test(tc, test_tcp_refused);
	tcase_add_test(tc, test_tcp_syn_dropped);
	tcase_add_test(tc, test_tcp_filtered_out);
	return s;
}
