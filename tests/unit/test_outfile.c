// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_outfile.c - the X export and the recorder: atomic, 0600, no
 * symlinks followed, clear errors; a recording replays to the same JSON.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>
#include <cjson/cJSON.h>
#include "model/json.h"
#include "model/outfile.h"
#include "model/recorder.h"
#include "model/replay.h"
#include "tests/unit/unit_fixture.h"

static char dir[64];

static void setup(void)
{
	uf_tmpdir(dir, sizeof(dir), "tt-out");
}

static void teardown(void)
{
	uf_tmpdir_remove(dir);
}

static size_t count_files(void)
{
	char cmd[128];
	FILE *p;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "ls -A %s | wc -l", dir);
	p = popen(cmd, "r");
	ck_assert_int_eq(fscanf(p, "%zu", &n), 1);
	pclose(p);
	return n;
}

START_TEST(export_is_private_and_complete)
{
	struct tt_snapshot *s = uf_snap(1700000000, 7);
	struct tt_export_ctx ctx = {
		.view = "processes",
		.sort = "cpu",
		.sort_desc = true,
		.filter = "nginx",
		.pid = 7,
	};
	char path[4096], err[256], buf[65536];
	struct stat st;
	cJSON *o;
	FILE *f;
	size_t n;

	ck_assert_int_eq(tt_export_snapshot(dir, s, &ctx, path, sizeof(path),
					    err, sizeof(err)),
			 0);
	ck_assert_ptr_nonnull(strstr(path, "/tracetop-"));
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_uint_eq(count_files(), 1); /* no temporary left */
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	o = cJSON_Parse(buf);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(o, "ui"), "pid")
			->valueint,
		7);
	ck_assert_str_eq(
		cJSON_GetObjectItem(cJSON_GetObjectItem(o, "ui"), "filter")
			->valuestring,
		"nginx");
	cJSON_Delete(o);
	tt_snapshot_unref(s);
}
END_TEST

/* the file name has seconds: a second X in that second must not replace
 * the first file */
START_TEST(export_twice_in_a_second_keeps_both)
{
	struct tt_snapshot *s = uf_snap(1700000000, 7);
	char p1[4096], p2[4096], err[256];

	ck_assert_int_eq(tt_export_snapshot(dir, s, NULL, p1, sizeof(p1), err,
					    sizeof(err)),
			 0);
	ck_assert_int_eq(tt_export_snapshot(dir, s, NULL, p2, sizeof(p2), err,
					    sizeof(err)),
			 0);
	ck_assert_str_ne(p1, p2);
	ck_assert_uint_eq(count_files(), 2);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(export_errors_leave_nothing)
{
	struct tt_snapshot *s = uf_snap(1700000000, 7);
	char path[4096], err[256], missing[128], target[128], link[4200];
	struct stat st;

	snprintf(missing, sizeof(missing), "%s/no/such/dir", dir);
	ck_assert_int_lt(tt_export_snapshot(missing, s, NULL, path,
					    sizeof(path), err, sizeof(err)),
			 0);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	ck_assert_ptr_nonnull(strstr(err, "export"));
	ck_assert_uint_eq(count_files(), 0);

	/* a symlink where the export goes is replaced, never followed */
	snprintf(target, sizeof(target), "%s.target", dir);
	unlink(target);
	ck_assert_int_eq(tt_export_snapshot(dir, s, NULL, path, sizeof(path),
					    err, sizeof(err)),
			 0);
	unlink(path);
	snprintf(link, sizeof(link), "%s", path);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(tt_export_snapshot(dir, s, NULL, path, sizeof(path),
					    err, sizeof(err)),
			 0);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_ne(access(target, F_OK), 0);
	tt_snapshot_unref(s);
}
END_TEST

START_TEST(recorder_refuses_symlinks)
{
	char path[128], target[128], err[256];
	struct tt_recorder *r;

	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(path, sizeof(path), "%s/rec.jsonl", dir);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_lt(tt_recorder_open(path, 0, &r, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "rec.jsonl"));
	ck_assert_int_ne(access(target, F_OK), 0);
}
END_TEST

static void record_and_replay(const char *name, uint64_t max)
{
	char path[128], err[256];
	struct tt_recorder *r;
	struct tt_source *src;
	struct tt_snapshot *s;
	struct tt_position pos;
	struct tt_step st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(tt_recorder_open(path, max, &r, err, sizeof(err)), 0);
	for (uint32_t i = 0; i < 5; i++) {
		s = uf_snap(1700000000 + i, 100 + i);
		ck_assert_int_eq(tt_recorder_write(r, s, err, sizeof(err)), 0);
		tt_snapshot_unref(s);
	}
	tt_recorder_close(r);
	ck_assert_int_eq(tt_replay_open(path, &src, err, sizeof(err)), 0);
	ck_assert(tt_source_can(src, TT_SRC_SEEK | TT_SRC_PAUSE));
	ck_assert(!tt_source_can(src, TT_SRC_REALTIME));
	for (uint32_t i = 0; i < 5; i++) {
		ck_assert_int_eq(tt_source_step(src, TT_REC_SNAPSHOT, &st),
				 TT_STEP_OK);
		ck_assert_uint_eq(st.has, TT_REC_SNAPSHOT);
		ck_assert_uint_eq(st.snap->procs[0].pid, 100 + i);
		tt_snapshot_unref(st.snap);
	}
	/* the end is an end, not an error, and holds no record */
	ck_assert_int_eq(tt_source_step(src, TT_REC_SNAPSHOT, &st),
			 TT_STEP_END);
	ck_assert_uint_eq(st.has, 0);
	ck_assert_str_eq(st.msg, "replay: end of the recording");
	/* a step that wants no snapshot takes none */
	ck_assert_int_eq(tt_source_step(src, 0, &st), TT_STEP_OK);
	ck_assert_uint_eq(st.has, 0);
	/* a move past the end stays there, and says so */
	ck_assert_int_eq(tt_source_seek(src, 1, 0, &st), TT_STEP_END);
	ck_assert_ptr_null(st.snap);
	/* step back and jump by time */
	ck_assert_int_eq(tt_source_seek(src, -2, 0, &st), TT_STEP_OK);
	ck_assert_uint_eq(st.snap->procs[0].pid, 102);
	tt_snapshot_unref(st.snap);
	ck_assert(tt_source_position(src, &pos));
	ck_assert_uint_eq(pos.index, 2);
	tt_source_seek(src, 0, 1700000001, &st);
	s = st.snap;
	ck_assert_uint_eq(s->procs[0].pid, 101);
	tt_snapshot_unref(s);
	ck_assert(tt_source_position(src, &pos));
	ck_assert_uint_eq(pos.skipped, 0);
	ck_assert_uint_eq(pos.count, 5);
	ck_assert_uint_eq(pos.index, 1);
	tt_source_destroy(src);
}

START_TEST(recording_replays_plain_gzip_and_zstd)
{
	record_and_replay("r.jsonl", 0);
	record_and_replay("r.jsonl.gz", 0);
	record_and_replay("r.jsonl.zst", 0);
}
END_TEST

/* a gzip recorder killed mid-run leaves a member without its trailer; a
 * new run appending to the file must not make the old lines unreadable,
 * nor its own */
START_TEST(gzip_recording_survives_a_killed_writer)
{
	char path[128], err[256];
	struct tt_recorder *r;
	struct tt_source *src;
	struct tt_position pos;
	pid_t pid;
	int st;

	snprintf(path, sizeof(path), "%s/k.jsonl.gz", dir);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) { /* writes two, then dies without closing */
		struct tt_snapshot *s = uf_snap(1700000000, 1);

		if (tt_recorder_open(path, 0, &r, err, sizeof(err)) ||
		    tt_recorder_write(r, s, err, sizeof(err)) ||
		    tt_recorder_write(r, s, err, sizeof(err)))
			_exit(1);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	{
		struct tt_snapshot *s = uf_snap(1700000005, 2);

		ck_assert_int_eq(
			tt_recorder_open(path, 0, &r, err, sizeof(err)), 0);
		ck_assert_int_eq(tt_recorder_write(r, s, err, sizeof(err)), 0);
		tt_recorder_close(r);
		tt_snapshot_unref(s);
	}
	ck_assert_int_eq(tt_replay_open(path, &src, err, sizeof(err)), 0);
	tt_source_position(src, &pos);
	ck_assert_uint_eq(pos.count, 3);
	ck_assert_uint_eq(pos.skipped, 0);
	tt_source_destroy(src);
}
END_TEST

START_TEST(replay_skips_bad_lines)
{
	char path[128], err[256], *line;
	struct tt_snapshot *s = uf_snap(1700000000, 9);
	struct tt_source *src;
	struct tt_position pos;
	struct tt_step st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad.jsonl", dir);
	f = fopen(path, "w");
	line = tt_json_line(s);
	fprintf(f, "%s\n\x01\x02garbage\n{\"schema\":7}\n%s\n%.20s", line, line,
		line); /* last line cut mid-write */
	fclose(f);
	free(line);
	tt_snapshot_unref(s);
	ck_assert_int_eq(tt_replay_open(path, &src, err, sizeof(err)), 0);
	tt_source_position(src, &pos);
	ck_assert_uint_eq(pos.count, 2);
	ck_assert_uint_eq(pos.skipped, 3);
	tt_source_step(src, TT_REC_SNAPSHOT, &st);
	ck_assert_uint_eq(st.snap->procs[0].pid, 9);
	tt_snapshot_unref(st.snap);
	tt_source_destroy(src);
}
END_TEST

START_TEST(recorder_rotates)
{
	char path[128], old[140], err[256];
	struct tt_recorder *r;
	struct stat st;

	snprintf(path, sizeof(path), "%s/rot.jsonl", dir);
	snprintf(old, sizeof(old), "%s.1", path);
	ck_assert_int_eq(tt_recorder_open(path, 4096, &r, err, sizeof(err)), 0);
	for (int i = 0; i < 40; i++) {
		struct tt_snapshot *s = uf_snap(1700000000 + i, 5);

		ck_assert_int_eq(tt_recorder_write(r, s, err, sizeof(err)), 0);
		tt_snapshot_unref(s);
	}
	tt_recorder_close(r);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_le(st.st_size, 4096);
	ck_assert_int_eq(stat(old, &st), 0);
	ck_assert_int_le(st.st_size, 4096);
}
END_TEST

Suite *outfile_suite(void)
{
	Suite *s = suite_create("outfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, export_is_private_and_complete);
	tcase_add_test(tc, export_twice_in_a_second_keeps_both);
	tcase_add_test(tc, export_errors_leave_nothing);
	tcase_add_test(tc, recorder_refuses_symlinks);
	tcase_add_test(tc, recording_replays_plain_gzip_and_zstd);
	tcase_add_test(tc, gzip_recording_survives_a_killed_writer);
	tcase_add_test(tc, replay_skips_bad_lines);
	tcase_add_test(tc, recorder_rotates);
	suite_add_tcase(s, tc);
	return s;
}
