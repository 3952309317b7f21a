// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * outfile.c - the X export and the recorder.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include <zlib.h>
#include "model/evlog.h"
#include "model/json.h"
#include "model/outfile.h"

int tt_open_private(const char *path, int flags)
{
	int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
	struct stat st;

	if (fd < 0)
		return -errno;
	/* appending to someone else's file or a device is not for us */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_uid != geteuid() && !(flags & O_EXCL))) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void export_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int tt_export_snapshot(const char *dir, const struct tt_snapshot *s,
		       const struct tt_export_ctx *ctx, char *path,
		       size_t pathlen, char *err, size_t errlen)
{
	char tmp[4096], when[32];
	time_t t = (time_t)s->time;
	cJSON *o = tt_json_snapshot(s);
	char *text = NULL;
	struct tm tm;
	int fd = -1, e = 0;

	if (!o)
		e = -ENOMEM;
	if (!e && ctx) {
		cJSON *ui = cJSON_AddObjectToObject(o, "ui");

		cJSON_AddStringToObject(ui, "view", ctx->view ? ctx->view : "");
		cJSON_AddStringToObject(ui, "sort", ctx->sort ? ctx->sort : "");
		cJSON_AddBoolToObject(ui, "sort_descending", ctx->sort_desc);
		cJSON_AddStringToObject(ui, "filter",
					ctx->filter ? ctx->filter : "");
		if (ctx->pid)
			cJSON_AddNumberToObject(ui, "pid", ctx->pid);
		/* the events the screen kept, beyond this interval's */
		if (ctx->events)
			cJSON_AddItemToObject(
				o, "recent_events",
				tt_evlog_json(ctx->events, ctx->nevents));
	}
	if (!e && !(text = cJSON_PrintUnformatted(o)))
		e = -ENOMEM;
	cJSON_Delete(o);
	if (e) {
		snprintf(err, errlen, "export: %s", strerror(-e));
		return e;
	}
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	snprintf(path, pathlen, "%s/tracetop-%s.json", dir, when);
	snprintf(tmp, sizeof(tmp), "%s/.tracetop-%s.json.%d.tmp", dir, when,
		 (int)getpid());
	/* O_EXCL: never through a symlink or someone's planted file */
	fd = tt_open_private(tmp, O_WRONLY | O_CREAT | O_EXCL);
	if (fd < 0) {
		snprintf(err, errlen, "export: creating a file in %s: %s", dir,
			 strerror(-fd));
		free(text);
		return fd;
	}
	e = write_all(fd, text, strlen(text));
	if (!e)
		e = write_all(fd, "\n", 1);
	if (!e && fsync(fd))
		e = -errno;
	if (close(fd) && !e)
		e = -errno;
	/* two X in one second: -2, -3... rather than replace the first */
	for (int n = 2; !e && renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
					RENAME_NOREPLACE); n++) {
		e = -errno;
		if (e != -EEXIST || n > 99)
			break;
		e = 0;
		snprintf(path, pathlen, "%s/tracetop-%s-%d.json", dir, when, n);
	}
	if (!e)
		export_sync_dir(dir); /* the rename itself survives a crash */
	free(text);
	if (e) {
		unlink(tmp);
		snprintf(err, errlen, "export: writing %s: %s", path,
			 strerror(-e));
		return e;
	}
	return 0;
}

/* ---- recorder ------------------------------------------------------------ */

struct tt_recorder {
	char *path;
	bool gz;
	uint64_t max_bytes, size;
	uint64_t last_growth; /* bytes the last line added to the file */
	int fd;
	gzFile z;
};

/*
 * A gzip recording whose writer was killed ends in a member without its
 * trailer. Readers stop there, so a member appended after it would never
 * be read. Rewrite the complete lines it holds as one whole member (to a
 * temporary file, then rename), and append after that.
 */
static int rec_repair_gz(const char *path, char *err, size_t errlen)
{
	gzFile in = gzopen(path, "rb"), out = NULL;
	char tmp[4096], *line = NULL;
	size_t cap = 0, len = 0;
	int zerr = Z_OK, fd = -1, e = 0;

	if (!in)
		return 0; /* not there yet: nothing to repair */
	while (gzread(in, tmp, sizeof(tmp)) > 0)
		;
	gzerror(in, &zerr);
	gzclose(in);
	if (zerr == Z_OK)
		return 0; /* ends cleanly */
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	fd = tt_open_private(tmp, O_WRONLY | O_CREAT | O_EXCL);
	in = gzopen(path, "rb");
	out = fd >= 0 ? gzdopen(fd, "wb") : NULL;
	if (!in || !out)
		e = fd < 0 ? fd : -ENOMEM;
	/* line by line: only whole lines go over, a cut one is not a
	 * snapshot */
	while (!e) {
		if (cap - len < 2) {
			char *b = realloc(line, cap ? cap * 2 : 65536);

			if (!b) {
				e = -ENOMEM;
				break;
			}
			line = b;
			cap = cap ? cap * 2 : 65536;
		}
		if (!gzgets(in, line + len, (int)(cap - len)))
			break;
		len += strlen(line + len);
		if (!len || line[len - 1] != '\n')
			continue; /* more of the same line */
		if (gzwrite(out, line, (unsigned)len) != (int)len)
			e = -EIO;
		len = 0;
	}
	free(line);
	if (in)
		gzclose(in);
	if (out && gzclose(out) != Z_OK && !e)
		e = -EIO;
	else if (!out && fd >= 0)
		close(fd);
	if (!e && rename(tmp, path))
		e = -errno;
	if (e) {
		unlink(tmp);
		snprintf(err, errlen, "record: repairing the cut end of %s: %s",
			 path, strerror(-e));
	}
	return e;
}

static int rec_open(struct tt_recorder *r, char *err, size_t errlen)
{
	struct stat st;

	r->fd = tt_open_private(r->path, O_WRONLY | O_CREAT | O_APPEND);
	if (r->fd < 0) {
		snprintf(err, errlen, "record: opening %s: %s", r->path,
			 r->fd == -EPERM ? "not a regular file of ours"
					 : strerror(-r->fd));
		return r->fd;
	}
	r->size = fstat(r->fd, &st) ? 0 : (uint64_t)st.st_size;
	if (r->gz) {
		/* appended gzip members read back as one stream */
		r->z = gzdopen(dup(r->fd), "ab");
		if (!r->z) {
			snprintf(err, errlen, "record: gzip on %s: %s", r->path,
				 strerror(ENOMEM));
			close(r->fd);
			return -ENOMEM;
		}
	}
	return 0;
}

static void rec_close_files(struct tt_recorder *r)
{
	if (r->z)
		gzclose(r->z);
	if (r->fd >= 0)
		close(r->fd);
	r->z = NULL;
	r->fd = -1;
}

int tt_recorder_open(const char *path, uint64_t max_bytes,
		     struct tt_recorder **out, char *err, size_t errlen)
{
	struct tt_recorder *r = calloc(1, sizeof(*r));
	size_t n = strlen(path);
	int e;

	if (!r || !(r->path = strdup(path))) {
		free(r);
		snprintf(err, errlen, "record: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r->gz = n > 3 && !strcmp(path + n - 3, ".gz");
	r->max_bytes = max_bytes;
	e = r->gz ? rec_repair_gz(path, err, errlen) : 0;
	if (!e)
		e = rec_open(r, err, errlen);
	if (e) {
		free(r->path);
		free(r);
		return e;
	}
	*out = r;
	return 0;
}

static int rotate(struct tt_recorder *r, char *err, size_t errlen)
{
	char old[4096];

	rec_close_files(r);
	snprintf(old, sizeof(old), "%s.1", r->path);
	if (rename(r->path, old)) {
		snprintf(err, errlen, "record: rotating %s: %s", r->path,
			 strerror(errno));
		return -errno;
	}
	return rec_open(r, err, errlen);
}

int tt_recorder_write(struct tt_recorder *r, const struct tt_snapshot *s,
		      char *err, size_t errlen)
{
	char *line = tt_json_line(s);
	size_t len;
	int e = 0;

	if (!line) {
		snprintf(err, errlen, "record: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	len = strlen(line);
	line[len] = '\n'; /* cJSON allocated len + 1: the NUL's place */
	if (r->fd < 0)
		e = rec_open(r, err, errlen);
	/* compressed, a line adds about what the last one added */
	if (!e && r->max_bytes && r->size &&
	    r->size + (r->gz ? r->last_growth : len + 1) > r->max_bytes)
		e = rotate(r, err, errlen);
	if (e) {
		free(line);
		return e;
	}
	if (r->gz) {
		/* a full flush per line: a crash leaves every line readable */
		if (gzwrite(r->z, line, (unsigned)len + 1) != (int)len + 1 ||
		    gzflush(r->z, Z_FULL_FLUSH) != Z_OK) {
			int zerr = Z_OK;

			/* a failed write() (ENOSPC...) says more than EIO */
			e = -EIO;
			gzerror(r->z, &zerr);
			if (zerr == Z_ERRNO && errno)
				e = -errno;
		} else {
			struct stat st;
			uint64_t was = r->size;

			r->size = fstat(r->fd, &st) ? r->size
						   : (uint64_t)st.st_size;
			r->last_growth = r->size - was;
		}
	} else {
		e = write_all(r->fd, line, len + 1);
		if (!e)
			r->size += len + 1;
		else /* cut the half line; if even that fails, replay skips it */
			(void)!ftruncate(r->fd, (off_t)r->size);
	}
	free(line);
	if (e)
		snprintf(err, errlen, "record: writing %s: %s", r->path,
			 strerror(-e));
	return e;
}

void tt_recorder_close(struct tt_recorder *r)
{
	if (!r)
		return;
	rec_close_files(r);
	free(r->path);
	free(r);
}
