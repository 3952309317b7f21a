// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_filters.c - what a row is and whose rows there are: -u keeps one
 * user's processes (filtered in the kernel), -H makes a row of each
 * thread. Two users' workloads and two threads with known counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/integ/integ_harness.h"

#define NOBODY 65534

/*
 * Entries of process pid in the kernel map `map` of the running tracetop
 * tt_pid, read with bpftool through the map ids its fds hold: what the
 * kernel programs stored, before user space filters anything. The dump
 * is BTF-formatted: a key's "id" is on its own line, no value has one.
 */
static int kernel_entries(int tt_pid, const char *map, int pid)
{
	char cmd[600], *out = NULL, *err = NULL;
	char *argv[] = { "sh", "-c", cmd, NULL };
	int code, n;

	snprintf(cmd, sizeof(cmd),
		 "for id in $(sed -n 's/^map_id:[[:space:]]*//p' "
		 "/proc/%d/fdinfo/*); do "
		 "[ \"$(bpftool -j map show id $id | jq -r .name)\" = %s ] && "
		 "bpftool map dump id $id; done | "
		 "grep -c '^ *\"id\": %d,$' || true",
		 tt_pid, map, pid);
	code = ih_run(argv, 20000, &out, &err);
	ck_assert_msg(code == 0, "reading %s of tracetop %d: %s", map, tt_pid,
		      err);
	n = atoi(out);
	free(out);
	free(err);
	return n;
}

/*
 * A workload as nobody and a busy one as root, tracetop -u 65534:
 * nobody's counted exactly, root's never shown, and no process of
 * another user in any snapshot. Filtered in the kernel: while both are
 * alive, the kernel's syscall map holds entries of nobody's, none of
 * root's.
 */
START_TEST(test_user_filter)
{
	struct ih_wl *a =
		ih_wl_start_as(NOBODY, "getppid", "3000", "77", "hold", NULL);
	/* root's keeps calling: user space forgets the entries of processes
	 * it does not show, so only a busy one would be seen in the map */
	struct ih_wl *b = ih_wl_start("tui_busy", "errs", NULL);
	struct ih_tt *tt = ih_tt_start(NULL, "-u", "65534", NULL);
	const cJSON *p;

	ih_wl_go(a);
	ih_wl_go(b);
	free(ih_wl_line(a, tt, 10000));
	ih_tt_wait_snaps(tt, 2, 5000);
	ck_assert_msg(kernel_entries(tt->p->pid, "sc_stats", a->pids[0]) > 0,
		      "nobody's workload has no entry in sc_stats: the check "
		      "of root's proves nothing");
	ck_assert_msg(kernel_entries(tt->p->pid, "sc_stats", b->pids[0]) == 0,
		      "root's workload counted in the kernel under -u 65534");
	ih_wl_go(a);
	ck_assert_int_eq(ih_wait(a->p, ih_ms(10000)), 0);
	ih_tt_wait_exited(tt, a->pids, 1, 10000);
	ih_tt_stop(tt);
	ih_tt_check_lifecycle(tt, a->pids[0]);
	p = ih_tt_exited(tt, a->pids[0]);
	ck_assert_double_eq(ih_num(p, "uid"), NOBODY);
	ck_assert_double_eq(ih_num(p, "syscalls.by_name.getppid.count"), 3000);
	ck_assert_double_eq(ih_num(p, "syscalls.by_name.close.errors"), 77);
	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *q;

		ck_assert_msg(!ih_snap_proc(tt->snaps[i], b->pids[0]),
			      "root's workload %d shown under -u 65534",
			      b->pids[0]);
		cJSON_ArrayForEach(q, ih_path(tt->snaps[i], "processes"))
		{
			const cJSON *uid = ih_path(q, "uid");

			ck_assert_msg(!cJSON_IsNumber(uid) ||
					      uid->valuedouble == NOBODY,
				      "pid %.0f of uid %.0f under -u 65534",
				      ih_num(q, "pid"), uid->valuedouble);
		}
	}
	ih_tt_free(tt);
	ih_wl_free(a);
	ih_wl_free(b);
}
END_TEST

/*
 * -H: a row per thread. Two threads of one process, 3000 and 5000
 * getppid calls: each its own row with its own count, the main thread's
 * row without any.
 */
START_TEST(test_thread_rows)
{
	struct ih_wl *wl = ih_wl_start("threads", "3000", "5000", NULL);
	struct ih_tt *tt = ih_tt_start(wl->pidlist, "-H", NULL);
	const cJSON *res, *mode;
	int tids[2];

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 10000);
	for (int i = 0; i < 2; i++)
		tids[i] = (int)cJSON_GetArrayItem(ih_path(res, "tids"), i)
				  ->valuedouble;
	ck_assert_int_ne(tids[0], wl->pids[0]);
	ck_assert_int_ne(tids[1], wl->pids[0]);
	ih_tt_wait_exited(tt, tids, 2, 10000);
	ih_tt_stop(tt);
	mode = ih_path(tt->snaps[tt->n - 1], "mode");
	ck_assert_msg(cJSON_IsString(mode) &&
			      !strcmp(mode->valuestring, "threads"),
		      "-H: mode is not \"threads\"");
	for (int i = 0; i < 2; i++) {
		ih_tt_check_lifecycle(tt, tids[i]);
		ck_assert_double_eq(ih_num(ih_tt_exited(tt, tids[i]),
					   "syscalls.by_name.getppid.count"),
				    i ? 5000 : 3000);
	}
	for (size_t i = 0; i < tt->n; i++)
		ck_assert_ptr_null(
			ih_path(ih_snap_proc(tt->snaps[i], wl->pids[0]),
				"syscalls.by_name.getppid"));
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

Suite *integ_filters_suite(void)
{
	Suite *s = suite_create("integ_filters");
	TCase *tc = ih_tcase(s, "rows", 60);

	tcase_add_test(tc, test_user_filter);
	tcase_add_test(tc, test_thread_rows);
	return s;
}
