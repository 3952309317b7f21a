// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_screen.c - the real ./tracetop in a real terminal (tests/tui/tui_lib.h):
 * browse, sort, search, drill down, resize and quit; the issue's three
 * questions answered with htop keys; export, record and replay.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tests/tui/tui_lib.h"

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

START_TEST(browse_sort_search_drill_resize_quit)
{
	struct workload w;
	char row[512], first[512], want[64];
	int pid, ids[MAX_PROGS], nids;

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
	ck_screen("Events: ", 5);
	keys("Tab");
	ck_screen("Profile: ", 5);
	keys("Tab");
	ck_screen("PID USER", 5);
	keys("h");
	ck_screen("keys (htop", 5);
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

/* the times of a recording's records, as seconds since the epoch */
static int rec_times(const char *file, double *t, int max)
{
	char cmd[1024], line[128];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd), "zcat %s | jq -r .time", file);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (n < max && fgets(line, sizeof(line), p)) {
		struct tm tm = { 0 };
		double sec;

		ck_assert_msg(sscanf(line, "%d-%d-%dT%d:%d:%lf", &tm.tm_year,
				     &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
				     &tm.tm_min, &sec) == 6,
			      "record time %s", line);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t[n++] = (double)timegm(&tm) + sec;
	}
	pclose(p);
	return n;
}

/*
 * Issue 4's "done when": X in a drill-down writes the whole snapshot where
 * --export-dir says, valid against the schema and naming the open PID;
 * the recording of the same run replays in the same screen, as nobody,
 * stepping with ] and jumping with g. As nobody, X into the root-owned
 * export folder fails, and the status line says why.
 */
START_TEST(export_then_replay)
{
	struct workload w;
	char want[200], f[900], out[96], hms[16];
	double t[256], target;
	int n, k, mid;
	struct tm tm;
	time_t tt;

	snprintf(out, sizeof(out), "%s/out", tui_base);
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
	/* the file: valid, every process (not only the rows), the PID open,
	 * readable by its owner alone */
	export_check(out,
		     ".ui.view == \"PID\" and .ui.pid == %d and "
		     "(.processes | length) > 20 and "
		     "any(.processes[]; .pid == %d and .syscalls.rate > 0)",
		     w.pid, w.pid);
	ck_assert_int_eq(
		sh("test $(stat -c %%a %s/tracetop-*.json) = 600", out), 0);
	/* long enough for a recording of more than two seconds */
	nap(2.5);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	busy_end(&w);
	snprintf(f, sizeof(f), "%s/rec.jsonl.gz", out);
	n = rec_times(f, t, 256);
	ck_assert_msg(n >= 4, "%d records in %s", n, f);

	/* the recording, as nobody: no BPF, no privileges */
	sh("chmod 0755 %s && chmod 0644 %s/rec.*", out, out);
	stop();
	nap(0.5); /* a new session must not meet the old server dying */
	sh(TMUX "new-session -d -s tt -x 120 -y 40 "
		"'LANG=C.UTF-8 TERM=xterm-256color setpriv --reuid=65534 "
		"--regid=65534 --clear-groups --inh-caps=-all %s "
		"--replay %s/rec.jsonl.gz --export-dir %s; "
		"echo tracetop-exited-$?; sleep 600'",
	   tracetop(), out, out);
	ck_screen("REPLAY 1/", 10);
	keys("']'");
	ck_screen("REPLAY 2/", 5);
	/* the workload, though it is gone now, found by its whole name */
	keys("'\\'");
	keys("tt-errs");
	keys("Enter");
	ck_first_row("PID USER", "tt-errs");
	keys("'['");
	ck_screen("REPLAY 1/", 5);

	/* X into a folder nobody cannot write: the reason, nothing written */
	keys("X");
	snprintf(want, sizeof(want),
		 "export: creating a file in %s: Permission denied", out);
	ck_screen(want, 5);
	ck_assert_int_eq(sh("test $(ls %s | grep -c '^tracetop-') -eq 1", out),
			 0);

	/*
	 * g to a second in the middle of the recording: the first record at
	 * or after it is shown. Its position comes from the file's times,
	 * and is not 1, where the replay stands now.
	 */
	for (mid = n / 2; mid < n && floor(t[mid]) <= t[0]; mid++)
		;
	ck_assert_msg(mid < n, "the recording spans less than a second");
	target = floor(t[mid]);
	for (k = 0; t[k] < target; k++)
		;
	tt = (time_t)target;
	localtime_r(&tt, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	keys("g");
	sh(TMUX "send-keys -t tt %s Enter", hms);
	snprintf(want, sizeof(want), "REPLAY %d/%d ", k + 1, n);
	ck_screen(want, 5);
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

	snprintf(f, sizeof(f), "%s/oncpu.jsonl", tui_base);
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
	snprintf(f, sizeof(f), "-d 1 --record %s/z.jsonl", tui_base);
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
		/* cell_of captures the screen again, into the same buffer:
		 * read the cell first, then the clock of that same screen */
		double shown = cell_of(w.pid, "ONCPU%", 1);
		const char *scr = capture(), *c = strstr(scr, "PAUSED");
		char clock[16] = "";

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
			w.pid, w.pid, tui_base);
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
	snprintf(cfg, sizeof(cfg), "%s/home/.config/tracetop/config", tui_base);
	/* the defaults (columns_proc.c) but PID, the thread states among
	 * them */
	ck_assert_int_eq(sh("grep -qx 'columns.sched = oncpu,cpu,run,"
			    "runnable,sleeping,blocked,runq99,csw,migr,"
			    "comm' %s",
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
	start_env("TRACETOP_FAULTS=unreadable:sc_stats", "-d 0.5");
	ck_screen("reading BPF maps: Input/output error", 10);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

/*
 * SIGTERM and SIGHUP end the screen as q does: status 0, terminal given
 * back. They failed while the profiler's thread took them in a handler
 * the screen's loop never looked at: tracetop stayed up.
 */
START_TEST(sigterm_and_sighup_quit_the_screen)
{
	static const int sigs[] = { SIGTERM, SIGHUP };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++) {
		int pid;

		start("-d 0.5");
		pid = tracetop_pid();
		ck_assert_msg(pid > 0, "tracetop's pid not found in tmux");
		nap(1); /* all threads started */
		ck_assert_int_eq(kill(pid, sigs[i]), 0);
		ck_screen("tracetop-exited-0", 3);
		ck_assert_msg(!strstr(capture(), "F1Help"),
			      "signal %d: the screen was left on the terminal",
			      sigs[i]);
		stop();
	}
}
END_TEST

Suite *tui_screen_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tui_tcase(s, "tmux", 180);

	tcase_add_test(tc, browse_sort_search_drill_resize_quit);
	tcase_add_test(tc, find_errors_runq_and_bytes);
	tcase_add_test(tc, export_then_replay);
	tcase_add_test(tc, oncpu_is_the_intervals_after_seek_and_resume);
	tcase_add_test(tc, map_read_error_on_the_status_line);
	tcase_add_test(tc, setup_picks_columns_in_every_view);
	tcase_add_test(tc, sigterm_and_sighup_quit_the_screen);
	return s;
}
