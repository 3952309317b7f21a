// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * recfile.c - lines of a plain, gzip or zstd recording from any seek point
 * (see recfile.h). zlib and libzstd decode; this file only keeps track of
 * where each member or frame began and how far into it a line starts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "model/recfile.h"

#define IN_SIZE	 ((size_t)128 * 1024)
#define OUT_SIZE ((size_t)128 * 1024)
/* our writer's frames need 8 MiB (window log 23); a file that asks for
 * far more is not ours, and would cost that much memory */
#define ZST_WINDOW_LOG_MAX 25

#define ZST_MAGIC      0xFD2FB528u
#define ZST_SKIP_MAGIC 0x184D2A50u /* ... 0x184D2A5F: skippable frames */
#define ZST_SKIP_MASK  0xFFFFFFF0u

static const unsigned char zst_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

enum {
	ST_OK,	 /* more may come */
	ST_END,	 /* the data ended at a seek point: clean */
	ST_OPEN, /* the data ended inside a member or frame (killed writer) */
	ST_BAD,	 /* damaged data: nothing after it is read */
	ST_ERR,	 /* the file could not be read */
};

struct tt_recfile {
	int fd;
	enum tt_recfmt fmt;
	int st;
	bool in_frame; /* inside a gzip member or zstd frame */
	bool bad_told; /* ST_BAD was reported as TT_LINE_CUT once */
	bool partial;  /* the data ended inside a line */
	size_t in_pos, in_len;
	uint64_t in_next; /* file offset just after in[in_len - 1] */
	bool in_eof;
	size_t out_pos, out_len;
	uint64_t out_at;   /* decoded offset of out[0], from the seek */
	uint64_t origin;   /* plain: the file offset of decoded offset 0 */
	uint64_t point;	   /* the seek point in effect... */
	uint64_t point_at; /* ...and the decoded offset where it starts */
	z_stream z;
	bool z_ready;
	ZSTD_DCtx *zd;
	char *line;
	size_t cap;
	unsigned char in[IN_SIZE];
	char out[OUT_SIZE];
};

const char *tt_recfmt_name(enum tt_recfmt fmt)
{
	return fmt == TT_FMT_GZIP   ? "gzip"
	       : fmt == TT_FMT_ZSTD ? "zstd"
				    : "plain";
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* file offset of in[in_pos] */
static uint64_t in_offset(const struct tt_recfile *f)
{
	return f->in_next - (f->in_len - f->in_pos);
}

/* at least want bytes at in + in_pos if the file has them; how many, or
 * -1 when reading failed */
static ssize_t in_want(struct tt_recfile *f, size_t want)
{
	size_t have = f->in_len - f->in_pos;

	while (have < want && !f->in_eof) {
		ssize_t n;

		memmove(f->in, f->in + f->in_pos, have);
		f->in_pos = 0;
		f->in_len = have;
		n = pread(f->fd, f->in + have, IN_SIZE - have,
			  (off_t)f->in_next);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			f->st = ST_ERR;
			return -1;
		}
		if (n == 0)
			f->in_eof = true;
		f->in_len += (size_t)n;
		f->in_next += (uint64_t)n;
		have += (size_t)n;
	}
	return (ssize_t)have;
}

static void new_point(struct tt_recfile *f)
{
	f->point = in_offset(f);
	f->point_at = f->out_at; /* refill() runs with nothing left in out */
}

/* at a member's or frame's start: what begins here */
static bool at_start(struct tt_recfile *f, size_t need)
{
	ssize_t n = in_want(f, need);

	if (n < 0)
		return false;
	if (n == 0) {
		f->st = ST_END;
		return false;
	}
	new_point(f); /* garbage here too: a writer resuming cuts it off */
	if ((size_t)n < need) {
		f->st = ST_BAD;
		return false;
	}
	return true;
}

static void gz_step(struct tt_recfile *f)
{
	ssize_t n;
	int r;

	if (!f->in_frame) {
		if (!at_start(f, 2))
			return;
		if (f->in[f->in_pos] != 0x1f || f->in[f->in_pos + 1] != 0x8b) {
			f->st = ST_BAD;
			return;
		}
		inflateReset(&f->z);
		f->in_frame = true;
	}
	n = in_want(f, 1);
	if (n <= 0) {
		f->st = n < 0 ? ST_ERR : ST_OPEN;
		return;
	}
	f->z.next_in = f->in + f->in_pos;
	f->z.avail_in = (uInt)n;
	f->z.next_out = (Bytef *)f->out;
	f->z.avail_out = OUT_SIZE;
	r = inflate(&f->z, Z_NO_FLUSH);
	f->in_pos += (size_t)n - f->z.avail_in;
	f->out_len = OUT_SIZE - f->z.avail_out;
	if (r == Z_STREAM_END)
		f->in_frame = false;
	else if (r != Z_OK && r != Z_BUF_ERROR)
		f->st = ST_BAD;
}

static void zst_step(struct tt_recfile *f)
{
	ZSTD_inBuffer ib;
	ZSTD_outBuffer ob = { f->out, OUT_SIZE, 0 };
	ssize_t n;
	size_t r;

	if (!f->in_frame) {
		uint32_t magic;

		if (!at_start(f, 8))
			return;
		magic = le32(f->in + f->in_pos);
		if ((magic & ZST_SKIP_MASK) == ZST_SKIP_MAGIC) {
			/* someone's metadata: step over it */
			uint64_t len =
				8 + (uint64_t)le32(f->in + f->in_pos + 4);
			uint64_t have = f->in_len - f->in_pos;

			if (len <= have) {
				f->in_pos += (size_t)len;
			} else {
				f->in_next += len - have;
				f->in_pos = f->in_len;
			}
			return;
		}
		if (magic != ZST_MAGIC) {
			f->st = ST_BAD;
			return;
		}
		ZSTD_DCtx_reset(f->zd, ZSTD_reset_session_only);
		f->in_frame = true;
	}
	n = in_want(f, 1);
	if (n < 0) {
		f->st = ST_ERR;
		return;
	}
	/* with no bytes left, once more: the decoder may still hold the
	 * end of a block that did not fit into out (a killed writer's
	 * last line) */
	ib = (ZSTD_inBuffer){ f->in + f->in_pos, (size_t)n, 0 };
	r = ZSTD_decompressStream(f->zd, &ob, &ib);
	f->in_pos += ib.pos;
	f->out_len = ob.pos;
	if (ZSTD_isError(r))
		f->st = ST_BAD;
	else if (r == 0) /* the frame is whole and all of it is out */
		f->in_frame = false;
	else if (!n && !ob.pos)
		f->st = ST_OPEN;
}

static void plain_step(struct tt_recfile *f)
{
	ssize_t n = pread(f->fd, f->out, OUT_SIZE, (off_t)f->in_next);

	if (n < 0) {
		if (errno != EINTR)
			f->st = ST_ERR;
		return;
	}
	if (n == 0) {
		f->st = ST_END;
		return;
	}
	f->in_next += (uint64_t)n;
	f->out_len = (size_t)n;
}

/* the next decoded bytes into out, once out is used up */
static void refill(struct tt_recfile *f)
{
	f->out_at += f->out_len;
	f->out_pos = f->out_len = 0;
	while (f->st == ST_OK && !f->out_len) {
		if (f->fmt == TT_FMT_GZIP)
			gz_step(f);
		else if (f->fmt == TT_FMT_ZSTD)
			zst_step(f);
		else
			plain_step(f);
	}
}

static void here(const struct tt_recfile *f, struct tt_recpos *at)
{
	uint64_t pos = f->out_at + f->out_pos;

	if (f->fmt == TT_FMT_PLAIN) {
		at->point = f->origin + pos;
		at->skip = 0;
	} else {
		at->point = f->point;
		at->skip = pos - f->point_at;
	}
}

void tt_recfile_tell(const struct tt_recfile *f, struct tt_recpos *at)
{
	/* used up at a member's or frame's end: the next line is the next
	 * one's first */
	if (f->fmt != TT_FMT_PLAIN && f->out_pos == f->out_len &&
	    !f->in_frame) {
		at->point = in_offset(f);
		at->skip = 0;
		return;
	}
	here(f, at);
}

int tt_recfile_seek(struct tt_recfile *f, const struct tt_recpos *at)
{
	uint64_t left = at->skip;

	f->st = ST_OK;
	f->in_frame = f->bad_told = f->partial = f->in_eof = false;
	f->in_pos = f->in_len = f->out_pos = f->out_len = 0;
	f->out_at = 0;
	f->in_next = f->point = at->point;
	f->point_at = 0;
	if (f->fmt == TT_FMT_PLAIN) {
		f->in_next = f->origin = at->point + at->skip;
		return 0;
	}
	while (left) {
		size_t take;

		if (f->out_pos == f->out_len)
			refill(f);
		if (f->out_pos == f->out_len)
			return -EIO;
		take = f->out_len - f->out_pos;
		take = take < left ? take : (size_t)left;
		f->out_pos += take;
		left -= take;
	}
	return 0;
}

static ssize_t no_line(struct tt_recfile *f)
{
	if (f->st == ST_ERR)
		return TT_LINE_ERR;
	if (f->st == ST_BAD && !f->bad_told) {
		f->bad_told = true;
		return TT_LINE_CUT;
	}
	return TT_LINE_END;
}

static int grow(struct tt_recfile *f, size_t need)
{
	size_t cap = f->cap ? f->cap : 65536;
	char *b;

	while (cap < need)
		cap *= 2;
	if (cap == f->cap)
		return 0;
	b = realloc(f->line, cap);
	if (!b)
		return -1;
	f->line = b;
	f->cap = cap;
	return 0;
}

ssize_t tt_recfile_line(struct tt_recfile *f, const char **line,
			struct tt_recpos *at)
{
	size_t len = 0;
	bool too_long = false;

	if (f->out_pos == f->out_len)
		refill(f);
	here(f, at);
	if (f->out_pos == f->out_len)
		return no_line(f);
	for (;;) {
		const char *s, *nl;
		size_t take;

		if (f->out_pos == f->out_len)
			refill(f);
		if (f->out_pos == f->out_len) {
			/* the data ends inside this line */
			f->partial = true;
			f->bad_told = true;
			return f->st == ST_ERR ? TT_LINE_ERR : TT_LINE_CUT;
		}
		s = f->out + f->out_pos;
		nl = memchr(s, '\n', f->out_len - f->out_pos);
		take = nl ? (size_t)(nl - s) + 1 : f->out_len - f->out_pos;
		if (!too_long && len + take > TT_RECFILE_MAX_LINE)
			too_long = true;
		if (!too_long) {
			if (grow(f, len + take + 1)) {
				errno = ENOMEM;
				return TT_LINE_ERR;
			}
			memcpy(f->line + len, s, take);
			len += take;
		}
		f->out_pos += take;
		if (nl)
			break;
	}
	if (too_long)
		return TT_LINE_LONG;
	f->line[len] = '\0';
	*line = f->line;
	return (ssize_t)len;
}

bool tt_recfile_clean(const struct tt_recfile *f)
{
	return f->st == ST_END && !f->partial;
}

enum tt_recfmt tt_recfile_format(const struct tt_recfile *f)
{
	return f->fmt;
}

int tt_recfile_fdopen(int fd, struct tt_recfile **out)
{
	struct tt_recfile *f = calloc(1, sizeof(*f));
	unsigned char m[4] = { 0 };
	ssize_t n;
	struct tt_recpos start = { 0, 0 };

	*out = NULL;
	if (!f)
		return -ENOMEM;
	f->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (f->fd < 0) {
		free(f);
		return -errno;
	}
	do
		n = pread(f->fd, m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = -errno;

		tt_recfile_close(f);
		return e;
	}
	/* by the content: a rotated file.1 keeps no suffix. A file cut
	 * inside its first magic number is still of that kind. */
	if (n >= 1 && m[0] == 0x1f && (n == 1 || m[1] == 0x8b))
		f->fmt = TT_FMT_GZIP;
	else if ((n >= 1 && !memcmp(m, zst_magic, (size_t)n)) ||
		 (n == 4 && (le32(m) & ZST_SKIP_MASK) == ZST_SKIP_MAGIC))
		f->fmt = TT_FMT_ZSTD;
	if (f->fmt == TT_FMT_GZIP) {
		/* 16 + 15: gzip only, the largest window */
		f->z_ready = inflateInit2(&f->z, 16 + MAX_WBITS) == Z_OK;
		if (!f->z_ready) {
			tt_recfile_close(f);
			return -ENOMEM;
		}
	} else if (f->fmt == TT_FMT_ZSTD) {
		f->zd = ZSTD_createDCtx();
		if (!f->zd) {
			tt_recfile_close(f);
			return -ENOMEM;
		}
		ZSTD_DCtx_setParameter(f->zd, ZSTD_d_windowLogMax,
				       ZST_WINDOW_LOG_MAX);
	}
	tt_recfile_seek(f, &start);
	*out = f;
	return 0;
}

int tt_recfile_open(const char *path, struct tt_recfile **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	*out = NULL;
	if (fd < 0)
		return -errno;
	e = tt_recfile_fdopen(fd, out);
	close(fd);
	return e;
}

void tt_recfile_close(struct tt_recfile *f)
{
	if (!f)
		return;
	if (f->z_ready)
		inflateEnd(&f->z);
	ZSTD_freeDCtx(f->zd);
	if (f->fd >= 0)
		close(f->fd);
	free(f->line);
	free(f);
}
