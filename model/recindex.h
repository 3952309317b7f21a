/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * recindex.h - the index of a recording: for each snapshot line, where it
 * starts (tt_recpos), its length and its time. The recorder keeps it
 * beside the recording as FILE.idx, so that --replay opens a day-long file
 * at once; without it, replay builds one by reading the file through.
 *
 * An index lives in a file (the sidecar, or an unlinked temporary one) and
 * is read a few entries at a time: its memory does not grow with the
 * recording's length. On disk (tracetop(5)): a 16-byte header, "TTIDX",
 * 0x01, "\r\n", the entry size (32) and 0 as 32-bit little-endian numbers;
 * then one 32-byte entry per line: point, skip (64-bit), time (IEEE 754
 * double, UNIX seconds), length (32-bit), 0 (32-bit), all little-endian.
 */
#ifndef TT_RECINDEX_H
#define TT_RECINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/recfile.h"

struct tt_idx_entry {
	struct tt_recpos at;
	double time;
	uint32_t len; /* with the newline */
};

struct tt_index;

/* The sidecar's name: path + ".idx". */
int tt_index_sidecar(const char *path, char *out, size_t outlen);

/*
 * Open (or create, 0600) a sidecar to append to. A damaged header empties
 * it, a cut last entry is dropped. -errno on failure.
 */
int tt_index_open(const char *path, struct tt_index **out);
/* An existing sidecar, read only; -ENOENT, -EINVAL (not an index)... */
int tt_index_open_ro(const char *path, struct tt_index **out);
/* An unlinked temporary index ($TMPDIR or /tmp). */
int tt_index_temp(struct tt_index **out);
void tt_index_close(struct tt_index *ix);

size_t tt_index_count(const struct tt_index *ix);
int tt_index_get(const struct tt_index *ix, size_t i, struct tt_idx_entry *e);
/* 0, or -errno: a failed append leaves the index as it was */
int tt_index_append(struct tt_index *ix, const struct tt_idx_entry *e);
/* keep the first n entries */
int tt_index_truncate(struct tt_index *ix, size_t n);
/* all of src's entries after dst's */
int tt_index_copy(struct tt_index *dst, const struct tt_index *src);
/* the first entry with time >= t, in file order; the last if none */
size_t tt_index_find_time(const struct tt_index *ix, double t);

/*
 * A line that looks like a snapshot of schema 1 (a full parse comes when
 * it is shown), and its time.
 */
bool tt_index_line_info(const char *line, size_t len, double *time);

/*
 * Read lines from f's position on and append an entry for each snapshot
 * line; *skipped counts the others (garbage, newer schemas, a cut last
 * line). Stops at the end or damaged data (the entries before stay).
 * 0, or -errno (the file or the index could not be read or written).
 */
int tt_index_scan(struct tt_recfile *f, struct tt_index *ix, size_t *skipped);

#endif
