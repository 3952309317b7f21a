// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_tcpclose.c - connections that the kernel closes must leave
 * tracetop's list, and the ones still open must show the state the kernel
 * gives them. The answer key is the kernel's own list: ss, run in the
 * workload's network namespace.
 *
 * tests/workloads/tcpclose.c opens N loopback connections in a namespace
 * whose lo spreads packets over the CPUs (RPS), so that the kernel handles
 * them in softirqs nested in whatever runs, tracetop's programs included
 * (the kernel skips a BPF program nested in itself: a transition it never
 * sees). Then either the client half-closes every connection and both
 * processes exit with them open, or both ends close all at once (FINs
 * cross: CLOSING). Within 2 refreshes of the kernel letting the last end
 * go, no end may be listed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/integ/integ_harness.h"

#define N_CONNS "1000"

/* ss's name of a state ("ESTAB", "FIN-WAIT-2") from tracetop's */
static const char *ss_name(const char *tt_state)
{
	static const char *const names[][2] = {
		{ "ESTABLISHED", "ESTAB" },    { "SYN_SENT", "SYN-SENT" },
		{ "SYN_RECV", "SYN-RECV" },    { "FIN_WAIT1", "FIN-WAIT-1" },
		{ "FIN_WAIT2", "FIN-WAIT-2" }, { "TIME_WAIT", "TIME-WAIT" },
		{ "CLOSE", "UNCONN" },	       { "CLOSE_WAIT", "CLOSE-WAIT" },
		{ "LAST_ACK", "LAST-ACK" },    { "LISTEN", "LISTEN" },
		{ "CLOSING", "CLOSING" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(tt_state, names[i][0]))
			return names[i][1];
	return tt_state;
}

/* ss -tanH in the namespace of pid: "STATE local peer" lines (malloc'd) */
static char *ss_in(int pid)
{
	char ns[64], *out = NULL, *err = NULL;
	char *argv[] = { "nsenter", ns, "ss", "-tanH", NULL };

	snprintf(ns, sizeof(ns), "--net=/proc/%d/ns/net", pid);
	ck_assert_msg(ih_exit_code(ih_run(argv, 10000, &out, &err)) == 0,
		      "nsenter ... ss: %s", err ? err : "");
	free(err);
	return out;
}

/* the state ss gives the end local -> peer, or NULL */
static const char *ss_state(const char *ss, const char *local, const char *peer,
			    char *buf, size_t len)
{
	char pat[128];
	const char *l, *e;

	snprintf(pat, sizeof(pat), " %s ", local);
	for (l = ss; l && *l;
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *hit = strstr(l, pat);
		size_t n;

		e = strchr(l, '\n');
		if (!hit || (e && hit > e))
			continue;
		hit += strlen(pat);
		hit += strspn(hit, " ");
		if (strncmp(hit, peer, strlen(peer)) ||
		    (hit[strlen(peer)] != ' ' && hit[strlen(peer)] != '\n' &&
		     hit[strlen(peer)]))
			continue;
		n = strcspn(l, " ");
		snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), l);
		return buf;
	}
	return NULL;
}

/*
 * The workload's ends listed in snap: how many, how many agree with ss,
 * and a tally of their states for the message.
 */
struct ends {
	int listed, agree;
	char tally[512], first_bad[320];
};

static void tally_add(char *t, size_t len, const char *state)
{
	char key[40], *hit;

	snprintf(key, sizeof(key), "%s ", state);
	hit = strstr(t, key);
	if (hit) {
		int n = atoi(hit + strlen(key)) + 1;
		char rest[512];

		snprintf(rest, sizeof(rest), "%s",
			 hit + strlen(key) +
				 strspn(hit + strlen(key), "0123456789"));
		snprintf(hit, len - (size_t)(hit - t), "%s%d%s", key, n, rest);
	} else {
		size_t l = strlen(t);

		snprintf(t + l, len - l, "%s%s1", l ? ", " : "", key);
	}
}

static struct ends ends_in(const cJSON *snap, const struct ih_wl *wl,
			   const char *ss)
{
	struct ends e = { 0 };
	const cJSON *c;

	cJSON_ArrayForEach(
		c, cJSON_GetObjectItemCaseSensitive(snap, "connections"))
	{
		char local[64], peer[64], buf[32];
		const char *st = ih_path(c, "state")->valuestring, *got;
		int pid = (int)ih_num(c, "pid");

		if (pid != wl->pids[0] && pid != wl->pids[1])
			continue;
		e.listed++;
		tally_add(e.tally, sizeof(e.tally), st);
		snprintf(local, sizeof(local), "%s:%d",
			 ih_path(c, "saddr")->valuestring,
			 (int)ih_num(c, "sport"));
		snprintf(peer, sizeof(peer), "%s:%d",
			 ih_path(c, "daddr")->valuestring,
			 (int)ih_num(c, "dport"));
		got = ss_state(ss, local, peer, buf, sizeof(buf));
		if (got && !strcmp(got, ss_name(st)))
			e.agree++;
		else if (!e.first_bad[0])
			snprintf(e.first_bad, sizeof(e.first_bad),
				 "%s -> %s: tracetop %s, ss %s", local, peer,
				 st, got ? got : "(none)");
	}
	return e;
}

/* ss lines (not LISTEN) in the namespace */
static int ss_count(const char *ss, const char *state)
{
	int n = 0;

	for (const char *l = ss; l && *l;
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (*l && !strncmp(l, state, strlen(state)) &&
		    l[strlen(state)] == ' ')
			n++;
	return n;
}

/* ends the kernel still has, TIME-WAIT aside (those are no socket's) */
static int ss_alive(const char *ss)
{
	return ss_count(ss, "FIN-WAIT-1") + ss_count(ss, "FIN-WAIT-2") +
	       ss_count(ss, "CLOSING") + ss_count(ss, "LAST-ACK") +
	       ss_count(ss, "CLOSE-WAIT") + ss_count(ss, "ESTAB") +
	       ss_count(ss, "SYN-SENT") + ss_count(ss, "SYN-RECV");
}

/* After a stage: 3 snapshots (2 whole refreshes after it), then ss. */
static struct ends after_stage(struct ih_wl *wl, struct ih_tt *tt,
			       char **ss_out)
{
	ih_tt_wait_snaps(tt, 3, 5000);
	*ss_out = ss_in(wl->pids[2]);
	return ends_in(tt->snaps[tt->n - 1], wl, *ss_out);
}

static void run(const char *mode)
{
	struct ih_wl *wl = ih_wl_start("tcpclose", mode, N_CONNS, NULL);
	int n = atoi(N_CONNS);
	struct ih_tt *tt;
	struct ends e;
	char pids[32], *line, *ss;

	ck_assert_int_eq(wl->npids, 3);
	snprintf(pids, sizeof(pids), "%d,%d", wl->pids[0], wl->pids[1]);
	tt = ih_tt_start(pids, NULL);
	ih_wl_go(wl);
	line = ih_wl_line(wl, tt, 30000);
	ck_assert_msg(!strncmp(line, "open ", 5), "workload: %s", line);
	free(line);
	e = after_stage(wl, tt, &ss);
	ck_assert_msg(e.listed == 2 * n && e.agree == 2 * n,
		      "%s, open: %d ends listed (%s), %d agree with ss; "
		      "first that does not: %s",
		      mode, e.listed, e.tally, e.agree, e.first_bad);
	free(ss);

	ih_wl_go(wl);
	line = ih_wl_line(wl, tt, 30000);
	if (!strcmp(mode, "exit")) {
		ck_assert_str_eq(line, "half");
		/* the server's ACK of each FIN may be delayed: judge tracetop
		 * once the kernel's states are final */
		for (long long end = ih_now_ms() + ih_ms(5000);;) {
			ss = ss_in(wl->pids[2]);
			if ((ss_count(ss, "FIN-WAIT-2") == n &&
			     ss_count(ss, "CLOSE-WAIT") == n) ||
			    ih_now_ms() > end)
				break;
			free(ss);
			ih_tt_wait_snaps(tt, 1, 2000);
		}
		ck_assert_msg(ss_count(ss, "FIN-WAIT-2") == n &&
				      ss_count(ss, "CLOSE-WAIT") == n,
			      "ss after the half close:\n%.500s", ss);
		free(ss);
		e = after_stage(wl, tt, &ss);
		ck_assert_msg(e.listed == 2 * n && e.agree == 2 * n,
			      "half closed: %d ends listed (%s), %d agree "
			      "with ss; first that does not: %s",
			      e.listed, e.tally, e.agree, e.first_bad);
		free(ss);
		free(line);
		ih_wl_go(wl);
		line = ih_wl_line(wl, tt, 30000);
	}
	ck_assert_str_eq(line, "closed");
	free(line);
	/* an orphan may linger (LAST_ACK until its FIN is acknowledged):
	 * listed while the kernel has it is right; judge once it is gone */
	for (long long end = ih_now_ms() + ih_ms(10000);;) {
		ss = ss_in(wl->pids[2]);
		if (!ss_alive(ss) || ih_now_ms() > end)
			break;
		free(ss);
		ih_tt_wait_snaps(tt, 1, 2000);
	}
	ck_assert_msg(!ss_alive(ss),
		      "%s: the kernel still has %d ends:\n%.500s", mode,
		      ss_alive(ss), ss);
	free(ss);
	e = after_stage(wl, tt, &ss);
	ck_assert_msg(e.listed == 0,
		      "%s: %d of %d ends still listed 2 refreshes after the "
		      "kernel let the last go (%s); ss: %d in TIME-WAIT, %d "
		      "other",
		      mode, e.listed, 2 * n, e.tally, ss_count(ss, "TIME-WAIT"),
		      ss_alive(ss));
	free(ss);
	ih_wl_go(wl);
	ih_wl_finish(wl, tt, 10000);
	ih_tt_stop(tt);
	ih_tt_free(tt);
	ih_wl_free(wl);
}

/* A process exits with its connections open: the kernel closes them. */
START_TEST(ends_closed_at_exit_leave_the_list)
{
	run("exit");
}
END_TEST

/* Both ends close at the same moment: FINs cross (CLOSING). */
START_TEST(simultaneous_close_leaves_the_list)
{
	run("simul");
}
END_TEST

Suite *integ_tcpclose_suite(void)
{
	Suite *s = suite_create("integ_tcpclose");
	TCase *tc = ih_tcase(s, "tcpclose", 90);

	tcase_add_test(tc, ends_closed_at_exit_leave_the_list);
	tcase_add_test(tc, simultaneous_close_leaves_the_list);
	return s;
}
