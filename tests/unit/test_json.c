// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* test_json.c - the snapshot as JSON: contract field names and shapes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <cjson/cJSON.h>
#include "model/json.h"

static struct tt_snapshot *sample(void)
{
	struct tt_snapshot *s = tt_snapshot_new();
	struct tt_proc *p;
	static struct tt_hbin bins[] = { { .idx = 20, .count = 3 },
					 { .idx = 40, .count = 1 } };

	s->procs = tt_arena_alloc(&s->arena, sizeof(*s->procs));
	s->nprocs = 1;
	p = &s->procs[0];
	p->pid = 42;
	p->exited = true;
	strcpy(p->comm, "w\"q");
	strcpy(p->user, "root");
	p->state = 'X';
	p->cmdline = "a b";
	p->cgroup = "/";
	p->nsc = 1;
	p->sc = tt_arena_alloc(&s->arena, sizeof(*p->sc));
	p->sc[0].name = "getppid";
	p->sc[0].nr = 110;
	p->sc[0].count = 4;
	p->sc[0].hist = (struct tt_hist){ 2, bins };
	p->tcp.tx_bytes = 1ULL << 40; /* exact in a double */
	p->runq = (struct tt_hist){ 2, bins };
	s->time = 1700000000.25;
	strcpy(s->probes[TT_PROBE_SYSCALLS], "on");
	strcpy(s->probes[TT_PROBE_SCHED], "on");
	strcpy(s->probes[TT_PROBE_TCP], "on; partial, off: "
					"tcp:tcp_retransmit_skb (missing)");
	tt_snapshot_finish(s);
	return s;
}

START_TEST(contract_fields)
{
	struct tt_snapshot *s = sample();
	char *line = tt_json_line(s);
	cJSON *o = cJSON_Parse(line), *p, *h;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_null(strchr(line, '\n')); /* one line per snapshot */
	ck_assert_int_eq(cJSON_GetObjectItem(o, "schema")->valueint, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "time")->valuestring,
			 "2023-11-14T22:13:20.250Z");
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(o, "probes"), "tcp")
			->valuestring,
		"on; partial, off: tcp:tcp_retransmit_skb (missing)");
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "processes"), 0);
	ck_assert_int_eq(cJSON_GetObjectItem(p, "pid")->valueint, 42);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "exited")));
	ck_assert_str_eq(cJSON_GetObjectItem(p, "comm")->valuestring, "w\"q");
	ck_assert_double_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(p, "tcp"), "tx_bytes")
			->valuedouble,
		1099511627776.0);
	/* its tracepoint did not attach: not measured, not 0 */
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(
		cJSON_GetObjectItem(p, "tcp"), "retransmits")));
	h = cJSON_GetObjectItem(
		cJSON_GetObjectItem(
			cJSON_GetObjectItem(cJSON_GetObjectItem(p, "syscalls"),
					    "by_name"),
			"getppid"),
		"hist");
	ck_assert_int_eq(cJSON_GetArraySize(h), 2);
	h = cJSON_GetArrayItem(h, 0);
	ck_assert_double_eq(cJSON_GetArrayItem(h, 0)->valuedouble,
			    (double)tt_hist_low(20));
	ck_assert_double_eq(cJSON_GetArrayItem(h, 1)->valuedouble,
			    (double)tt_hist_high(20));
	ck_assert_int_eq(cJSON_GetArrayItem(h, 2)->valueint, 3);
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(
		cJSON_GetObjectItem(p, "sched"), "runq_hist"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(o, "connections"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(o, "syscalls"));
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(
		cJSON_GetObjectItem(o, "sched"), "switches"));
	cJSON_Delete(o);
	free(line);
	tt_snapshot_unref(s);
}
END_TEST

/* -j writes the line as it is made: the same text, a newline, no more */
START_TEST(written_as_made)
{
	struct tt_snapshot *s = sample();
	struct tt_proc *three;
	char *line, *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *o;

	/* three processes: the commas between the items are the writer's */
	three = tt_arena_alloc(&s->arena, 3 * sizeof(*three));
	for (int i = 0; i < 3; i++) {
		three[i] = s->procs[0];
		three[i].pid = 42 + (uint32_t)i;
	}
	s->procs = three;
	s->nprocs = 3;
	line = tt_json_line(s);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(tt_json_write(f, s), 0);
	fclose(f);
	ck_assert_uint_eq(len, strlen(line) + 1);
	ck_assert_int_eq(buf[len - 1], '\n');
	buf[len - 1] = 0;
	ck_assert_str_eq(buf, line);
	o = cJSON_Parse(buf);
	ck_assert_int_eq(
		cJSON_GetArraySize(cJSON_GetObjectItem(o, "processes")), 3);
	ck_assert_int_eq(
		cJSON_GetObjectItem(
			cJSON_GetArrayItem(cJSON_GetObjectItem(o, "processes"),
					   2),
			"pid")
			->valueint,
		44);
	cJSON_Delete(o);
	free(buf);
	free(line);
	tt_snapshot_unref(s);
}
END_TEST

Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, contract_fields);
	tcase_add_test(tc, written_as_made);
	suite_add_tcase(s, tc);
	return s;
}
