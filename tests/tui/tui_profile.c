// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_profile.c - the profiler on the screen (tests/tui/tui_lib.h), with
 * the workloads' own clocks as the answer key: the Profile view puts
 * wl-profile's spin_a above spin_b in the shares the workload measured,
 * Enter shows their callers and callees, the PID view's flame graph
 * draws main -> work -> spin_a and zooms, the thread-state bar and the
 * Scheduler view's state columns show wl-blockstates' sleeping and
 * blocked shares, and a replay shows the recorded profile.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/tui/tui_lib.h"

/* points a share on screen (one interval) may be from the workload's own
 * (its whole run): sampling noise at 199 Hz and a loaded machine */
#define POINTS 10.0

/* line n (0-based) of the screen text s, into out */
static const char *line_of(const char *s, int n, char *out, size_t len)
{
	for (int i = 0; i < n && s; i++) {
		s = strchr(s, '\n');
		s = s ? s + 1 : NULL;
	}
	out[0] = '\0';
	if (s)
		snprintf(out, len, "%.*s", (int)strcspn(s, "\n"), s);
	return out;
}

/* the first line at or after from that holds text (-1: none) */
static int line_with(const char *s, const char *text, int from)
{
	char l[1024];

	for (int i = from; i < 60; i++)
		if (strstr(line_of(s, i, l, sizeof(l)), text))
			return i;
	return -1;
}

/* the Profile view's row of function name: SELF% and TOTAL% */
static bool prof_row(const char *s, const char *name, double *self,
		     double *total, int *at)
{
	char l[1024], want[64];

	snprintf(want, sizeof(want), " %s", name);
	for (int i = 0; i < 60; i++) {
		size_t n = strlen(line_of(s, i, l, sizeof(l)));

		while (n && l[n - 1] == ' ')
			l[--n] = '\0';
		if (n > strlen(want) && !strcmp(l + n - strlen(want), want) &&
		    sscanf(l, "%lf %lf", self, total) == 2) {
			*at = i;
			return true;
		}
	}
	return false;
}

START_TEST(profile_view_shares_callers_and_replay)
{
	struct workload w = wl_start("profile", "9");
	double a, b, at, bt, want, got, ra, rb;
	char args[256], rec[128];
	const char *res, *s;
	int ia, ib;

	snprintf(rec, sizeof(rec), "%s/prof.jsonl", tui_base);
	unlink(rec);
	snprintf(args, sizeof(args), "-d 2 --profile-hz 199 -p %d --record %s",
		 w.pid, rec);
	start(args);
	/* the header says the profiler is on, at the rate asked */
	ck_screen("Profile 199 Hz", 5);
	keys("7");
	ck_screen("SELF% TOTAL% SAMPLES MODULE", 5);
	/* an interval of 2 s wholly inside the workload's run */
	nap(4.6);
	s = capture();
	ck_assert_msg(prof_row(s, "spin_a", &a, &at, &ia) &&
			      prof_row(s, "spin_b", &b, &bt, &ib),
		      "spin_a or spin_b missing:\n%s", s);
	ck_assert_msg(ia < ib, "spin_a (%.1f %%) is not above spin_b (%.1f %%)",
		      a, b);
	/* Enter on the first row: spin_a, called by work, calling nothing */
	keys("Enter");
	ck_screen("spin_a in wl-profile: self", 5);
	s = capture();
	ck_assert_int_eq(line_with(s, "wl-profile       work", 0),
			 line_with(s, "Called by", 0) + 1);
	/* under Calls at most the kernel (an interrupt in the loop) */
	ck_assert_int_lt(
		line_with(s, "wl-profile", line_with(s, "Calls", 0) + 1), 0);
	/* Enter on the caller: work, called by main, calling spin_a */
	keys("Enter");
	ck_screen("work in wl-profile: self", 5);
	s = capture();
	ck_assert_int_eq(line_with(s, "wl-profile       main", 0),
			 line_with(s, "Called by", 0) + 1);
	ck_assert_int_eq(
		line_with(s, "wl-profile       spin_a", 0),
		line_with(s, "Calls", line_with(s, "Called by", 0) + 1) + 1);
	keys("Escape");
	ck_screen("SELF% TOTAL% SAMPLES MODULE", 5);

	/* the workload's own thread CPU time in each, over its run */
	res = wl_result(&w);
	ra = json_num(res, "spin_a_ns");
	rb = json_num(res, "spin_b_ns");
	ck_assert_msg(ra > 0 && rb > 0, "workload result: %s", res);
	want = 100 * ra / (ra + rb);
	got = 100 * a / (a + b);
	ck_assert_msg(fabs(got - want) <= POINTS,
		      "spin_a %.1f %% of spin_a + spin_b on screen, the "
		      "workload measured %.1f %%",
		      got, want);
	ck_assert_msg(at >= a && at - a < 5,
		      "spin_a calls nothing but interrupts: total %.1f, "
		      "self %.1f",
		      at, a);
	keys("q");
	ck_screen("tracetop-exited-0", 10);
	stop();

	/* the recording's second snapshot, replayed: the same shares as the
	 * file holds for it */
	snprintf(args, sizeof(args), "--replay %s", rec);
	start(args);
	keys("]");
	keys("7");
	ck_screen("SELF% TOTAL% SAMPLES MODULE", 5);
	s = capture();
	ck_assert_msg(prof_row(s, "spin_a", &a, &at, &ia) &&
			      prof_row(s, "spin_b", &b, &bt, &ib) && ia < ib,
		      "replay: spin_a not above spin_b:\n%s", s);
	want = atof(sh_out("sed -n 2p %s | jq '100 * ([.profile.functions[] | "
			   "select(.name == \"spin_a\") | .self] | add) / "
			   ".profile.samples'",
			   rec));
	ck_assert_msg(fabs(a - want) < 0.06,
		      "replay shows spin_a SELF%% %.1f, the record says %.2f",
		      a, want);
	stop();
	busy_end(&w);
}
END_TEST

/* the graphs' width in the 120-column pane: the hottest functions and
 * chains stand in the last 40 (view_pid.c) */
#define GRAPH_W 79

/* the column of the flame graph box of frame name on line n, or -1: its
 * name then a blank, at the line's start or after a blank */
static int box_of(const char *s, int n, const char *name)
{
	char l[1024], want[72];

	snprintf(want, sizeof(want), "%s ", name);
	line_of(s, n, l, sizeof(l));
	if (strlen(l) > GRAPH_W)
		l[GRAPH_W] = '\0';
	for (const char *at = l; (at = strstr(at, want)); at++)
		if (at == l || at[-1] == ' ')
			return (int)(at - l);
	return -1;
}

/* the first line holding the box of name, or -1 */
static int box_line(const char *s, const char *name)
{
	for (int i = 0; i < 60; i++)
		if (box_of(s, i, name) >= 0)
			return i;
	return -1;
}

START_TEST(pid_flame_graph_chain_and_zoom)
{
	struct workload w = wl_start("profile", "30");
	int m, title, x, tries;
	char args[128], l[1024];
	const char *s;

	snprintf(args, sizeof(args), "-d 1 --profile-hz 199 -p %d", w.pid);
	start(args);
	keys("5");
	keys("f");
	ck_screen("Where it runs:", 5);
	/* a whole interval: boxes wide enough for their names */
	ck_screen("spin_b", 8);
	nap(2.2);
	/* main's box, work's under it, spin_a's under work: the heaviest
	 * callee starts where its caller does */
	s = capture();
	m = box_line(s, "main");
	ck_assert_msg(m > 0, "no main box:\n%s", s);
	x = box_of(s, m + 1, "work");
	ck_assert_msg(x >= 0 && x == box_of(s, m, "main") &&
			      box_of(s, m + 2, "spin_a") == x,
		      "no main -> work -> spin_a column:\n%s", s);
	ck_assert_int_gt(box_of(s, m + 1, "rest"), x);
	ck_assert_int_eq(box_of(s, m + 2, "spin_b"), box_of(s, m + 1, "rest"));
	/* down the chain to spin_a; the line under the graphs names it */
	for (tries = 0; tries < 12; tries++) {
		keys("Down");
		if (strstr(capture(), "main > work > spin_a\n"))
			break;
	}
	ck_screen("main > work > spin_a\n", 2);
	/* Enter: spin_a is the whole width, right under the title */
	keys("Enter");
	nap(1.2);
	s = capture();
	title = line_with(s, "Where it runs:", 0);
	ck_assert_msg(!strncmp(line_of(s, title + 1, l, sizeof(l)),
			       "spin_a 100.0%", 13) ||
			      !strncmp(l, "spin_a ", 7),
		      "zoomed, the first box is not spin_a:\n%s", s);
	ck_assert_int_lt(box_line(s, "rest"), 0);
	/* Esc: one level out, work on top, spin_a under it */
	keys("Escape");
	nap(1.2);
	s = capture();
	title = line_with(s, "Where it runs:", 0);
	ck_assert_msg(
		!strncmp(line_of(s, title + 1, l, sizeof(l)), "work ", 5) &&
			box_of(s, title + 2, "spin_a") == 0,
		"after Esc, not work over spin_a:\n%s", s);
	/* still the PID view: Esc again is the graph's, not the view's */
	ck_screen("5 PID", 1);
	stop();
	busy_end(&w);
}
END_TEST

/* the share after name in the states bar ("sleeping 36.8%"), or -1 */
static double state_share(const char *s, const char *name)
{
	char k[32];
	const char *at;

	snprintf(k, sizeof(k), " %s ", name);
	at = strstr(s, k);
	return at ? atof(at + strlen(k)) : -1;
}

/* the column where text starts on line n of s, or -1 */
static int col_of(const char *s, int n, const char *text)
{
	char l[1024];
	const char *at = strstr(line_of(s, n, l, sizeof(l)), text);

	return at ? (int)(at - l) : -1;
}

/* the number under title on the row of pid in a table */
static double cell(const char *s, const char *title, int pid)
{
	int hdr = line_with(s, title, 0), x = col_of(s, hdr, title), row;
	char l[1024], p[16];

	snprintf(p, sizeof(p), " %d ", pid);
	row = line_with(s, p, hdr + 1);
	if (hdr < 0 || row < 0)
		return -1;
	line_of(s, row, l, sizeof(l));
	/* right-aligned under its title */
	return atof(l + x);
}

START_TEST(thread_states_bar_and_scheduler_columns)
{
	struct workload w = wl_start("blockstates", "8");
	double slp, blk, run, ready, cslp, cblk, wall, want_slp, want_blk;
	char args[128];
	const char *s, *res;

	snprintf(args, sizeof(args), "-d 2 -p %d", w.pid);
	start(args);
	keys("5");
	ck_screen("states ", 5);
	/* an interval wholly inside the workload's run */
	nap(4.3);
	s = capture();
	run = state_share(s, "running");
	ready = state_share(s, "runnable");
	slp = state_share(s, "sleeping");
	blk = state_share(s, "blocked");
	ck_assert_msg(slp >= 0 && blk >= 0, "no states bar:\n%s", s);
	keys("4");
	ck_screen("SLP%  BLK%", 5);
	nap(2.2);
	s = capture();
	cslp = cell(s, " SLP%", w.pid);
	cblk = cell(s, " BLK%", w.pid);
	res = wl_result(&w);
	wall = json_num(res, "wall_ns");
	ck_assert_msg(wall > 0, "workload result: %s", res);
	/* sleeping: nanosleep and the pipe read; blocked: the vfork parent
	 * (the workload's own clock around each) */
	want_slp = 100 *
		   (json_num(res, "sleep_ns") + json_num(res, "read_ns")) /
		   wall;
	want_blk = 100 * json_num(res, "vfork_ns") / wall;
	ck_assert_msg(fabs(slp - want_slp) <= POINTS &&
			      fabs(blk - want_blk) <= POINTS,
		      "bar: sleeping %.1f blocked %.1f (running %.1f "
		      "runnable %.1f), the workload: %.1f and %.1f",
		      slp, blk, run, ready, want_slp, want_blk);
	ck_assert_msg(fabs(run + ready + slp + blk - 100) < 0.5,
		      "the shares add up to %.1f", run + ready + slp + blk);
	ck_assert_msg(fabs(cslp - want_slp) <= POINTS &&
			      fabs(cblk - want_blk) <= POINTS,
		      "Scheduler view: SLP%% %.1f BLK%% %.1f, the workload: "
		      "%.1f and %.1f",
		      cslp, cblk, want_slp, want_blk);
	stop();
	busy_end(&w);
}
END_TEST

Suite *tui_profile_suite(void)
{
	Suite *s = suite_create("tui_profile");
	TCase *tc = tui_tcase(s, "tmux", 120);

	tcase_add_test(tc, profile_view_shares_callers_and_replay);
	tcase_add_test(tc, pid_flame_graph_chain_and_zoom);
	tcase_add_test(tc, thread_states_bar_and_scheduler_columns);
	return s;
}
