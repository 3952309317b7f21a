// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_faults.c - what goes wrong in the kernel stays local: a tracepoint
 * the kernel lacks and a program the verifier refuses (the migrations
 * counter's) turn off those two probes, say so, and leave every count of
 * the rest exact; full maps are
 * counted as lost, not hidden. Faults come from TRACETOP_FAULTS
 * (bpf/faults.h), which only takes things away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/integ/integ_harness.h"

#define N_GETPPID 100000
#define N_CLOSE	  1234
#define REFUSED                                                                \
	"on; partial, off: sched:sched_migrate_task (refused by the "          \
	"verifier: R"

START_TEST(missing_and_refused_probes_leave_the_rest_exact)
{
	char *argv[] = { (char *)ih_tracetop(), "--check", NULL };
	char *out = NULL, *err = NULL, *check;
	const char *sched;
	struct ih_wl *wl;
	struct ih_tt *tt;
	const cJSON *p, *snap;

	setenv("TRACETOP_FAULTS",
	       "missing:tt_tcp_retransmit,reject:tt_sched_migrate", 1);
	ck_assert_int_eq(ih_exit_code(ih_run(argv, 20000, &out, &err)), 0);
	check = strstr(out, "tcp:tcp_retransmit_skb");
	ck_assert_msg(
		check && !strncmp(strchr(check, ' ') +
					  strspn(strchr(check, ' '), " "),
				  "not attached: tracepoint not in this kernel",
				  43),
		"--check:\n%s", out);
	/* the verifier's own words (the register varies with the compiler) */
	check = strstr(out, "sched:sched_migrate_task");
	check = check ? strstr(check, "refused by the verifier: R") : NULL;
	ck_assert_msg(check && strstr(check, "invalid mem access"),
		      "--check:\n%s", out);
	ck_assert_ptr_nonnull(
		strstr(out, "sock:sock_send_length        attached"));
	free(out);
	free(err);

	wl = ih_wl_start("getppid", "100000", "1234", NULL);
	tt = ih_tt_run(wl, 10000);
	p = ih_tt_exited(tt, wl->pids[0]);
	ck_assert_double_eq(ih_num(p, "syscalls.by_name.getppid.count"),
			    N_GETPPID);
	ck_assert_double_eq(ih_num(p, "syscalls.by_name.close.errors"),
			    N_CLOSE);
	snap = tt->snaps[tt->n - 1];
	ck_assert_str_eq(ih_path(snap, "probes.syscalls")->valuestring, "on");
	ck_assert_str_eq(ih_path(snap, "probes.tcp")->valuestring,
			 "on; partial, off: tcp:tcp_retransmit_skb "
			 "(tracepoint not in this kernel)");
	/* only that program off: no second "; partial"-list entry */
	sched = ih_path(snap, "probes.sched")->valuestring;
	ck_assert_msg(!strncmp(sched, REFUSED, strlen(REFUSED)) &&
			      !strstr(sched + strlen(REFUSED), "); "),
		      "probes.sched: %s", sched);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* maps of 8 entries on a machine with ~100 processes: losses counted */
START_TEST(full_maps_are_counted)
{
	struct ih_wl *wl;
	struct ih_tt *tt;
	const cJSON *snap;

	setenv("TRACETOP_FAULTS", "tiny-maps", 1);
	wl = ih_wl_start("getppid", "100000", "1234", NULL);
	tt = ih_tt_start(NULL, NULL);
	ih_wl_go(wl);
	ih_wl_finish(wl, tt, 10000);
	ih_tt_wait_exited(tt, wl->pids, 0, 3000);
	ih_tt_stop(tt);
	snap = tt->snaps[tt->n - 1];
	ck_assert_double_gt(ih_num(snap, "lost.syscall_map_full"), 0);
	ck_assert_double_eq(ih_num(snap, "lost.total"),
			    ih_num(snap, "lost.syscall_map_full") +
				    ih_num(snap, "lost.sched_map_full") +
				    ih_num(snap, "lost.tcp_map_full") +
				    ih_num(snap, "lost.conn_map_full") +
				    ih_num(snap, "lost.exit_map_full") +
				    ih_num(snap, "lost.task_storage_full"));
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/*
 * A map the kernel stops answering for during a live run: the run goes on
 * with what the other maps hold, and says so on stderr (in -j mode as a
 * JSON object) for every snapshot it concerns; the exit status tells a
 * script that the output is incomplete.
 */
START_TEST(map_read_error_reaches_stderr)
{
	char *argv[] = {
		(char *)ih_tracetop(), "-j", "-n", "3", "-d", "0.2", NULL
	};
	char *out = NULL, *err = NULL, *line, *save = NULL;
	int code, lines = 0, warnings = 0;

	setenv("TRACETOP_FAULTS", "unreadable:sc_stats", 1);
	code = ih_run(argv, 20000, &out, &err);
	for (const char *p = out; (p = strchr(p, '\n')); p++)
		lines++;
	ck_assert_msg(lines == 3, "%d snapshots, not 3; stderr: %s", lines,
		      err);
	for (line = strtok_r(err, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *o = cJSON_Parse(line);
		const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "warning");

		ck_assert_msg(o, "stderr line not JSON: %s", line);
		if (cJSON_IsString(w) &&
		    !strcmp(w->valuestring,
			    "reading BPF maps: Input/output error"))
			warnings++;
		cJSON_Delete(o);
	}
	ck_assert_msg(warnings == 3, "%d warnings for 3 snapshots", warnings);
	ck_assert_int_eq(code, 1);
	free(out);
	free(err);
}
END_TEST

Suite *integ_faults_suite(void)
{
	Suite *s = suite_create("integ_faults");
	TCase *tc = ih_tcase(s, "faults", 60);

	tcase_add_test(tc, missing_and_refused_probes_leave_the_rest_exact);
	tcase_add_test(tc, full_maps_are_counted);
	tcase_add_test(tc, map_read_error_reaches_stderr);
	return s;
}
