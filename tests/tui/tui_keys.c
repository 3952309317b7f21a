// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_keys.c - keys whose effect is seen outside the screen, each checked
 * there (tests/tui/tui_lib.h): F9 kills the workload (its parent sees the
 * signal), + and - change the cadence of the recording tracetop writes,
 * NO_COLOR and --no-color leave no colour in the pane, and in a replay
 * { } move a minute of the recording's time and Z plays it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "tests/tui/tui_lib.h"

/* times of the records of a plain JSON Lines recording, from index from */
static int rec_times(const char *file, int from, double *t, int max)
{
	char cmd[600], line[64];
	FILE *p;
	int n = 0, i = 0;

	/* whole seconds (fromdate takes no fraction), then the fraction */
	snprintf(cmd, sizeof(cmd),
		 "jq -r '.time | (.[:19] + \"Z\" | fromdate | tostring) + "
		 "(.[19:] | sub(\"Z$\"; \"\"))' %s",
		 file);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p))
		if (i++ >= from && n < max)
			t[n++] = atof(line);
	pclose(p);
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int rec_lines(const char *file)
{
	return atoi(sh_out("wc -l < %s", file));
}

/*
 * The median gap between the records written from line `from` on, after
 * waiting secs: the refresh delay tracetop really keeps.
 */
static double cadence(const char *file, int from, double secs)
{
	double t[256], gap[256];
	int n;

	nap(secs);
	n = rec_times(file, from, t, 256);
	ck_assert_msg(n >= 3, "%d records in %.1f s", n, secs);
	for (int i = 1; i < n; i++)
		gap[i - 1] = t[i] - t[i - 1];
	qsort(gap, n - 1, sizeof(*gap), cmp_double);
	return gap[(n - 1) / 2];
}

START_TEST(kill_and_delay)
{
	struct workload w = busy("errs");
	char rec[128], args[256], want[128];
	double gap;
	int from, st = 0;

	snprintf(rec, sizeof(rec), "%s/delay.jsonl", tui_base);
	unlink(rec);
	snprintf(args, sizeof(args), "-d 0.5 --record %s", rec);
	start(args);
	ck_screen("tt-errs", 10);

	/* + from 0.5 s: a record every second; - twice: every 0.2 s */
	keys("+");
	ck_screen("refresh every 1 s", 3);
	from = rec_lines(rec) + 1; /* the one under way may be late */
	gap = cadence(rec, from, 4.5);
	ck_assert_msg(gap > 0.9 && gap < 1.15, "after +: a record every %.3f s",
		      gap);
	keys("-");
	keys("-");
	ck_screen("refresh every 0.2 s", 3);
	from = rec_lines(rec) + 1;
	gap = cadence(rec, from, 2);
	ck_assert_msg(gap > 0.15 && gap < 0.3,
		      "after - -: a record every %.3f s", gap);

	/* F9 on the workload, Enter sends the proposed TERM */
	keys("/");
	keys("tt-errs");
	keys("Enter");
	keys("F9");
	snprintf(want, sizeof(want), "Send signal to PID %d (tt-errs)", w.pid);
	ck_screen(want, 5);
	keys("Enter");
	for (int i = 0; i < 50 && waitpid(w.pid, &st, WNOHANG) != w.pid; i++)
		nap(0.1);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
		      "F9 Enter: the workload's status is %#x, not killed by "
		      "SIGTERM",
		      st);
	w.pid = 0;
	ck_screen("signal 15 sent to 1 process", 3);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

/* Does an SGR sequence of the pane set a colour (fore or background)? */
static int colour_sgrs(const char *s)
{
	int n = 0;

	for (const char *p = strstr(s, "\033["); p;
	     p = strstr(p + 1, "\033[")) {
		const char *q = p + 2;

		while (*q && *q != 'm' &&
		       (*q == ';' || (*q >= '0' && *q <= '9')))
			q++;
		if (*q != 'm')
			continue;
		for (const char *a = p + 2; a < q;) {
			int v = atoi(a);

			/* 30-38, 40-48, 90-97, 100-107: 39 and 49 reset */
			n += (v >= 30 && v <= 38) || (v >= 40 && v <= 48) ||
			     (v >= 90 && v <= 97) || (v >= 100 && v <= 107);
			if (v == 38 || v == 48)
				break; /* its arguments are not SGRs */
			a = strchr(a, ';');
			if (!a || a > q)
				break;
			a++;
		}
	}
	return n;
}

START_TEST(no_color)
{
	static const char *const how[][2] = {
		{ "", "-d 0.5" },
		{ "NO_COLOR=1", "-d 0.5" },
		{ "", "-d 0.5 --no-color" },
	};

	for (int i = 0; i < 3; i++) {
		int n;

		start_env(how[i][0], how[i][1]);
		ck_screen("Probes", 5);
		n = colour_sgrs(capture_esc());
		if (i == 0)
			ck_assert_msg(n > 0, "no colour in the default theme: "
					     "the check below proves nothing");
		else
			ck_assert_msg(n == 0,
				      "%s tracetop %s: %d colours on "
				      "screen",
				      how[i][0], how[i][1], n);
		keys("q");
		ck_screen("tracetop-exited-0", 10);
		stop();
		nap(0.3);
	}
}
END_TEST

/*
 * A recording whose records are 30 s apart, made from real snapshots: } and
 * { move to the first record a minute later or earlier, Z plays on from
 * there, a record per refresh, to the end.
 */
START_TEST(replay_minutes_and_play)
{
	char rec[128], args[256];

	snprintf(rec, sizeof(rec), "%s/minutes.jsonl", tui_base);
	ck_assert_int_eq(
		sh("%s -j -n 6 -d 0.2 | jq -c -n '[inputs] | "
		   "(.[0].time[:19] + \"Z\" | fromdate) as $t0 | "
		   "to_entries[] | .value.time = ($t0 + 30 * .key | todate) | "
		   ".value' > %s && test $(wc -l < %s) -eq 6",
		   tracetop(), rec, rec),
		0);
	snprintf(args, sizeof(args), "--replay %s", rec);
	sh(TMUX "kill-server 2>/dev/null");
	sh(TMUX "new-session -d -s tt -x 120 -y 40 "
		"'LANG=C.UTF-8 TERM=xterm-256color %s %s; "
		"echo tracetop-exited-$?; sleep 600'",
	   tracetop(), args);
	ck_screen("PAUSED REPLAY 1/6 ", 10);
	keys("'}'");
	ck_screen("PAUSED REPLAY 3/6 ", 5);
	keys("'}'");
	ck_screen("PAUSED REPLAY 5/6 ", 5);
	keys("'{'");
	ck_screen("PAUSED REPLAY 3/6 ", 5);
	/* plays one record per second (the default delay) */
	keys("Z");
	ck_screen("REPLAY 4/6 ", 3);
	ck_assert_ptr_null(strstr(capture(), "PAUSED"));
	ck_screen("REPLAY 6/6 ", 5);
	ck_screen("end of the recording", 5);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();
}
END_TEST

Suite *tui_keys_suite(void)
{
	Suite *s = suite_create("tui_keys");
	TCase *tc = tui_tcase(s, "keys", 120);

	tcase_add_test(tc, kill_and_delay);
	tcase_add_test(tc, no_color);
	tcase_add_test(tc, replay_minutes_and_play);
	return s;
}
