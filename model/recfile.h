/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * recfile.h - the lines of a recording, plain, gzip or zstd (told by the
 * content, not the name), read from any seek point.
 *
 * A seek point is where decoding can start without what came before: any
 * line of a plain file, the start of a gzip member or of a zstd frame. A
 * line's position is its seek point and the decoded bytes from there to
 * the line (skip): tracetop's recorder writes a gzip member per line and
 * closes a zstd frame every TT_ZST_FRAME_RAW bytes, so going to any line
 * decodes at most that much. A file written by another tool (gzip -c) may
 * have one point only: correct, but slow to seek.
 *
 * Only buffers of fixed size and the longest line are kept in memory.
 */
#ifndef TT_RECFILE_H
#define TT_RECFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* the raw bytes of a zstd frame the recorder writes before it closes it:
 * what a seek decodes at most (tens of milliseconds) */
#define TT_ZST_FRAME_RAW (64u << 20)
/* a longer line is garbage, skipped without being kept */
#define TT_RECFILE_MAX_LINE (256u << 20)

enum tt_recfmt { TT_FMT_PLAIN, TT_FMT_GZIP, TT_FMT_ZSTD };

/* where a line starts */
struct tt_recpos {
	uint64_t point; /* file offset of the seek point */
	uint64_t skip;	/* decoded bytes from the point to the line */
};

/* what tt_recfile_line() returns besides a length */
enum {
	TT_LINE_END = 0,   /* no more lines */
	TT_LINE_CUT = -1,  /* a last line without its end, or damaged data:
			      the lines before are whole, none follows */
	TT_LINE_LONG = -2, /* a line over TT_RECFILE_MAX_LINE, skipped */
	TT_LINE_ERR = -3,  /* reading the file failed (errno kept) */
};

struct tt_recfile;

/* 0, or -errno (the file cannot be opened or read) */
int tt_recfile_open(const char *path, struct tt_recfile **out);
/* the same on a descriptor the caller keeps open (dup()ed here) */
int tt_recfile_fdopen(int fd, struct tt_recfile **out);
void tt_recfile_close(struct tt_recfile *f);
enum tt_recfmt tt_recfile_format(const struct tt_recfile *f);
const char *tt_recfmt_name(enum tt_recfmt fmt);

/* Go to a line's position. 0, or -EIO when the data ends before it. */
int tt_recfile_seek(struct tt_recfile *f, const struct tt_recpos *at);

/*
 * The next line (with its newline) in *line, valid until the next call;
 * its position in *at (also for TT_LINE_CUT and TT_LINE_LONG). Returns
 * its length, or a TT_LINE_* value.
 */
ssize_t tt_recfile_line(struct tt_recfile *f, const char **line,
			struct tt_recpos *at);

/* Where the next line would start (without reading it). */
void tt_recfile_tell(const struct tt_recfile *f, struct tt_recpos *at);

/*
 * After TT_LINE_END: the data ended cleanly - a closed zstd frame, a whole
 * gzip member, a plain file's last newline. False after a writer was
 * killed (every whole line before is still read).
 */
bool tt_recfile_clean(const struct tt_recfile *f);

#endif
