// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_rows.c - the process table's rows (filter, tree, groups), the
 * settings file and the sparkline history, on a made-up snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <check.h>
#include "model/history.h"
#include "tui/ui_config.h"
#include "model/rows.h"

/*   1 init (root)
 *   +- 10 sshd (root) +- 20 bash (alice) +- 30 vim (alice)
 *   |                 `- 21 bash (bob)
 *   `- 11 cron (root)                                     */
static struct tt_snapshot *fake(void)
{
	static const struct {
		uint32_t pid, ppid, uid;
		const char *comm, *user, *cg;
		double cpu, sysc;
	} d[] = {
		{ 1, 0, 0, "init", "root", "/", 0.5, 10 },
		{ 10, 1, 0, "sshd", "root", "/system.slice/ssh.service", 2,
		  50 },
		{ 11, 1, 0, "cron", "root", "/system.slice/cron.service", 0,
		  1 },
		{ 20, 10, 1000, "bash", "alice", "/user.slice", 1, 20 },
		{ 21, 10, 1001, "bash", "bob", "/user.slice", 3, 5 },
		{ 30, 20, 1000, "vim", "alice", "/user.slice", 40, 900 },
	};
	struct tt_snapshot *s = tt_snapshot_new();

	s->nprocs = sizeof(d) / sizeof(d[0]);
	s->procs = tt_arena_alloc(&s->arena, s->nprocs * sizeof(*s->procs));
	for (size_t i = 0; i < s->nprocs; i++) {
		struct tt_proc *p = &s->procs[i];

		p->pid = d[i].pid;
		p->gen = 1;
		p->ppid = d[i].ppid;
		p->uid = d[i].uid;
		p->threads = 1;
		snprintf(p->comm, sizeof(p->comm), "%s", d[i].comm);
		snprintf(p->user, sizeof(p->user), "%s", d[i].user);
		p->cgroup = d[i].cg;
		p->cmdline = d[i].comm;
		p->top_sc = "";
		p->cpu_pct = d[i].cpu;
		p->sc_rate = d[i].sysc;
		p->sc_p99_ns = (uint64_t)d[i].sysc * 10;
	}
	return s;
}

static struct tt_rows_query query(void)
{
	return (struct tt_rows_query){ .uid = -1,
				       .sort = TT_COL_CPU,
				       .desc = true };
}

START_TEST(sorted_and_filtered)
{
	struct tt_snapshot *s = fake();
	struct tt_rows r = { 0 };
	struct tt_rows_query q = query();

	ck_assert_int_eq(tt_rows_build(&r, s, &q), 0);
	ck_assert_uint_eq(r.n, 6);
	ck_assert_uint_eq(r.v[0].p->pid, 30);
	ck_assert_uint_eq(r.v[5].p->pid, 11);
	q.filter = "BASH";
	tt_rows_build(&r, s, &q);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.v[0].p->pid, 21);
	q.filter = NULL;
	q.uid = 1000;
	tt_rows_build(&r, s, &q);
	ck_assert_uint_eq(r.n, 2);
	tt_rows_free(&r);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(tree_keeps_the_sort_among_siblings)
{
	struct tt_snapshot *s = fake();
	struct tt_rows r = { 0 };
	struct tt_rows_query q = query();
	static const uint32_t order[] = { 1, 10, 21, 20, 30, 11 };
	static const uint16_t depth[] = { 0, 1, 2, 2, 3, 1 };
	char pre[64];

	q.tree = true;
	ck_assert_int_eq(tt_rows_build(&r, s, &q), 0);
	ck_assert_uint_eq(r.n, 6);
	for (size_t i = 0; i < 6; i++) {
		ck_assert_uint_eq(r.v[i].p->pid, order[i]);
		ck_assert_uint_eq(r.v[i].depth, depth[i]);
	}
	/* vim: under bash (last child of sshd), sshd has a sibling below */
	tt_row_tree_prefix(&r.v[4], false, pre, sizeof(pre));
	ck_assert_str_eq(pre, "|   `-");
	tt_row_tree_prefix(&r.v[2], false, pre, sizeof(pre));
	ck_assert_str_eq(pre, "| |-");
	tt_row_tree_prefix(&r.v[5], true, pre, sizeof(pre));
	ck_assert_str_eq(pre, "└─");
	/* a filtered-out parent makes its child a root */
	q.filter = "vim";
	tt_rows_build(&r, s, &q);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_uint_eq(r.v[0].depth, 0);
	tt_rows_free(&r);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(parent_cycle_still_shows_everyone)
{
	struct tt_snapshot *s = fake();
	struct tt_rows r = { 0 };
	struct tt_rows_query q = query();

	s->procs[1].ppid = 30; /* sshd's parent is vim: a cycle */
	q.tree = true;
	ck_assert_int_eq(tt_rows_build(&r, s, &q), 0);
	ck_assert_uint_eq(r.n, 6);
	tt_rows_free(&r);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(groups_sum_counters)
{
	struct tt_snapshot *s = fake();
	struct tt_rows r = { 0 };
	struct tt_rows_query q = query();

	q.group = TT_GROUP_USER;
	ck_assert_int_eq(tt_rows_build(&r, s, &q), 0);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_str_eq(r.v[0].p->user, "alice"); /* 41% CPU */
	ck_assert_uint_eq(r.v[0].members, 2);
	ck_assert_double_eq_tol(r.v[0].p->cpu_pct, 41, 1e-9);
	ck_assert_double_eq_tol(r.v[0].p->sc_rate, 920, 1e-9);
	ck_assert_uint_eq(r.v[0].p->sc_p99_ns, 9000); /* the worst */
	q.group = TT_GROUP_COMM;
	tt_rows_build(&r, s, &q);
	ck_assert_uint_eq(r.n, 5);
	q.group = TT_GROUP_CGROUP;
	q.sort = TT_COL_SYSC;
	tt_rows_build(&r, s, &q);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_str_eq(r.v[0].p->cmdline, "/user.slice");
	ck_assert_str_eq(r.v[0].p->user, "*"); /* alice and bob */
	ck_assert_uint_eq(r.v[0].members, 3);
	tt_rows_free(&r);
	tt_snapshot_unref(s);
}
END_TEST

/* the tables a settings file of these tests holds */
static void config_tables(struct tt_config *c, bool tcp)
{
	tt_config_init(c);
	ck_assert_ptr_nonnull(tt_config_add(c, "columns", &tt_proc_cols));
	if (tcp)
		ck_assert_ptr_nonnull(
			tt_config_add(c, "columns.tcp", &tt_conn_cols));
}

START_TEST(settings_round_trip_and_refuse_links)
{
	char dir[] = "/tmp/tt-cfg-XXXXXX", path[256], err[256];
	struct tt_config c, back, old;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/config", dir);
	config_tables(&back, true);
	ck_assert_int_eq(tt_config_load(&back, path, err, sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err, "");
	config_tables(&c, true);
	c.tab[0].cols[0] = TT_COL_PID;
	c.tab[0].cols[1] = TT_COL_RUNQ99;
	c.tab[0].cols[2] = TT_COL_COMM;
	c.tab[0].ncols = 3;
	/* another table's columns, by the names of its own set */
	c.tab[1].cols[0] = TT_CN_REMOTE;
	c.tab[1].cols[1] = TT_CN_TX;
	c.tab[1].ncols = 2;
	c.sort = TT_COL_ERR;
	c.desc = 0;
	snprintf(c.theme, sizeof(c.theme), "high-contrast");
	ck_assert_int_eq(tt_config_save(&c, path, err, sizeof(err)), 0);
	ck_assert_int_eq(tt_config_load(&back, path, err, sizeof(err)), 0);
	ck_assert_int_eq(back.tab[0].ncols, 3);
	ck_assert_int_eq(back.tab[0].cols[1], TT_COL_RUNQ99);
	ck_assert_int_eq(back.tab[1].ncols, 2);
	ck_assert_int_eq(back.tab[1].cols[0], TT_CN_REMOTE);
	ck_assert_int_eq(back.tab[1].cols[1], TT_CN_TX);
	/* a tracetop that knows only the process table reads the file */
	config_tables(&old, false);
	ck_assert_int_eq(tt_config_load(&old, path, err, sizeof(err)), 0);
	ck_assert_int_eq(old.tab[0].ncols, 3);
	ck_assert_int_eq(old.sort, TT_COL_ERR);
	ck_assert_int_eq(back.sort, TT_COL_ERR);
	ck_assert_int_eq(back.desc, 0);
	ck_assert_str_eq(back.theme, "high-contrast");
	/* a symlink planted in its place is not followed */
	unlink(path);
	ck_assert_int_eq(symlink("/tmp/elsewhere", path), 0);
	ck_assert_int_eq(tt_config_save(&c, path, err, sizeof(err)), -EPERM);
	ck_assert_ptr_nonnull(strstr(err, "not a regular file"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}
END_TEST

START_TEST(history_keeps_the_last_samples)
{
	struct tt_history *h = tt_history_new(4);
	double v[8];
	size_t n;

	for (int t = 0; t < 6; t++) {
		struct tt_snapshot *s = fake();

		s->procs[5].cpu_pct = t; /* vim */
		if (t == 4)
			s->nprocs = 5; /* vim missing once */
		ck_assert_int_eq(tt_history_add(h, s), 0);
		tt_snapshot_unref(s);
	}
	n = tt_history_get(h, 30, TT_SER_CPU, v, 8);
	ck_assert_uint_eq(n, 4);
	ck_assert_double_eq(v[0], 2);
	ck_assert_double_eq(v[1], 3);
	ck_assert_double_eq(v[2], 0); /* the refresh it was absent */
	ck_assert_double_eq(v[3], 5);
	ck_assert_uint_eq(tt_history_get(h, 30, TT_SER_CPU, v, 2), 2);
	ck_assert_double_eq(v[1], 5);
	ck_assert_uint_eq(tt_history_get(h, 99, TT_SER_CPU, v, 8), 0);
	tt_history_free(h);
}
END_TEST

/* idle processes hold no samples, and read 0 until they move */
START_TEST(history_of_idle_processes_costs_no_ring)
{
	struct tt_history *h = tt_history_new(8);
	size_t idle_bytes = 0;
	double v[8];

	for (int t = 0; t < 7; t++) {
		struct tt_snapshot *s = fake();

		for (size_t i = 0; i < s->nprocs; i++)
			s->procs[i].cpu_pct = s->procs[i].sc_rate = 0;
		if (t >= 5)
			s->procs[3].tx_rate = 100 * t; /* pid 20 wakes */
		ck_assert_int_eq(tt_history_add(h, s), 0);
		if (t == 4)
			idle_bytes = tt_history_bytes(h);
		tt_snapshot_unref(s);
	}
	/* six entries and no sample: less than one sample per process
	 * per tick of the five */
	ck_assert_uint_lt(idle_bytes, 6 * 5 * TT_SER_MAX * sizeof(float));
	ck_assert_uint_gt(tt_history_bytes(h), idle_bytes);
	ck_assert_uint_eq(tt_history_get(h, 20, TT_SER_TX, v, 8), 7);
	for (int t = 0; t < 5; t++)
		ck_assert_double_eq(v[t], 0);
	ck_assert_double_eq(v[5], 500);
	ck_assert_double_eq(v[6], 600);
	ck_assert_uint_eq(tt_history_get(h, 30, TT_SER_CPU, v, 8), 7);
	for (int t = 0; t < 7; t++)
		ck_assert_double_eq(v[t], 0);
	tt_history_free(h);
}
END_TEST

Suite *rows_suite(void)
{
	Suite *s = suite_create("rows");
	TCase *tc = tcase_create("rows");

	tcase_add_test(tc, sorted_and_filtered);
	tcase_add_test(tc, tree_keeps_the_sort_among_siblings);
	tcase_add_test(tc, parent_cycle_still_shows_everyone);
	tcase_add_test(tc, groups_sum_counters);
	tcase_add_test(tc, settings_round_trip_and_refuse_links);
	tcase_add_test(tc, history_keeps_the_last_samples);
	tcase_add_test(tc, history_of_idle_processes_costs_no_ring);
	suite_add_tcase(s, tc);
	return s;
}
