// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_events.c - the event stream against workloads with known answers:
 * every exec with its arguments (and a failed one with ENOENT), exits with
 * their codes and signal, connections established, refused and delayed
 * by a dropped SYN (nftables, in a network namespace of our own), close
 * lifetimes and bytes, a slow nanosleep, signals, an OOM kill, and the
 * sentinels of a fork storm. The answers are the workloads' own: their
 * pids, arguments, wait statuses, rusage and clocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tests/integ/integ_harness.h"

/* ---- reading events out of the snapshots --------------------------------- */

typedef bool (*ev_pred)(const cJSON *ev, const void *arg);

static const char *ev_str(const cJSON *ev, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static double ev_num(const cJSON *ev, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, k);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static bool is_kind(const cJSON *ev, const char *kind)
{
	return !strcmp(ev_str(ev, "kind"), kind);
}

/* the events of every snapshot read so far that pred takes; n set */
static const cJSON **ev_find(const struct ih_tt *tt, ev_pred pred,
			     const void *arg, size_t *n)
{
	const cJSON **v = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *ev;

		cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(
					       tt->snaps[i], "events"))
		{
			if (!pred(ev, arg))
				continue;
			if (*n == cap) {
				cap = cap * 2 + 16;
				v = ih_xrealloc(v, cap * sizeof(*v));
			}
			v[(*n)++] = ev;
		}
	}
	return v;
}

struct kp {
	const char *kind;
	int pid;
};

static bool by_kind_pid(const cJSON *ev, const void *arg)
{
	const struct kp *k = arg;

	return is_kind(ev, k->kind) && ev_num(ev, "pid") == k->pid;
}

static bool by_kind_ppid(const cJSON *ev, const void *arg)
{
	const struct kp *k = arg;

	return is_kind(ev, k->kind) && ev_num(ev, "ppid") == k->pid;
}

/* The one event of kind for pid: fails unless there is exactly one. */
static const cJSON *ev_one(const struct ih_tt *tt, const char *kind, int pid)
{
	struct kp k = { kind, pid };
	size_t n;
	const cJSON **v = ev_find(tt, by_kind_pid, &k, &n);
	const cJSON *e = n ? v[0] : NULL;

	free(v);
	ck_assert_msg(n == 1, "%zu %s events of pid %d, not 1", n, kind, pid);
	return e;
}

/* Read snapshots until pred has matched want events (or time is up). */
static void ev_wait(struct ih_tt *tt, ev_pred pred, const void *arg,
		    size_t want, int timeout_ms)
{
	long long deadline = ih_now_ms() + ih_ms(timeout_ms);
	size_t n;

	for (;;) {
		free(ev_find(tt, pred, arg, &n));
		if (n >= want || ih_now_ms() >= deadline)
			return;
		ih_tt_wait_snaps(tt, 1, 5000);
	}
}

static const cJSON *last_lost(const struct ih_tt *tt, const char *kind)
{
	const cJSON *l = ih_path(tt->snaps[tt->n - 1], "events_lost");

	return cJSON_GetObjectItemCaseSensitive(l, kind);
}

static double arg_count(const cJSON *ev)
{
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "args"));
}

static const char *arg_at(const cJSON *ev, int i)
{
	const cJSON *a = cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(ev, "args"), i);

	return cJSON_IsString(a) ? a->valuestring : "";
}

/* ---- exec and exit --------------------------------------------------------
 */

#define N_EXECS 20

START_TEST(test_exec_exact)
{
	struct ih_wl *wl = ih_wl_start("execs", "20", "0", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	struct kp k = { "exec", 0 };
	const cJSON *res, *pids, *e, *p;
	char want[32], cmd[64];
	size_t n;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	pids = cJSON_GetObjectItemCaseSensitive(res, "pids");
	ck_assert_int_eq(cJSON_GetArraySize(pids), N_EXECS + 1);
	k.pid = wl->pids[0];
	ev_wait(tt, by_kind_ppid, &k, N_EXECS + 1, 5000);
	k.kind = "exit";
	ev_wait(tt, by_kind_ppid, &k, N_EXECS + 1, 5000);
	ih_tt_wait_snaps(tt, 2, 5000);
	ih_tt_stop(tt);

	for (int i = 0; i <= N_EXECS; i++) {
		int pid = (int)cJSON_GetArrayItem(pids, i)->valuedouble;

		e = ev_one(tt, "exec", pid);
		snprintf(want, sizeof(want), "tt-exec-%d", i);
		ck_assert_int_eq((int)ev_num(e, "ppid"), wl->pids[0]);
		if (i < N_EXECS) {
			ck_assert_str_eq(ev_str(e, "path"), "/bin/true");
			ck_assert_int_eq((int)ev_num(e, "ret"), 0);
			ck_assert_double_eq(arg_count(e), 3);
			ck_assert_str_eq(arg_at(e, 0), "true");
			ck_assert_str_eq(arg_at(e, 1), want);
			ck_assert_str_eq(arg_at(e, 2), "arg2");
			ck_assert_str_eq(ev_str(e, "comm"), "true");
		} else { /* the failed one */
			ck_assert_str_eq(ev_str(e, "path"),
					 ih_path(res, "path")->valuestring);
			ck_assert_int_eq((int)ev_num(e, "ret"), -ENOENT);
			ck_assert_str_eq(ev_str(e, "error"), "ENOENT");
			ck_assert_double_eq(arg_count(e), 2);
			ck_assert_str_eq(arg_at(e, 0), "tt-none");
			ck_assert_str_eq(arg_at(e, 1), want);
		}
		e = ev_one(tt, "exit", pid);
		ck_assert_int_eq((int)ev_num(e, "code"), i < N_EXECS ? 0 : 127);
		ck_assert_int_eq((int)ev_num(e, "ppid"), wl->pids[0]);
		/* gone before /proc was read: its command line from its exec */
		p = ih_tt_exited(tt, pid);
		ck_assert_msg(p != NULL, "pid %d never reported exited", pid);
		if (i < N_EXECS) {
			snprintf(cmd, sizeof(cmd), "true %s arg2", want);
			ck_assert_str_eq(ih_path(p, "cmdline")->valuestring,
					 cmd);
		}
	}
	/* nothing more from its children */
	k.kind = "exec";
	free(ev_find(tt, by_kind_ppid, &k, &n));
	ck_assert_uint_eq(n, N_EXECS + 1);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/*
 * A limit of 50 exec events a second, 400 execs by a uid of our own (so
 * -u sees nobody else's): every exec is either in the stream or counted
 * lost to the limit, exactly.
 */
#define N_LIMITED 400

static bool by_kind(const cJSON *ev, const void *arg)
{
	return is_kind(ev, arg);
}

START_TEST(test_exec_rate_limit_counted)
{
	char uid[16];
	struct ih_wl *wl;
	struct ih_tt *tt;
	double seen_lost;
	size_t seen;

	snprintf(uid, sizeof(uid), "%d", 40000 + getpid() % 20000);
	wl = ih_wl_start("execs", "400", uid, NULL);
	tt = ih_tt_start(NULL, "-u", uid, "--events-rate", "50", NULL);
	ih_wl_go(wl);
	ih_wl_finish(wl, tt, 60000);
	ih_tt_wait_snaps(tt, 3, 5000);
	ih_tt_stop(tt);
	free(ev_find(tt, by_kind, "exec", &seen));
	seen_lost = ih_num(last_lost(tt, "exec"), "rate_limit");
	ck_assert_msg(seen + seen_lost == N_LIMITED + 1,
		      "%zu exec events seen + %.0f lost to the limit != %d "
		      "execs",
		      seen, seen_lost, N_LIMITED + 1);
	ck_assert_msg(seen_lost > 0 && seen >= 50,
		      "the limit of 50/s did not act: %zu seen", seen);
	ck_assert_double_eq(ih_num(last_lost(tt, "exec"), "buffer_full"), 0);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

START_TEST(test_exits_exact)
{
	static const int codes[] = { 0, 1, 42, 255 };
	struct ih_wl *wl = ih_wl_start("exits", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, NULL);
	struct kp k = { "exit", 0 };
	const cJSON *res, *kids, *e, *c, *p;
	double cpu_us, life_us, got;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	kids = cJSON_GetObjectItemCaseSensitive(res, "children");
	k.pid = wl->pids[0];
	ev_wait(tt, by_kind_ppid, &k, 6, 5000);
	ih_tt_wait_snaps(tt, 2, 5000);
	ih_tt_stop(tt);
	for (int i = 0; i < 4; i++) {
		c = cJSON_GetArrayItem(kids, i);
		e = ev_one(tt, "exit", (int)ih_num(c, "pid"));
		ck_assert_int_eq((int)ev_num(e, "code"), codes[i]);
		ck_assert_int_eq((int)ev_num(e, "signal"), 0);
	}
	c = cJSON_GetArrayItem(kids, 4); /* SIGTERM */
	e = ev_one(tt, "exit", (int)ih_num(c, "pid"));
	ck_assert_int_eq((int)ev_num(e, "signal"), SIGTERM);
	ck_assert_int_eq((int)ih_num(c, "status") & 0x7f, SIGTERM);
	ck_assert_str_eq(ev_str(e, "signal_name"), "SIGTERM");
	c = cJSON_GetArrayItem(kids, 5); /* 50 ms of CPU, 5000 getppid */
	e = ev_one(tt, "exit", (int)ih_num(c, "pid"));
	ck_assert_int_eq((int)ev_num(e, "code"), 7);
	cpu_us = ih_num(c, "cpu_us");
	got = ev_num(e, "cpu_ns") / 1000;
	ck_assert_msg(got > cpu_us * 0.95 - 1000 && got < cpu_us * 1.05 + 1000,
		      "cpu %.0f us, wait4 says %.0f us", got, cpu_us);
	/* between what the child saw of its life and what its parent saw */
	life_us = ih_num(c, "life_us");
	got = ev_num(e, "lifetime_ns") / 1000;
	ck_assert_msg(
		got <= life_us && got >= ih_num(c, "inside_us"),
		"lifetime %.0f us: the child saw %.0f us, its parent %.0f", got,
		ih_num(c, "inside_us"), life_us);
	/* the same count as its row: the final figure, from the same calls */
	p = ih_tt_exited(tt, (int)ih_num(c, "pid"));
	ck_assert_ptr_nonnull(p);
	ck_assert_double_eq(ev_num(e, "syscalls"), ih_num(p, "syscalls.count"));
	ck_assert_double_ge(ev_num(e, "syscalls"), 5000);
	ck_assert_double_eq(ih_num(p, "syscalls.by_name.getppid.count"), 5000);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* ---- TCP ------------------------------------------------------------------
 */

struct tcpk {
	const char *kind;
	int sport, dport;
};

static bool by_tuple(const cJSON *ev, const void *arg)
{
	const struct tcpk *k = arg;

	return is_kind(ev, k->kind) &&
	       (!k->sport || ev_num(ev, "sport") == k->sport) &&
	       ev_num(ev, "dport") == k->dport;
}

static const cJSON *tcp_one(const struct ih_tt *tt, const char *kind, int sport,
			    int dport)
{
	struct tcpk k = { kind, sport, dport };
	size_t n;
	const cJSON **v = ev_find(tt, by_tuple, &k, &n);
	const cJSON *e = n ? v[0] : NULL;

	free(v);
	ck_assert_msg(n == 1, "%zu %s events %d -> %d, not 1", n, kind, sport,
		      dport);
	return e;
}

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

/* ---- slow syscalls, signals ---------------------------------------------- */

static bool slow_nanosleep(const cJSON *ev, const void *arg)
{
	return is_kind(ev, "slow") && ev_num(ev, "pid") == *(const int *)arg &&
	       !strcmp(ev_str(ev, "syscall"), "nanosleep");
}

START_TEST(test_slow_nanosleep)
{
	struct ih_wl *wl = ih_wl_start("sleeps", NULL);
	struct ih_tt *tt = ih_tt_start(wl->pidlist, "--slow", "100", NULL);
	const cJSON *res, **v;
	double want, got;
	size_t n;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 10000);
	ih_tt_wait_snaps(tt, 2, 5000);
	ih_tt_stop(tt);
	v = ev_find(tt, slow_nanosleep, &wl->pids[0], &n);
	/* the 150 ms one, not the 50 ms one */
	ck_assert_uint_eq(n, 1);
	want = ih_num(res, "d150_ns");
	got = ev_num(v[0], "duration_ns");
	ck_assert_msg(got > want * 0.95 && got < want * 1.05,
		      "slow nanosleep of %.0f ns, the workload timed %.0f", got,
		      want);
	ck_assert_double_ge(got, 150e6);
	ck_assert_int_eq((int)ev_num(v[0], "ret"), 0);
	free(v);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

struct sigk {
	int sender, target, sig;
};

static bool by_signal(const cJSON *ev, const void *arg)
{
	const struct sigk *k = arg;

	return is_kind(ev, "signal") &&
	       (!k->sender || ev_num(ev, "pid") == k->sender) &&
	       (!k->target || ev_num(ev, "target_pid") == k->target) &&
	       ev_num(ev, "signal") == k->sig;
}

#define N_SIGNALS 25

START_TEST(test_signals_exact)
{
	struct ih_wl *wl = ih_wl_start("signals", "25", NULL);
	struct ih_tt *tt = ih_tt_start(wl->pidlist, NULL);
	struct sigk k = { 0, 0, SIGUSR1 };
	const cJSON *res, **v;
	size_t n;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 10000);
	k.sender = wl->pids[0];
	k.target = (int)ih_num(res, "child");
	ev_wait(tt, by_signal, &k, N_SIGNALS, 5000);
	ih_tt_wait_snaps(tt, 2, 5000);
	ih_tt_stop(tt);
	v = ev_find(tt, by_signal, &k, &n);
	ck_assert_uint_eq(n, N_SIGNALS);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(ev_str(v[i], "result"), "delivered");
	free(v);
	k.sig = SIGTERM;
	free(ev_find(tt, by_signal, &k, &n));
	ck_assert_uint_eq(n, 1);
	/* its SIGCHLD when the child died: not by default */
	k = (struct sigk){ 0, wl->pids[0], SIGCHLD };
	free(ev_find(tt, by_signal, &k, &n));
	ck_assert_uint_eq(n, 0);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* ---- OOM ------------------------------------------------------------------
 */

static char cgdir[128];

static void cg_teardown(void)
{
	if (cgdir[0] && rmdir(cgdir) && errno != ENOENT)
		fprintf(stderr, "rmdir %s: %s\n", cgdir, strerror(errno));
	cgdir[0] = 0;
}

static void cg_write(const char *file, const char *v)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", cgdir, file);
	fd = open(path, O_WRONLY);
	ck_assert_msg(fd >= 0 && write(fd, v, strlen(v)) == (ssize_t)strlen(v),
		      "writing %s to %s: %s", v, path, strerror(errno));
	close(fd);
}

/*
 * A child in a memory cgroup limited to 32 MiB (cgroup v1 here; v2's
 * memory.max where v1 is absent) allocates until the OOM killer takes it:
 * the event names it, its memory and its cgroup.
 */
START_TEST(test_oom_kill)
{
	char procs[192], name[32];
	struct ih_wl *wl;
	struct ih_tt *tt;
	const cJSON *res, *e;
	bool v1 = access("/sys/fs/cgroup/memory/cgroup.procs", F_OK) == 0;

	snprintf(name, sizeof(name), "tt-oom-%d", getpid());
	snprintf(cgdir, sizeof(cgdir), "%s/%s",
		 v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup/unified", name);
	ck_assert_msg(mkdir(cgdir, 0755) == 0 || errno == EEXIST,
		      "mkdir %s: %s", cgdir, strerror(errno));
	if (v1) {
		cg_write("memory.limit_in_bytes", "33554432");
		if (access("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes",
			   F_OK) == 0)
			cg_write("memory.memsw.limit_in_bytes", "33554432");
		cg_write("memory.swappiness", "0");
	} else {
		cg_write("memory.max", "33554432");
		cg_write("memory.swap.max", "0");
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgdir);
	wl = ih_wl_start("oom", procs, NULL);
	tt = ih_tt_start(NULL, "--events", "oom,exit", NULL);
	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 30000);
	ck_assert_int_eq((int)ih_num(res, "signal"), SIGKILL);
	{
		struct kp k = { "oom", (int)ih_num(res, "child") };

		ev_wait(tt, by_kind_pid, &k, 1, 5000);
	}
	ih_tt_wait_snaps(tt, 1, 5000);
	ih_tt_stop(tt);
	cg_teardown();
	e = ev_one(tt, "oom", (int)ih_num(res, "child"));
	ck_assert_str_eq(ev_str(e, "comm"), "wl-oom");
	ck_assert_msg(strstr(ev_str(e, "cgroup"), name) != NULL,
		      "cgroup '%s' is not ours (%s)", ev_str(e, "cgroup"),
		      name);
	ck_assert_msg(ev_num(e, "rss_bytes") > 16 << 20 &&
			      ev_num(e, "rss_bytes") <= 40 << 20,
		      "rss %.0f bytes at a 32 MiB limit",
		      ev_num(e, "rss_bytes"));
	e = ev_one(tt, "exit", (int)ih_num(res, "child"));
	ck_assert_int_eq((int)ev_num(e, "signal"), SIGKILL);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* ---- a fork storm ---------------------------------------------------------
 */

/*
 * The hardening suite's storm (short-lived processes as fast as one
 * parent can fork them, an exec every tenth) with ten sentinels that exec
 * and exit: each sentinel's exec, with its arguments, and its exit are in
 * the stream; of the storm's own exits, every one is in the stream or
 * counted lost.
 */
START_TEST(test_storm_sentinels)
{
	struct ih_wl *storm = ih_wl_start("forkstorm", "6", "10", NULL);
	struct ih_wl *sent =
		ih_wl_start("sentinels", "10", "400", "exec", NULL);
	/* 1 s snapshots: the schema check of 0.2 s ones, thousands of
	 * processes each, would take minutes */
	struct ih_tt *tt = ih_tt_start(NULL, "-d", "1", NULL);
	struct kp k = { "exit", 0 };
	const cJSON *sres, *kids, *res, *c, *e;
	double lost;
	size_t seen;

	ih_wl_go(storm);
	ih_wl_go(sent);
	sres = ih_wl_finish(sent, tt, 30000);
	res = ih_wl_finish(storm, tt, 30000);
	kids = cJSON_GetObjectItemCaseSensitive(sres, "children");
	ih_tt_wait_snaps(tt, 3, 10000);
	ih_tt_stop(tt);
	cJSON_ArrayForEach(c, kids)
	{
		char n[16], life[16];
		int pid = (int)ih_num(c, "pid");

		snprintf(n, sizeof(n), "%.0f", ih_num(c, "getppid"));
		snprintf(life, sizeof(life), "%.0f", ih_num(c, "life_ms"));
		e = ev_one(tt, "exec", pid);
		ck_assert_double_eq(arg_count(e), 4);
		ck_assert_str_eq(arg_at(e, 1), "child");
		ck_assert_str_eq(arg_at(e, 2), n);
		ck_assert_str_eq(arg_at(e, 3), life);
		e = ev_one(tt, "exit", pid);
		ck_assert_int_eq((int)ev_num(e, "code"), 0);
		ck_assert_double_ge(ev_num(e, "syscalls"),
				    ih_num(c, "getppid"));
	}
	k.pid = storm->pids[0];
	free(ev_find(tt, by_kind_ppid, &k, &seen));
	lost = ih_num(last_lost(tt, "exit"), "buffer_full") +
	       ih_num(last_lost(tt, "exit"), "rate_limit");
	ck_assert_msg((double)seen <= ih_num(res, "forks") &&
			      (double)seen + lost >= ih_num(res, "forks"),
		      "%zu exits of %.0f forks in the stream, %.0f counted "
		      "lost",
		      seen, ih_num(res, "forks"), lost);
	ih_tt_free(tt);
	ih_wl_free(sent);
	ih_wl_free(storm);
}
END_TEST

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

Suite *integ_events_suite(void)
{
	Suite *s = suite_create("integ_events");
	TCase *tc = ih_tcase(s, "exec_exit", 90);

	tcase_add_test(tc, test_exec_exact);
	tcase_add_test(tc, test_exec_rate_limit_counted);
	tcase_add_test(tc, test_exits_exact);
	tc = ih_tcase(s, "tcp", 60);
	tcase_add_checked_fixture(tc, NULL, netns_teardown);
	tcase_add_test(tc, test_tcp_connect_close_exact);
	tcase_add_test(tc, test_tcp_refused);
	tcase_add_test(tc, test_tcp_syn_dropped);
	tc = ih_tcase(s, "slow_signal_oom", 60);
	tcase_add_checked_fixture(tc, NULL, cg_teardown);
	tcase_add_test(tc, test_slow_nanosleep);
	tcase_add_test(tc, test_signals_exact);
	tcase_add_test(tc, test_oom_kill);
	tc = ih_tcase(s, "anchors", 90);
	tcase_add_test(tc, test_anchor_exec_exit);
	tcase_add_test(tc, test_anchor_tcplife);
	tc = ih_tcase(s, "storm", 120);
	tcase_add_test(tc, test_storm_sentinels);
	return s;
}
