// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * recindex.c - the index of a recording's lines, kept in a file and read a
 * chunk at a time (see recindex.h).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "model/outfile.h"
#include "model/recindex.h"

#define HDR_SIZE   16
#define ENTRY_SIZE 32
#define CHUNK	   ((size_t)2048) /* entries read at once: 64 KiB */
/* schema and time come first in tracetop's lines: look there before
 * reading a whole line of someone else's through */
#define HEAD_BYTES 4096

static const char idx_magic[8] = { 'T', 'T', 'I', 'D', 'X', 1, '\r', '\n' };

struct tt_index {
	int fd;
	size_t n;
};

int tt_index_sidecar(const char *path, char *out, size_t outlen)
{
	int n = snprintf(out, outlen, "%s.idx", path);

	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

static void put64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, 8);
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return le64toh(v);
}

static void put32(unsigned char *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, 4);
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return le32toh(v);
}

static void encode(unsigned char *p, const struct tt_idx_entry *e)
{
	uint64_t t;

	memcpy(&t, &e->time, 8);
	put64(p, e->at.point);
	put64(p + 8, e->at.skip);
	put64(p + 16, t);
	put32(p + 24, e->len);
	put32(p + 28, 0);
}

static void decode(const unsigned char *p, struct tt_idx_entry *e)
{
	uint64_t t = get64(p + 16);

	e->at.point = get64(p);
	e->at.skip = get64(p + 8);
	memcpy(&e->time, &t, 8);
	e->len = get32(p + 24);
}

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_header(int fd)
{
	unsigned char h[HDR_SIZE];

	memcpy(h, idx_magic, 8);
	put32(h + 8, ENTRY_SIZE);
	put32(h + 12, 0);
	if (ftruncate(fd, 0))
		return -errno;
	return pwrite_all(fd, h, sizeof(h), 0);
}

static bool header_ok(int fd)
{
	unsigned char h[HDR_SIZE];

	return pread(fd, h, sizeof(h), 0) == HDR_SIZE &&
	       !memcmp(h, idx_magic, 8) && get32(h + 8) == ENTRY_SIZE;
}

static struct tt_index *wrap(int fd, size_t n)
{
	struct tt_index *ix = calloc(1, sizeof(*ix));

	if (ix) {
		ix->fd = fd;
		ix->n = n;
	}
	return ix;
}

int tt_index_open(const char *path, struct tt_index **out)
{
	int fd = tt_open_private(path, O_RDWR | O_CREAT), e = 0;
	struct stat st;
	size_t n = 0;

	*out = NULL;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st))
		e = -errno;
	else if (st.st_size < HDR_SIZE || !header_ok(fd))
		e = write_header(fd);
	else
		n = (size_t)(st.st_size - HDR_SIZE) / ENTRY_SIZE;
	/* a cut last entry: from a writer killed in the middle of it */
	if (!e && ftruncate(fd, (off_t)(HDR_SIZE + n * ENTRY_SIZE)))
		e = -errno;
	if (!e && !(*out = wrap(fd, n)))
		e = -ENOMEM;
	if (e)
		close(fd);
	return e;
}

int tt_index_open_ro(const char *path, struct tt_index **out)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), e = 0;
	struct stat st;

	*out = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		e = -errno;
	else if (!S_ISREG(st.st_mode) || st.st_size < HDR_SIZE ||
		 !header_ok(fd))
		e = -EINVAL;
	else if (!(*out = wrap(fd,
			       (size_t)(st.st_size - HDR_SIZE) / ENTRY_SIZE)))
		e = -ENOMEM;
	if (e)
		close(fd);
	return e;
}

int tt_index_temp(struct tt_index **out)
{
	const char *dir = getenv("TMPDIR");
	int fd = -1, e;

	*out = NULL;
	if (dir && *dir)
		fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) /* no tmpfile support: memory, 32 bytes a line */
		fd = memfd_create("tracetop-index", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = write_header(fd);
	if (!e && !(*out = wrap(fd, 0)))
		e = -ENOMEM;
	if (e)
		close(fd);
	return e;
}

void tt_index_close(struct tt_index *ix)
{
	if (!ix)
		return;
	close(ix->fd);
	free(ix);
}

size_t tt_index_count(const struct tt_index *ix)
{
	return ix->n;
}

static off_t entry_off(size_t i)
{
	return (off_t)(HDR_SIZE + (uint64_t)i * ENTRY_SIZE);
}

int tt_index_get(const struct tt_index *ix, size_t i, struct tt_idx_entry *e)
{
	unsigned char p[ENTRY_SIZE];

	if (i >= ix->n)
		return -ERANGE;
	if (pread(ix->fd, p, sizeof(p), entry_off(i)) != ENTRY_SIZE)
		return -EIO;
	decode(p, e);
	return 0;
}

int tt_index_append(struct tt_index *ix, const struct tt_idx_entry *e)
{
	unsigned char p[ENTRY_SIZE];
	int r;

	encode(p, e);
	r = pwrite_all(ix->fd, p, sizeof(p), entry_off(ix->n));
	if (r) {
		/* no half entry behind: the next append would be skewed */
		(void)!ftruncate(ix->fd, entry_off(ix->n));
		return r;
	}
	ix->n++;
	return 0;
}

int tt_index_truncate(struct tt_index *ix, size_t n)
{
	if (n >= ix->n)
		return 0;
	if (ftruncate(ix->fd, entry_off(n)))
		return -errno;
	ix->n = n;
	return 0;
}

/* entries [i, i + k) of ix into buf; how many were read */
static size_t read_chunk(const struct tt_index *ix, size_t i,
			 unsigned char *buf, size_t k)
{
	ssize_t n;

	if (i + k > ix->n)
		k = ix->n - i;
	n = pread(ix->fd, buf, k * ENTRY_SIZE, entry_off(i));
	return n > 0 ? (size_t)n / ENTRY_SIZE : 0;
}

int tt_index_copy(struct tt_index *dst, const struct tt_index *src)
{
	unsigned char *buf = malloc(CHUNK * ENTRY_SIZE);
	int e = 0;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; !e && i < src->n;) {
		size_t k = read_chunk(src, i, buf, CHUNK);

		if (!k)
			e = -EIO;
		else
			e = pwrite_all(dst->fd, buf, k * ENTRY_SIZE,
				       entry_off(dst->n));
		if (!e) {
			dst->n += k;
			i += k;
		}
	}
	free(buf);
	return e;
}

size_t tt_index_find_time(const struct tt_index *ix, double t)
{
	unsigned char *buf = malloc(CHUNK * ENTRY_SIZE);
	size_t found = ix->n ? ix->n - 1 : 0;

	/* in file order, not a bisection: a clock set back mid-recording
	 * leaves times out of order */
	for (size_t i = 0; buf && i < ix->n;) {
		size_t k = read_chunk(ix, i, buf, CHUNK);
		bool hit = false;

		for (size_t j = 0; j < k && !hit; j++) {
			struct tt_idx_entry e;

			decode(buf + j * ENTRY_SIZE, &e);
			if (e.time >= t) {
				found = i + j;
				hit = true;
			}
		}
		if (hit || !k)
			break;
		i += k;
	}
	free(buf);
	return found;
}

static const char *find(const char *line, size_t len, const char *what)
{
	size_t wl = strlen(what);
	const char *p =
		memmem(line, len < HEAD_BYTES ? len : HEAD_BYTES, what, wl);

	return p ? p : memmem(line, len, what, wl);
}

bool tt_index_line_info(const char *line, size_t len, double *time)
{
	const char *t;
	struct tm tm = { 0 };
	char *end;

	*time = 0;
	if (!len || line[0] != '{' || !find(line, len, "\"schema\":1,"))
		return false;
	t = find(line, len, "\"time\":\"");
	if (!t)
		return true;
	end = strptime(t + 8, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return true;
	*time = (double)timegm(&tm);
	/* the fraction by hand: strtod() would follow the locale */
	if (*end == '.') {
		long frac = 0, unit = 1;

		for (end++; *end >= '0' && *end <= '9' && unit < 1000000000;
		     end++, unit *= 10)
			frac = frac * 10 + (*end - '0');
		*time += (double)frac / (double)unit;
	}
	return true;
}

int tt_index_scan(struct tt_recfile *f, struct tt_index *ix, size_t *skipped)
{
	for (;;) {
		struct tt_idx_entry e;
		const char *line;
		ssize_t n = tt_recfile_line(f, &line, &e.at);
		int r;

		if (n == TT_LINE_END)
			return 0;
		if (n == TT_LINE_ERR)
			return errno ? -errno : -EIO;
		if (n == TT_LINE_CUT) {
			(*skipped)++;
			return 0;
		}
		if (n == TT_LINE_LONG ||
		    !tt_index_line_info(line, (size_t)n, &e.time)) {
			(*skipped)++;
			continue;
		}
		e.len = (uint32_t)n;
		r = tt_index_append(ix, &e);
		if (r)
			return r;
	}
}
