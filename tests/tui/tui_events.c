// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_events.c - the event stream on the screen (tests/tui/tui_lib.h): the
 * Events view (6) shows a known workload's execs and exits with their
 * exact arguments and codes; E keeps some kinds, \ filters, / finds and
 * Enter opens the PID view of the event's process; the view follows the
 * newest until scrolled, PgDn onto the last row follows again; Z holds it
 * still while events are stored; X exports them; the PID view shows a
 * process's and its children's events; a process gone in a flash keeps
 * its command line from its exec; a recording replays its events.
 *
 * The workloads run as a user of their own and tracetop watches only it
 * (-u): the other helpers' processes on this machine never scroll the
 * rows away. The answer key is the workloads' own: the pids fork()
 * returned, the arguments they passed to exec, the codes they exited
 * with.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "tests/tui/tui_lib.h"

/* a uid no one else uses, per run */
static int ev_uid(void)
{
	return 42000 + (int)getpid() % 1000;
}

/*
 * wl-execs N UID: N children exec /bin/true "true tt-exec-I arg2", then
 * one whose exec of /nonexistent/tt-no-such-program fails (ENOENT) and
 * exits 127; all as uid. Their pids into pids (n + 1 of them).
 */
static void run_execs(int n, int uid, int *pids)
{
	char cmd[600], line[512] = "";
	const char *p;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "echo g | %s/wl-execs %d %d",
		 getenv("WL") && *getenv("WL") ? getenv("WL") : "build", n,
		 uid);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) && !strstr(line, "\"pids\""))
		;
	pclose(f);
	p = strstr(line, "\"pids\":[");
	ck_assert_msg(p, "wl-execs: no pids in '%s'", line);
	p += 8;
	for (int i = 0; i <= n; i++) {
		pids[i] = atoi(p);
		ck_assert_int_gt(pids[i], 0);
		p = strchr(p, ',');
		if (i < n)
			ck_assert_ptr_nonnull(p++);
	}
}

/* /bin/sh -c script as uid, in a process group of its own */
static pid_t run_sh_as(int uid, const char *script)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setpgid(0, 0);
		if (setgid((gid_t)uid) || setuid((uid_t)uid))
			_exit(126);
		/* after setuid(), which clears it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static void end_sh(pid_t pid)
{
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* the screen line holding all of a, b, c and d (NULL: any), or NULL */
static const char *line_with4(const char *a, const char *b, const char *c,
			      const char *d)
{
	static char line[1024];
	const char *s = capture(), *l = s;

	while (l && *l) {
		size_t n = strcspn(l, "\n");

		snprintf(line, sizeof(line), "%.*s",
			 (int)(n < sizeof(line) ? n : sizeof(line) - 1), l);
		if (strstr(line, a) && (!b || strstr(line, b)) &&
		    (!c || strstr(line, c)) && (!d || strstr(line, d)))
			return line;
		l = l[n] ? l + n + 1 : NULL;
	}
	return NULL;
}

static const char *line_with(const char *a, const char *b, const char *c)
{
	return line_with4(a, b, c, NULL);
}

/* wait for such a line; fail with the screen if it does not come */
static const char *ck_line4(const char *a, const char *b, const char *c,
			    const char *d, double secs)
{
	const char *l = NULL;

	for (double t = 0; t < secs && !(l = line_with4(a, b, c, d)); t += 0.2)
		nap(0.2);
	if (!l)
		show_screen();
	ck_assert_msg(l, "no line with '%s' '%s' '%s' '%s' on screen", a,
		      b ? b : "", c ? c : "", d ? d : "");
	return l;
}

static const char *ck_line(const char *a, const char *b, const char *c,
			   double secs)
{
	return ck_line4(a, b, c, NULL, secs);
}

/* wait until text leaves the screen (a loaded machine draws late) */
static void ck_gone(const char *text, double secs)
{
	double t = 0;

	while (strstr(capture(), text) && t < secs) {
		nap(0.2);
		t += 0.2;
	}
	if (strstr(capture(), text))
		show_screen();
	ck_assert_msg(!strstr(capture(), text), "'%s' still on screen", text);
}

/* " 1234 " as a row shows a pid */
static const char *pid_word(int pid, char *buf, size_t len)
{
	snprintf(buf, len, " %d ", pid);
	return buf;
}

/* the highest I of "tt-tick-I" on screen */
/* the highest tick on one captured screen */
static int max_tick_in(const char *s)
{
	int max = -1;

	while ((s = strstr(s, "tt-tick-"))) {
		int i = atoi(s + 8);

		max = i > max ? i : max;
		s += 8;
	}
	return max;
}

static int max_tick(void)
{
	return max_tick_in(capture());
}

/* the screen from the table's header on (the title counts may change) */
static void table_text(char *out, size_t len)
{
	const char *h = strstr(capture(), "TIME ");

	snprintf(out, len, "%s", h ? h : "");
}

/*
 * The exact rows of a known workload, the kind filter, Esc, the search
 * and Enter into the PID view of a process gone, the text filter and X.
 */
START_TEST(events_view_rows_kinds_search_export)
{
	char args[256], out[96], w[32], exp[128], want[600];
	int uid = ev_uid(), pids[3], parent;
	const char *l;

	snprintf(out, sizeof(out), "%s/evx", tui_base);
	sh("rm -rf %s && mkdir -m 0700 %s", out, out);
	snprintf(args, sizeof(args), "-d 0.5 -u %d --export-dir %s", uid, out);
	start(args);
	keys("6");
	ck_screen("Events: ", 5);
	ck_screen("TIME ", 2);
	run_execs(2, uid, pids);

	/* execs: the path and the arguments as passed, the parent */
	for (int i = 0; i < 2; i++) {
		snprintf(exp, sizeof(exp),
			 "/bin/true  true tt-exec-%d arg2  (ppid", i);
		l = ck_line(exp, pid_word(pids[i], w, sizeof(w)), " exec ", 10);
		parent = atoi(strstr(l, "(ppid ") + 6);
		ck_assert_int_gt(parent, 0);
		ck_assert_int_ne(parent, pids[i]);
		ck_line4(pid_word(pids[i], w, sizeof(w)), " exit ", " code 0 ",
			 " lived ", 5);
	}
	/* the failed one: its errno apart, in RESULT (its line is cut at
	 * the parent's pid, past 120 columns) */
	snprintf(exp, sizeof(exp),
		 "/nonexistent/tt-no-such-program  tt-none tt-exec-2  (ppid");
	ck_line4(exp, pid_word(pids[2], w, sizeof(w)), " exec ", " ENOENT ", 5);
	ck_line4(pid_word(pids[2], w, sizeof(w)), " exit ", " code 127 ",
		 " lived ", 5);

	/* E: exits only, then Esc: all again */
	keys("E");
	ck_screen("Kinds, as exec,exit", 3);
	sh(TMUX "send-keys -t tt exit Enter");
	ck_screen("kinds exit", 3);
	ck_line(pid_word(pids[2], w, sizeof(w)), " exit ", "code 127", 3);
	ck_assert_msg(!line_with(" exec ", NULL, NULL),
		      "an exec shown with kinds exit");
	keys("Escape");
	ck_screen("filters cleared", 3);
	ck_line("tt-exec-0 arg2", " exec ", NULL, 3);

	/* / finds the second exec: no longer following; Enter: its PID view,
	 * though the process is gone, with its exec and exit */
	keys("/");
	sh(TMUX "send-keys -t tt tt-exec-1 Enter");
	ck_screen("scrolled (End follows)", 3);
	keys("Enter");
	snprintf(want, sizeof(want), "Events of %d and its children: 2",
		 pids[1]);
	ck_screen(want, 5);
	ck_line("/bin/true  true tt-exec-1 arg2",
		pid_word(pids[1], w, sizeof(w)), " exec ", 2);
	ck_line(pid_word(pids[1], w, sizeof(w)), " exit ", "code 0", 2);
	keys("Escape");
	ck_screen("Events: ", 3);

	/* \: the failed exec's row alone, and X carries every event kept */
	keys("'\\'");
	sh(TMUX "send-keys -t tt tt-none Enter");
	ck_screen("Events: 1 of ", 3);
	ck_screen("filter 'tt-none'", 1);
	ck_assert_msg(!line_with("tt-exec-0", NULL, NULL),
		      "a row the filter leaves out is shown");
	export_check(
		out,
		".ui.view == \"Events\" and .ui.filter == \"tt-none\" and "
		"any(.recent_events[]; .kind == \"exec\" and .pid == %d and "
		".args == [\"true\", \"tt-exec-0\", \"arg2\"]) and "
		"any(.recent_events[]; .kind == \"exit\" and .pid == %d and "
		".code == 127)",
		pids[0], pids[2]);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

/*
 * A tick every 0.2 s (/bin/true tt-tick-I): the view follows the newest;
 * PgUp holds the rows still; PgDn onto the last row follows again; Z
 * holds them still while the ticks are stored, and they show on resume.
 */
START_TEST(events_follow_scroll_pause)
{
	char args[128], a[8192], b[8192];
	int uid = ev_uid(), t0, t1, t2;
	pid_t tick;

	tick = run_sh_as(uid, "i=0; while :; do i=$((i+1)); "
			      "/bin/true tt-tick-$i; sleep 0.2; done");
	snprintf(args, sizeof(args), "-d 0.5 -u %d", uid);
	start(args);
	keys("6");
	ck_line("tt-tick-", " exec ", NULL, 5);
	nap(2); /* more rows than a page: 5 events a tick */

	/* following: newer ticks come, and the newest is the last row */
	t0 = max_tick();
	nap(1.5);
	t1 = max_tick();
	ck_assert_msg(t1 > t0, "following: tick %d, then %d", t0, t1);
	{
		const char *s = capture(), *last = strstr(s, "tt-tick-"), *n;

		while (last && (n = strstr(last + 8, "tt-tick-")))
			last = n;
		/* one capture for both: the screen refreshes every 0.5 s,
		 * and a second capture may hold a newer tick */
		ck_assert_msg(last && atoi(last + 8) == max_tick_in(s),
			      "the last row is not the newest tick");
	}

	/* PgUp: the rows hold still */
	keys("PPage");
	ck_screen("scrolled (End follows)", 3);
	table_text(a, sizeof(a));
	nap(1.5);
	table_text(b, sizeof(b));
	if (strcmp(a, b))
		show_screen();
	ck_assert_msg(!strcmp(a, b), "scrolled rows moved");

	/* PgDn onto the last row: following again. Rows keep coming while
	 * scrolled (25 a second), so how many pages down the end is depends
	 * on how long the checks above took: page until it is reached */
	for (int i = 0; i < 10 && strstr(capture(), "scrolled"); i++)
		keys("NPage");
	ck_gone("scrolled", 3);
	t1 = max_tick();
	nap(1.5);
	ck_assert_msg(max_tick() > t1, "PgDn to the end: no longer following");

	/* Z: held still while the ticks go on being stored; the ticks
	 * alone, so that those made meanwhile all fit on the screen */
	keys("'\\'");
	sh(TMUX "send-keys -t tt tt-tick- Enter");
	ck_screen("filter 'tt-tick-'", 3);
	keys("Z");
	ck_screen("paused", 3);
	t1 = max_tick();
	table_text(a, sizeof(a));
	nap(2.5);
	table_text(b, sizeof(b));
	ck_assert_msg(!strcmp(a, b) && max_tick() == t1,
		      "paused: the rows moved (tick %d, then %d)", t1,
		      max_tick());
	keys("Z");
	ck_gone("paused", 3);
	nap(1);
	t2 = max_tick();
	/* every tick made while paused is there */
	ck_assert_msg(t2 >= t1 + 8, "after the pause: tick %d, then %d", t1,
		      t2);
	for (int i = t1 + 1; i <= t1 + 8; i++) {
		char want[32];

		snprintf(want, sizeof(want), "tt-tick-%d ", i);
		ck_line(want, " exec ", NULL, 1);
	}
	end_sh(tick);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

/*
 * A parent that runs /bin/true tt-kid-x every 0.3 s: the children, gone
 * in a millisecond, are found by their command line (from their exec);
 * the parent's PID view lists their execs and exits.
 */
START_TEST(events_in_pid_view_and_gone_processes)
{
	char args[128], want[200];
	int uid = ev_uid();
	const char *found = NULL;
	pid_t parent;

	parent = run_sh_as(uid, "a=tt-kid; while :; do /bin/true $a-x; "
				"sleep 0.3; done");
	snprintf(args, sizeof(args), "-d 0.5 -u %d", uid);
	start(args);
	/* the filter matches the command line: only the children have
	 * "tt-kid-x" in theirs, which /proc never showed */
	keys("'\\'");
	sh(TMUX "send-keys -t tt tt-kid-x Enter");
	for (int i = 0; i < 30 && !found; i++) {
		char row[512];

		if (strstr(row_after("PID USER", row, sizeof(row)), " true"))
			found = "yes";
		else
			nap(0.2);
	}
	if (!found)
		show_screen();
	ck_assert_msg(found, "no exited child under filter tt-kid-x");
	keys("Escape");

	keys("/");
	sh(TMUX "send-keys -t tt while Enter");
	keys("Enter");
	snprintf(want, sizeof(want), "PID %d sh", parent);
	ck_screen(want, 5);
	snprintf(want, sizeof(want), "Events of %d and its children: ", parent);
	ck_screen(want, 3);
	/* sh passes the path as argv[0] */
	snprintf(want, sizeof(want), "/bin/true  /bin/true tt-kid-x  (ppid %d)",
		 parent);
	ck_line(want, " exec ", NULL, 3);
	ck_line(" true ", " exit ", "code 0", 3);
	end_sh(parent);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

/*
 * A recording's events in its replay: stepped through with ], the Events
 * view has the workload's rows; [ steps back and keeps the earlier
 * records' events; the PID view of a process of the recording lists its.
 */
START_TEST(events_replay)
{
	char args[256], f[128], want[200], w[32];
	int uid = ev_uid(), pids[2], n;

	snprintf(f, sizeof(f), "%s/ev.jsonl", tui_base);
	unlink(f);
	snprintf(args, sizeof(args), "-d 0.5 -u %d --record %s", uid, f);
	start(args);
	run_execs(1, uid, pids);
	nap(2.5);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
	n = atoi(sh_out("wc -l < %s", f));
	ck_assert_msg(n >= 5, "%d records", n);
	ck_assert_int_eq(sh("grep -q tt-exec-0 %s", f), 0);

	snprintf(args, sizeof(args), "--replay %s", f);
	start(args);
	keys("6");
	ck_screen("REPLAY 1/", 5);
	for (int i = 1; i < n; i++)
		sh(TMUX "send-keys -t tt ']'");
	snprintf(want, sizeof(want), "REPLAY %d/%d", n, n);
	ck_screen(want, 5);
	ck_line("/bin/true  true tt-exec-0 arg2",
		pid_word(pids[0], w, sizeof(w)), " exec ", 3);
	ck_line(pid_word(pids[0], w, sizeof(w)), " exit ", "code 0", 3);
	ck_line("tt-none tt-exec-1", " exec ", " ENOENT ", 3);
	ck_line(pid_word(pids[1], w, sizeof(w)), " exit ", "code 127", 3);

	/* one back: the workload ran in an earlier record, still shown */
	keys("'['");
	snprintf(want, sizeof(want), "REPLAY %d/%d", n - 1, n);
	ck_screen(want, 5);
	ck_line("/bin/true  true tt-exec-0 arg2", " exec ", NULL, 3);

	keys("/");
	sh(TMUX "send-keys -t tt tt-exec-0 Enter");
	keys("Enter");
	snprintf(want, sizeof(want), "Events of %d and its children: 2",
		 pids[0]);
	ck_screen(want, 5);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

Suite *tui_events_suite(void)
{
	Suite *s = suite_create("tui_events");
	TCase *tc = tui_tcase(s, "events", 120);

	tcase_add_test(tc, events_view_rows_kinds_search_export);
	tcase_add_test(tc, events_follow_scroll_pause);
	tcase_add_test(tc, events_in_pid_view_and_gone_processes);
	tcase_add_test(tc, events_replay);
	return s;
}
