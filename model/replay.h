/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * replay.h - a recording (JSON Lines, plain or gzip) as a source. No BPF,
 * no privileges. Truncated, garbage and newer-schema lines are skipped and
 * counted, never fatal.
 */
#ifndef TT_REPLAY_H
#define TT_REPLAY_H

#include "model/source.h"

int tt_replay_open(const char *path, struct tt_source **out, char *err,
		   size_t errlen);

/* Lines skipped so far (unreadable or of another schema), records in all,
 * and the current position (0-based). */
void tt_replay_counts(struct tt_source *s, size_t *skipped, size_t *records,
		      size_t *pos);

#endif
