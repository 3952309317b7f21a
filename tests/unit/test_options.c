// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* test_options.c - the command line: good values, and usage errors */
#include <stdio.h>
#include <string.h>
#include <check.h>
#include "model/columns.h"
#include "tui/options.h"

static enum tt_parse parse(struct tt_options *o, char *err, const char *a1,
			   const char *a2, const char *a3)
{
	char *argv[] = { "tracetop", (char *)a1, (char *)a2, (char *)a3, NULL };
	int argc = 1 + !!a1 + !!a2 + !!a3;
	FILE *out = fopen("/dev/null", "w");
	enum tt_parse r = tt_options_parse(argc, argv, o, out, err, 256);

	fclose(out);
	return r;
}

START_TEST(good_values)
{
	struct tt_options o;
	char err[256];

	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), TT_PARSE_OK);
	ck_assert_int_eq(o.mode, TT_MODE_TUI);
	ck_assert_double_eq(o.delay, 1.0);
	ck_assert_int_eq(parse(&o, err, "-j", "-d", "0.2"), TT_PARSE_OK);
	ck_assert_int_eq(o.mode, TT_MODE_JSON);
	ck_assert_double_eq(o.delay, 0.2);
	ck_assert_int_eq(parse(&o, err, "-p", "1,22,333", NULL), TT_PARSE_OK);
	ck_assert_uint_eq(o.npids, 3);
	ck_assert_uint_eq(o.pids[2], 333);
	ck_assert_int_eq(parse(&o, err, "-s", "RUNQ", "-b"), TT_PARSE_OK);
	ck_assert_int_eq(o.sort_col, TT_COL_RUNQ99);
	ck_assert_int_eq(o.mode, TT_MODE_BATCH);
	ck_assert_int_eq(parse(&o, err, "-u", "root", "--no-tcp"), TT_PARSE_OK);
	ck_assert_int_eq(o.uid, 0);
	ck_assert(!o.enable[1] && o.enable[0] && o.enable[2]);
	ck_assert_int_eq(parse(&o, err, "--iterations=3", "-H", NULL),
			 TT_PARSE_OK);
	ck_assert_int_eq(o.iterations, 3);
	ck_assert(o.threads);
	/* the event stream */
	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), TT_PARSE_OK);
	ck_assert_uint_eq(o.ev_kinds, TT_EV_DEFAULT);
	ck_assert_uint_eq(o.ev_buffer, 1u << 20);
	ck_assert_uint_eq(o.ev_rate, 10000);
	ck_assert_int_eq(parse(&o, err, "--trace", "exec,exit", "-j"),
			 TT_PARSE_OK);
	ck_assert_int_eq(o.mode, TT_MODE_TRACE);
	ck_assert(o.trace_json);
	ck_assert_uint_eq(o.ev_kinds, 1u << TT_EV_EXEC | 1u << TT_EV_EXIT);
	ck_assert_int_eq(parse(&o, err, "--runq-slow", "5", "--trace"),
			 TT_PARSE_OK);
	ck_assert(o.ev_kinds & 1u << TT_EV_RUNQ);
	ck_assert_double_eq(o.runq_slow_ms, 5);
	ck_assert(!o.trace_json);
	ck_assert_int_eq(parse(&o, err, "--slow", "0", NULL), TT_PARSE_OK);
	ck_assert(!(o.ev_kinds & 1u << TT_EV_SLOW));
	/* where user stacks are unwound: the kernel unless told */
	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL), TT_PARSE_OK);
	ck_assert(!o.user_unwind);
	ck_assert_int_eq(parse(&o, err, "--unwind", "user", NULL), TT_PARSE_OK);
	ck_assert(o.user_unwind);
	ck_assert_int_eq(parse(&o, err, "--unwind=kernel", NULL, NULL),
			 TT_PARSE_OK);
	ck_assert(!o.user_unwind);
	/* events alone are something to trace */
	ck_assert_int_eq(
		parse(&o, err, "--no-syscalls", "--no-tcp", "--no-sched"),
		TT_PARSE_OK);
	ck_assert_int_eq(parse(&o, err, "-V", NULL, NULL), TT_PARSE_EXIT);
	ck_assert_int_eq(parse(&o, err, "--help", NULL, NULL), TT_PARSE_EXIT);
}
END_TEST

START_TEST(usage_errors_name_the_option)
{
	static const struct {
		const char *a1, *a2, *a3, *needle;
	} bad[] = {
		{ "--frobnicate", NULL, NULL, "--frobnicate" },
		{ "-x", NULL, NULL, "-x" },
		{ "-d", "abc", NULL, "-d" },
		{ "-d", "-1", NULL, "-d" },
		{ "-d", "", NULL, "-d" },
		{ "-d", "1e999", NULL, "-d" },
		{ "-d", "nan", NULL, "-d" },
		{ "-n", "0", NULL, "-n" },
		{ "-n", "99999999999999999999", NULL, "-n" },
		{ "-p", "12,abc", NULL, "abc" },
		{ "-p", "0", NULL, "-p" },
		{ "-p", "", NULL, "-p" },
		{ "-s", "nosuchcolumn", NULL, "nosuchcolumn" },
		{ "-u", "no-such-user-here", NULL, "no-such-user-here" },
		{ "-d", NULL, NULL, "-d" },
		{ "-b", "-j", NULL, "one of" },
		{ "--events", "exec,bogus", NULL, "bogus" },
		{ "--trace=nope", NULL, NULL, "nope" },
		{ "--trace", "-b", NULL, "one of" },
		{ "--events-buffer", "3000", NULL, "--events-buffer" },
		{ "--events-buffer", "12K", NULL, "--events-buffer" },
		{ "--events-rate", "-1", NULL, "--events-rate" },
		{ "--slow", "abc", NULL, "--slow" },
		{ "--slow-skip", "poll,nosuchcall", NULL, "nosuchcall" },
		{ "--runq-slow", "0", NULL, "--runq-slow" },
		{ "--unwind", "dwarf", NULL, "--unwind" },
		{ "--trace", "--no-events", NULL, "no kind" },
		{ "stray", NULL, NULL, "stray" },
	};
	struct tt_options o;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_msg(parse(&o, err, bad[i].a1, bad[i].a2, bad[i].a3) ==
				      TT_PARSE_USAGE,
			      "case %zu accepted", i);
		ck_assert_msg(strstr(err, bad[i].needle), "case %zu: '%s'", i,
			      err);
		ck_assert_ptr_null(strchr(err, '\n'));
	}
}
END_TEST

Suite *options_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, good_values);
	tcase_add_test(tc, usage_errors_name_the_option);
	suite_add_tcase(s, tc);
	return s;
}
