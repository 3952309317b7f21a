// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * json_field.c - one field of a JSON object, for every reader of
 * tracetop's JSON (json_parse.c, event_json.c, json_prof.c). A file of
 * its own below them, so that none of them calls up into another.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <cjson/cJSON.h>
#include "model/json_field.h"

double tt_json_num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble
							     : 0;
}

/* out of range reads as 0, like a missing field: converting a double
 * outside the integer's range is undefined */
uint64_t tt_json_u64(const cJSON *o, const char *k)
{
	double d = tt_json_num(o, k);

	return d > 0 && d < 1.8e19 ? (uint64_t)d : 0;
}

int64_t tt_json_i64(const cJSON *o, const char *k)
{
	double d = tt_json_num(o, k);

	return d > -9e18 && d < 9e18 ? (int64_t)d : 0;
}

int tt_json_int(const cJSON *o, const char *k)
{
	double d = tt_json_num(o, k);

	return d > INT_MIN && d < INT_MAX ? (int)d : 0;
}

const char *tt_json_str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

void tt_json_copy(char *dst, size_t len, const cJSON *o, const char *k)
{
	snprintf(dst, len, "%s", tt_json_str(o, k));
}

const char *tt_json_strdup(struct tt_snapshot *s, const cJSON *o, const char *k)
{
	return tt_arena_strdup(&s->arena, tt_json_str(o, k));
}
