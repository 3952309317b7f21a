// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_measured.c - numbers that must not pretend (issue 11): figures of
 * a subsystem switched off, or of a tracepoint that did not attach, are
 * absent in every output (JSON null, a "-" cell, no /metrics series),
 * never a 0 that reads as measured; the others stay as they were.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <cjson/cJSON.h>
#include "model/json.h"
#include "model/measured.h"
#include "model/openmetrics.h"
#include "model/text.h"

/* one process with a figure in every subsystem, probes as given */
static struct tt_snapshot *sample(const char *sc, const char *tcp,
				  const char *sched)
{
	struct tt_snapshot *s = tt_snapshot_new();
	struct tt_proc *p;

	snprintf(s->probes[TT_PROBE_SYSCALLS], sizeof(s->probes[0]), "%s", sc);
	snprintf(s->probes[TT_PROBE_TCP], sizeof(s->probes[0]), "%s", tcp);
	snprintf(s->probes[TT_PROBE_SCHED], sizeof(s->probes[0]), "%s", sched);
	s->procs = tt_arena_alloc(&s->arena, sizeof(*s->procs));
	memset(s->procs, 0, sizeof(*s->procs));
	s->nprocs = 1;
	p = &s->procs[0];
	p->pid = 4242;
	p->cmdline = p->cgroup = p->top_sc = "";
	snprintf(p->comm, sizeof(p->comm), "worker");
	snprintf(p->user, sizeof(p->user), "root");
	p->sc_rate = 10;
	p->sc_count = 10;
	p->tcp.tx_bytes = 1000;
	p->tcp.retransmits = 0; /* none seen: exact only if it was watched */
	p->migrations = 0;
	p->voluntary = 5;
	s->groups = tt_arena_alloc(&s->arena, sizeof(*s->groups));
	memset(s->groups, 0, sizeof(*s->groups));
	s->ngroups = 1;
	s->groups[0].name = "/";
	s->groups[0].tx_bytes = 1000;
	tt_snapshot_finish(s);
	return s;
}

static cJSON *json_of(const struct tt_snapshot *s)
{
	char *line = tt_json_line(s);
	cJSON *o;

	ck_assert_ptr_nonnull(line);
	o = cJSON_Parse(line);
	ck_assert_msg(o != NULL, "not JSON: %s", line);
	free(line);
	return o;
}

static const cJSON *proc0(const cJSON *o)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(o, "processes"), 0);
}

START_TEST(subsystem_off_is_null_in_json)
{
	struct tt_snapshot *s = sample("on", "off: disabled by option",
				       "off: disabled by option");
	cJSON *o = json_of(s);
	const cJSON *p = proc0(o);

	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "tcp")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "sched")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "connections")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "sched")));
	/* what was measured stays */
	ck_assert_double_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(p, "syscalls"), "count")
			->valuedouble,
		10);
	ck_assert(cJSON_IsArray(cJSON_GetObjectItem(o, "syscalls")));
	cJSON_Delete(o);
	tt_snapshot_unref(s);

	s = sample("off: disabled by option", "on", "on");
	o = json_of(s);
	p = proc0(o);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(p, "syscalls")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "syscalls")));
	ck_assert_double_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(p, "tcp"), "tx_bytes")
			->valuedouble,
		1000);
	ck_assert(cJSON_IsArray(cJSON_GetObjectItem(o, "connections")));
	cJSON_Delete(o);
	tt_snapshot_unref(s);
}
END_TEST

/* one tracepoint missing: its figures null, its neighbours' 0 stays 0 */
START_TEST(probe_missing_is_null_in_json)
{
	struct tt_snapshot *s = sample(
		"on", "on",
		"on; partial, off: sched:sched_migrate_task (refused by the "
		"verifier: R1 invalid mem access)");
	cJSON *o = json_of(s);
	const cJSON *sch = cJSON_GetObjectItem(proc0(o), "sched");

	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(sch, "migrations")));
	ck_assert_double_eq(
		cJSON_GetObjectItem(sch, "voluntary_switches")->valuedouble, 5);
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(
		cJSON_GetObjectItem(proc0(o), "tcp"), "retransmits")));
	ck_assert(!tt_fig_measured(s, TT_FIG_SCHED_MIG));
	ck_assert(tt_fig_measured(s, TT_FIG_SCHED_RQ));
	cJSON_Delete(o);
	tt_snapshot_unref(s);
}
END_TEST

/* the cell of title t in -b's row of pid 4242 */
static void batch_cell(const char *text, const char *t, char *out, size_t n)
{
	const char *hdr = strstr(text, "    PID "),
		   *row = strstr(text, "   4242 ");
	const char *h;
	size_t end, b;

	ck_assert_ptr_nonnull(hdr);
	ck_assert_ptr_nonnull(row);
	h = strstr(hdr, t);
	ck_assert_ptr_nonnull(h);
	end = (size_t)(h - hdr) + strlen(t);
	for (b = end; b > 0 && row[b - 1] != ' ';)
		b--;
	snprintf(out, n, "%.*s", (int)(end - b), row + b);
}

static char *batch(const struct tt_snapshot *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(tt_text_snapshot(f, s, TT_COL_PID, false), 0);
	fclose(f);
	return buf;
}

START_TEST(subsystem_off_is_a_dash_on_screen)
{
	static const char *const tcp_cols[] = { "TX/s", "RX/s", "CONN",
						"RETR" };
	struct tt_snapshot *s = sample("on", "off: disabled by option", "on");
	char *t = batch(s), c[64];

	for (size_t i = 0; i < 4; i++) {
		batch_cell(t, tcp_cols[i], c, sizeof(c));
		ck_assert_msg(!strcmp(c, "-"), "%s: '%s' with tcp off\n%s",
			      tcp_cols[i], c, t);
	}
	batch_cell(t, "SYSC/s", c, sizeof(c));
	ck_assert_str_eq(c, "10");
	ck_assert_msg(strstr(t, "; TCP: tx -, rx -; switches 0/s,"),
		      "-b summary with tcp off:\n%s", t);
	free(t);
	tt_snapshot_unref(s);

	/* measured, a 0 is a 0 */
	s = sample("on", "on", "on");
	t = batch(s);
	batch_cell(t, "RETR", c, sizeof(c));
	ck_assert_str_eq(c, "0");
	free(t);
	/* every table's cells: the scheduler's MIGR with its probe missing */
	strcpy(s->probes[TT_PROBE_SCHED],
	       "on; partial, off: sched:sched_migrate_task (missing)");
	tt_colset_cell_of(&tt_sched_cols, TT_SD_MIGR, &s->procs[0], s, c,
			  sizeof(c));
	ck_assert_str_eq(c, "-");
	tt_colset_cell_of(&tt_sched_cols, TT_SD_VCSW, &s->procs[0], s, c,
			  sizeof(c));
	ck_assert_str_eq(c, "5.0");
	tt_snapshot_unref(s);
}
END_TEST

static char *metrics(const struct tt_snapshot *s)
{
	struct tt_metrics_opts o = { .top = 10, .pids = true };
	size_t len;
	char *text;

	ck_assert_int_eq(tt_metrics_render(s, &o, &text, &len), 0);
	return text;
}

START_TEST(subsystem_off_has_no_series)
{
	struct tt_snapshot *s = sample("on", "off: disabled by option",
				       "off: disabled by option");
	char *t = metrics(s);

	ck_assert_msg(!strstr(t, "tcp_sent") && !strstr(t, "tcp_retransmits") &&
			      !strstr(t, "tcp_connects"),
		      "TCP series with tcp off:\n%s", t);
	ck_assert_msg(!strstr(t, "runqueue") &&
			      !strstr(t, "context_switches") &&
			      !strstr(t, "cpu_seconds"),
		      "scheduler series with sched off:\n%s", t);
	ck_assert_ptr_nonnull(strstr(t, "tracetop_process_syscalls_total{"));
	ck_assert_ptr_nonnull(
		strstr(t, "tracetop_probe_up{subsystem=\"tcp\"} 0\n"));
	free(t);
	tt_snapshot_unref(s);

	s = sample("on", "on; partial, off: tcp:tcp_retransmit_skb (missing)",
		   "on");
	t = metrics(s);
	ck_assert_ptr_null(strstr(t, "tcp_retransmits"));
	ck_assert_ptr_nonnull(
		strstr(t, "tracetop_tcp_sent_bytes_total 1000\n"));
	ck_assert_ptr_nonnull(strstr(t, "tracetop_context_switches_total"));
	free(t);
	tt_snapshot_unref(s);
}
END_TEST

Suite *measured_suite(void)
{
	Suite *s = suite_create("measured");
	TCase *tc = tcase_create("absent");

	tcase_add_test(tc, subsystem_off_is_null_in_json);
	tcase_add_test(tc, probe_missing_is_null_in_json);
	tcase_add_test(tc, subsystem_off_is_a_dash_on_screen);
	tcase_add_test(tc, subsystem_off_has_no_series);
	suite_add_tcase(s, tc);
	return s;
}
