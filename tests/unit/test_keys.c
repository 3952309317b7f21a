// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_keys.c - the key table against the man page: every label of
 * tui/ui_keys.c is an entry of the KEYS section of man/tracetop.8 and
 * every entry there is in the table; no key does two things in one place.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "tui/ui_keys.h"

#define MAX_ENTRIES 128

/* roff escapes the KEYS labels use, back to plain text */
static void unroff(const char *in, char *out, size_t len)
{
	static const struct {
		const char *from, *to;
	} esc[] = { { "\\e", "\\" },
		    { "\\-", "-" },
		    { "\\&", "" },
		    { "\\(aq", "'" },
		    { "\"", "" } };
	size_t o = 0;

	while (*in && o + 1 < len) {
		size_t k;

		for (k = 0; k < sizeof(esc) / sizeof(esc[0]); k++)
			if (!strncmp(in, esc[k].from, strlen(esc[k].from)))
				break;
		if (k < sizeof(esc) / sizeof(esc[0])) {
			size_t n = strlen(esc[k].to);

			if (o + n >= len)
				break;
			memcpy(out + o, esc[k].to, n);
			o += n;
			in += strlen(esc[k].from);
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

/* the .B labels after .TP in the KEYS section */
static int man_keys(char labels[][64])
{
	const char *path =
		getenv("TT_MAN") ? getenv("TT_MAN") : "man/tracetop.8";
	FILE *f = fopen(path, "r");
	char line[512];
	bool in_keys = false, after_tp = false;
	int n = 0;

	ck_assert_msg(f != NULL, "cannot open %s (run from the repository)",
		      path);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, ".SH", 3)) {
			in_keys = !strcmp(line, ".SH KEYS");
			continue;
		}
		if (!in_keys)
			continue;
		if (!strcmp(line, ".TP")) {
			after_tp = true;
			continue;
		}
		if (after_tp && !strncmp(line, ".B ", 3) && n < MAX_ENTRIES)
			unroff(line + 3, labels[n++], 64);
		after_tp = false;
	}
	fclose(f);
	return n;
}

START_TEST(every_key_is_in_the_man_page_and_back)
{
	static char labels[MAX_ENTRIES][64];
	int n = man_keys(labels);

	ck_assert_int_gt(n, 0);
	for (size_t i = 0; i < tt_nkeybinds; i++) {
		bool found = false;

		for (int k = 0; k < n && !found; k++)
			found = !strcmp(labels[k], tt_keybinds[i].label);
		ck_assert_msg(found,
			      "key '%s' (%s) missing from KEYS in "
			      "man/tracetop.8",
			      tt_keybinds[i].label, tt_keybinds[i].help);
	}
	for (int k = 0; k < n; k++) {
		bool found = false;

		for (size_t i = 0; i < tt_nkeybinds && !found; i++)
			found = !strcmp(labels[k], tt_keybinds[i].label);
		ck_assert_msg(found,
			      "man page key '%s' is not in the key table",
			      labels[k]);
	}
}
END_TEST

START_TEST(no_key_means_two_things_in_one_place)
{
	for (size_t i = 0; i < tt_nkeybinds; i++)
		for (size_t j = i + 1; j < tt_nkeybinds; j++) {
			unsigned a = tt_keybinds[i].scope;
			unsigned b = tt_keybinds[j].scope;

			/* replay keys live in every view */
			a = a == TT_SCOPE_REPLAY ? TT_SCOPE_VIEWS : a;
			b = b == TT_SCOPE_REPLAY ? TT_SCOPE_VIEWS : b;
			if (!(a & b))
				continue;
			for (int x = 0; x < TT_KEY_CODES; x++)
				for (int y = 0; y < TT_KEY_CODES; y++)
					ck_assert_msg(
						!tt_keybinds[i].codes[x] ||
							tt_keybinds[i].codes
									[x] !=
								tt_keybinds[j]
									.codes[y],
						"key code %d bound to '%s' and "
						"'%s'",
						tt_keybinds[i].codes[x],
						tt_keybinds[i].label,
						tt_keybinds[j].label);
		}
}
END_TEST

START_TEST(lookup_by_scope)
{
	const struct tt_keybind *k;

	k = tt_keybind_find('q', TT_SCOPE_TCP, 0);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->act, TT_ACT_QUIT);
	k = tt_keybind_find(' ', TT_SCOPE_SETUP, 0);
	ck_assert_int_eq(k->act, TT_ACT_SETUP_TOGGLE);
	k = tt_keybind_find(' ', TT_SCOPE_PROCS, 0);
	ck_assert_int_eq(k->act, TT_ACT_TAG);
	/* the tree is a process-view key; replay keys need a replay */
	ck_assert_ptr_null(tt_keybind_find('t', TT_SCOPE_SYSCALLS, 0));
	ck_assert_ptr_null(tt_keybind_find('[', TT_SCOPE_PROCS, 0));
	ck_assert_int_eq(tt_keybind_find('[', TT_SCOPE_PROCS, 1)->act,
			 TT_ACT_SEEK_BACK);
}
END_TEST

/* the bottom bar advertises only keys of the table, where they work */
START_TEST(the_key_bar_comes_from_the_key_table)
{
	char key[16];

	ck_assert_uint_gt(tt_nkeybar, 0);
	for (size_t i = 0; i < tt_nkeybar; i++) {
		const struct tt_keybar_item *b = &tt_keybar[i];
		const struct tt_keybind *k = tt_keybind_of(b->act);

		ck_assert_msg(k, "bar item %s has no key", b->label);
		ck_assert_msg(!(b->views & ~k->scope),
			      "bar shows %s (%s) where the key does nothing",
			      b->label, k->label);
		tt_keybar_key(b->act, key, sizeof(key));
		ck_assert_msg(!strncmp(k->label, key, strlen(key)) && key[0],
			      "bar key '%s' for '%s'", key, k->label);
	}
	tt_keybar_key(TT_ACT_HELP, key, sizeof(key));
	ck_assert_str_eq(key, "F1");
	tt_keybar_key(TT_ACT_BACK, key, sizeof(key));
	ck_assert_str_eq(key, "Esc");
}
END_TEST

Suite *keys_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, every_key_is_in_the_man_page_and_back);
	tcase_add_test(tc, no_key_means_two_things_in_one_place);
	tcase_add_test(tc, lookup_by_scope);
	tcase_add_test(tc, the_key_bar_comes_from_the_key_table);
	suite_add_tcase(s, tc);
	return s;
}
