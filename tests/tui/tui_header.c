// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tui_header.c - the header meters on the real screen (tests/tui/
 * tui_lib.h), against answers known from outside: with -p one workload,
 * Procs is 1; with --no-tcp the TCP meter says off, not zeros, and Probes
 * names tcp off; Lost is 0 with maps far from full; after the 2 s of
 * calibration Self still reports the BPF cost, marked ~ as an estimate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/bpf_stats.h"
#include "tests/tui/tui_lib.h"

START_TEST(header_meters)
{
	struct workload w = busy("errs");
	char args[64], a[96], b[96];
	bool seen;

	snprintf(args, sizeof(args), "-d 0.5 --no-tcp -p %d", (int)w.pid);
	start(args);
	ck_screen("tt-errs", 10);
	ck_screen("Procs 1 ", 2);
	ck_screen("TCP off", 2);
	ck_screen("Probes syscalls on, tcp off, sched on", 2);
	/* "Lost 0" whole: a space or the end of its line after it (the
	 * profiler's meter may end the line there) */
	ck_assert_msg(wait_for("Lost 0 ", 2) || strstr(capture(), "Lost 0\n"),
		      "'Lost 0' not on screen:\n%s", capture());
	/* past the calibration window: an estimate (unless someone else
	 * held the kernel's stats on meanwhile: then measured), not 0 */
	nap(3);
	snprintf(a, sizeof(a), "%s/stats-a", tui_base);
	snprintf(b, sizeof(b), "%s/stats-b", tui_base);
	bpf_stats_mark(a);
	seen = wait_for("Self bpf ~", 3);
	bpf_stats_mark(b);
	if (!seen && !bpf_stats_moved(a, b))
		ck_screen("Self bpf ~", 0);
	for (int i = 0; i < 3; i++) {
		const char *c = strstr(capture(), "Self bpf ");

		ck_assert_msg(c && strncmp(c, "Self bpf 0ns", 12) &&
				      strncmp(c, "Self bpf ~0ns", 13),
			      "the BPF cost is 0 after calibration: %.40s",
			      c ? c : "(no Self meter)");
		nap(0.5);
	}
	stop();
	busy_end(&w);
}
END_TEST

Suite *tui_header_suite(void)
{
	Suite *s = suite_create("tui_header");
	TCase *tc = tui_tcase(s, "header", 60);

	tcase_add_test(tc, header_meters);
	return s;
}
