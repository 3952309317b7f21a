// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* unit_fixture.c - see unit_fixture.h */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
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

void uf_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	ck_assert_msg(rc == 0, "'%s' failed (%d)", cmd, rc);
}

void uf_put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_msg(fclose(f) == 0, "%s: %s", path, strerror(errno));
}

char *uf_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	ck_assert_msg(f, "cannot open %s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	ck_assert_msg(buf, "cannot read %s", path);
	return buf;
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
