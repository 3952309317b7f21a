/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * source.h - where the records come from: the live kernel maps, or a
 * recording. The screen and the outputs only see this interface, so live
 * and replayed data are interchangeable (as ncdu's dir.h does for scanning
 * and importing); they ask a source what it can do (tt_source_can), never
 * which kind it is.
 *
 * Contract:
 * - step() hands over the records that are due among the kinds the caller
 *   wants, and says what happened: TT_STEP_OK, or TT_STEP_WARNING (records
 *   all the same, and a message the user must see: a map that could not
 *   be read), TT_STEP_END (a recording has no more records) or
 *   TT_STEP_ERROR (nothing handed over; the message says what failed).
 * - One step may hand over several kinds of record at once (out->has):
 *   a snapshot, and the events that came (TT_REC_EVENTS). Each kind has a
 *   TT_REC_ bit and a field of struct tt_step; a caller that does not
 *   want a kind leaves its bit out of want, and is handed none.
 * - Every record handed over is the caller's (tt_snapshot_unref,
 *   tt_evbatch_free).
 * - TT_REC_EVENTS: the events the source took in during this step, in
 *   the order they came. Live: drained from the kernel's ring buffer now
 *   (before the maps are read, when a snapshot is wanted too). A
 *   recording: the events of the snapshot handed over with them. The same
 *   events are in the snapshot that closes their interval (s->events), so
 *   a caller takes them from one or the other: the batch as they happen
 *   (--trace), the snapshot with the figures around them (the screen).
 * - A TT_SRC_STREAM source takes in records between snapshots: its fd()
 *   becomes readable when some wait (events past the ring buffer's
 *   wakeup mark). Poll it beside the refresh timer and step then without
 *   TT_REC_SNAPSHOT in want, so that the kernel's buffer does not fill up
 *   and drop them: want 0 keeps them for the next snapshot only,
 *   TT_REC_EVENTS hands them over as well.
 * - A TT_SRC_REALTIME source closes an interval of the wall clock at each
 *   snapshot step: call it on the caller's schedule, and keep calling it
 *   while the screen is paused, or the next rates would span the pause.
 *   A TT_SRC_PAUSE source can hold still instead: do not step it while
 *   paused. A TT_SRC_SEEK source moves through time with seek() and tells
 *   where it is with position().
 * - A TT_SRC_WATCH source collects costly detail (today: where a
 *   process's threads block, its off-CPU stacks) for one process the
 *   caller names with watch(), from its next snapshot on, and for no
 *   other: the caller names the process the user drills into, and 0 when
 *   the user leaves it, so that zooming costs nothing until one zooms.
 */
#ifndef TT_SOURCE_H
#define TT_SOURCE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "model/snapshot.h"

/* What a source can do. */
enum {
	TT_SRC_REALTIME =
		1 << 0,	       /* each snapshot closes an interval ending now */
	TT_SRC_PAUSE = 1 << 1, /* holds still while the screen is paused */
	TT_SRC_SEEK = 1 << 2,  /* seek() and position() */
	TT_SRC_STREAM = 1 << 3, /* fd(): records wait between snapshots */
	TT_SRC_WATCH = 1 << 4,	/* watch(): detail for one process */
};

/* The kinds of record a step hands over, as bits of want and has. */
enum {
	TT_REC_SNAPSHOT = 1 << 0, /* counters of the interval that closes */
	TT_REC_EVENTS = 1 << 1,	  /* the events that came (model/evbatch.h) */
};

enum tt_outcome {
	TT_STEP_OK,	 /* the records in has */
	TT_STEP_WARNING, /* the records in has, and msg for the user */
	TT_STEP_END,	 /* no more records (a recording's end); msg says so */
	TT_STEP_ERROR,	 /* no records; msg names the operation and cause */
};

/* What one step (or seek) handed over. */
struct tt_step {
	enum tt_outcome outcome;
	unsigned has;		   /* TT_REC_* bits of the fields set below */
	struct tt_snapshot *snap;  /* TT_REC_SNAPSHOT, the caller's */
	struct tt_evbatch *events; /* TT_REC_EVENTS, the caller's */
	char msg[256];		   /* WARNING, END, ERROR */
};

/* Where a TT_SRC_SEEK source is. */
struct tt_position {
	size_t index;	/* of the record handed over last, 0-based */
	size_t count;	/* records in all */
	size_t skipped; /* lines that could not be read */
};

struct tt_source;
struct tt_evbatch;

struct tt_source_ops {
	unsigned caps; /* TT_SRC_* */
	/*
	 * The records due among want (TT_REC_*). Live: a snapshot reads the
	 * maps now and closes the interval since the last one. Replay: the
	 * next record.
	 */
	void (*step)(struct tt_source *s, unsigned want, struct tt_step *out);
	/*
	 * TT_SRC_SEEK: move by delta records (negative goes back), or to the
	 * first record at or after UNIX time t when delta is 0 (the last one
	 * if none); hands over the record there (a snapshot: its events are
	 * in it). TT_STEP_END when a move by delta stays where it was, at an
	 * end.
	 */
	void (*seek)(struct tt_source *s, long delta, double t,
		     struct tt_step *out);
	void (*position)(const struct tt_source *s, struct tt_position *pos);
	/* TT_SRC_STREAM: the descriptor to poll for POLLIN, -1 when nothing
	 * streams (events off) */
	int (*fd)(const struct tt_source *s);
	/*
	 * TT_SRC_WATCH: the process whose detail to collect (0: none); 0, or
	 * a negative errno when the detail cannot be had (its snapshots'
	 * status says why).
	 */
	int (*watch)(struct tt_source *s, uint32_t pid);
	void (*destroy)(struct tt_source *s);
};

struct tt_source {
	const struct tt_source_ops *ops;
};

static inline bool tt_source_can(const struct tt_source *s, unsigned caps)
{
	return (s->ops->caps & caps) == caps;
}

static inline enum tt_outcome tt_source_step(struct tt_source *s, unsigned want,
					     struct tt_step *out)
{
	memset(out, 0, sizeof(*out));
	s->ops->step(s, want, out);
	return out->outcome;
}

/* Only for a TT_SRC_SEEK source. */
static inline enum tt_outcome tt_source_seek(struct tt_source *s, long delta,
					     double t, struct tt_step *out)
{
	memset(out, 0, sizeof(*out));
	s->ops->seek(s, delta, t, out);
	return out->outcome;
}

/* false (and pos zeroed) for a source without TT_SRC_SEEK */
static inline bool tt_source_position(const struct tt_source *s,
				      struct tt_position *pos)
{
	memset(pos, 0, sizeof(*pos));
	if (!tt_source_can(s, TT_SRC_SEEK))
		return false;
	s->ops->position(s, pos);
	return true;
}

/* -ENOTSUP for a source without TT_SRC_WATCH */
static inline int tt_source_watch(struct tt_source *s, uint32_t pid)
{
	if (!tt_source_can(s, TT_SRC_WATCH))
		return -ENOTSUP;
	return s->ops->watch(s, pid);
}

/* -1 for a source without TT_SRC_STREAM */
static inline int tt_source_fd(const struct tt_source *s)
{
	if (!tt_source_can(s, TT_SRC_STREAM))
		return -1;
	return s->ops->fd(s);
}

static inline void tt_source_destroy(struct tt_source *s)
{
	if (s && s->ops->destroy)
		s->ops->destroy(s);
}

#endif
