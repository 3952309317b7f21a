/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * json_parse.h - a JSON snapshot line back into a snapshot, for replay.
 * Missing fields read as zero; a line that is not a JSON object, or of a
 * schema newer than this build reads, is refused with a reason.
 */
#ifndef TT_JSON_PARSE_H
#define TT_JSON_PARSE_H

#include <stddef.h>
#include "model/snapshot.h"

struct tt_snapshot *tt_json_parse(const char *line, size_t len, char *err,
				  size_t errlen);

#endif
