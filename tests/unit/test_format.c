// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* test_format.c - numbers as the table shows them */
#include <string.h>
#include <check.h>
#include "model/columns.h"
#include "model/format.h"

START_TEST(counts_bytes_durations)
{
	static const struct {
		char kind;
		double v;
		const char *want;
	} cases[] = {
		{ 'c', 0, "0" },
		{ 'c', 0.5, "0.5" },
		{ 'c', 12, "12" },
		{ 'c', 999, "999" },
		{ 'c', 1000, "1.0k" },
		{ 'c', 12345, "12.3k" },
		{ 'c', 123456, "123k" },
		{ 'c', 4.2e6, "4.2M" },
		{ 'c', -3, "0" },
		{ 'b', 512, "512B" },
		{ 'b', 1536, "1.5K" },
		{ 'b', 1048576, "1.0M" },
		{ 'b', 3.5 * 1073741824.0, "3.5G" },
		{ 'n', 850, "850ns" },
		{ 'n', 1000, "1.0us" },
		{ 'n', 12500, "12.5us" },
		{ 'n', 3400000, "3.4ms" },
		{ 'n', 1200000000, "1.2s" },
		{ 'n', 999999, "1.0ms" },
		{ 'p', 12.345, "12.3" },
		{ 'p', 1999.6, "2000" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = "";

		switch (cases[i].kind) {
		case 'c':
			got = tt_fmt_count(buf, sizeof(buf), cases[i].v);
			break;
		case 'b':
			got = tt_fmt_bytes(buf, sizeof(buf), cases[i].v);
			break;
		case 'n':
			got = tt_fmt_ns(buf, sizeof(buf), (uint64_t)cases[i].v);
			break;
		case 'p':
			got = tt_fmt_pct(buf, sizeof(buf), cases[i].v);
			break;
		}
		ck_assert_msg(!strcmp(got, cases[i].want),
			      "case %zu: %g gave '%s', want '%s'", i,
			      cases[i].v, got, cases[i].want);
	}
}
END_TEST

START_TEST(narrow_buffers_truncate)
{
	char buf[4];

	tt_fmt_count(buf, sizeof(buf), 123456);
	ck_assert_str_eq(buf, "123");
	tt_fmt_duration(buf, sizeof(buf), 3725);
	ck_assert_uint_le(strlen(buf), 3);
}
END_TEST

START_TEST(durations)
{
	char buf[32];

	ck_assert_str_eq(tt_fmt_duration(buf, sizeof(buf), 3725), "01:02:05");
	ck_assert_str_eq(tt_fmt_duration(buf, sizeof(buf), 90061), "1d 01:01");
}
END_TEST

/* the ONCPU column stays within its 9 cells however long a process ran */
START_TEST(oncpu_column_fits)
{
	static const struct {
		uint64_t s;
		const char *want;
	} cases[] = {
		{ 61, "1:01.00" },
		{ 999 * 60 + 59, "999:59.00" },
		{ 1000 * 60 + 5, "1000:05" },
		{ 99999ULL * 60, "99999:00" },
		{ 100000ULL * 60, "69d10h" },
	};
	const struct tt_column *c = &tt_columns[TT_COL_ONCPU];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct tt_proc p = { .oncpu_ns = cases[i].s * 1000000000ULL };
		char buf[32];

		tt_colset_cell(&tt_proc_cols, TT_COL_ONCPU, &p, buf,
			       sizeof(buf));
		ck_assert_str_eq(buf, cases[i].want);
		ck_assert_int_le((int)strlen(buf), c->width);
	}
}
END_TEST

Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, counts_bytes_durations);
	tcase_add_test(tc, narrow_buffers_truncate);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, oncpu_column_fits);
	suite_add_tcase(s, tc);
	return s;
}
