// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_lib.c - tmux, keys, screens and workloads for the TUI suites. See
 * tui_lib.h for the contract.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tests/tui/tui_lib.h"

#define SCREEN_MAX 65536

static char screen[SCREEN_MAX];

/*
 * Everything this run makes lives under tui_base (/tmp/tt-tui-PID), tmux's
 * socket included (TMUX_TMPDIR): two checkouts testing at once on one
 * machine must not drive each other's panes.
 */
char tui_base[64];

static void base_make(void)
{
	char tmp[96];

	if (tui_base[0])
		return;
	snprintf(tui_base, sizeof(tui_base), "/tmp/tt-tui-%d", (int)getpid());
	snprintf(tmp, sizeof(tmp), "%s/tmux", tui_base);
	mkdir(tui_base, 0755);
	mkdir(tmp, 0700);
	setenv("TMUX_TMPDIR", tmp, 1);
}

int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

const char *sh_out(const char *fmt, ...)
{
	static char line[4096];
	char cmd[4096];
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	line[0] = '\0';
	p = popen(cmd, "r");
	if (!p)
		return line;
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	pclose(p);
	return line;
}

const char *tracetop(void)
{
	const char *t = getenv("TRACETOP");

	return t && *t ? t : "./tracetop";
}

static const char *wl_path_of(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/wl-%s",
		 getenv("WL") && *getenv("WL") ? getenv("WL") : "build", name);
	return buf;
}

static const char *wl_path(char *buf, size_t len)
{
	return wl_path_of("tui_busy", buf, len);
}

/* ---- fixture ------------------------------------------------------------- */

/* the workloads die with the test process (tui_busy: PDEATHSIG) */
void tui_teardown(void)
{
	sh(TMUX "kill-server 2>/dev/null");
}

/*
 * Check ends a failed test with _exit() in its forked process: neither
 * the checked teardown nor atexit() runs, and the tmux server, a daemon,
 * would keep the pane and its tracetop running. The runner itself makes
 * the folder (so every test of the case shares one tmux socket) and
 * kills the server after the case, whatever happened in it.
 */
static void tui_case_setup(void)
{
	base_make();
}

void tui_setup(void)
{
	char wl[512];

	base_make();
	ck_assert_msg(geteuid() == 0,
		      "TUI tests: tracetop loads BPF programs and needs root "
		      "(run as root, or TT_SUITES=unit for the rest)");
	ck_assert_msg(sh("command -v tmux >/dev/null") == 0,
		      "TUI tests: tmux not found on PATH (make deps installs "
		      "it)");
	ck_assert_msg(access(tracetop(), X_OK) == 0,
		      "TUI tests: TRACETOP=%s: %s (build it with make)",
		      tracetop(), strerror(errno));
	ck_assert_msg(access(wl_path(wl, sizeof(wl)), X_OK) == 0,
		      "TUI tests: %s: %s (WL= names the folder of the "
		      "workloads; make %s)",
		      wl, strerror(errno), wl);
}

TCase *tui_tcase(Suite *s, const char *name, int timeout_s)
{
	TCase *tc = tcase_create(name);

	tcase_add_unchecked_fixture(tc, tui_case_setup, tui_teardown);
	tcase_add_checked_fixture(tc, tui_setup, tui_teardown);
	tcase_set_timeout(tc, timeout_s);
	suite_add_tcase(s, tc);
	return tc;
}

/* ---- the screen ---------------------------------------------------------- */

static const char *capture_with(const char *flags)
{
	char cmd[128];
	size_t n = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), TMUX "capture-pane -p %s -t tt 2>/dev/null",
		 flags);
	screen[0] = '\0';
	p = popen(cmd, "r");
	if (!p)
		return screen;
	n = fread(screen, 1, sizeof(screen) - 1, p);
	screen[n] = '\0';
	pclose(p);
	return screen;
}

const char *capture(void)
{
	return capture_with("");
}

const char *capture_esc(void)
{
	return capture_with("-e");
}

void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

bool wait_for(const char *text, double secs)
{
	for (double t = 0; t < secs; t += 0.2) {
		if (strstr(capture(), text))
			return true;
		nap(0.2);
	}
	return false;
}

/* Check's messages are short: the screen goes to stderr */
void show_screen(void)
{
	fprintf(stderr, "---- screen ----\n%s----\n", screen);
}

void keys(const char *k)
{
	sh(TMUX "send-keys -t tt %s", k);
	nap(0.4);
}

void export_check(const char *dir, const char *jq, ...)
{
	char want[512], filter[2048];
	va_list ap;

	keys("X");
	snprintf(want, sizeof(want), "exported to %s/tracetop-", dir);
	ck_screen(want, 5);
	va_start(ap, jq);
	vsnprintf(filter, sizeof(filter), jq, ap);
	va_end(ap);
	ck_assert_msg(sh("f=$(ls %s/tracetop-*.json) && "
			 "python3 tests/validate_snapshot.py "
			 "model/snapshot.schema.json < $f && "
			 "jq -e '%s' $f >/dev/null",
			 dir, filter) == 0,
		      "the export in %s: not valid, or not %s", dir, filter);
}

const char *row_after(const char *hdr, char *out, size_t len)
{
	const char *h = strstr(capture(), hdr), *nl;
	size_t n;

	out[0] = '\0';
	if (!h || !(nl = strchr(h, '\n')))
		return out;
	n = strcspn(nl + 1, "\n");
	snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), nl + 1);
	return out;
}

/* ---- tracetop in tmux ---------------------------------------------------- */

void start_env(const char *env, const char *args)
{
	sh(TMUX "kill-server 2>/dev/null");
	sh("rm -rf %s/home && mkdir -p %s/home", tui_base, tui_base);
	sh(TMUX "new-session -d -s tt -x 120 -y 40 "
		"'HOME=%s/home LANG=C.UTF-8 TERM=xterm-256color %s %s %s; "
		"echo tracetop-exited-$?; sleep 600'",
	   tui_base, env, tracetop(), args);
	ck_screen("PID USER", 20);
}

void start(const char *args)
{
	start_env("", args);
}

int tracetop_pid(void)
{
	FILE *p = popen("pgrep -P $(" TMUX "display -p -t tt '#{pane_pid}') "
			"tracetop",
			"r");
	int pid = -1;

	if (p) {
		if (fscanf(p, "%d", &pid) != 1)
			pid = -1;
		pclose(p);
	}
	return pid;
}

void stop(void)
{
	sh(TMUX "kill-server 2>/dev/null");
}

/* ---- workloads ----------------------------------------------------------- */

struct workload wl_start(const char *name, const char *arg)
{
	struct workload w = { 0 };
	int in[2], out[2];
	char path[512], line[64] = "";

	wl_path_of(name, path, sizeof(path));
	ck_assert_msg(access(path, X_OK) == 0, "workload %s: %s", path,
		      strerror(errno));
	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(out), 0);
	w.pid = fork();
	ck_assert_int_ge(w.pid, 0);
	if (w.pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		/* it dies with the test, as tui_busy does by itself */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(path, path, arg, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	w.out = fdopen(out[0], "r");
	ck_assert_ptr_nonnull(w.out);
	ck_assert_msg(fgets(line, sizeof(line), w.out) &&
			      !strncmp(line, "pid ", 4),
		      "workload %s: no pid line", name);
	ck_assert_int_eq(write(in[1], "g", 1), 1);
	w.go = in[1];
	return w;
}

struct workload busy(const char *mode)
{
	return wl_start("tui_busy", mode);
}

const char *wl_result(struct workload *w)
{
	static char line[1024];

	line[0] = '\0';
	if (!w->out || !fgets(line, sizeof(line), w->out))
		return "";
	return line;
}

double json_num(const char *json, const char *key)
{
	char k[64];
	const char *at;

	snprintf(k, sizeof(k), "\"%s\":", key);
	at = strstr(json, k);
	return at ? atof(at + strlen(k)) : -1;
}

void busy_end(struct workload *w)
{
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
		close(w->go);
	}
	if (w->out)
		fclose(w->out);
	w->out = NULL;
	w->pid = 0;
}
