// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_tcp.c - TCP bytes must be exact: one loopback connection carries a
 * known number of bytes, and tracetop must attribute all of them, no more,
 * to the process that sent and to the one that received, over IPv4 and
 * IPv6, and show the connection itself with the right ports. And a socket
 * whose memory once held a closed one must show as itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/integ/integ_harness.h"

#define XFER_BYTES 1000000

/*
 * The contract leaves the spelling of the family open: accept the IP
 * version (4, 6), AF_INET/AF_INET6 (2, 10) or a name ("ipv6", "inet6").
 */
static bool family_is(const cJSON *f, int v)
{
	if (cJSON_IsNumber(f))
		return f->valueint == v || f->valueint == (v == 6 ? 10 : 2);
	if (cJSON_IsString(f))
		return (strchr(f->valuestring, '6') != NULL) == (v == 6);
	return false;
}

/* The sender's side of the connection, most bytes seen; NULL if none. */
static const cJSON *find_conn(const struct ih_tt *tt, int pid, int dport)
{
	const cJSON *best = NULL, *c;

	for (size_t i = 0; i < tt->n; i++)
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(
					      tt->snaps[i], "connections"))
		{
			if (ih_num(c, "pid") != pid ||
			    ih_num(c, "dport") != dport)
				continue;
			if (!best ||
			    ih_num(c, "tx_bytes") > ih_num(best, "tx_bytes"))
				best = c;
		}
	return best;
}

static void xfer(int v)
{
	struct ih_wl *wl =
		v == 6 ? ih_wl_start("tcpxfer", "-6", "1000000", NULL)
		       : ih_wl_start("tcpxfer", "1000000", NULL);
	const char *lo = v == 6 ? "::1" : "127.0.0.1";
	const cJSON *res, *snd, *rcv, *c;
	struct ih_tt *tt;
	int port, spid, rpid;

	ck_assert_int_eq(wl->npids, 2);
	tt = ih_tt_run(wl, 15000);
	res = wl->result;

	rpid = ih_num(res, "receiver_pid");
	spid = ih_num(res, "sender_pid");
	port = ih_num(res, "port");
	ck_assert_double_eq(ih_num(res, "sent"), XFER_BYTES);
	ck_assert_double_eq(ih_num(res, "received"), XFER_BYTES);
	ih_tt_check_lifecycle(tt, rpid);
	ih_tt_check_lifecycle(tt, spid);

	snd = ih_tt_exited(tt, spid);
	rcv = ih_tt_exited(tt, rpid);
	ck_assert_double_eq(ih_num(snd, "tcp.tx_bytes"), XFER_BYTES);
	ck_assert_double_eq(ih_num(rcv, "tcp.rx_bytes"), XFER_BYTES);
	/* nothing flows the other way on this connection */
	ck_assert_double_eq(ih_num(snd, "tcp.rx_bytes"), 0);
	ck_assert_double_eq(ih_num(rcv, "tcp.tx_bytes"), 0);
	ck_assert_double_eq(ih_num(snd, "tcp.connects"), 1);
	ck_assert_double_eq(ih_num(snd, "tcp.accepts"), 0);
	ck_assert_double_eq(ih_num(rcv, "tcp.accepts"), 1);
	ck_assert_double_eq(ih_num(rcv, "tcp.connects"), 0);

	c = find_conn(tt, spid, port);
	ck_assert_msg(c != NULL,
		      "no connections[] entry of pid %d to port %d in %zu "
		      "snapshots",
		      spid, port, tt->n);
	ck_assert_double_eq(ih_num(c, "tx_bytes"), XFER_BYTES);
	ck_assert_double_eq(ih_num(c, "sport"), ih_num(res, "sender_port"));
	ck_assert_msg(family_is(ih_path(c, "family"), v),
		      "connection family is not IPv%d", v);
	ck_assert_msg(cJSON_IsString(ih_path(c, "daddr")) &&
			      !strcmp(ih_path(c, "daddr")->valuestring, lo),
		      "daddr is not %s", lo);
	ck_assert_msg(cJSON_IsString(ih_path(c, "saddr")) &&
			      !strcmp(ih_path(c, "saddr")->valuestring, lo),
		      "saddr is not %s", lo);

	ih_tt_free(tt);
	ih_wl_free(wl);
}

#define REUSE_N "400"

/* Connections of pid in snap: ESTABLISHED, one byte each way, on 127.0.0.1. */
static int fresh_conns(const cJSON *snap, int pid)
{
	const cJSON *c;
	int n = 0;

	cJSON_ArrayForEach(
		c, cJSON_GetObjectItemCaseSensitive(snap, "connections"))
	{
		const cJSON *st = ih_path(c, "state");

		n += ih_num(c, "pid") == pid && cJSON_IsString(st) &&
		     !strcmp(st->valuestring, "ESTABLISHED") &&
		     ih_num(c, "tx_bytes") == 1 && ih_num(c, "rx_bytes") == 1;
	}
	return n;
}

/* Most of pid's fresh connections seen in one snapshot from index i on. */
static int most_fresh(const struct ih_tt *tt, size_t i, int pid)
{
	int best = 0;

	for (; i < tt->n; i++) {
		int n = fresh_conns(tt->snaps[i], pid);

		best = n > best ? n : best;
	}
	return best;
}

/*
 * tcpmany closes REUSE_N connections, and a second one opens as many at
 * once: the kernel hands the new sockets the memory of the old, whose
 * entries tracetop reports and deletes only at its next read. Every new
 * end, client (the workload) and server (its child), must show with its
 * own byte each way, not the old entry's state or owner.
 */
START_TEST(test_tcp_reused_sockets)
{
	struct ih_wl *a = ih_wl_start("tcpmany", REUSE_N, "4", NULL);
	struct ih_wl *b = ih_wl_start("tcpmany", REUSE_N, "4", NULL);
	int n = atoi(REUSE_N);
	char pids[160];
	struct ih_tt *tt;
	size_t from;
	char *line;

	ck_assert_int_eq(a->npids, 2);
	ck_assert_int_eq(b->npids, 2);
	snprintf(pids, sizeof(pids), "%s,%s", a->pidlist, b->pidlist);
	tt = ih_tt_start(pids, NULL);
	ih_wl_go(a);
	free(ih_wl_line(a, tt, 20000)); /* "open N" */
	ih_tt_wait_snaps(tt, 2, 5000);
	ck_assert_int_eq(most_fresh(tt, 0, a->pids[0]), n);
	ck_assert_int_eq(most_fresh(tt, 0, a->pids[1]), n);
	ih_wl_go(a); /* close them all */
	ih_wl_finish(a, tt, 20000);
	from = tt->n;
	ih_wl_go(b);
	line = ih_wl_line(b, tt, 20000);
	ck_assert_str_eq(line, "open " REUSE_N);
	free(line);
	ih_tt_wait_snaps(tt, 2, 5000);
	ck_assert_int_eq(most_fresh(tt, from, b->pids[0]), n);
	ck_assert_int_eq(most_fresh(tt, from, b->pids[1]), n);
	ih_wl_go(b);
	ih_wl_finish(b, tt, 20000);
	ih_tt_stop(tt);
	ih_tt_free(tt);
	ih_wl_free(a);
	ih_wl_free(b);
}
END_TEST

/*
 * The owner's bytes live in its connections (bpf/owner_bytes.h): they must
 * stay in its figures after the connections closed and left the map, and
 * a child writing on the inherited socket is charged its own bytes.
 */
#define SHARE_A 100000
#define SHARE_B 30000

START_TEST(test_tcp_shared_and_closed)
{
	struct ih_wl *wl = ih_wl_start("tcpshare", "100000", "30000", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	const cJSON *p, *res, *ch;
	int pids[2];
	char *line;

	ih_wl_go(wl);
	line = ih_wl_line(wl, tt, 15000);
	ck_assert_str_eq(line, "closed");
	free(line);
	/* long enough for the closed connections to be reported, deleted */
	ih_tt_wait_snaps(tt, 4, 8000);
	p = ih_snap_proc(tt->snaps[tt->n - 1], wl->pids[0]);
	ck_assert_ptr_nonnull(p);
	ck_assert_double_eq(ih_num(p, "tcp.tx_bytes"), SHARE_A);
	ck_assert_double_eq(ih_num(p, "tcp.rx_bytes"), SHARE_A + SHARE_B);
	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 10000);
	pids[0] = wl->pids[0];
	pids[1] = ih_num(res, "child_pid");
	ih_tt_wait_exited(tt, pids, 2, 10000);
	ih_tt_stop(tt);
	ih_tt_check_lifecycle(tt, pids[0]); /* bytes never go down */
	ih_tt_check_lifecycle(tt, pids[1]);

	p = ih_tt_exited(tt, pids[0]);
	ck_assert_double_eq(ih_num(p, "tcp.tx_bytes"), SHARE_A);
	ck_assert_double_eq(ih_num(p, "tcp.rx_bytes"), SHARE_A + SHARE_B);
	ck_assert_double_eq(ih_num(p, "tcp.connects"), 1);
	ck_assert_double_eq(ih_num(p, "tcp.accepts"), 1);
	ch = ih_tt_exited(tt, pids[1]);
	ck_assert_ptr_nonnull(ch);
	ck_assert_double_eq(ih_num(ch, "tcp.tx_bytes"), SHARE_B);
	ck_assert_double_eq(ih_num(ch, "tcp.rx_bytes"), 0);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/*
 * A refresh reads only the connections that changed and keeps the rest
 * (bpf/collector_conns.c): idle connections must stay listed with their
 * figures, those that move again must show the new ones beside the idle,
 * and the closed must leave. tcpidle's three pauses of IDLE_MS each hold
 * one of those states for several refreshes (IH_DELAY, 0.2 s).
 */
#define IDLE_N	"48"
#define IDLE_MS "1500"

/*
 * Do pid's client ends (to port) in snap have exactly these bytes sent:
 * want[i] for the one from sports[i], absent where want[i] < 0?
 */
static bool clients_are(const cJSON *snap, int pid, int port,
			const cJSON *sports, const double *want, int n)
{
	const cJSON *conns =
		cJSON_GetObjectItemCaseSensitive(snap, "connections");

	for (int i = 0; i < n; i++) {
		int sp = cJSON_GetArrayItem(sports, i)->valueint;
		bool found = false;
		const cJSON *c;

		cJSON_ArrayForEach(c, conns)
		{
			if (ih_num(c, "pid") != pid ||
			    ih_num(c, "dport") != port ||
			    ih_num(c, "sport") != sp)
				continue;
			found = true;
			if (want[i] < 0 || ih_num(c, "tx_bytes") != want[i])
				return false;
		}
		if (!found && want[i] >= 0)
			return false;
	}
	return true;
}

START_TEST(test_tcp_idle_connections_kept)
{
	struct ih_wl *wl = ih_wl_start("tcpidle", IDLE_N, IDLE_MS, NULL);
	double first[512], more[512], after[512];
	int held[3] = { 0, 0, 0 }, pid = wl->pids[0], port, n;
	const cJSON *res, *sports;
	struct ih_tt *tt;

	tt = ih_tt_run(wl, 30000);
	res = wl->result;
	port = ih_num(res, "port");
	n = ih_num(res, "n");
	sports = ih_path(res, "sports");
	ck_assert_int_eq(n, atoi(IDLE_N));
	ck_assert_int_eq(cJSON_GetArraySize(sports), n);
	for (int i = 0; i < n; i++) {
		double f = cJSON_GetArrayItem(ih_path(res, "first"), i)
				   ->valuedouble;
		double m = cJSON_GetArrayItem(ih_path(res, "more"), i)
				   ->valuedouble;

		first[i] = f;
		more[i] = f + m;
		after[i] = i % 2 ? f + m : -1; /* the even ones closed */
	}
	for (size_t s = 0; s < tt->n; s++) {
		held[0] +=
			clients_are(tt->snaps[s], pid, port, sports, first, n);
		held[1] +=
			clients_are(tt->snaps[s], pid, port, sports, more, n);
		held[2] +=
			clients_are(tt->snaps[s], pid, port, sports, after, n);
	}
	ck_assert_msg(
		held[0] >= 2 && held[1] >= 2 && held[2] >= 2,
		"snapshots (of %zu) with all %d connections as they were: "
		"idle %d, after the odd ones moved %d, after the even "
		"ones closed %d (each pause %s ms)",
		tt->n, n, held[0], held[1], held[2], IDLE_MS);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

START_TEST(test_tcp_ipv4)
{
	xfer(4);
}
END_TEST

START_TEST(test_tcp_ipv6)
{
	xfer(6);
}
END_TEST

Suite *integ_tcp_suite(void)
{
	Suite *s = suite_create("integ_tcp");
	TCase *tc = ih_tcase(s, "bytes", 60);

	/* `make test-valgrind` runs these: connections and their bytes */
	tcase_set_tags(tc, "valgrind");
	tcase_add_test(tc, test_tcp_ipv4);
	tcase_add_test(tc, test_tcp_ipv6);
	tc = ih_tcase(s, "reuse", 90);
	tcase_add_test(tc, test_tcp_reused_sockets);
	tcase_add_test(tc, test_tcp_shared_and_closed);
	tcase_add_test(tc, test_tcp_idle_connections_kept);
	return s;
}
