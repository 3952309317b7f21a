// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * outfile.c - the X export, and files opened privately.
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
	for (int n = 2;
	     !e && renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE);
	     n++) {
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
