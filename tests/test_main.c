// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * main.c - one Check runner for every suite, so `make test` ends with one
 * summary line whatever ran. TT_SUITES=unit,integ,tui selects groups.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "tests/suites.h"

static const struct {
	const char *group;
	Suite *(*make)(void);
} all[] = {
#define X(g, fn) { #g, fn },
	TT_SUITE_LIST
#undef X
};

static int wanted(const char *group)
{
	const char *sel = getenv("TT_SUITES");
	char buf[256], *tok, *save;

	if (!sel || !*sel)
		return 1;
	snprintf(buf, sizeof(buf), "%s", sel);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, group))
			return 1;
	return 0;
}

int main(void)
{
	SRunner *sr = NULL;
	int failed;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!wanted(all[i].group))
			continue;
		if (!sr)
			sr = srunner_create(all[i].make());
		else
			srunner_add_suite(sr, all[i].make());
	}
	if (!sr) {
		fprintf(stderr, "tests: no suite matches TT_SUITES\n");
		return 2;
	}
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
