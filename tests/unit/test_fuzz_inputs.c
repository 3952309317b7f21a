// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_fuzz_inputs.c - every seed in tests/fuzz/corpus/ and every input a
 * fuzzer once crashed on (tests/fuzz/crashes/) goes through the parser its
 * fuzz target drives, with the same checks, so a fixed crash stays fixed
 * without libFuzzer. Under `make test-asan` an over-read fails here too.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include "model/json_parse.h"
#include "prof/elfsym.h"
#include "prof/unwtab.h"
#include "tui/theme_parse.h"
#include "tests/unit/unit_fixture.h"

#define FUZZ_DIR "tests/fuzz"

static void replay_one(const char *path)
{
	size_t len;
	char *data = uf_slurp(path, &len), err[128];

	tt_snapshot_unref(tt_json_parse(data, len, err, sizeof(err)));
	free(data);
}

static void theme_one(const char *path)
{
	size_t len;
	char *data = uf_slurp(path, &len), *text = malloc(len + 1), err[256];
	size_t plen = strlen(path);
	struct tt_theme t;

	ck_assert_ptr_nonnull(text);
	memcpy(text, data, len);
	text[len] = 0;
	tt_theme_builtin(&t, false);
	if (tt_theme_parse(&t, text, path, err, sizeof(err)))
		ck_assert_msg(!strncmp(err, path, plen) && err[plen] == ':',
			      "%s: error names no file: %s", path, err);
	free(text);
	free(data);
}

/* what fuzz_elf.c does with its input */
static void elf_one(const char *path)
{
	size_t len;
	char *data = uf_slurp(path, &len);
	struct tt_elfsym *e = NULL;
	struct tt_unw_row *rows;
	uint32_t n;
	uint64_t v, off;

	if (!tt_unwtab_build_mem(data, len, &rows, &n, 1u << 20)) {
		tt_unwtab_find(rows, n, rows[n - 1].pc);
		free(rows);
	}
	if (!tt_elfsym_load_mem(data, len, &e)) {
		for (uint32_t i = 0; i < e->nsyms && i < 64; i++)
			tt_elfsym_lookup(e, e->syms[i].addr + e->syms[i].size,
					 &off);
		for (uint32_t i = 0; i < e->nseg; i++)
			tt_elfsym_off_to_vaddr(e, e->seg[i].offset, &v);
		tt_elfsym_free(e);
	}
	free(data);
}

/*
 * Feed each regular file in dir whose name starts with prefix to fn; the
 * number fed. A missing dir counts 0 (crashes/ exists only once there was
 * a crash).
 */
static int each_file(const char *dir, const char *prefix,
		     void (*fn)(const char *path))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fn(path);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(replay_corpus_and_crashes)
{
	/* no seeds means the runner started outside the source tree */
	ck_assert_int_gt(each_file(FUZZ_DIR "/corpus/replay", "", replay_one),
			 0);
	each_file(FUZZ_DIR "/crashes", "replay-", replay_one);
}
END_TEST

START_TEST(theme_corpus_and_crashes)
{
	ck_assert_int_gt(each_file(FUZZ_DIR "/corpus/theme", "", theme_one), 0);
	each_file(FUZZ_DIR "/crashes", "theme-", theme_one);
}
END_TEST

START_TEST(elf_corpus_and_crashes)
{
	ck_assert_int_gt(each_file(FUZZ_DIR "/corpus/elf", "", elf_one), 0);
	each_file(FUZZ_DIR "/crashes", "elf-", elf_one);
}
END_TEST

Suite *fuzz_inputs_suite(void)
{
	Suite *s = suite_create("fuzz_inputs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, replay_corpus_and_crashes);
	tcase_add_test(tc, theme_corpus_and_crashes);
	tcase_add_test(tc, elf_corpus_and_crashes);
	suite_add_tcase(s, tc);
	return s;
}
