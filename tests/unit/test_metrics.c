// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* test_metrics.c - OpenMetrics and Prometheus text from a snapshot */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "model/openmetrics.h"

static struct tt_snapshot *sample(void)
{
	static struct tt_hbin bins[] = { { .idx = 10, .count = 5 },
					 { .idx = 50, .count = 2 } };
	struct tt_snapshot *s = tt_snapshot_new();

	strcpy(s->version, "1.0");
	strcpy(s->probes[TT_PROBE_SYSCALLS], "on");
	s->syscalls = tt_arena_alloc(&s->arena, sizeof(*s->syscalls));
	s->nsyscalls = 1;
	s->syscalls[0].name = "read";
	s->syscalls[0].count = 7;
	s->syscalls[0].errors = 1;
	s->syscalls[0].total_ns = 2000000000;
	s->syscalls[0].hist = (struct tt_hist){ 2, bins };
	s->groups = tt_arena_alloc(&s->arena, 2 * sizeof(*s->groups));
	s->ngroups = 2;
	s->groups[0].name = "/system.slice/a\"b.service";
	s->groups[0].sc_count = 5;
	s->groups[1].name = "/";
	s->groups[1].sc_count = 2;
	return s;
}

static char *render(struct tt_snapshot *s, bool om, unsigned top)
{
	struct tt_metrics_opts o = { .openmetrics = om, .top = top };
	size_t len;
	char *text;

	ck_assert_int_eq(tt_metrics_render(s, &o, &text, &len), 0);
	ck_assert_uint_eq(strlen(text), len);
	return text;
}

START_TEST(prometheus_text)
{
	struct tt_snapshot *s = sample();
	char *t = render(s, false, 1);

	ck_assert_ptr_nonnull(
		strstr(t, "# TYPE tracetop_syscalls_total counter\n"));
	ck_assert_ptr_nonnull(
		strstr(t, "tracetop_syscalls_total{syscall=\"read\"} 7\n"));
	ck_assert_ptr_nonnull(
		strstr(t, "tracetop_probe_up{subsystem=\"syscalls\"} 1\n"));
	ck_assert_ptr_nonnull(
		strstr(t, "tracetop_probe_up{subsystem=\"tcp\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(t, "tracetop_syscall_duration_seconds_sum{"
					"syscall=\"read\"} 2.000000000\n"));
	ck_assert_ptr_nonnull(
		strstr(t, "tracetop_syscall_duration_seconds_bucket{syscall="
			  "\"read\",le=\"+Inf\"} 7\n"));
	/* escaping, and --metrics-top 1 keeps only the busiest cgroup */
	ck_assert_ptr_nonnull(
		strstr(t, "cgroup=\"/system.slice/a\\\"b.service\"} 5"));
	ck_assert_ptr_null(strstr(t, "cgroup=\"/\""));
	ck_assert_ptr_null(strstr(t, "# EOF"));
	free(t);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(buckets_are_cumulative)
{
	struct tt_snapshot *s = sample();
	char *t = render(s, true, 20), *p = t;
	unsigned long long prev = 0, v;
	int n = 0;

	while ((p = strstr(p, "tracetop_syscall_duration_seconds_bucket{"))) {
		p = strchr(p, '}');
		ck_assert_int_eq(sscanf(p + 1, " %llu", &v), 1);
		ck_assert_uint_ge(v, prev);
		prev = v;
		n++;
	}
	ck_assert_int_gt(n, 10);
	ck_assert_uint_eq(prev, 7);
	/* OpenMetrics: families without _total, and an EOF */
	ck_assert_ptr_nonnull(strstr(t, "# TYPE tracetop_syscalls counter\n"));
	ck_assert_ptr_nonnull(strstr(t, "# TYPE tracetop_build info\n"));
	ck_assert_str_eq(t + strlen(t) - 6, "# EOF\n");
	free(t);
	tt_snapshot_unref(s);
}
END_TEST

Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, prometheus_text);
	tcase_add_test(tc, buckets_are_cumulative);
	suite_add_tcase(s, tc);
	return s;
}
