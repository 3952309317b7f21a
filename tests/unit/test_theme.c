// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_theme.c - theme files: the shipped ones parse, every element falls
 * back to the default, and each kind of mistake names file and line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include "tui/theme_parse.h"

START_TEST(good_file_overrides_and_falls_back)
{
	struct tt_theme t, def;
	char err[256] = "";
	const char *text =
		"# a comment\n"
		"format = 1\n"
		"\n"
		"selected = bright-white 4 bold,underline  # trailing\n"
		"  bar=default red reverse\n";

	tt_theme_builtin(&t, false);
	tt_theme_builtin(&def, false);
	ck_assert_int_eq(tt_theme_parse(&t, text, "x.theme", err, sizeof(err)),
			 0);
	ck_assert_int_eq(t.el[TT_EL_SELECTED].fg, 15);
	ck_assert_int_eq(t.el[TT_EL_SELECTED].bg, 4);
	ck_assert_uint_eq(t.el[TT_EL_SELECTED].attrs,
			  TT_ATTR_BOLD | TT_ATTR_UNDERLINE);
	ck_assert_int_eq(t.el[TT_EL_BAR].fg, TT_COLOR_DEFAULT);
	ck_assert_int_eq(t.el[TT_EL_BAR].bg, 1);
	ck_assert_uint_eq(t.el[TT_EL_BAR].attrs, TT_ATTR_REVERSE);
	/* untouched elements keep the default's values */
	ck_assert_mem_eq(&t.el[TT_EL_HEADER], &def.el[TT_EL_HEADER],
			 sizeof(def.el[0]));
}
END_TEST

START_TEST(each_error_names_file_and_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "normal default default\n", "bad.theme:1: expected" },
		{ "\n\nnope = red blue\n",
		  "bad.theme:3: unknown element 'nope'" },
		{ "bar = red\n", "bad.theme:1: missing background" },
		{ "bar =\n", "bad.theme:1: missing foreground" },
		{ "# x\nbar = reddish blue\n",
		  "bad.theme:2: unknown colour 'reddish'" },
		{ "bar = red 256\n", "bad.theme:1: unknown colour '256'" },
		{ "bar = red blue shiny\n",
		  "bad.theme:1: unknown attribute 'shiny'" },
		{ "bar = red blue bold,shiny\n",
		  "bad.theme:1: unknown attribute 'bold,shiny'" },
		{ "format = 2\n", "bad.theme:1: unsupported format '2'" },
		{ " = red blue\n", "bad.theme:1: missing element name" },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_theme t;

		tt_theme_builtin(&t, false);
		err[0] = '\0';
		ck_assert_int_eq(tt_theme_parse(&t, cases[i].text, "bad.theme",
						err, sizeof(err)),
				 -EINVAL);
		ck_assert_msg(strstr(err, cases[i].want), "case %zu: got '%s'",
			      i, err);
	}
}
END_TEST

START_TEST(long_line_is_an_error_not_a_crash)
{
	static char text[2000];
	struct tt_theme t;
	char err[256];

	memset(text, 'x', sizeof(text) - 2);
	text[sizeof(text) - 2] = '\n';
	tt_theme_builtin(&t, false);
	ck_assert_int_eq(tt_theme_parse(&t, text, "f", err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "f:1: line longer"));
}
END_TEST

START_TEST(shipped_themes_parse)
{
	static const char *const names[] = { "default", "light", "mono",
					     "high-contrast", "256" };
	struct tt_theme t, builtin;
	char err[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(tt_theme_load(&t, names[i], "/nonexistent", err,
					    sizeof(err)) == 0,
			      "%s: %s", names[i], err);
		ck_assert_str_eq(t.name, names[i]);
	}
	/* the file and the compiled-in fallback say the same */
	tt_theme_load(&t, "default", "/nonexistent", err, sizeof(err));
	tt_theme_builtin(&builtin, false);
	ck_assert_mem_eq(t.el, builtin.el, sizeof(t.el));
	tt_theme_load(&t, "mono", "/nonexistent", err, sizeof(err));
	tt_theme_builtin(&builtin, true);
	ck_assert_mem_eq(t.el, builtin.el, sizeof(t.el));
}
END_TEST

START_TEST(load_errors_fall_back_to_default)
{
	struct tt_theme t, def;
	char err[256], path[] = "/tmp/tt-theme-XXXXXX";
	FILE *f;
	int fd;

	tt_theme_builtin(&def, false);
	ck_assert_int_eq(
		tt_theme_load(&t, "no-such", "/nonexistent", err, sizeof(err)),
		-ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "not found"));
	ck_assert_mem_eq(t.el, def.el, sizeof(t.el));
	/* a name cannot climb out of the theme folders */
	ck_assert_int_ne(tt_theme_load(&t, "..", "/etc", err, sizeof(err)), 0);

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("normal = red blue\nbar = purple blue\n", f);
	fclose(f);
	ck_assert_int_eq(tt_theme_load(&t, path, "/x", err, sizeof(err)),
			 -EINVAL);
	ck_assert_msg(strstr(err, ":2: unknown colour 'purple'"), "%s", err);
	ck_assert_ptr_nonnull(strstr(err, "using default"));
	ck_assert_mem_eq(t.el, def.el, sizeof(t.el));
	unlink(path);
}
END_TEST

Suite *theme_suite(void)
{
	Suite *s = suite_create("theme");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, good_file_overrides_and_falls_back);
	tcase_add_test(tc, each_error_names_file_and_line);
	tcase_add_test(tc, long_line_is_an_error_not_a_crash);
	tcase_add_test(tc, shipped_themes_parse);
	tcase_add_test(tc, load_errors_fall_back_to_default);
	suite_add_tcase(s, tc);
	return s;
}
