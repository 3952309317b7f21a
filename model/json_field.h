/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * json_field.h - one field of a JSON object, read the one way every
 * reader of tracetop's JSON reads it: missing, of another type or out of
 * range reads as 0 or "", like the rest of a partial line.
 */
#ifndef TT_JSON_FIELD_H
#define TT_JSON_FIELD_H

#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

struct cJSON;

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
