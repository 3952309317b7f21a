/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * outfile.h - files tracetop writes: the X export (atomic: a temporary file
 * in the same directory, fsync, rename), and the private open that it and
 * the recorder (recorder.h) share. Files are created 0600, never through a
 * symlink.
 */
#ifndef TT_OUTFILE_H
#define TT_OUTFILE_H

#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

struct tt_evlog;

/* What the screen showed, kept with an export. */
struct tt_export_ctx {
	const char *view; /* "processes", "syscalls", ... */
	const char *sort; /* column name */
	bool sort_desc;
	const char *filter; /* "" for none */
	uint32_t pid;	    /* the drilled-into PID, 0 for none */
	/* the oldest nevents of events: "recent_events" (NULL: none) */
	const struct tt_evlog *events;
	size_t nevents;
};

/*
 * Write s (with ctx when not NULL) to dir/tracetop-YYYYmmdd-HHMMSS.json
 * atomically. Returns 0 and the path in path, or -errno with the reason
 * (operation and cause) in err; no partial file is left either way.
 */
int tt_export_snapshot(const char *dir, const struct tt_snapshot *s,
		       const struct tt_export_ctx *ctx, char *path,
		       size_t pathlen, char *err, size_t errlen);

/* Open path for writing as a new or appended regular file: 0600, no
 * symlinks, no world-writable directory without O_EXCL. */
int tt_open_private(const char *path, int flags);

#endif
