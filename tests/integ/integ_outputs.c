// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_outputs.c - the data leaving tracetop: a real Prometheus scraping
 * --listen, promtool on a real scrape, hostile HTTP clients, a recording
 * replayed without privileges, exports into a full or read-only disk.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <check.h>
#include "model/outfile.h"
#include "tests/integ/integ_harness.h"
#include "tests/integ/integ_proc.h"

static char dir[64];
static int port;

/* can a listener bind it now (SO_REUSEADDR, as libmicrohttpd's does)? */
static bool port_free(int p)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)p) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	bool ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ok = fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a));
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * A port below the kernel's ephemeral range (32768 up by default), free
 * now: the TCP suites before leave thousands of client ends on ephemeral
 * ports, and one of them on the port tracetop was told made it refuse to
 * start (make test, once: "never answered on 127.0.0.1:35422").
 */
static void setup(void)
{
	ih_setup();
	snprintf(dir, sizeof(dir), "/tmp/tt-integ-out-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int i = 0; i < 100; i++) {
		port = 20000 + (getpid() + i * 97) % 12000;
		if (port_free(port))
			return;
	}
	ck_abort_msg("no free port between 20000 and 31999 to listen on");
}

static void teardown(void)
{
	char cmd[256];

	ih_teardown();
	snprintf(cmd, sizeof(cmd), "umount -q %s/m 2>/dev/null; rm -rf %s", dir,
		 dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* GET url with curl; the body, or NULL when it did not answer in time */
static char *http_get(const char *url, const char *accept)
{
	char hdr[160], *out = NULL, *err = NULL;
	char *argv[] = {
		"curl", "-sf", "-m", "3", "-H", hdr, (char *)url, NULL
	};
	int st;

	snprintf(hdr, sizeof(hdr), "Accept: %s", accept ? accept : "*/*");
	st = ih_run(argv, 5000, &out, &err);
	free(err);
	if (st != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * tracetop --headless --listen LISTEN -d 0.5 [extra...], once /metrics
 * answers on 127.0.0.1:port. LISTEN is "127.0.0.1:port", or "port" alone.
 */
static struct ih_proc *start_exporter_with(const char *listen,
					   const char *extra1,
					   const char *extra2,
					   const char *extra3)
{
	char *argv[] = { (char *)ih_tracetop(),
			 "--headless",
			 "--listen",
			 (char *)listen,
			 "-d",
			 "0.5",
			 (char *)extra1,
			 (char *)extra2,
			 (char *)extra3,
			 NULL };
	char url[64];
	long long deadline = ih_now_ms() + 10000;
	struct ih_proc *p;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
	p = ih_spawn(argv, false, true, -1);
	while (ih_left_ms(deadline) > 0) {
		char *body = http_get(url, NULL);

		if (body) {
			free(body);
			return p;
		}
		usleep(200000);
	}
	ck_abort_msg("tracetop --listen %s never answered on %s", listen, url);
	return NULL;
}

static struct ih_proc *start_exporter(void)
{
	char listen[32];

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	return start_exporter_with(listen, NULL, NULL, NULL);
}

/*
 * --listen PORT, without an address, binds 127.0.0.1 only (README): the
 * kernel's table of listening sockets must have that port on 127.0.0.1
 * and on no other address.
 */
static void check_loopback_only(void)
{
	char *argv[] = { "ss", "-Hltn", NULL }, *out = NULL, *err = NULL;
	char want[32], *l, *save;
	int code, mine = 0;

	code = ih_run(argv, 5000, &out, &err);
	ck_assert_msg(code == 0, "ss -ltn: exit %d: %s", code, err);
	snprintf(want, sizeof(want), ":%d ", port);
	for (l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (strstr(l, want)) {
			ck_assert_msg(strstr(l, " 127.0.0.1:") != NULL,
				      "--listen %d listens beyond loopback: %s",
				      port, l);
			mine++;
		}
	ck_assert_msg(mine == 1, "--listen %d: %d listening sockets", port,
		      mine);
	free(out);
	free(err);
}

START_TEST(promtool_accepts_a_real_scrape)
{
	char listen[16], url[64], path[96], *out = NULL, *err = NULL, *body;
	char *argv[] = { "promtool", "check", "metrics", NULL };
	struct ih_proc *tt;
	int fd, st;

	snprintf(listen, sizeof(listen), "%d", port);
	tt = start_exporter_with(listen, NULL, NULL, NULL);
	check_loopback_only();
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
	for (int om = 0; om < 2; om++) {
		body = http_get(url, om ? "application/openmetrics-text; "
					  "version=1.0.0"
					: NULL);
		ck_assert_ptr_nonnull(body);
		ck_assert_ptr_nonnull(strstr(body, "tracetop_syscalls_total"));
		ck_assert(!om || strstr(body, "# EOF\n"));
		/* per-process series only with --metrics-pids */
		ck_assert_msg(!strstr(body, "tracetop_process_"),
			      "per-PID series without --metrics-pids");
		if (!om) { /* promtool reads the Prometheus text format */
			snprintf(path, sizeof(path), "%s/scrape.txt", dir);
			fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
			ck_assert_int_eq(write(fd, body, strlen(body)),
					 (ssize_t)strlen(body));
			lseek(fd, 0, SEEK_SET);
			st = ih_run_fd(argv, fd, 10000, &out, &err);
			close(fd);
			ck_assert_msg(st == 0, "promtool: %s %s", out, err);
			free(out);
			free(err);
		}
		free(body);
	}
	kill(tt->pid, SIGTERM);
	ck_assert_int_eq(ih_exit_code(ih_wait(tt, 5000)), 0);
}
END_TEST

/* the first number in a Prometheus API answer's "value":[t,"N"] */
static double api_value(const char *json)
{
	const char *v = json ? strstr(json, "\"value\":[") : NULL;

	v = v ? strchr(v, ',') : NULL;
	return v ? strtod(v + 2, NULL) : -1;
}

/* Prometheus' value of the instant query q, -1 if it has none */
static double prom_query(const char *q)
{
	char url[512], enc[384], *body;
	size_t k = 0;
	double v;

	for (const char *c = q; *c && k + 4 < sizeof(enc); c++)
		k += (size_t)snprintf(enc + k, sizeof(enc) - k,
				      strchr("{}\"=,() ", *c) ? "%%%02X" : "%c",
				      (unsigned char)*c);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/query?query=%s",
		 port + 1, enc);
	body = http_get(url, NULL);
	v = api_value(body);
	free(body);
	return v;
}

#define PROM_N 3000
#define PROM_E 777

/*
 * A real Prometheus scrapes tracetop --metrics-pids while a workload with
 * known calls stays alive: its own series must reach Prometheus with its
 * exact count of failing calls (every call it makes after the go byte
 * but the last read succeeds), and its syscalls with the N + E it made
 * plus its result line's write (and the read of the go byte, which began
 * before tracetop attached: counted or not).
 */
START_TEST(prometheus_scrapes_tracetop)
{
	struct ih_wl *wl = ih_wl_start("getppid", "3000", "777", "hold", NULL);
	struct ih_proc *tt, *prom;
	char cfg[96], web[64], data[96], conf[512], flag[128], listen[32];
	char q_err[128], q_sc[128];
	char *argv[] = { "prometheus",	      flag, data, web,
			 "--log.level=error", NULL };
	long long deadline;
	double up = -1, errs = -1, sc = -1;
	FILE *f;

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	tt = start_exporter_with(listen, "--metrics-pids", "-p", wl->pidlist);
	snprintf(cfg, sizeof(cfg), "%s/prometheus.yml", dir);
	snprintf(conf, sizeof(conf),
		 "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
		 "scrape_configs:\n  - job_name: tracetop\n"
		 "    static_configs:\n      - targets: ['127.0.0.1:%d']\n",
		 port);
	f = fopen(cfg, "w");
	fputs(conf, f);
	fclose(f);
	snprintf(flag, sizeof(flag), "--config.file=%s", cfg);
	snprintf(data, sizeof(data), "--storage.tsdb.path=%s/tsdb", dir);
	snprintf(web, sizeof(web), "--web.listen-address=127.0.0.1:%d",
		 port + 1);
	prom = ih_spawn(argv, false, true, -1);
	ih_wl_go(wl);
	free(ih_wl_line(wl, NULL, 10000)); /* its result: calls made */
	snprintf(q_err, sizeof(q_err),
		 "tracetop_process_syscall_errors_total{pid=\"%d\","
		 "comm=\"wl-getppid\"}",
		 wl->pids[0]);
	snprintf(q_sc, sizeof(q_sc),
		 "tracetop_process_syscalls_total{pid=\"%d\"}", wl->pids[0]);
	deadline = ih_now_ms() + 40000;
	while (ih_left_ms(deadline) > 0 && (up != 1 || errs != PROM_E)) {
		sleep(1);
		up = prom_query("up");
		errs = prom_query(q_err);
		sc = prom_query(q_sc);
	}
	ih_wl_go(wl); /* let it exit */
	kill(prom->pid, SIGTERM);
	ih_wait(prom, 10000);
	kill(tt->pid, SIGTERM);
	ck_assert_int_eq(ih_exit_code(ih_wait(tt, 5000)), 0);
	ck_assert_msg(up == 1, "Prometheus up = %g", up);
	ck_assert_msg(errs == PROM_E,
		      "Prometheus %s = %g, the workload made %d", q_err, errs,
		      PROM_E);
	ck_assert_msg(sc >= PROM_N + PROM_E + 1 && sc <= PROM_N + PROM_E + 2,
		      "Prometheus %s = %g, the workload made %d + 1 or 2", q_sc,
		      sc, PROM_N + PROM_E);
	ih_wl_free(wl);
}
END_TEST

static int connect_to(int p)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)p) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

START_TEST(hostile_clients_do_not_stall_the_exporter)
{
	struct ih_proc *tt = start_exporter();
	int fds[100], n = 0, big;
	char url[64], *body, *hdr;
	long long t0;

	/* 100 idle connections, half a request, a huge header */
	for (int i = 0; i < 100; i++)
		if ((fds[n] = connect_to(port)) >= 0)
			n++;
	ck_assert_int_gt(n, 0);
	ck_assert_int_gt(write(fds[0], "GET /metr", 9), 0);
	big = connect_to(port);
	ck_assert_int_ge(big, 0);
	hdr = malloc(70000);
	memset(hdr, 'a', 70000);
	memcpy(hdr, "GET /metrics HTTP/1.1\r\nX-Big: ", 30);
	(void)!write(big, hdr, 70000); /* may be cut off by the server */
	free(hdr);
	/* the limit on connections may refuse a new one while 100 hang: a
	 * scrape must get through within the idle timeout, never hang */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
	t0 = ih_now_ms();
	body = NULL;
	while (!body && ih_now_ms() - t0 < 12000)
		body = http_get(url, NULL);
	ck_assert_msg(body != NULL, "no scrape answered with hostile clients");
	free(body);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	close(big);
	/* and once they are gone, at once */
	t0 = ih_now_ms();
	body = http_get(url, NULL);
	ck_assert_ptr_nonnull(body);
	ck_assert_int_lt(ih_now_ms() - t0, 2000);
	free(body);
	ck_assert(!ih_proc_reaped(tt)); /* still alive */
	kill(tt->pid, SIGTERM);
	ck_assert_int_eq(ih_exit_code(ih_wait(tt, 5000)), 0);
}
END_TEST

/* a TCP connection to the exporter from addr (any of 127.0.0.0/8) */
static int connect_from(const char *addr)
{
	struct sockaddr_in a = { .sin_family = AF_INET }, to = a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	inet_pton(AF_INET, addr, &a.sin_addr);
	to.sin_port = htons((uint16_t)port);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
			connect(fd, (struct sockaddr *)&to, sizeof(to)))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* the server ended the connection: end of file or a reset */
static bool ended(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/*
 * A header trickled one byte every 200 ms is never idle, yet must be cut
 * within the stated 2 s (tracetop(8), EXPORTER LIMITS); and one address
 * holds at most 8 connections, while a scrape from another gets through.
 */
START_TEST(trickled_headers_and_crowded_addresses_are_bounded)
{
	struct ih_proc *tt = start_exporter();
	int fd = connect_from("127.0.0.3"), crowd[30], held = 0;
	long long t0 = ih_now_ms(), cut = -1;
	char url[64], *body;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(write(fd, "GET /metrics HTTP/1.1\r\nX-A: ", 27), 0);
	while (cut < 0 && ih_now_ms() - t0 < 8000) {
		usleep(200000);
		if (ended(fd) || write(fd, "a", 1) < 0)
			cut = ih_now_ms() - t0;
	}
	close(fd);
	ck_assert_msg(cut >= 0 && cut <= 3000,
		      "a trickled header still open after %lld ms (limit 2 s)",
		      cut < 0 ? ih_now_ms() - t0 : cut);
	for (int i = 0; i < 30; i++) {
		crowd[i] = connect_from("127.0.0.4");
		ck_assert_int_ge(crowd[i], 0);
		ck_assert_int_gt(write(crowd[i], "GET /", 5), 0);
	}
	usleep(500000); /* the refused ones are closed at accept */
	for (int i = 0; i < 30; i++)
		held += !ended(crowd[i]);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
	t0 = ih_now_ms();
	body = http_get(url, NULL);
	ck_assert_msg(body != NULL, "no scrape while one address crowds");
	ck_assert_int_lt(ih_now_ms() - t0, 1000);
	free(body);
	for (int i = 0; i < 30; i++)
		close(crowd[i]);
	ck_assert_msg(held == 8, "one address held %d connections (limit 8)",
		      held);
	ck_assert(!ih_proc_reaped(tt));
	kill(tt->pid, SIGTERM);
	ck_assert_int_eq(ih_exit_code(ih_wait(tt, 5000)), 0);
}
END_TEST

START_TEST(recording_replays_identically_without_privileges)
{
	char rec[96], *out = NULL, *err = NULL, *rep = NULL, *rerr = NULL;
	char *argv[] = { (char *)ih_tracetop(),
			 "-j",
			 "-n",
			 "3",
			 "-d",
			 "0.3",
			 "--record",
			 rec,
			 NULL };
	char *rargv[] = { "setpriv",
			  "--reuid=65534",
			  "--regid=65534",
			  "--clear-groups",
			  "--inh-caps=-all",
			  (char *)ih_tracetop(),
			  "--replay",
			  rec,
			  "-j",
			  NULL };
	struct stat st;

	snprintf(rec, sizeof(rec), "%s/rec.jsonl.gz", dir);
	ck_assert_int_eq(ih_exit_code(ih_run(argv, 20000, &out, &err)), 0);
	ck_assert_int_eq(stat(rec, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* let nobody read it: replay needs the file and nothing else */
	chmod(dir, 0755);
	chmod(rec, 0644);
	ck_assert_int_eq(ih_exit_code(ih_run(rargv, 20000, &rep, &rerr)), 0);
	ck_assert_msg(!strcmp(out, rep),
		      "replay differs from what was seen live (stderr: %s)",
		      rerr);
	free(out);
	free(err);
	free(rep);
	free(rerr);
}
END_TEST

/* exports into a full and a read-only filesystem leave nothing behind */
START_TEST(export_to_full_or_readonly_disk)
{
	struct tt_snapshot *s = tt_snapshot_new();
	char m[96], cmd[256], path[4096], errbuf[256];
	int e;

	snprintf(m, sizeof(m), "%s/m", dir);
	mkdir(m, 0700);
	ck_assert_int_eq(mount("tmpfs", m, "tmpfs", 0, "size=64k"), 0);
	snprintf(cmd, sizeof(cmd),
		 "dd if=/dev/zero of=%s/fill bs=4k count=100 2>/dev/null", m);
	(void)!system(cmd); /* fills it; dd fails at ENOSPC */
	s->procs = tt_arena_alloc(&s->arena, 2000 * sizeof(*s->procs));
	s->nprocs = 2000; /* a few hundred KiB of JSON: cannot fit */
	for (size_t i = 0; i < s->nprocs; i++) {
		s->procs[i].pid = (uint32_t)i + 1;
		s->procs[i].cmdline = s->procs[i].cgroup = "";
		s->procs[i].top_sc = "";
	}
	e = tt_export_snapshot(m, s, NULL, path, sizeof(path), errbuf,
			       sizeof(errbuf));
	ck_assert_int_eq(e, -ENOSPC);
	ck_assert_ptr_nonnull(strstr(errbuf, "No space left"));
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 1", m);
	ck_assert_int_eq(system(cmd), 0); /* only the filler */

	ck_assert_int_eq(mount(NULL, m, NULL, MS_REMOUNT | MS_RDONLY, NULL), 0);
	s->nprocs = 1;
	e = tt_export_snapshot(m, s, NULL, path, sizeof(path), errbuf,
			       sizeof(errbuf));
	ck_assert_int_eq(e, -EROFS);
	ck_assert_ptr_nonnull(strstr(errbuf, "Read-only"));
	ck_assert_int_eq(umount(m), 0);
	tt_snapshot_unref(s);
}
END_TEST

/* the sum over every cgroup of metric's series that have label */
static long long metric_sum(const char *body, const char *metric,
			    const char *label)
{
	long long sum = 0;
	size_t ml = strlen(metric);

	for (const char *l = body, *next; l && *l; l = next) {
		const char *end = strchr(l, '\n'), *v;

		next = end ? end + 1 : NULL;
		if (strncmp(l, metric, ml) || l[ml] != '{')
			continue;
		v = strchr(l, '}');
		if (!v || (end && v > end))
			continue;
		if (label && !memmem(l, (size_t)(v - l), label, strlen(label)))
			continue;
		sum += atoll(v + 1);
	}
	return sum;
}

/*
 * /metrics counts a workload's events exactly: wl-execs as a uid of its
 * own (-u) makes 3 execs of /bin/true that exit 0 and one exec that fails
 * (ENOENT) and exits 127. Summed over cgroups, the exec and exit counters
 * reach exactly that, and stay there.
 */
START_TEST(event_counters_on_metrics)
{
	static const struct {
		const char *metric, *label;
		long long want;
	} want[] = {
		{ "tracetop_cgroup_execs_total", "result=\"ok\"", 3 },
		{ "tracetop_cgroup_execs_total", "result=\"failed\"", 1 },
		{ "tracetop_cgroup_exits_total", "code=\"0\"", 3 },
		{ "tracetop_cgroup_exits_total", "code=\"nonzero\"", 1 },
		{ "tracetop_cgroup_exits_total", "code=\"signal\"", 0 },
	};
	char uid[16], url[64], *body = NULL;
	struct ih_proc *tt;
	struct ih_wl *wl;
	long long deadline;
	bool done = false;

	snprintf(uid, sizeof(uid), "%d", 40000 + getpid() % 20000);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/metrics", port);
	{
		char listen[32];

		snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
		tt = start_exporter_with(listen, "-u", uid, NULL);
	}
	wl = ih_wl_start("execs", "3", uid, NULL);
	ih_wl_go(wl);
	ih_wl_finish(wl, NULL, 10000);
	deadline = ih_now_ms() + ih_ms(5000);
	while (!done && ih_left_ms(deadline) > 0) {
		free(body);
		body = http_get(url, NULL);
		done = body &&
		       metric_sum(body, want[2].metric, want[2].label) >= 3 &&
		       metric_sum(body, want[3].metric, want[3].label) >= 1;
		if (!done)
			usleep(200000);
	}
	ck_assert_msg(body, "no answer from %s", url);
	/* one more interval: nothing counted twice */
	usleep(1000000);
	free(body);
	body = http_get(url, NULL);
	ck_assert_ptr_nonnull(body);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(metric_sum(body, want[i].metric, want[i].label) ==
				      want[i].want,
			      "%s{%s}: %lld, not %lld", want[i].metric,
			      want[i].label,
			      metric_sum(body, want[i].metric, want[i].label),
			      want[i].want);
	free(body);
	kill(tt->pid, SIGTERM);
	ck_assert_int_eq(ih_exit_code(ih_wait(tt, 5000)), 0);
	ih_proc_free(tt);
	ih_wl_free(wl);
}
END_TEST

Suite *integ_outputs_suite(void)
{
	Suite *s = suite_create("integ_outputs");
	TCase *tc = tcase_create("outputs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, promtool_accepts_a_real_scrape);
	tcase_add_test(tc, prometheus_scrapes_tracetop);
	tcase_add_test(tc, hostile_clients_do_not_stall_the_exporter);
	tcase_add_test(tc, trickled_headers_and_crowded_addresses_are_bounded);
	tcase_add_test(tc, recording_replays_identically_without_privileges);
	tcase_add_test(tc, export_to_full_or_readonly_disk);
	tcase_add_test(tc, event_counters_on_metrics);
	suite_add_tcase(s, tc);
	return s;
}
