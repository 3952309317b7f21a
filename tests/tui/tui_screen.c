// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_screen.c - the real ./tracetop in a real terminal: tmux on its own
 * socket, keys with send-keys, the screen with capture-pane. Needs root
 * (BPF), tmux, $TRACETOP and the tui_busy workload ($WL/wl-tui_busy);
 * without them each test says why and passes, as the other root suites.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <check.h>

#define TMUX	   "tmux -L tt-tui-test "
#define SCREEN_MAX 65536

static char screen[SCREEN_MAX];

/*
 * Everything this run makes lives under base (/tmp/tt-tui-PID), tmux's
 * socket included (TMUX_TMPDIR): two checkouts testing at once on one
 * machine must not drive each other's panes.
 */
static char base[64];

static void tui_base(void)
{
	char tmp[96];

	if (base[0])
		return;
	snprintf(base, sizeof(base), "/tmp/tt-tui-%d", (int)getpid());
	snprintf(tmp, sizeof(tmp), "%s/tmux", base);
	mkdir(base, 0755);
	mkdir(tmp, 0700);
	setenv("TMUX_TMPDIR", tmp, 1);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static const char *tracetop(void)
{
	const char *t = getenv("TRACETOP");

	return t && *t ? t : "./tracetop";
}

/* root, tmux, the binary and the workload: else skip with a reason */
static bool usable(void)
{
	char wl[512];

	tui_base();
	snprintf(wl, sizeof(wl), "%s/wl-tui_busy",
		 getenv("WL") ? getenv("WL") : "build");
	if (geteuid() != 0 || sh("command -v tmux >/dev/null") ||
	    access(tracetop(), X_OK) || access(wl, X_OK)) {
		fprintf(stderr, "tui: skipped (needs root, tmux, %s, %s)\n",
			tracetop(), wl);
		return false;
	}
	return true;
}

static const char *capture(void)
{
	FILE *p = popen(TMUX "capture-pane -p -t tt 2>/dev/null", "r");
	size_t n = 0;

	screen[0] = '\0';
	if (!p)
		return screen;
	n = fread(screen, 1, sizeof(screen) - 1, p);
	screen[n] = '\0';
	pclose(p);
	return screen;
}

static void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

/* wait until the screen shows text; true if it did within secs */
static bool wait_for(const char *text, double secs)
{
	for (double t = 0; t < secs; t += 0.2) {
		if (strstr(capture(), text))
			return true;
		nap(0.2);
	}
	return false;
}

/* Check's messages are short: the screen goes to stderr */
static void show_screen(void)
{
	fprintf(stderr, "---- screen ----\n%s----\n", screen);
}

#define ck_screen(text, secs)                                                  \
	do {                                                                   \
		bool seen_ = wait_for(text, secs);                             \
		if (!seen_)                                                    \
			show_screen();                                         \
		ck_assert_msg(seen_, "'%s' not on screen", text);              \
	} while (0)

#define ck_first_row(hdr, text)                                                \
	do {                                                                   \
		char row_[512];                                                \
		bool ok_ = strstr(row_after(hdr, row_, sizeof(row_)), text);   \
		if (!ok_)                                                      \
			show_screen();                                         \
		ck_assert_msg(ok_, "first row under %s lacks %s: %.200s", hdr, \
			      text, row_);                                     \
	} while (0)

static void keys(const char *k)
{
	sh(TMUX "send-keys -t tt %s", k);
	nap(0.4);
}

/* the first line of the table after the title line holding hdr */
static const char *row_after(const char *hdr, char *out, size_t len)
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

#define MAX_PROGS 64

/* ids of the BPF programs process pid holds open (from its fdinfo) */
static int bpf_prog_ids(int pid, int *ids)
{
	char cmd[200];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd),
		 "cat /proc/%d/fdinfo/* 2>/dev/null | "
		 "sed -n 's/^prog_id:[[:space:]]*//p' | sort -un",
		 pid);
	p = popen(cmd, "r");
	while (p && n < MAX_PROGS && fscanf(p, "%d", &ids[n]) == 1)
		n++;
	if (p)
		pclose(p);
	return n;
}

/* how many of ids the kernel still has */
static int bpf_progs_alive(const int *ids, int n)
{
	int alive = 0;

	for (int i = 0; i < n; i++)
		alive += sh("bpftool prog show id %d >/dev/null 2>&1",
			    ids[i]) == 0;
	return alive;
}

/* start tracetop in a 120x40 tmux pane, with its own $HOME and env */
static void start_env(const char *env, const char *args)
{
	sh(TMUX "kill-server 2>/dev/null");
	sh("rm -rf %s/home && mkdir -p %s/home", base, base);
	sh(TMUX "new-session -d -s tt -x 120 -y 40 "
		"'HOME=%s/home LANG=C.UTF-8 TERM=xterm-256color %s %s %s; "
		"echo tracetop-exited-$?; sleep 600'",
	   base, env, tracetop(), args);
	ck_screen("PID USER", 20);
}

static void start(const char *args)
{
	start_env("", args);
}

/* the pid of tracetop in the pane (a child of the pane's shell) */
static int tracetop_pid(void)
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

static void stop(void)
{
	sh(TMUX "kill-server 2>/dev/null");
}

struct workload {
	pid_t pid;
	int go; /* its stdin */
};

static struct workload busy(const char *mode)
{
	struct workload w = { 0 };
	int in[2], out[2];
	char path[512], line[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/wl-tui_busy",
		 getenv("WL") ? getenv("WL") : "build");
	ck_assert_int_eq(pipe(in), 0);
	ck_assert_int_eq(pipe(out), 0);
	w.pid = fork();
	ck_assert_int_ge(w.pid, 0);
	if (w.pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, mode, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f = fdopen(out[0], "r");
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	fclose(f);
	ck_assert_int_eq(write(in[1], "g", 1), 1);
	w.go = in[1];
	return w;
}

static void busy_end(struct workload *w)
{
	if (w->pid > 0) {
		kill(w->pid, SIGKILL);
		waitpid(w->pid, NULL, 0);
		close(w->go);
	}
	w->pid = 0;
}

START_TEST(browse_sort_search_drill_resize_quit)
{
	struct workload w;
	char row[512], first[512], want[64];
	int pid, ids[MAX_PROGS], nids;

	if (!usable())
		return;
	w = busy("errs");
	start("-d 0.5");
	/* the process table, with the workload in it */
	ck_screen("tt-errs", 10);
	ck_screen("Probes", 1);
	pid = tracetop_pid();
	ck_assert_int_gt(pid, 0);
	nids = bpf_prog_ids(pid, ids);
	ck_assert_int_gt(nids, 0);
	ck_assert_int_eq(bpf_progs_alive(ids, nids), nids);

	/* sort by PID (N), then invert (I): the first row changes */
	keys("N");
	row_after("PID USER", first, sizeof(first));
	ck_assert_int_eq(atoi(first), 1);
	keys("I");
	row_after("PID USER", row, sizeof(row));
	ck_assert_int_gt(atoi(row), 1);
	/* F6 / > picks the next column: the order changes again */
	keys("P");
	keys("'>'");
	keys("'>'");
	ck_screen("ERR/s", 1);
	ck_first_row("PID USER", "tt-errs");

	/* search, then Enter drills into the match */
	keys("/");
	keys("tt-errs");
	keys("Enter");
	keys("Enter");
	snprintf(want, sizeof(want), "PID %d tt-errs", w.pid);
	ck_screen(want, 5);
	/* its syscalls, counted, and the selected one's histogram */
	ck_screen("close", 5);
	ck_screen("getppid", 5);
	ck_screen("latency  n=", 5);
	ck_screen("p50", 1);
	keys("Escape");
	ck_screen("PID USER", 5);

	/* every view, by number and by Tab */
	keys("2");
	ck_screen("System-wide syscalls", 5);
	keys("3");
	ck_screen("TCP:", 5);
	keys("4");
	ck_screen("Scheduler:", 5);
	ck_screen("run-queue latency", 5);
	keys("v");
	ck_screen("heatmap", 5);
	keys("Tab");
	ck_screen("PID ", 5);
	keys("Tab");
	ck_screen("PID USER", 5);
	keys("h");
	ck_screen("keys (htop", 5);
	/* wide, the help cuts none of its texts (issue 11) */
	sh(TMUX "resize-window -t tt -x 200 -y 50");
	ck_screen("threads as rows (needs a source that collects them: -H)", 5);
	sh(TMUX "resize-window -t tt -x 120 -y 40");
	keys("x");
	ck_screen("PID USER", 5);

	/* down to 40x10 and below, and back */
	sh(TMUX "resize-window -t tt -x 40 -y 10");
	ck_screen("1 Proc", 5);
	ck_screen("PID", 1);
	sh(TMUX "resize-window -t tt -x 30 -y 8");
	ck_screen("terminal too small", 5);
	sh(TMUX "resize-window -t tt -x 120 -y 40");
	ck_screen("PID USER", 5);

	/* q: the terminal restored, exit status 0, no program left */
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	ck_assert_ptr_null(strstr(capture(), "F1Help"));
	ck_assert_int_eq(bpf_progs_alive(ids, nids), 0);
	stop();
	busy_end(&w);
}
END_TEST

/* The issue's "done when": three questions, answered with htop keys. */
START_TEST(find_errors_runq_and_bytes)
{
	struct workload e, t, r;

	if (!usable())
		return;
	e = busy("errs");
	t = busy("tcp");
	start("-d 0.5");
	ck_screen("tt-errs", 10);

	/* which process makes the most failing syscalls: sort by ERR/s */
	keys("'>'");
	keys("'>'");
	nap(1);
	ck_first_row("PID USER", "tt-errs");

	/* which connection moves the most bytes: TCP view, TX/s */
	keys("3");
	ck_screen("TX/s", 5);
	nap(1);
	ck_first_row("REMOTE", "tt-tcp");
	busy_end(&t);

	/* which process waits longest to run: scheduler view, RUNQ-p99 */
	r = busy("runq");
	keys("1");
	keys("P"); /* from ERR/s back to CPU% */
	/* from CPU%: SYSC ERR TOP-SYSC SC-p99 TX RX CONN RETR RUNQ-p99 */
	for (int i = 0; i < 9; i++)
		keys("'>'");
	nap(3);
	/* among the workloads: a throttled container's process elsewhere on
	 * the machine may truly wait longer than anything we can make */
	keys("'\\'");
	keys("tt-");
	keys("Enter");
	nap(1);
	ck_first_row("PID USER", "tt-runq");
	keys("4");
	ck_screen("RUNQ-p99", 5);
	ck_first_row("RUNQ-p99  CSW", "tt-runq");
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
	busy_end(&r);
	busy_end(&e);
}
END_TEST

/*
 * Issue 4's "done when": X in a drill-down writes the whole snapshot where
 * --export-dir says, valid against the schema and naming the open PID;
 * the recording of the same run replays in the same screen, as nobody,
 * stepping with ] and jumping with g.
 */
START_TEST(export_then_replay)
{
	struct workload w;
	char want[64], f[900], out[96];
	int n;

	if (!usable())
		return;
	snprintf(out, sizeof(out), "%s/out", base);
	sh("rm -rf %s && mkdir -m 0700 %s", out, out);
	w = busy("errs");
	snprintf(f, sizeof(f),
		 "-d 0.5 --export-dir %s --record %s/rec.jsonl.gz", out, out);
	start(f);
	ck_screen("tt-errs", 10);
	keys("/");
	keys("tt-errs");
	keys("Enter");
	keys("Enter");
	snprintf(want, sizeof(want), "PID %d tt-errs", w.pid);
	ck_screen(want, 5);
	keys("X");
	snprintf(f, sizeof(f), "exported to %s/tracetop-", out);
	ck_screen(f, 5);
	/* the file: valid, every process (not only the rows), the PID open */
	snprintf(f, sizeof(f),
		 "f=$(ls %s/tracetop-*.json) && "
		 "python3 tests/validate_snapshot.py model/snapshot.schema.json"
		 " < $f && jq -e '.ui.view == \"PID\" and .ui.pid == %d and "
		 "(.processes | length) > 20 and "
		 "any(.processes[]; .pid == %d and .syscalls.rate > 0)' $f "
		 ">/dev/null && test $(stat -c %%a $f) = 600",
		 out, w.pid, w.pid);
	ck_assert_int_eq(sh("%s", f), 0);
	/* a directory it cannot write: the reason on the status line */
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	busy_end(&w);
	n = sh("zcat %s/rec.jsonl.gz | wc -l | awk '{exit !($1 >= 4)}'", out);
	ck_assert_int_eq(n, 0);

	/* the recording, as nobody: no BPF, no privileges */
	sh("chmod 0755 %s && chmod 0644 %s/rec.*", out, out);
	stop();
	nap(0.5); /* a new session must not meet the old server dying */
	sh(TMUX "new-session -d -s tt -x 120 -y 40 "
		"'LANG=C.UTF-8 TERM=xterm-256color setpriv --reuid=65534 "
		"--regid=65534 --clear-groups --inh-caps=-all %s "
		"--replay %s/rec.jsonl.gz; "
		"echo tracetop-exited-$?; sleep 600'",
	   tracetop(), out);
	ck_screen("REPLAY 1/", 10);
	keys("']'");
	ck_screen("REPLAY 2/", 5);
	/* the workload, though it is gone now, found by name */
	keys("'\\'");
	keys("tt-");
	keys("Enter");
	ck_first_row("PID USER", "tt-errs");
	keys("'['");
	ck_screen("REPLAY 1/", 5);
	/* g to the last record's time: the position moves to the end */
	snprintf(f, sizeof(f),
		 "t=$(zcat %s/rec.jsonl.gz | tail -1 | "
		 "jq -r '.time[:19] + \"Z\" | fromdate | "
		 "strflocaltime(\"%%H:%%M:%%S\")') && " TMUX
		 "send-keys -t tt g \"$t\" Enter",
		 out);
	ck_assert_int_eq(sh("%s", f), 0);
	nap(0.5);
	n = sh("zcat %s/rec.jsonl.gz | wc -l > %s/n", out, out);
	ck_assert_int_eq(n, 0);
	{
		FILE *nf;
		int lines = 0;

		snprintf(f, sizeof(f), "%s/n", out);
		nf = fopen(f, "r");
		ck_assert_ptr_nonnull(nf);
		ck_assert_int_eq(fscanf(nf, "%d", &lines), 1);
		fclose(nf);
		/* the last second's records: at most two past the target */
		snprintf(want, sizeof(want), "/%d ", lines);
		ck_screen(want, 5);
	}
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

/* field col (0: the first) of the table row under hdr for pid, or -1 */
static double cell_of(int pid, const char *hdr, int col)
{
	const char *h = strstr(capture(), hdr), *l;

	for (l = h ? strchr(h, '\n') : NULL; l; l = strchr(l + 1, '\n')) {
		char row[512], *tok, *save = NULL;
		size_t n = strcspn(l + 1, "\n");

		snprintf(row, sizeof(row), "%.*s", (int)(n < 500 ? n : 500),
			 l + 1);
		tok = strtok_r(row, " ", &save);
		if (!tok || atoi(tok) != pid)
			continue;
		for (int i = 0; tok && i < col; i++)
			tok = strtok_r(NULL, " ", &save);
		return tok ? atof(tok) : -1;
	}
	return -1;
}

#define ONCPU_PID 4242

/* record i's on-CPU share of its 1 s interval, in %: 10, 20 .. 70 */
static int oncpu_share(int i)
{
	return 10 + i % 7 * 10;
}

/* 130 one-second records of one process whose on-CPU share varies */
static void oncpu_recording(const char *path)
{
	FILE *f = fopen(path, "w");
	uint64_t oncpu = 5000000000ULL;

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 130; i++) {
		time_t t = 1700000000 + i;
		struct tm tm;
		char when[32];

		if (i)
			oncpu += (uint64_t)oncpu_share(i) * 10000000ULL;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
		fprintf(f,
			"{\"schema\":1,\"version\":\"test\",\"host\":\"h\","
			"\"kernel\":\"k\",\"time\":\"%s\",\"interval_s\":1,"
			"\"cpus\":2,\"processes\":[{\"pid\":%d,\"ppid\":1,"
			"\"comm\":\"tt-oncpu\",\"user\":\"root\",\"uid\":0,"
			"\"state\":\"R\",\"start_ticks\":77,\"cpu_pct\":%d,"
			"\"sched\":{\"oncpu_ns\":%llu}}]}\n",
			when, ONCPU_PID, oncpu_share(i),
			(unsigned long long)oncpu);
	}
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * Issue 12: the scheduler view's ONCPU% is the share of the interval the
 * snapshot closes, whichever snapshot was on screen before it: after }
 * and { in a replay, and after Z and Z again in a live run.
 */
START_TEST(oncpu_is_the_intervals_after_seek_and_resume)
{
	struct workload w;
	char f[600], line[128];
	bool matched = false;
	FILE *p;

	if (!usable())
		return;
	snprintf(f, sizeof(f), "%s/oncpu.jsonl", base);
	oncpu_recording(f);
	sh(TMUX "kill-server 2>/dev/null");
	sh(TMUX "new-session -d -s tt -x 120 -y 40 "
		"'LANG=C.UTF-8 TERM=xterm-256color %s --replay %s; "
		"echo tracetop-exited-$?; sleep 600'",
	   tracetop(), f);
	ck_screen("REPLAY 1/130", 10);
	keys("4");
	ck_screen("ONCPU%", 5);
	keys("'}'");
	ck_screen("REPLAY 61/130", 5);
	ck_assert_double_eq_tol(cell_of(ONCPU_PID, "ONCPU%", 1),
				oncpu_share(60), 0.05);
	keys("']'");
	ck_screen("REPLAY 62/130", 5);
	ck_assert_double_eq_tol(cell_of(ONCPU_PID, "ONCPU%", 1),
				oncpu_share(61), 0.05);
	keys("'{'");
	ck_screen("REPLAY 2/130", 5);
	ck_assert_double_eq_tol(cell_of(ONCPU_PID, "ONCPU%", 1), oncpu_share(1),
				0.05);
	keys("q");
	ck_screen("tracetop-exited-0", 10);

	/* live: pause, let collection go on, resume and pause at once */
	w = busy("errs");
	snprintf(f, sizeof(f), "-d 1 --record %s/z.jsonl", base);
	start(f);
	ck_screen("tt-errs", 10);
	keys("'\\'");
	keys("tt-errs");
	keys("Enter");
	keys("4");
	ck_screen("ONCPU%", 5);
	nap(2);
	keys("Z");
	nap(3.5);
	sh(TMUX "send-keys -t tt Z Z");
	nap(0.5);
	/* the snapshot on screen: its clock, and the workload's ONCPU% */
	{
		const char *scr = capture(), *c = strstr(scr, "PAUSED");
		char clock[16] = "";
		double shown = cell_of(w.pid, "ONCPU%", 1);

		ck_assert_msg(c && sscanf(c, "PAUSED %*s %15s", clock) == 1,
			      "no clock: %.400s", scr);
		ck_assert_double_ge(shown, 0);
		keys("q");
		ck_screen("tracetop-exited-0", 10);
		/* the model's figure for each interval, from the recording */
		snprintf(
			f, sizeof(f),
			"jq -s -r '. as $r | range(1; length) as $i | "
			"($r[$i].processes[] | select(.pid == %d) | "
			".sched.oncpu_ns) as $c | ($r[$i-1].processes[] | "
			"select(.pid == %d) | .sched.oncpu_ns) as $p | "
			"\"\\($r[$i].time[:19] + \"Z\" | fromdate | "
			"strflocaltime(\"%%H:%%M:%%S\")) "
			"\\(($c - $p) / 1e7 / $r[$i].interval_s)\"' %s/z.jsonl",
			w.pid, w.pid, base);
		p = popen(f, "r");
		ck_assert_ptr_nonnull(p);
		while (fgets(line, sizeof(line), p)) {
			char t[16];
			double pct;

			if (sscanf(line, "%15s %lf", t, &pct) == 2 &&
			    !strcmp(t, clock) && pct - shown < 0.051 &&
			    shown - pct < 0.051)
				matched = true;
		}
		pclose(p);
		ck_assert_msg(matched,
			      "ONCPU%% %.1f at %s is no interval's in the "
			      "recording",
			      shown, clock);
	}
	stop();
	busy_end(&w);
}
END_TEST

/*
 * F2 picks the columns of the view on screen (issue 12): hide the
 * scheduler table's PID, and it is gone from that table only, and saved
 * under that view's key.
 */
START_TEST(setup_picks_columns_in_every_view)
{
	char cfg[256];

	if (!usable())
		return;
	start("-d 0.5");
	keys("4");
	ck_screen("    PID ONCPU%", 5);
	keys("S");
	ck_screen("Setup: columns of the Scheduler view", 5);
	ck_screen("[x] ONCPU%", 1);
	keys("Space"); /* the first one listed: PID */
	ck_screen("[ ] PID", 2);
	keys("Escape");
	ck_screen("settings saved to", 5);
	ck_screen("ONCPU%  CPU%", 5);
	ck_assert_ptr_null(strstr(capture(), "PID ONCPU%"));
	keys("1");
	ck_screen("    PID USER", 5);
	snprintf(cfg, sizeof(cfg), "%s/home/.config/tracetop/config", base);
	ck_assert_int_eq(sh("grep -qx 'columns.sched = oncpu,cpu,runq50,"
			    "runq99,csw,vcsw,icsw,migr,comm' %s",
			    cfg),
			 0);
	ck_assert_int_eq(sh("grep -q '^columns = pid,user' %s", cfg), 0);
	/* the tables left as they were keep no line: their defaults */
	ck_assert_int_ne(sh("grep -q '^columns.tcp' %s", cfg), 0);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

/* A map read that fails in a live run says so on the status line. */
START_TEST(map_read_error_on_the_status_line)
{
	if (!usable())
		return;
	start_env("TRACETOP_FAULTS=unreadable:sc_stats", "-d 0.5");
	ck_screen("reading BPF maps: Input/output error", 10);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

Suite *tui_screen_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("tmux");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, browse_sort_search_drill_resize_quit);
	tcase_add_test(tc, find_errors_runq_and_bytes);
	tcase_add_test(tc, export_then_replay);
	tcase_add_test(tc, oncpu_is_the_intervals_after_seek_and_resume);
	tcase_add_test(tc, map_read_error_on_the_status_line);
	tcase_add_test(tc, setup_picks_columns_in_every_view);
	suite_add_tcase(s, tc);
	return s;
}
