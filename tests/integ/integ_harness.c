// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_harness.c - workloads, tracetop sessions and snapshot bookkeeping
 * for the integration suites. See integ_harness.h for the contract.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "tests/integ/integ_harness.h"

#define IH_FIRST_MS 15000 /* BPF load + attach + one interval */
#define IH_STOP_MS  5000
#define IH_DELAY    "0.2"

const char *ih_tracetop(void)
{
	return ih_env("TRACETOP", "./tracetop");
}

/* ---- set-up -------------------------------------------------------------- */

void ih_setup(void)
{
	/* TT_SETUP_TRACETOP: see integ_harness.h */
	char *argv[] = { (char *)ih_env("TT_SETUP_TRACETOP", ih_tracetop()),
			 "--check", NULL };
	char *out = NULL, *err = NULL;
	char path[512];
	int code;

	/* a workload that died must fail the test, not kill it with SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	ck_assert_msg(geteuid() == 0,
		      "integration tests load BPF programs and need root "
		      "(run as root, or TT_SUITES=unit for the rest)");
	ck_assert_msg(access(ih_tracetop(), X_OK) == 0,
		      "TRACETOP=%s: %s (build it with make)", ih_tracetop(),
		      strerror(errno));
	snprintf(path, sizeof(path), "%s/wl-getppid", ih_env("WL", "build"));
	ck_assert_msg(access(path, X_OK) == 0,
		      "%s: %s (WL= names the folder of the workloads; "
		      "make build/wl-getppid ...)",
		      path, strerror(errno));
	/* fail, never skip: a CI machine that cannot load BPF is a failure */
	code = ih_run(argv, 30000, &out, &err);
	ck_assert_msg(code == 0,
		      "%s --check exited %d: the BPF programs do not attach "
		      "here.\nstdout: %s\nstderr: %s",
		      ih_tracetop(), code, out, err);
	free(out);
	free(err);
}

void ih_teardown(void)
{
	ih_proc_kill_all();
}

TCase *ih_tcase(Suite *s, const char *name, int timeout_s)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, ih_setup, ih_teardown);
	tcase_set_timeout(tc, ih_ms(timeout_s * 1000) / 1000.0);
	suite_add_tcase(s, tc);
	return tc;
}

/* ---- workloads ----------------------------------------------------------- */

/* wl-NAME with the arguments in ap, after the words of prefix (NULL: none) */
static struct ih_wl *wl_start_v(char *const *prefix, const char *name,
				va_list ap)
{
	char *argv[24], path[512];
	int argc = 0;

	snprintf(path, sizeof(path), "%s/wl-%s", ih_env("WL", "build"), name);
	while (prefix && *prefix && argc < 8)
		argv[argc++] = *prefix++;
	argv[argc++] = path;
	while (argc < 23 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	argv[argc] = NULL;
	return ih_wl_start_argv(argv);
}

struct ih_wl *ih_wl_start_argv(char *const argv[])
{
	struct ih_wl *wl = calloc(1, sizeof(*wl));
	const char *path = argv[0];
	char *line, *tok, *save;

	ck_assert_msg(wl != NULL, "out of memory");
	wl->p = ih_spawn(argv, true, false, -1);
	line = ih_readline(wl->p, 5000);
	ck_assert_msg(line != NULL, "%s: no pid line within 5 s", path);
	tok = strtok_r(line, " ", &save);
	ck_assert_msg(tok && (!strcmp(tok, "pid") || !strcmp(tok, "pids")),
		      "%s: bad pid line", path);
	while ((tok = strtok_r(NULL, " ", &save)) && wl->npids < 4) {
		size_t l = strlen(wl->pidlist);

		wl->pids[wl->npids++] = atoi(tok);
		snprintf(wl->pidlist + l, sizeof(wl->pidlist) - l, "%s%s",
			 l ? "," : "", tok);
	}
	free(line);
	ck_assert_msg(wl->npids > 0 && wl->pids[0] > 0, "%s: no pid", path);
	return wl;
}

struct ih_wl *ih_wl_start(const char *name, ...)
{
	struct ih_wl *wl;
	va_list ap;

	va_start(ap, name);
	wl = wl_start_v(NULL, name, ap);
	va_end(ap);
	return wl;
}

struct ih_wl *ih_wl_start_as(int uid, const char *name, ...)
{
	char reuid[32], regid[32];
	char *prefix[] = { "setpriv",	      reuid, regid, "--clear-groups",
			   "--inh-caps=-all", NULL };
	struct ih_wl *wl;
	va_list ap;

	snprintf(reuid, sizeof(reuid), "--reuid=%d", uid);
	snprintf(regid, sizeof(regid), "--regid=%d", uid);
	va_start(ap, name);
	wl = wl_start_v(prefix, name, ap);
	va_end(ap);
	return wl;
}

void ih_wl_go(struct ih_wl *wl)
{
	ck_assert_msg(write(wl->p->in, "g", 1) == 1, "go byte: %s",
		      strerror(errno));
}

static void tt_absorb(struct ih_tt *tt);

/* The workload's next line; NULL at the deadline. Reads tt meanwhile. */
static char *wl_line_by(struct ih_wl *wl, struct ih_tt *tt, long long deadline)
{
	struct ih_proc *ps[2] = { wl->p, tt ? tt->p : NULL };
	char *line;

	/* keep reading tracetop too: a full pipe would stall its loop */
	while (!(line = ih_proc_take_line(wl->p))) {
		ck_assert_msg(!wl->p->eof, "workload %d ended early",
			      wl->pids[0]);
		if (ih_now_ms() >= deadline)
			return NULL;
		ih_proc_poll(ps, 2,
			     ih_left_ms(deadline) < 100 ? ih_left_ms(deadline)
							: 100);
		if (tt)
			tt_absorb(tt);
	}
	return line;
}

char *ih_wl_line(struct ih_wl *wl, struct ih_tt *tt, int timeout_ms)
{
	char *line;

	timeout_ms = ih_ms(timeout_ms);
	line = wl_line_by(wl, tt, ih_now_ms() + timeout_ms);
	ck_assert_msg(line != NULL, "workload %d: no line within %d ms",
		      wl->pids[0], timeout_ms);
	return line;
}

cJSON *ih_wl_finish(struct ih_wl *wl, struct ih_tt *tt, int timeout_ms)
{
	struct ih_proc *ps[2] = { wl->p, tt ? tt->p : NULL };
	long long deadline;
	char *line;
	int code;

	timeout_ms = ih_ms(timeout_ms);
	deadline = ih_now_ms() + timeout_ms;
	line = wl_line_by(wl, tt, deadline);
	ck_assert_msg(line != NULL, "workload %d: no result within %d ms",
		      wl->pids[0], timeout_ms);
	wl->result = cJSON_Parse(line);
	ck_assert_msg(wl->result != NULL, "workload result is not JSON: %s",
		      line);
	free(line);
	while (!ih_proc_reaped(wl->p)) {
		ck_assert_msg(ih_now_ms() < deadline, "workload %d: no exit",
			      wl->pids[0]);
		ih_proc_poll(ps + 1, 1, 20);
		if (tt)
			tt_absorb(tt);
	}
	code = ih_exit_code(wl->p->status);
	ck_assert_msg(code == 0, "workload %d exited %d", wl->pids[0], code);
	return wl->result;
}

void ih_wl_free(struct ih_wl *wl)
{
	if (!wl)
		return;
	ih_proc_free(wl->p);
	cJSON_Delete(wl->result);
	free(wl);
}

/* ---- tracetop ------------------------------------------------------------ */

static void tt_add(struct ih_tt *tt, char *line)
{
	cJSON *snap = cJSON_Parse(line);

	ck_assert_msg(snap != NULL,
		      "tracetop -j printed a non-JSON line: %.200s", line);
	if (tt->n == tt->cap) {
		tt->cap = tt->cap * 2 + 16;
		tt->lines =
			ih_xrealloc(tt->lines, tt->cap * sizeof(*tt->lines));
		tt->snaps =
			ih_xrealloc(tt->snaps, tt->cap * sizeof(*tt->snaps));
	}
	tt->lines[tt->n] = line;
	tt->snaps[tt->n++] = snap;
}

static void tt_absorb(struct ih_tt *tt)
{
	char *line;

	while ((line = ih_proc_take_line(tt->p)))
		if (*line)
			tt_add(tt, line);
		else
			free(line);
}

struct ih_tt *ih_tt_start(const char *pids, ...)
{
	char *argv[24];
	struct ih_tt *tt = calloc(1, sizeof(*tt));
	long long deadline = ih_now_ms() + ih_ms(IH_FIRST_MS);
	int argc = 0;
	va_list ap;

	ck_assert_msg(tt != NULL, "out of memory");
	argv[argc++] = (char *)ih_tracetop();
	argv[argc++] = "-j";
	argv[argc++] = "-d";
	argv[argc++] = IH_DELAY;
	if (pids) {
		argv[argc++] = "-p";
		argv[argc++] = (char *)pids;
	}
	va_start(ap, pids);
	while (argc < 23 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	tt->p = ih_spawn(argv, false, false, -1);
	/* its first line says the probes are attached: work starts after */
	while (tt->n == 0) {
		ck_assert_msg(!tt->p->eof, "tracetop ended before its first "
					   "snapshot (see its stderr above)");
		ck_assert_msg(ih_now_ms() < deadline,
			      "tracetop printed no snapshot within %d ms "
			      "(is stdout flushed after each line?)",
			      ih_ms(IH_FIRST_MS));
		ih_proc_poll(&tt->p, 1, ih_left_ms(deadline));
		tt_absorb(tt);
	}
	return tt;
}

const cJSON *ih_snap_proc(const cJSON *snap, int pid)
{
	const cJSON *p;

	cJSON_ArrayForEach(p,
			   cJSON_GetObjectItemCaseSensitive(snap, "processes"))
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(p, "pid");

		if (cJSON_IsNumber(id) && id->valuedouble == pid)
			return p;
	}
	return NULL;
}

static bool proc_exited(const cJSON *p)
{
	return p && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(p, "exited"));
}

const cJSON *ih_tt_exited(const struct ih_tt *tt, int pid)
{
	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *p = ih_snap_proc(tt->snaps[i], pid);

		if (proc_exited(p))
			return p;
	}
	return NULL;
}

void ih_tt_wait_exited(struct ih_tt *tt, const int *pids, int n, int timeout_ms)
{
	long long deadline;

	timeout_ms = ih_ms(timeout_ms);
	deadline = ih_now_ms() + timeout_ms;
	for (;;) {
		int missing = -1;

		tt_absorb(tt);
		for (int i = 0; i < n && missing < 0; i++)
			if (!ih_tt_exited(tt, pids[i]))
				missing = pids[i];
		if (missing < 0)
			return;
		ck_assert_msg(!tt->p->eof,
			      "tracetop ended before reporting pid %d exited",
			      missing);
		ck_assert_msg(ih_now_ms() < deadline,
			      "pid %d not reported \"exited\": true within "
			      "%d ms (%zu snapshots read)",
			      missing, timeout_ms, tt->n);
		ih_proc_poll(&tt->p, 1,
			     ih_left_ms(deadline) < 200 ? ih_left_ms(deadline)
							: 200);
	}
}

void ih_tt_wait_snaps(struct ih_tt *tt, size_t more, int timeout_ms)
{
	size_t want = tt->n + more;
	long long deadline;

	timeout_ms = ih_ms(timeout_ms);
	deadline = ih_now_ms() + timeout_ms;
	for (tt_absorb(tt); tt->n < want; tt_absorb(tt)) {
		ck_assert_msg(!tt->p->eof, "tracetop ended early");
		ck_assert_msg(ih_now_ms() < deadline,
			      "%zu more snapshots did not come within %d ms",
			      more, timeout_ms);
		ih_proc_poll(&tt->p, 1, ih_left_ms(deadline));
	}
}

void ih_tt_stop(struct ih_tt *tt)
{
	ih_tt_stop_sig(tt, SIGINT);
}

void ih_tt_stop_sig(struct ih_tt *tt, int sig)
{
	long long deadline = ih_now_ms() + ih_ms(IH_STOP_MS);
	char *msg;
	int code;

	ck_assert_msg(kill(tt->p->pid, sig) == 0, "kill: %s", strerror(errno));
	while (!tt->p->eof && ih_now_ms() < deadline) {
		ih_proc_poll(&tt->p, 1, ih_left_ms(deadline));
		tt_absorb(tt);
	}
	tt_absorb(tt);
	code = ih_wait(tt->p, ih_left_ms(deadline) + 1);
	ck_assert_msg(code == 0, "tracetop exited %d after %s", code,
		      strsignal(sig));

	msg = ih_schema_check(tt->lines, tt->n);
	ck_assert_msg(msg == NULL, "snapshot does not match the schema: %s",
		      msg);
}

struct ih_tt *ih_tt_run(struct ih_wl *wl, int timeout_ms)
{
	struct ih_tt *tt = ih_tt_start(wl->pidlist, NULL);

	ih_wl_go(wl);
	ih_wl_finish(wl, tt, timeout_ms);
	ih_tt_wait_exited(tt, wl->pids, wl->npids, 10000);
	ih_tt_stop(tt);
	return tt;
}

void ih_tt_free(struct ih_tt *tt)
{
	if (!tt)
		return;
	ih_proc_free(tt->p);
	for (size_t i = 0; i < tt->n; i++) {
		free(tt->lines[i]);
		cJSON_Delete(tt->snaps[i]);
	}
	free(tt->lines);
	free(tt->snaps);
	free(tt);
}

/* Counters that must never go down while a process is reported. */
static const char *const monotonic[] = {
	"syscalls.count",
	"syscalls.errors",
	"tcp.tx_bytes",
	"tcp.rx_bytes",
	"tcp.connects",
	"tcp.accepts",
	"sched.oncpu_ns",
	"sched.voluntary_switches",
	"sched.involuntary_switches",
};

void ih_tt_check_lifecycle(const struct ih_tt *tt, int pid)
{
	const cJSON *prev = NULL;
	size_t exited_at = 0, nexited = 0;

	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *p = ih_snap_proc(tt->snaps[i], pid);

		if (!p)
			continue;
		ck_assert_msg(nexited == 0,
			      "pid %d reported in snapshot %zu after it was "
			      "reported exited in snapshot %zu",
			      pid, i, exited_at);
		if (proc_exited(p)) {
			nexited++;
			exited_at = i;
		}
		for (size_t k = 0;
		     prev && k < sizeof(monotonic) / sizeof(monotonic[0]);
		     k++) {
			const cJSON *a = ih_path(prev, monotonic[k]);
			const cJSON *b = ih_path(p, monotonic[k]);

			if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
				ck_assert_msg(b->valuedouble >= a->valuedouble,
					      "pid %d: %s went down from %.0f "
					      "to %.0f in snapshot %zu",
					      pid, monotonic[k], a->valuedouble,
					      b->valuedouble, i);
		}
		prev = p;
	}
	ck_assert_msg(nexited == 1, "pid %d reported exited %zu times", pid,
		      nexited);
}

/* ---- JSON ---------------------------------------------------------------- */

const cJSON *ih_path(const cJSON *obj, const char *path)
{
	char buf[256], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && obj;
	     tok = strtok_r(NULL, ".", &save))
		obj = cJSON_GetObjectItemCaseSensitive(obj, tok);
	return obj;
}

double ih_num(const cJSON *obj, const char *path)
{
	const cJSON *v = ih_path(obj, path);

	ck_assert_msg(cJSON_IsNumber(v), "%s: missing or not a number", path);
	return v->valuedouble;
}

double ih_hist_sum(const cJSON *obj, const char *path)
{
	const cJSON *h = ih_path(obj, path), *b;
	double sum = 0;

	ck_assert_msg(cJSON_IsArray(h), "%s: missing or not a list", path);
	cJSON_ArrayForEach(b, h)
	{
		const cJSON *c = cJSON_GetArrayItem(b, 2);

		ck_assert_msg(cJSON_GetArraySize(b) == 3 && cJSON_IsNumber(c),
			      "%s: bucket is not [low, high, count]", path);
		sum += c->valuedouble;
	}
	return sum;
}

char *ih_schema_check(char *const *lines, size_t n)
{
	const char *src = ih_env("TT_SRCDIR", ".");
	char script[512], schema[512], *err = NULL;
	char *argv[] = { "/usr/bin/python3", script, schema, NULL };
	int fd, code;

	snprintf(script, sizeof(script), "%s/tests/validate_snapshot.py", src);
	snprintf(schema, sizeof(schema), "%s/model/snapshot.schema.json", src);
	/* the lines go through a memfd: no pipe to keep fed while it runs */
	fd = memfd_create("snapshots", MFD_CLOEXEC);
	ck_assert_msg(fd >= 0, "memfd_create: %s", strerror(errno));
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(lines[i]);

		ck_assert_msg(write(fd, lines[i], l) == (ssize_t)l &&
				      write(fd, "\n", 1) == 1,
			      "memfd write: %s", strerror(errno));
	}
	code = ih_run_fd(argv, fd, 60000, NULL, &err);
	close(fd);
	if (code == 0) {
		free(err);
		return NULL;
	}
	if (!*err) {
		free(err);
		err = strdup("validator failed without a message");
	}
	return err;
}
