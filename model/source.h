/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * source.h - where snapshots come from: the live kernel maps, or a
 * recording. The screen and the outputs only see this interface, so live
 * and replayed data are interchangeable (as ncdu's dir.h does for scanning
 * and importing).
 */
#ifndef TT_SOURCE_H
#define TT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include "model/snapshot.h"

struct tt_source {
	bool live; /* false: a recording; no BPF, no privileges */
	/*
	 * The next snapshot, owned by the caller (tt_snapshot_unref).
	 * Live: reads the maps now and closes the interval since the last
	 * call. Replay: the next record. NULL at the end of a recording or
	 * on error, with a message in err.
	 */
	struct tt_snapshot *(*next)(struct tt_source *s, char *err,
				    size_t errlen);
	/*
	 * Replay only (NULL when live): move by delta records (negative goes
	 * back), or to the first record at or after UNIX time t when delta is
	 * 0 and t > 0; returns the snapshot there, owned by the caller.
	 */
	struct tt_snapshot *(*seek)(struct tt_source *s, long delta, double t);
	void (*destroy)(struct tt_source *s);
	void *priv;
};

static inline void tt_source_destroy(struct tt_source *s)
{
	if (s && s->destroy)
		s->destroy(s);
}

#endif
