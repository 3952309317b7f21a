// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* unit_fixture.c - see unit_fixture.h */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/unit_fixture.h"

void uf_tmpdir(char *dir, size_t len, const char *prefix)
{
	snprintf(dir, len, "/tmp/%s-XXXXXX", prefix);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

void uf_tmpdir_remove(const char *dir)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

struct tt_snapshot *uf_snap(double t, uint32_t pid)
{
	struct tt_snapshot *s = tt_snapshot_new();

	s->time = t;
	s->procs = tt_arena_alloc(&s->arena, sizeof(*s->procs));
	s->nprocs = 1;
	s->procs[0].pid = pid;
	strcpy(s->procs[0].comm, "x");
	s->procs[0].cmdline = s->procs[0].cgroup = "";
	s->procs[0].top_sc = "";
	strcpy(s->version, "t");
	tt_snapshot_finish(s);
	return s;
}
