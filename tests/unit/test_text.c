// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_text.c - the -b output (model/text.c) of a made-up snapshot: the
 * summary lines carry the snapshot's totals, every process has one row in
 * the sort order asked for, and each cell sits under its title with the
 * value formatted as the column table says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "model/text.h"

static struct tt_snapshot *fake(void)
{
	struct tt_snapshot *s = tt_snapshot_new();
	struct tt_proc *p;

	snprintf(s->version, sizeof(s->version), "9.9");
	s->time = 0;
	s->interval_s = 0.5;
	s->cpus = 2;
	snprintf(s->probes[TT_PROBE_SYSCALLS], sizeof(s->probes[0]), "on");
	snprintf(s->probes[TT_PROBE_TCP], sizeof(s->probes[0]), "on");
	snprintf(s->probes[TT_PROBE_SCHED], sizeof(s->probes[0]), "on");
	s->lost_total = 7;
	s->sc_rate = 1234;
	s->sc_err_rate = 5;
	s->tx_rate = 2048;
	s->switch_rate = 42;
	s->runq_p99_ns = 0;
	s->nprocs = 3;
	s->procs = tt_arena_alloc(&s->arena, s->nprocs * sizeof(*s->procs));
	memset(s->procs, 0, s->nprocs * sizeof(*s->procs));
	for (size_t i = 0; i < s->nprocs; i++) {
		p = &s->procs[i];
		p->pid = (uint32_t)(100 * (i + 1));
		p->cmdline = p->cgroup = "";
		p->top_sc = "";
		snprintf(p->user, sizeof(p->user), "root");
	}
	p = &s->procs[0]; /* pid 100 */
	snprintf(p->comm, sizeof(p->comm), "idle");
	p = &s->procs[1]; /* pid 200: the busy one */
	snprintf(p->comm, sizeof(p->comm), "busy proc");
	snprintf(p->user, sizeof(p->user), "alice");
	p->cpu_pct = 12.5;
	p->sc_rate = 123456;
	p->sc_err_rate = 7;
	p->top_sc = "getppid";
	p->sc_p99_ns = 1500;
	p->rx_rate = 3 * 1024 * 1024;
	p->connections = 17;
	p->tcp.retransmits = 3;
	p->runq_p99_ns = 2500000;
	p->csw_rate = 9.5;
	p = &s->procs[2]; /* pid 300 */
	snprintf(p->comm, sizeof(p->comm), "other");
	p->sc_rate = 10;
	return s;
}

/* out: the whole -b text of s sorted by col */
static char *render(const struct tt_snapshot *s, enum tt_col col, bool desc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(tt_text_snapshot(f, s, col, desc), 0);
	fclose(f);
	return buf;
}

/* the line starting (after spaces) with pid, copied to row */
static const char *row_of(const char *text, unsigned pid, char *row, size_t n)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') + 1) {
		size_t len = strcspn(l, "\n");

		if (strtoul(l, NULL, 10) == pid && l[strspn(l, " ")] != '\0') {
			snprintf(row, n, "%.*s", (int)len, l);
			return row;
		}
		if (!strchr(l, '\n'))
			break;
	}
	return NULL;
}

/* the cell of row under the title t of header hdr (right- or left-aligned) */
static void cell(const char *hdr, const char *row, const char *t, bool left,
		 char *out, size_t n)
{
	const char *h = strstr(hdr, t);
	size_t at, w = strlen(t), k;
	const char *c;

	ck_assert_msg(h != NULL, "no column %s in %s", t, hdr);
	at = (size_t)(h - hdr);
	if (left) { /* from the title's start to the next blank run */
		c = row + at;
		k = strcspn(c, " ");
		if (!strcmp(t, "COMM"))
			k = strlen(c);
	} else { /* right-aligned: ends where the title ends */
		size_t end = at + w, b = end;

		while (b > 0 && row[b - 1] != ' ')
			b--;
		c = row + b;
		k = end - b;
	}
	snprintf(out, n, "%.*s", (int)k, c);
}

START_TEST(text_header_and_rows)
{
	struct tt_snapshot *s = fake();
	char *t = render(s, TT_COL_SYSC, true), row[512], hdr[512], c[64];
	const char *h, *a, *b, *d;
	static const struct {
		const char *title, *want;
		bool left;
	} cells[] = {
		{ "USER", "alice", true },	 { "CPU%", "12.5", false },
		{ "SYSC/s", "123k", false },	 { "ERR/s", "7.0", false },
		{ "TOP-SYSC", "getppid", true }, { "SC-p99", "1.5us", false },
		{ "TX/s", "0B", false },	 { "RX/s", "3.0M", false },
		{ "CONN", "17", false },	 { "RETR", "3", false },
		{ "RUNQ-p99", "2.5ms", false },	 { "CSW/s", "9.5", false },
		{ "COMM", "busy proc", true },
	};

	/* the summary: the snapshot's own totals */
	ck_assert_msg(strstr(t, "tracetop 9.9 - ") == t, "%s", t);
	ck_assert_ptr_nonnull(
		strstr(t, "2 CPUs, interval 0.50s, 3 processes\n"));
	ck_assert_ptr_nonnull(strstr(t,
				     "Probes: syscalls on, tcp on, sched on; "
				     "lost events: 7\n"));
	ck_assert_ptr_nonnull(
		strstr(t, "Syscalls: 1.2k/s, 5.0/s failing; TCP: tx 2.0K/s, "
			  "rx 0B/s; switches 42/s, run-queue p99 -\n"));

	/* the header line, then one row per process, busiest first */
	h = strstr(t, "    PID USER ");
	ck_assert_ptr_nonnull(h);
	snprintf(hdr, sizeof(hdr), "%.*s", (int)strcspn(h, "\n"), h);
	a = strstr(h, "\n    200 ");
	b = strstr(h, "\n    300 ");
	d = strstr(h, "\n    100 ");
	ck_assert_msg(a && b && d && a < b && b < d,
		      "rows not by SYSC/s descending:\n%s", t);
	ck_assert_ptr_nonnull(row_of(t, 200, row, sizeof(row)));
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		cell(hdr, row, cells[i].title, cells[i].left, c, sizeof(c));
		ck_assert_msg(!strcmp(c, cells[i].want),
			      "%s: '%s', want '%s'\n%s\n%s", cells[i].title, c,
			      cells[i].want, hdr, row);
	}
	/* an idle process: zero rates, "-" for latencies never measured */
	ck_assert_ptr_nonnull(row_of(t, 100, row, sizeof(row)));
	cell(hdr, row, "SC-p99", false, c, sizeof(c));
	ck_assert_str_eq(c, "-");
	cell(hdr, row, "SYSC/s", false, c, sizeof(c));
	ck_assert_str_eq(c, "0");
	free(t);

	/* ascending by PID: 100, 200, 300 */
	t = render(s, TT_COL_PID, false);
	a = strstr(t, "\n    100 ");
	b = strstr(t, "\n    200 ");
	d = strstr(t, "\n    300 ");
	ck_assert_msg(a && b && d && a < b && b < d, "rows not by PID:\n%s", t);
	free(t);
	tt_snapshot_unref(s);
}
END_TEST

/* a row cut to the buffer: never past it, never a half cell's spaces */
START_TEST(text_row_bounded)
{
	struct tt_snapshot *s = fake();
	char small[24];

	memset(small, 'x', sizeof(small));
	tt_text_row(small, sizeof(small), &s->procs[1], tt_proc_cols.defaults,
		    (size_t)tt_proc_cols.ndefaults);
	ck_assert_uint_lt(strlen(small), sizeof(small));
	ck_assert_msg(strncmp(small, "    200 alice", 13) == 0, "'%s'", small);
	tt_snapshot_unref(s);
}
END_TEST

Suite *text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("batch");

	tcase_add_test(tc, text_header_and_rows);
	tcase_add_test(tc, text_row_bounded);
	suite_add_tcase(s, tc);
	return s;
}
