/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * replay.h - a recording (JSON Lines, plain, gzip or zstd) as a source. No BPF,
 * no privileges. Truncated, garbage and newer-schema lines are skipped and
 * counted (tt_source_position), never fatal. It can pause and seek.
 */
#ifndef TT_REPLAY_H
#define TT_REPLAY_H

#include "model/source.h"

int tt_replay_open(const char *path, struct tt_source **out, char *err,
		   size_t errlen);

#endif
