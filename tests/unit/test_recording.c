// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_recording.c - recordings for days: zstd frames closed every
 * TT_ZST_FRAME_RAW, a gzip member per line, the index beside the file;
 * every whole snapshot readable after a killed writer, a cut file or a
 * full disk, and the file still whole for zstd(1) and gzip(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>
#include <zlib.h>
#include <zstd.h>
#include "model/json.h"
#include "model/recfile.h"
#include "model/recindex.h"
#include "model/recorder.h"
#include "model/replay.h"
#include "tests/unit/unit_fixture.h"

static char dir[64];
static const char *const names[] = { "r.jsonl", "r.jsonl.gz", "r.jsonl.zst" };

static void setup(void)
{
	uf_tmpdir(dir, sizeof(dir), "tt-rec");
}

static void teardown(void)
{
	uf_tmpdir_remove(dir);
}

static void path_of(char *p, size_t n, const char *name)
{
	snprintf(p, n, "%s/%s", dir, name);
}

/* n snapshots, pids first, first + 1, ...; the file's size after each */
static void record(const char *path, int n, uint32_t first, off_t *ends)
{
	struct tt_recorder *r;
	char err[256];
	struct stat st;

	ck_assert_msg(!tt_recorder_open(path, 0, &r, err, sizeof(err)), "%s",
		      err);
	for (int i = 0; i < n; i++) {
		struct tt_snapshot *s =
			uf_snap(1700000000 + first + i, first + i);

		ck_assert_int_eq(tt_recorder_write(r, s, err, sizeof(err)), 0);
		tt_snapshot_unref(s);
		if (ends) {
			ck_assert_int_eq(stat(path, &st), 0);
			ends[i] = st.st_size;
		}
	}
	tt_recorder_close(r);
}

/* the records' pids, in order, into pids; how many (-1: no recording) */
static int replay_pids(const char *path, uint32_t *pids, int max,
		       size_t *skipped)
{
	struct tt_source *src;
	struct tt_position pos;
	struct tt_step st;
	char err[256];
	int n = 0;

	if (tt_replay_open(path, &src, err, sizeof(err)))
		return -1;
	while (tt_source_step(src, TT_REC_SNAPSHOT, &st) == TT_STEP_OK) {
		ck_assert_int_lt(n, max);
		pids[n++] = st.snap->procs[0].pid;
		tt_snapshot_unref(st.snap);
	}
	ck_assert_int_eq(st.outcome, TT_STEP_END);
	tt_source_position(src, &pos);
	ck_assert_uint_eq(pos.count, (size_t)n);
	if (skipped)
		*skipped = pos.skipped;
	tt_source_destroy(src);
	return n;
}

static void assert_pids(const uint32_t *pids, int n, uint32_t first)
{
	for (int i = 0; i < n; i++)
		ck_assert_uint_eq(pids[i], first + (uint32_t)i);
}

/*
 * What zstd(1) and gzip(1) would make of the file, with the libraries
 * alone and as they call them (zstd(1) calls the decoder while there are
 * bytes to give it): the lines decoded; *clean when the data ends
 * cleanly.
 */
static long decoded_lines(const char *path, bool *clean)
{
	FILE *f = fopen(path, "rb");
	static char in[1 << 16], out[1 << 17];
	long lines = 0;
	size_t n, ret = 0;
	bool zst = strstr(path, ".zst") != NULL;
	ZSTD_DCtx *d = ZSTD_createDCtx();
	gzFile g = zst ? NULL : gzopen(path, "rb");
	int zerr = Z_OK;

	ck_assert_ptr_nonnull(f);
	while (zst && (n = fread(in, 1, sizeof(in), f)) > 0) {
		ZSTD_inBuffer ib = { in, n, 0 };

		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = { out, sizeof(out), 0 };

			ret = ZSTD_decompressStream(d, &ob, &ib);
			if (ZSTD_isError(ret))
				break;
			for (size_t i = 0; i < ob.pos; i++)
				lines += out[i] == '\n';
		}
		if (ZSTD_isError(ret))
			break;
	}
	while (!zst) {
		int k = gzread(g, out, sizeof(out));

		if (k <= 0)
			break;
		for (int i = 0; i < k; i++)
			lines += out[i] == '\n';
	}
	if (g) {
		gzerror(g, &zerr);
		gzclose(g);
	}
	fclose(f);
	ZSTD_freeDCtx(d);
	*clean = zst ? ret == 0 : zerr == Z_OK;
	return lines;
}

/* the lines zstd(1) or gzip(1) decode, or -1 when the end is not clean */
static long standard_lines(const char *path)
{
	bool clean;
	long n = decoded_lines(path, &clean);

	return clean ? n : -1;
}

static void copy_cut(const char *from, const char *to, off_t len)
{
	char *buf = malloc((size_t)len + 1);
	int in = open(from, O_RDONLY), out;

	ck_assert_int_eq(pread(in, buf, (size_t)len, 0), len);
	close(in);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_eq(write(out, buf, (size_t)len), len);
	close(out);
	free(buf);
}

/* a line of about size bytes that looks like a snapshot, numbered i */
static size_t fake_line(char *buf, size_t size, int i)
{
	int n = snprintf(buf, size,
			 "{\"schema\":1,\"time\":\"2026-01-01T00:%02d:%02d."
			 "000Z\",\"i\":%d,\"pad\":\"",
			 i / 60, i % 60, i);

	for (size_t k = (size_t)n; k < size - 3; k++)
		buf[k] = (char)('a' + (k * 7 + (size_t)i) % 26);
	memcpy(buf + size - 3, "\"}\n", 3);
	return size;
}

/* 70 lines of 1 MiB: frames close, and every line is found from its
 * frame's start, decoding less than a frame */
START_TEST(zstd_closes_frames_and_finds_every_line)
{
	const size_t size = 1 << 20;
	char path[128], idx[140], err[256], *buf = malloc(size);
	struct tt_recorder *r;
	struct tt_index *ix;
	struct tt_recfile *f;
	uint64_t points[8];
	size_t npoints = 0;

	path_of(path, sizeof(path), "big.zst");
	ck_assert_int_eq(tt_recorder_open(path, 0, &r, err, sizeof(err)), 0);
	for (int i = 0; i < 70; i++)
		ck_assert_int_eq(tt_recorder_write_line(r, buf,
							fake_line(buf, size, i),
							err, sizeof(err)),
				 0);
	tt_recorder_close(r);
	ck_assert_int_eq(standard_lines(path), 70);
	snprintf(idx, sizeof(idx), "%s.idx", path);
	ck_assert_int_eq(tt_index_open_ro(idx, &ix), 0);
	ck_assert_uint_eq(tt_index_count(ix), 70);
	ck_assert_int_eq(tt_recfile_open(path, &f), 0);
	ck_assert_int_eq(tt_recfile_format(f), TT_FMT_ZSTD);
	for (int i = 69; i >= 0; i -= 3) {
		struct tt_idx_entry e;
		struct tt_recpos at;
		const char *line;
		char want[32];

		ck_assert_int_eq(tt_index_get(ix, (size_t)i, &e), 0);
		ck_assert_uint_lt(e.at.skip, TT_ZST_FRAME_RAW);
		if (!npoints || points[npoints - 1] != e.at.point)
			points[npoints++] = e.at.point;
		ck_assert_int_eq(tt_recfile_seek(f, &e.at), 0);
		ck_assert_int_eq(tt_recfile_line(f, &line, &at), (ssize_t)size);
		snprintf(want, sizeof(want), "\"i\":%d,", i);
		ck_assert_ptr_nonnull(strstr(line, want));
		ck_assert_double_eq(e.time, 1767225600.0 + i);
	}
	/* 70 MiB in frames of 64 MiB: two, each where the index says */
	ck_assert_uint_eq(npoints, 2);
	tt_recfile_close(f);
	tt_index_close(ix);
	free(buf);
}
END_TEST

/* a writer killed after three snapshots, another one appending: every
 * snapshot reads, and the file is whole for the standard tools */
START_TEST(killed_writer_then_append)
{
	for (size_t k = 0; k < 3; k++) {
		char path[128];
		uint32_t pids[8];
		pid_t pid;
		int st;

		path_of(path, sizeof(path), names[k]);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) { /* three, then dies without closing */
			struct tt_recorder *r;
			char err[256];

			if (tt_recorder_open(path, 0, &r, err, sizeof(err)))
				_exit(1);
			for (uint32_t i = 0; i < 3; i++) {
				struct tt_snapshot *s =
					uf_snap(1700000000 + i, 100 + i);

				if (tt_recorder_write(r, s, err, sizeof(err)))
					_exit(1);
			}
			_exit(0);
		}
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert_int_eq(WEXITSTATUS(st), 0);
		ck_assert_int_eq(replay_pids(path, pids, 8, NULL), 3);
		assert_pids(pids, 3, 100);
		record(path, 2, 103, NULL);
		ck_assert_int_eq(replay_pids(path, pids, 8, NULL), 5);
		assert_pids(pids, 5, 100);
		if (k)
			ck_assert_int_eq(standard_lines(path), 5);
	}
}
END_TEST

/*
 * A killed writer's last lines are bigger than the reader's buffer: the
 * decoder may still hold some of the last one when the file's bytes run
 * out, and that part must come out too (it was lost: replay and the
 * resuming writer both missed the last snapshot before a kill -9), also
 * for zstd(1), which stops calling the decoder when it has no more bytes.
 */
START_TEST(open_frame_gives_its_last_line_whole)
{
	const size_t size = 300 * 1024;
	char path[128], err[256], *buf = malloc(size);
	struct tt_recorder *r;

	path_of(path, sizeof(path), "open.zst");
	ck_assert_int_eq(tt_recorder_open(path, 0, &r, err, sizeof(err)), 0);
	for (int i = 0; i < 40; i++) {
		struct tt_recfile *f;
		struct tt_recpos at;
		const char *line;
		ssize_t n;
		int got = 0;
		bool clean;

		ck_assert_int_eq(tt_recorder_write_line(r, buf,
							fake_line(buf, size, i),
							err, sizeof(err)),
				 0);
		/* the frame is open, as a kill -9 leaves it */
		ck_assert_int_eq(tt_recfile_open(path, &f), 0);
		while ((n = tt_recfile_line(f, &line, &at)) > 0)
			got++;
		ck_assert_msg(got == i + 1, "after %d lines: %d read, then %zd",
			      i + 1, got, n);
		tt_recfile_close(f);
		ck_assert_int_eq(decoded_lines(path, &clean), i + 1);
		ck_assert(!clean);
	}
	tt_recorder_close(r);
	free(buf);
}
END_TEST

/*
 * Cut at any byte: the snapshots written whole before the cut read, none
 * after, nothing else; a writer then appends after the last whole one.
 */
START_TEST(cut_anywhere_keeps_whole_snapshots)
{
	for (size_t k = 0; k < 3; k++) {
		char path[128], cut[140];
		off_t ends[6];
		uint32_t pids[8];

		path_of(path, sizeof(path), names[k]);
		snprintf(cut, sizeof(cut), "%s/cut%s", dir,
			 strchr(names[k], '.'));
		record(path, 6, 100, ends);
		for (off_t c = 0; c <= ends[5];
		     c += ends[5] > 300 ? ends[5] / 300 : 1) {
			int whole = 0, got;

			while (whole < 6 && ends[whole] <= c)
				whole++;
			copy_cut(path, cut, c);
			got = replay_pids(cut, pids, 8, NULL);
			if (got < 0)
				got = 0;
			/* a line decoded whole but for its gzip member's
			 * trailer (8 bytes) and the end-of-block code before
			 * it (up to 15 bits: 2 more bytes), or the empty zstd
			 * block after it, counts as whole too (with the
			 * events' keys in the line, a cut 9 bytes short of
			 * the end still gave the line) */
			ck_assert_msg(
				got == whole ||
					(k && got == whole + 1 &&
					 ends[whole] - c <= (k == 1 ? 10 : 3)),
				"%s cut at %lld: %d records, %d whole",
				names[k], (long long)c, got, whole);
			assert_pids(pids, got, 100);
			record(cut, 1, 100 + (uint32_t)got, NULL);
			ck_assert_int_eq(replay_pids(cut, pids, 8, NULL),
					 got + 1);
			assert_pids(pids, got + 1, 100);
			if (k)
				ck_assert_int_eq(standard_lines(cut), got + 1);
			unlink(cut);
		}
	}
}
END_TEST

/* the disk fills (RLIMIT_FSIZE stands in for it: write() fails with
 * EFBIG past it): what was written whole stays readable */
START_TEST(full_disk_keeps_whole_snapshots)
{
	for (size_t k = 0; k < 3; k++) {
		char path[128];
		uint32_t pids[256];
		pid_t pid;
		int st, ok;

		path_of(path, sizeof(path), names[k]);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) { /* the number of snapshots written */
			struct rlimit rl = { 2500, 2500 };
			struct tt_recorder *r;
			char err[256];
			int good = 0;

			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &rl);
			if (tt_recorder_open(path, 0, &r, err, sizeof(err)))
				_exit(255);
			for (uint32_t i = 0; i < 200; i++) {
				struct tt_snapshot *s =
					uf_snap(1700000000 + i, 100 + i);

				if (!tt_recorder_write(r, s, err, sizeof(err)))
					pids[good++] = 100 + i;
				else if (!strstr(err, "too large"))
					_exit(254);
				tt_snapshot_unref(s);
			}
			tt_recorder_close(r);
			/* the written ones come first, without gaps */
			for (int i = 0; i < good; i++)
				if (pids[i] != 100 + (uint32_t)i)
					_exit(253);
			_exit(good);
		}
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ok = WEXITSTATUS(st);
		ck_assert_msg(ok > 0 && ok < 200, "%s: %d written", names[k],
			      ok);
		ck_assert_int_eq(replay_pids(path, pids, 256, NULL), ok);
		assert_pids(pids, ok, 100);
		if (k)
			ck_assert_int_eq(standard_lines(path), ok);
		record(path, 1, 100 + (uint32_t)ok, NULL);
		ck_assert_int_eq(replay_pids(path, pids, 256, NULL), ok + 1);
	}
}
END_TEST

/* the index beside the file: missing, behind, or another file's - the
 * replay finds every snapshot all the same, and a writer mends it */
START_TEST(index_missing_behind_or_stale)
{
	char path[128], other[128], idx[140], oidx[140];
	uint32_t pids[32];
	struct tt_index *ix;

	path_of(path, sizeof(path), "a.zst");
	path_of(other, sizeof(other), "b.zst");
	snprintf(idx, sizeof(idx), "%s.idx", path);
	snprintf(oidx, sizeof(oidx), "%s.idx", other);
	record(path, 10, 100, NULL);
	record(other, 10, 500, NULL);
	ck_assert_int_eq(unlink(idx), 0);
	ck_assert_int_eq(replay_pids(path, pids, 32, NULL), 10);
	assert_pids(pids, 10, 100);
	ck_assert_int_eq(rename(oidx, idx), 0); /* b's index beside a */
	ck_assert_int_eq(replay_pids(path, pids, 32, NULL), 10);
	assert_pids(pids, 10, 100);
	ck_assert_int_eq(truncate(idx, 16 + 4 * 32 + 5), 0); /* behind */
	ck_assert_int_eq(replay_pids(path, pids, 32, NULL), 10);
	assert_pids(pids, 10, 100);
	record(path, 1, 110, NULL);
	ck_assert_int_eq(tt_index_open_ro(idx, &ix), 0);
	ck_assert_uint_eq(tt_index_count(ix), 11);
	tt_index_close(ix);
	ck_assert_int_eq(replay_pids(path, pids, 32, NULL), 11);
	assert_pids(pids, 11, 100);
}
END_TEST

/* a whole index is believed, not rebuilt: what it says of a record in
 * the middle is what a go-to-time finds */
START_TEST(index_beside_the_file_is_used)
{
	char path[128], idx[140], err[256];
	unsigned char when[8];
	double t = 1800000000;
	struct tt_source *src;
	struct tt_step st;
	int fd;

	path_of(path, sizeof(path), "u.zst");
	snprintf(idx, sizeof(idx), "%s.idx", path);
	record(path, 10, 100, NULL);
	memcpy(when, &t, 8); /* little-endian machines, as the format */
	fd = open(idx, O_WRONLY);
	ck_assert_int_eq(pwrite(fd, when, 8, 16 + 5 * 32 + 16), 8);
	close(fd);
	ck_assert_int_eq(tt_replay_open(path, &src, err, sizeof(err)), 0);
	tt_source_seek(src, 0, t, &st);
	ck_assert_uint_eq(st.snap->procs[0].pid, 105);
	tt_snapshot_unref(st.snap);
	tt_source_destroy(src);
}
END_TEST

/* a gzip recording of an older tracetop (one member, a full flush per
 * line) cut by a kill: appended to, it reads whole */
START_TEST(old_gzip_recording_cut_then_appended)
{
	char path[128];
	uint32_t pids[8];
	pid_t pid;
	int st;

	path_of(path, sizeof(path), "old.jsonl.gz");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		gzFile z = gzopen(path, "wb");

		for (uint32_t i = 0; i < 3; i++) {
			struct tt_snapshot *s =
				uf_snap(1700000000 + i, 100 + i);
			char *line = tt_json_line(s);

			gzprintf(z, "%s\n", line);
			gzflush(z, Z_FULL_FLUSH);
		}
		_exit(0); /* no trailer */
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(replay_pids(path, pids, 8, NULL), 3);
	record(path, 1, 103, NULL);
	ck_assert_int_eq(replay_pids(path, pids, 8, NULL), 4);
	assert_pids(pids, 4, 100);
	ck_assert_int_eq(standard_lines(path), 4);
}
END_TEST

/* rotation at a size: each half a whole zstd stream with its index */
START_TEST(zstd_rotates_with_its_index)
{
	char path[128], old[140], idx[150], err[256];
	struct tt_recorder *r;
	struct tt_index *ix;
	uint32_t pids[64];
	int a, b;

	path_of(path, sizeof(path), "rot.zst");
	snprintf(old, sizeof(old), "%s.1", path);
	ck_assert_int_eq(tt_recorder_open(path, 1024, &r, err, sizeof(err)), 0);
	for (uint32_t i = 0; i < 60; i++) {
		struct tt_snapshot *s = uf_snap(1700000000 + i, 100 + i);

		/* snapshots that do not repeat: each adds its own bytes */
		snprintf(s->procs[0].comm, sizeof(s->procs[0].comm), "%x",
			 i * 2654435761u);
		ck_assert_int_eq(tt_recorder_write(r, s, err, sizeof(err)), 0);
		tt_snapshot_unref(s);
	}
	tt_recorder_close(r);
	a = replay_pids(old, pids, 64, NULL);
	ck_assert_int_gt(a, 0);
	assert_pids(pids, a, pids[0]);
	ck_assert_int_eq(standard_lines(old), a);
	snprintf(idx, sizeof(idx), "%s.idx", old);
	ck_assert_int_eq(tt_index_open_ro(idx, &ix), 0);
	ck_assert_uint_eq(tt_index_count(ix), (size_t)a);
	tt_index_close(ix);
	b = replay_pids(path, pids, 64, NULL);
	ck_assert_int_gt(b, 0);
	ck_assert_uint_eq(pids[b - 1], 159);
	assert_pids(pids, b, 160 - (uint32_t)b);
	ck_assert_int_eq(standard_lines(path), b);
}
END_TEST

START_TEST(refuses_to_mix_formats)
{
	char path[128], err[256];
	struct tt_recorder *r;
	FILE *f;

	path_of(path, sizeof(path), "plain.zst");
	f = fopen(path, "w");
	fputs("{\"schema\":1}\n", f);
	fclose(f);
	ck_assert_int_lt(tt_recorder_open(path, 0, &r, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "is not zstd data"), "%s", err);
}
END_TEST

/* times out of order (a clock set back): the first at or after t, in
 * the order of the file */
START_TEST(go_to_time_in_file_order)
{
	static const double times[] = { 100, 101, 102, 50, 51, 103 };
	char path[128], err[256];
	struct tt_recorder *r;
	struct tt_source *src;
	struct tt_position pos;
	struct tt_step st;

	path_of(path, sizeof(path), "t.zst");
	ck_assert_int_eq(tt_recorder_open(path, 0, &r, err, sizeof(err)), 0);
	for (uint32_t i = 0; i < 6; i++) {
		struct tt_snapshot *s = uf_snap(1700000000 + times[i], i);

		ck_assert_int_eq(tt_recorder_write(r, s, err, sizeof(err)), 0);
		tt_snapshot_unref(s);
	}
	tt_recorder_close(r);
	ck_assert_int_eq(tt_replay_open(path, &src, err, sizeof(err)), 0);
	tt_source_seek(src, 0, 1700000000 + 101.5, &st);
	ck_assert_uint_eq(st.snap->procs[0].pid, 2);
	tt_snapshot_unref(st.snap);
	tt_source_seek(src, 0, 1700000000 + 103, &st);
	ck_assert_uint_eq(st.snap->procs[0].pid, 5);
	tt_snapshot_unref(st.snap);
	tt_source_position(src, &pos);
	ck_assert_uint_eq(pos.index, 5);
	tt_source_destroy(src);
}
END_TEST

Suite *recording_suite(void)
{
	Suite *s = suite_create("recording");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, zstd_closes_frames_and_finds_every_line);
	tcase_add_test(tc, killed_writer_then_append);
	tcase_add_test(tc, open_frame_gives_its_last_line_whole);
	tcase_add_test(tc, cut_anywhere_keeps_whole_snapshots);
	tcase_add_test(tc, full_disk_keeps_whole_snapshots);
	tcase_add_test(tc, index_missing_behind_or_stale);
	tcase_add_test(tc, index_beside_the_file_is_used);
	tcase_add_test(tc, old_gzip_recording_cut_then_appended);
	tcase_add_test(tc, zstd_rotates_with_its_index);
	tcase_add_test(tc, refuses_to_mix_formats);
	tcase_add_test(tc, go_to_time_in_file_order);
	suite_add_tcase(s, tc);
	return s;
}
