// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * recorder.c - --record (see recorder.h): one line per snapshot, encoded
 * so that any whole line can be found again and read on its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>
#include "model/json.h"
#include "model/outfile.h"
#include "model/recfile.h"
#include "model/recindex.h"
#include "model/recorder.h"

/*
 * zstd: most of a snapshot repeats the one before, so what matters is
 * finding that match 0.1-5 MB back. Level 9 (btlazy2) finds it where level
 * 3 does not: 1,000 idle processes cost ~6 KB a snapshot instead of ~9 KB,
 * for ~2 ms of CPU a snapshot. Smaller tables than level 9's keep the
 * compressor at ~13 MB instead of ~24; an 8 MiB window holds the previous
 * snapshot of ~10,000 processes. No checksum: a frame cut by a failed
 * write can then be closed by appending an empty last block.
 */
#define ZST_LEVEL      9
#define ZST_WINDOW_LOG 23
#define ZST_TABLE_LOG  18

/* an empty raw block marked last: it ends an open frame */
static const unsigned char zst_end_block[3] = { 0x01, 0x00, 0x00 };
/* an empty raw block, not last: see zst_mark() */
static const unsigned char zst_empty_block[3] = { 0x00, 0x00, 0x00 };

struct tt_recorder {
	char *path;
	char idx_path[4200];
	enum tt_recfmt fmt;
	uint64_t max_bytes, size;
	uint64_t last_growth; /* bytes the last line added to the file */
	int fd;
	struct tt_index *ix; /* NULL once it could not be written */
	z_stream z;
	bool z_ready;
	ZSTD_CCtx *zc;
	uint64_t frame_start, frame_raw; /* zstd: the open frame, if raw */
	bool frame_cut; /* a failed write left the open frame without end */
	unsigned char *cbuf;
	size_t ccap;
};

static enum tt_recfmt fmt_of_name(const char *path)
{
	size_t n = strlen(path);

	if (n > 3 && !strcmp(path + n - 3, ".gz"))
		return TT_FMT_GZIP;
	if (n > 4 && !strcmp(path + n - 4, ".zst"))
		return TT_FMT_ZSTD;
	return TT_FMT_PLAIN;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int cbuf_room(struct tt_recorder *r, size_t need)
{
	unsigned char *b;

	if (need <= r->ccap)
		return 0;
	b = realloc(r->cbuf, need);
	if (!b)
		return -ENOMEM;
	r->cbuf = b;
	r->ccap = need;
	return 0;
}

/* one whole gzip member: it reads alone, and starts where it starts */
static int emit_gz(struct tt_recorder *r, const char *line, size_t len,
		   size_t *out)
{
	size_t bound = deflateBound(&r->z, (uLong)len) + 64;

	if (cbuf_room(r, bound) || deflateReset(&r->z) != Z_OK)
		return -ENOMEM;
	r->z.next_in = (Bytef *)line;
	r->z.avail_in = (uInt)len;
	r->z.next_out = r->cbuf;
	r->z.avail_out = (uInt)bound;
	if (deflate(&r->z, Z_FINISH) != Z_STREAM_END)
		return -EIO;
	*out = bound - r->z.avail_out;
	return 0;
}

/* the line, flushed (or with the frame's end): every byte of it is out */
static int emit_zst(struct tt_recorder *r, const char *line, size_t len,
		    ZSTD_EndDirective mode, size_t *out)
{
	ZSTD_inBuffer in = { line, len, 0 };
	size_t left;

	*out = 0;
	if (cbuf_room(r, ZSTD_compressBound(len) + 4096))
		return -ENOMEM;
	do {
		ZSTD_outBuffer ob = { r->cbuf + *out, r->ccap - *out, 0 };

		left = ZSTD_compressStream2(r->zc, &ob, &in, mode);
		if (ZSTD_isError(left))
			return -EIO;
		*out += ob.pos;
		if (left && cbuf_room(r, r->ccap * 2))
			return -ENOMEM;
	} while (left);
	return 0;
}

/*
 * After a flushed line, an empty block. A decoder whose output buffer was
 * full keeps the end of the line's last block until it is called again,
 * and zstd(1) calls it again only while there are bytes to read: after a
 * kill -9 it would stop short of the last line. These 3 bytes are still
 * to read then, and mean nothing to any decoder.
 */
static int zst_mark(struct tt_recorder *r, size_t *n)
{
	if (cbuf_room(r, *n + sizeof(zst_empty_block)))
		return -ENOMEM;
	memcpy(r->cbuf + *n, zst_empty_block, sizeof(zst_empty_block));
	*n += sizeof(zst_empty_block);
	return 0;
}

static int zst_setup(struct tt_recorder *r)
{
	r->zc = ZSTD_createCCtx();
	if (!r->zc)
		return -ENOMEM;
	ZSTD_CCtx_setParameter(r->zc, ZSTD_c_compressionLevel, ZST_LEVEL);
	ZSTD_CCtx_setParameter(r->zc, ZSTD_c_windowLog, ZST_WINDOW_LOG);
	ZSTD_CCtx_setParameter(r->zc, ZSTD_c_hashLog, ZST_TABLE_LOG);
	ZSTD_CCtx_setParameter(r->zc, ZSTD_c_chainLog, ZST_TABLE_LOG);
	ZSTD_CCtx_setParameter(r->zc, ZSTD_c_checksumFlag, 0);
	return 0;
}

/*
 * The last 3 bytes of an open frame are its last line's empty block
 * (zst_mark): made the last block in place, they end the frame without
 * the file growing, where a full disk has no room for 3 bytes more. The
 * descriptor appends, and pwrite() would too: not for this write.
 */
static int end_frame_in_place(struct tt_recorder *r)
{
	int fl = fcntl(r->fd, F_GETFL), e = 0;

	if (fl < 0 || r->size < sizeof(zst_end_block) ||
	    fcntl(r->fd, F_SETFL, fl & ~O_APPEND))
		return -EIO;
	if (pwrite(r->fd, zst_end_block, sizeof(zst_end_block),
		   (off_t)(r->size - sizeof(zst_end_block))) !=
	    (ssize_t)sizeof(zst_end_block))
		e = errno ? -errno : -EIO;
	(void)fcntl(r->fd, F_SETFL, fl);
	return e;
}

/* a frame left open by a failed write ends here, before anything else */
static int close_cut_frame(struct tt_recorder *r)
{
	int e = write_all(r->fd, zst_end_block, sizeof(zst_end_block));

	if (e) {
		(void)!ftruncate(r->fd, (off_t)r->size);
		if ((e = end_frame_in_place(r)))
			return e;
	} else {
		r->size += sizeof(zst_end_block);
	}
	r->frame_cut = false;
	return 0;
}

/*
 * A write that failed (a full disk): cut the file back to where it was,
 * a line boundary. An open zstd frame gets its end there: its lines
 * stay readable, and what comes next is a new frame.
 */
static void undo_write(struct tt_recorder *r)
{
	(void)!ftruncate(r->fd, (off_t)r->size);
	if (r->fmt != TT_FMT_ZSTD)
		return;
	ZSTD_CCtx_reset(r->zc, ZSTD_reset_session_only);
	if (r->frame_raw) {
		r->frame_cut = true;
		(void)close_cut_frame(r);
	}
	r->frame_raw = 0;
}

static int put_line(struct tt_recorder *r, const char *line, size_t len)
{
	ZSTD_EndDirective mode = ZSTD_e_flush;
	struct tt_idx_entry ent = { { r->size, 0 }, 0, (uint32_t)len };
	const void *data = line;
	size_t dlen = len;
	int e = 0;

	if (r->frame_cut && (e = close_cut_frame(r)))
		return e;
	/* the time as replay reads it back from the line, to the ms */
	tt_index_line_info(line, len, &ent.time);
	ent.at.point = r->size;
	if (r->fmt == TT_FMT_GZIP) {
		e = emit_gz(r, line, len, &dlen);
		data = r->cbuf;
	} else if (r->fmt == TT_FMT_ZSTD) {
		if (!r->frame_raw)
			r->frame_start = r->size;
		/* a frame of TT_ZST_FRAME_RAW: what a seek decodes at most */
		if (r->frame_raw + len >= TT_ZST_FRAME_RAW)
			mode = ZSTD_e_end;
		e = emit_zst(r, line, len, mode, &dlen);
		if (!e && mode == ZSTD_e_flush)
			e = zst_mark(r, &dlen);
		data = r->cbuf;
		ent.at.point = r->frame_start;
		ent.at.skip = r->frame_raw;
	}
	if (!e)
		e = write_all(r->fd, data, dlen);
	if (e) {
		undo_write(r);
		return e;
	}
	if (r->fmt == TT_FMT_ZSTD)
		r->frame_raw = mode == ZSTD_e_end ? 0 : r->frame_raw + len;
	r->size += dlen;
	r->last_growth = dlen;
	/* the index follows the data: a line it lacks, replay finds by
	 * reading on from the last one it has */
	if (r->ix && tt_index_append(r->ix, &ent)) {
		tt_index_close(r->ix);
		r->ix = NULL;
	}
	return 0;
}

/* A scratch file for the lines to write again: beside the recording. */
static int scratch(const char *path)
{
	char *d = strdup(path);
	int fd = -1;

	if (d)
		fd = open(dirname(d), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	free(d);
	if (fd < 0)
		fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = memfd_create("tracetop-resume", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return fd;
}

/* the index's entries from the first at or after point on go */
static void index_drop_from(struct tt_index *ix, uint64_t point)
{
	size_t i = tt_index_count(ix);
	struct tt_idx_entry e;

	while (i && !tt_index_get(ix, i - 1, &e) && e.at.point >= point)
		i--;
	tt_index_truncate(ix, i);
}

/* Where to read on from: the seek point of the index's last line, when
 * that line is in the file as the index says; else the start. */
static uint64_t resume_point(struct tt_recorder *r, struct tt_recfile *f)
{
	size_t n = r->ix ? tt_index_count(r->ix) : 0;
	struct tt_idx_entry e;
	struct tt_recpos at;
	const char *line;
	double t;
	ssize_t len;

	if (!n || tt_index_get(r->ix, n - 1, &e) || e.at.point >= r->size ||
	    tt_recfile_seek(f, &e.at) ||
	    (len = tt_recfile_line(f, &line, &at)) != (ssize_t)e.len ||
	    !tt_index_line_info(line, (size_t)len, &t) || t != e.time) {
		if (r->ix)
			tt_index_truncate(r->ix, 0);
		return 0;
	}
	index_drop_from(r->ix, e.at.point);
	return e.at.point;
}

struct pending {
	struct tt_idx_entry *v;
	size_t n, cap;
};

static int pending_add(struct pending *p, const struct tt_idx_entry *e)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct tt_idx_entry *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = *e;
	return 0;
}

/* the lines of a complete earlier point are final: into the index */
static void pending_commit(struct tt_recorder *r, struct pending *p, int tmp)
{
	for (size_t i = 0; r->ix && i < p->n; i++)
		if (tt_index_append(r->ix, &p->v[i])) {
			tt_index_close(r->ix);
			r->ix = NULL;
		}
	p->n = 0;
	(void)!ftruncate(tmp, 0);
	lseek(tmp, 0, SEEK_SET);
}

/* write the lines kept in tmp again, at the end of the cut file */
static int rewrite(struct tt_recorder *r, const struct pending *p, int tmp)
{
	struct tt_recfile *f;
	int e = tt_recfile_fdopen(tmp, &f);

	for (size_t i = 0; !e && i < p->n; i++) {
		struct tt_recpos at;
		const char *line;
		ssize_t len = tt_recfile_line(f, &line, &at);

		e = len == (ssize_t)p->v[i].len ? put_line(r, line, (size_t)len)
						: -EIO;
	}
	tt_recfile_close(f);
	return e;
}

/*
 * An existing recording: find the seek point of its last lines (from the
 * index, else by reading it all), read on to the end, and if the end is
 * not clean (a writer killed mid-line or mid-frame, a failed write not
 * undone), cut the file back to that point and write its whole lines
 * again. At most one zstd frame (TT_ZST_FRAME_RAW) is written again;
 * without FILE.idx the whole file is read once.
 */
static int resume(struct tt_recorder *r)
{
	struct pending p = { 0 };
	struct tt_recfile *f = NULL;
	struct tt_recpos at = { 0, 0 };
	uint64_t cur = 0;
	ssize_t n = 0;
	int tmp = -1, e;

	e = tt_recfile_fdopen(r->fd, &f);
	if (!e && tt_recfile_format(f) != r->fmt)
		e = -EILSEQ;
	if (!e)
		e = (tmp = scratch(r->path)) < 0 ? tmp : 0;
	if (!e) {
		at.point = cur = resume_point(r, f);
		e = tt_recfile_seek(f, &at);
	}
	while (!e) {
		struct tt_idx_entry ent;
		const char *line;

		n = tt_recfile_line(f, &line, &ent.at);
		at = ent.at;
		if (n == TT_LINE_END || n == TT_LINE_CUT || n == TT_LINE_ERR)
			break;
		if (ent.at.point != cur) {
			pending_commit(r, &p, tmp);
			cur = ent.at.point;
		}
		if (n == TT_LINE_LONG ||
		    !tt_index_line_info(line, (size_t)n, &ent.time))
			continue; /* not a snapshot: not worth keeping */
		ent.len = (uint32_t)n;
		e = pending_add(&p, &ent);
		if (!e)
			e = write_all(tmp, line, (size_t)n);
	}
	if (!e && n == TT_LINE_ERR)
		e = errno ? -errno : -EIO;
	if (!e && tt_recfile_clean(f)) {
		pending_commit(r, &p, tmp); /* ends whole: append after it */
	} else if (!e) {
		if (at.point != cur) /* cut in a member of its own */
			pending_commit(r, &p, tmp);
		else
			at.point = cur;
		if (ftruncate(r->fd, (off_t)at.point))
			e = -errno;
		r->size = at.point;
		if (!e)
			e = rewrite(r, &p, tmp);
	}
	free(p.v);
	if (tmp >= 0)
		close(tmp);
	tt_recfile_close(f);
	return e;
}

static int rec_open(struct tt_recorder *r, char *err, size_t errlen)
{
	struct stat st;
	int e;

	r->frame_raw = 0;
	r->frame_cut = false;
	r->fd = tt_open_private(r->path, O_RDWR | O_CREAT | O_APPEND);
	if (r->fd < 0) {
		snprintf(err, errlen, "record: opening %s: %s", r->path,
			 r->fd == -EPERM ? "not a regular file of ours"
					 : strerror(-r->fd));
		return r->fd;
	}
	r->size = fstat(r->fd, &st) ? 0 : (uint64_t)st.st_size;
	/* no index is no error: replay then reads the file through */
	if (tt_index_open(r->idx_path, &r->ix))
		r->ix = NULL;
	if (!r->size) {
		if (r->ix)
			tt_index_truncate(r->ix, 0);
		return 0;
	}
	e = resume(r);
	if (e) {
		if (e == -EILSEQ)
			snprintf(err, errlen,
				 "record: %s is not %s data: choose another "
				 "file name (.gz, .zst or plain)",
				 r->path, tt_recfmt_name(r->fmt));
		else
			snprintf(err, errlen,
				 "record: repairing the end of %s: %s", r->path,
				 strerror(-e));
		tt_index_close(r->ix);
		r->ix = NULL;
		close(r->fd);
		r->fd = -1;
	}
	return e;
}

/* ends the zstd frame, so the file ends as a whole */
static void rec_close_files(struct tt_recorder *r)
{
	size_t n;

	if (r->fd >= 0 && r->fmt == TT_FMT_ZSTD && r->frame_raw &&
	    !emit_zst(r, "", 0, ZSTD_e_end, &n) &&
	    !write_all(r->fd, r->cbuf, n))
		r->size += n;
	r->frame_raw = 0;
	tt_index_close(r->ix);
	r->ix = NULL;
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int tt_recorder_open(const char *path, uint64_t max_bytes,
		     struct tt_recorder **out, char *err, size_t errlen)
{
	struct tt_recorder *r = calloc(1, sizeof(*r));
	int e = -ENOMEM;

	if (!r || !(r->path = strdup(path)))
		goto fail;
	r->fd = -1;
	r->fmt = fmt_of_name(path);
	r->max_bytes = max_bytes;
	if (tt_index_sidecar(path, r->idx_path, sizeof(r->idx_path))) {
		e = -ENAMETOOLONG;
		goto fail;
	}
	if (r->fmt == TT_FMT_GZIP) {
		/* 16 + 15: a gzip header and trailer on each member */
		if (deflateInit2(&r->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
				 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			goto fail;
		r->z_ready = true;
	} else if (r->fmt == TT_FMT_ZSTD && zst_setup(r)) {
		goto fail;
	}
	e = rec_open(r, err, errlen);
	if (e) {
		tt_recorder_close(r);
		return e;
	}
	*out = r;
	return 0;
fail:
	snprintf(err, errlen, "record: %s: %s", path, strerror(-e));
	tt_recorder_close(r);
	return e;
}

static int rotate(struct tt_recorder *r, char *err, size_t errlen)
{
	char old[4200], old_idx[4200];

	rec_close_files(r);
	snprintf(old, sizeof(old), "%s.1", r->path);
	if (rename(r->path, old)) {
		int e = -errno;

		snprintf(err, errlen, "record: rotating %s: %s", r->path,
			 strerror(errno));
		return e;
	}
	/* the index goes with its file; a stale one would be refused by
	 * replay, but costs it a look */
	if (!tt_index_sidecar(old, old_idx, sizeof(old_idx)) &&
	    rename(r->idx_path, old_idx))
		unlink(old_idx);
	return rec_open(r, err, errlen);
}

int tt_recorder_write_line(struct tt_recorder *r, const char *line, size_t len,
			   char *err, size_t errlen)
{
	int e = 0;

	if (r->fd < 0)
		e = rec_open(r, err, errlen);
	if (e)
		return e;
	/* compressed, a line adds about what the last one added */
	if (r->max_bytes && r->size &&
	    r->size + (r->fmt != TT_FMT_PLAIN ? r->last_growth : len) >
		    r->max_bytes) {
		e = rotate(r, err, errlen);
		if (e)
			return e;
	}
	e = put_line(r, line, len);
	if (e)
		snprintf(err, errlen, "record: writing %s: %s", r->path,
			 strerror(-e));
	return e;
}

int tt_recorder_write(struct tt_recorder *r, const struct tt_snapshot *s,
		      char *err, size_t errlen)
{
	char *line = tt_json_line(s);
	size_t len;
	int e;

	if (!line) {
		snprintf(err, errlen, "record: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	len = strlen(line);
	line[len] = '\n'; /* cJSON allocated len + 1: the NUL's place */
	e = tt_recorder_write_line(r, line, len + 1, err, errlen);
	free(line);
	return e;
}

void tt_recorder_close(struct tt_recorder *r)
{
	if (!r)
		return;
	rec_close_files(r);
	if (r->z_ready)
		deflateEnd(&r->z);
	ZSTD_freeCCtx(r->zc);
	free(r->cbuf);
	free(r->path);
	free(r);
}
