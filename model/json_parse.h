/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * json_parse.h - a JSON snapshot line back into a snapshot, for replay.
 * Missing fields read as zero; a line that is not a JSON object, or of a
 * schema newer than this build reads, is refused with a reason.
 */
#ifndef TT_JSON_PARSE_H
#define TT_JSON_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

struct cJSON;

struct tt_snapshot *tt_json_parse(const char *line, size_t len, char *err,
				  size_t errlen);

/*
 * Field k of object o, for every reader of tracetop's JSON (snapshots,
 * events, profiles): missing, of another type or out of range reads as
 * 0 or "", like the rest of a partial line.
 */
double tt_json_num(const struct cJSON *o, const char *k);
uint64_t tt_json_u64(const struct cJSON *o, const char *k);
int64_t tt_json_i64(const struct cJSON *o, const char *k);
int tt_json_int(const struct cJSON *o, const char *k);
const char *tt_json_str(const struct cJSON *o, const char *k);
/* the string into dst, cut to len */
void tt_json_copy(char *dst, size_t len, const struct cJSON *o, const char *k);
/* the string copied into s's arena (NULL when it is full) */
const char *tt_json_strdup(struct tt_snapshot *s, const struct cJSON *o,
			   const char *k);

#endif
