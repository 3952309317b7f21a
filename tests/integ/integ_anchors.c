// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_anchors.c - the event stream next to the tools it replaces, on
 * the same workloads: the exec and exit lists equal execsnoop's and
 * exitsnoop's, the close list tcplife's (libbpf-tools).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/integ/integ_evlib.h"

/* ---- the anchors: execsnoop, exitsnoop, tcplife ---------------------------
 */

/*
 * A libbpf-tools tool, in a mount namespace of its own where tracefs is
 * mounted (its classic tracepoints need it; the host's stays as it is).
 * Its output goes to a file: through a pipe that nobody reads while the
 * test runs, the whole machine's events would fill it, block the tool,
 * and make it lose ours. Returns once its header is there: the tools
 * print it once their probes are attached.
 */
struct anchor {
	struct ih_proc *p;
	char path[96];
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, 0, f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static struct anchor anchor_start(const char *tool)
{
	long long deadline = ih_now_ms() + ih_ms(20000);
	struct anchor a;
	char cmd[256], *out = NULL;

	static int seq;

	snprintf(a.path, sizeof(a.path), "/tmp/tt-anchor-%d-%d", getpid(),
		 seq++);
	unlink(a.path);
	snprintf(cmd, sizeof(cmd),
		 "{ mountpoint -q /sys/kernel/tracing || "
		 "mount -t tracefs nodev /sys/kernel/tracing; } && exec "
		 "stdbuf -oL %s > %s",
		 tool, a.path);
	{
		char *argv[] = { "unshare", "-m", "sh", "-c", cmd, NULL };

		a.p = ih_spawn(argv, false, false, -1);
	}
	while (!(out = slurp(a.path)) || !strchr(out, '\n')) {
		free(out);
		ck_assert_msg(ih_now_ms() < deadline && !ih_proc_reaped(a.p),
			      "%s printed no header within 20 s (libbpf-tools "
			      "installed? make deps)",
			      tool);
		usleep(50000);
	}
	free(out);
	return a;
}

/* SIGINT after a last poll of theirs, then its lines, NULL-ended */
static char **anchor_stop(struct anchor *a)
{
	char **v = NULL, *out, *line, *save;
	size_t n = 0;

	usleep(300000); /* they poll every 100 ms and print no more at exit */
	kill(a->p->pid, SIGINT);
	ih_wait(a->p, 5000);
	out = slurp(a->path);
	unlink(a->path);
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		v = ih_xrealloc(v, (n + 2) * sizeof(*v));
		v[n++] = strdup(line);
	}
	free(out);
	v = ih_xrealloc(v, (n + 1) * sizeof(*v));
	v[n] = NULL;
	return v;
}

static void lines_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Both lists of "key" strings, sorted, must be equal. */
static void same_lists(char **a, size_t na, char **b, size_t nb,
		       const char *what)
{
	qsort(a, na, sizeof(*a), cmp_str);
	qsort(b, nb, sizeof(*b), cmp_str);
	for (size_t i = 0; i < na && i < nb; i++)
		ck_assert_msg(!strcmp(a[i], b[i]),
			      "%s: tracetop '%s', anchor '%s'", what, a[i],
			      b[i]);
	ck_assert_msg(na == nb, "%s: tracetop has %zu, the anchor %zu", what,
		      na, nb);
	ck_assert_msg(na > 0, "%s: nothing to compare", what);
}

/* execsnoop -x (failed ones too) and exitsnoop: the same execs and exits */
START_TEST(test_anchor_exec_exit)
{
	struct anchor es = anchor_start("execsnoop -x");
	struct anchor xs = anchor_start("exitsnoop");
	struct ih_wl *wl = ih_wl_start("execs", "10", "0", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	struct kp k = { "exec", 0 };
	char **eso, **xso, *a[64], *b[64];
	const cJSON **v;
	size_t n, na = 0, nb = 0;

	ih_wl_go(wl);
	ih_wl_finish(wl, tt, 20000);
	k.pid = wl->pids[0];
	ev_wait(tt, by_kind_ppid, &k, 11, 5000);
	ih_tt_wait_snaps(tt, 2, 5000);
	ih_tt_stop(tt);
	eso = anchor_stop(&es);
	xso = anchor_stop(&xs);
	/* execsnoop: PCOMM PID PPID RET ARGS (the path, then argv[1..]) */
	v = ev_find(tt, by_kind_ppid, &k, &n);
	for (size_t i = 0; i < n && na < 64; i++) {
		char buf[512];
		int off = snprintf(buf, sizeof(buf), "%.0f %.0f %s",
				   ev_num(v[i], "pid"), ev_num(v[i], "ret"),
				   ev_str(v[i], "path"));

		for (int j = 1; j < arg_count(v[i]); j++)
			off += snprintf(buf + off, sizeof(buf) - off, " %s",
					arg_at(v[i], j));
		a[na++] = strdup(buf);
	}
	free(v);
	for (size_t i = 0; eso[i] && nb < 64; i++) {
		char comm[32], rest[512];
		int pid, ppid, ret;

		if (sscanf(eso[i], "%31s %d %d %d %511[^\n]", comm, &pid, &ppid,
			   &ret, rest) != 5 ||
		    ppid != wl->pids[0])
			continue;
		/* it ends the line with a space */
		for (size_t l = strlen(rest); l && rest[l - 1] == ' ';)
			rest[--l] = 0;
		snprintf(comm, sizeof(comm), "%d %d ", pid, ret);
		b[nb] = malloc(strlen(comm) + strlen(rest) + 1);
		sprintf(b[nb++], "%s%s", comm, rest);
	}
	same_lists(a, na, b, nb, "execs (pid ret path args)");
	while (na)
		free(a[--na]);
	while (nb)
		free(b[--nb]);
	/* exitsnoop: PCOMM PID PPID TID AGE(s) EXIT_CODE ("0", "code N") */
	k.kind = "exit";
	v = ev_find(tt, by_kind_ppid, &k, &n);
	for (size_t i = 0; i < n && na < 64; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "%.0f %.0f", ev_num(v[i], "pid"),
			 ev_num(v[i], "code"));
		a[na++] = strdup(buf);
	}
	free(v);
	for (size_t i = 0; xso[i] && nb < 64; i++) {
		char comm[32], code[32], buf[64];
		int pid, ppid, tid, c = 0;
		double age;

		if (sscanf(xso[i], "%31s %d %d %d %lf %31[^\n]", comm, &pid,
			   &ppid, &tid, &age, code) != 6 ||
		    ppid != wl->pids[0])
			continue;
		if (sscanf(code, "code %d", &c) != 1)
			c = atoi(code);
		snprintf(buf, sizeof(buf), "%d %d", pid, c);
		b[nb++] = strdup(buf);
	}
	same_lists(a, na, b, nb, "exits (pid code)");
	while (na)
		free(a[--na]);
	while (nb)
		free(b[--nb]);
	lines_free(eso);
	lines_free(xso);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* tcplife: the same closes, ports and bytes (it prints KiB, 2 decimals) */
START_TEST(test_anchor_tcplife)
{
	struct anchor tl = anchor_start("tcplife");
	struct ih_wl *wl = ih_wl_start("tcpev", "est", "4", "100000", "3000",
				       "50", "0", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	struct tcpk k = { "close", 0, 0 };
	const cJSON *res, **v;
	char **out, *a[64], *b[64], buf[128];
	size_t n, na = 0, nb = 0;
	int port;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	port = (int)ih_num(res, "port");
	ih_tt_wait_snaps(tt, 3, 5000);
	ih_tt_stop(tt);
	out = anchor_stop(&tl);
	/* both sides: to the port, and from it */
	for (int side = 0; side < 2; side++) {
		struct tcpk kk = { "close", side ? port : 0, side ? 0 : port };

		(void)k;
		v = ev_find(tt, by_tuple, &kk, &n);
		if (side) { /* by_tuple wants a dport: take sport == port */
			free(v);
			v = NULL;
			n = 0;
			for (size_t i = 0; i < tt->n; i++) {
				const cJSON *ev;

				cJSON_ArrayForEach(
					ev, cJSON_GetObjectItemCaseSensitive(
						    tt->snaps[i], "events"))
				{
					if (!is_kind(ev, "close") ||
					    ev_num(ev, "sport") != port)
						continue;
					v = ih_xrealloc(v,
							(n + 1) * sizeof(*v));
					v[n++] = ev;
				}
			}
		}
		for (size_t i = 0; i < n && na < 64; i++) {
			snprintf(buf, sizeof(buf), "%.0f %.0f %.0f %.2f %.2f",
				 ev_num(v[i], "pid"), ev_num(v[i], "sport"),
				 ev_num(v[i], "dport"),
				 ev_num(v[i], "tx_bytes") / 1024,
				 ev_num(v[i], "rx_bytes") / 1024);
			a[na++] = strdup(buf);
		}
		free(v);
	}
	for (size_t i = 0; out[i] && nb < 64; i++) {
		char comm[32], la[64], ra[64];
		int pid, lp, rp;
		double tx, rx, ms;

		if (sscanf(out[i], "%d %31s %63s %d %63s %d %lf %lf %lf", &pid,
			   comm, la, &lp, ra, &rp, &tx, &rx, &ms) != 9 ||
		    (lp != port && rp != port))
			continue;
		snprintf(buf, sizeof(buf), "%d %d %d %.2f %.2f", pid, lp, rp,
			 tx, rx);
		b[nb++] = strdup(buf);
	}
	same_lists(a, na, b, nb, "closes (pid lport rport tx_kb rx_kb)");
	ck_assert_uint_eq(na, 8);
	while (na)
		free(a[--na]);
	while (nb)
		free(b[--nb]);
	lines_free(out);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

Suite *integ_anchors_suite(void)
{
	Suite *s = suite_create("integ_anchors");
	TCase *tc = ih_tcase(s, "anchors", 90);

	tcase_add_test(tc, test_anchor_exec_exit);
	tcase_add_test(tc, test_anchor_tcplife);
	return s;
}
