/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * recorder.h - --record: snapshots appended to a file as JSON Lines,
 * plain, gzip (FILE.gz) or zstd (FILE.zst), with an index beside it
 * (FILE.idx, see recindex.h) and rotation at a size.
 *
 * Whatever stops it - kill -9, a full disk, a power cut after the data
 * reached the disk - every snapshot written whole before stays readable:
 * plain lines are cut back on a failed write; gzip has one member per
 * line; zstd flushes each line and closes its frame every
 * TT_ZST_FRAME_RAW bytes. A recorder that opens a file left so repairs
 * its end before it appends (tracetop(5), Recording).
 */
#ifndef TT_RECORDER_H
#define TT_RECORDER_H

#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

struct tt_recorder;

/*
 * Open FILE for appending snapshots (its format by its name: .gz, .zst,
 * or plain). max_bytes > 0 rotates FILE to FILE.1 when it would grow past
 * that size. Files are created 0600, never through a symlink.
 */
int tt_recorder_open(const char *path, uint64_t max_bytes,
		     struct tt_recorder **out, char *err, size_t errlen);
/* Append one snapshot as one line, flushed: a crash loses at most it. */
int tt_recorder_write(struct tt_recorder *r, const struct tt_snapshot *s,
		      char *err, size_t errlen);
/* The same for a line already made; line[len - 1] is its newline. */
int tt_recorder_write_line(struct tt_recorder *r, const char *line, size_t len,
			   char *err, size_t errlen);
/* Close the zstd frame: the file ends cleanly. */
void tt_recorder_close(struct tt_recorder *r);

#endif
