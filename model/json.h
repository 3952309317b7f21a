/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * json.h - a snapshot as JSON (schema 1, model/snapshot.schema.json), one
 * line, for -j, the recorder, the X export and the tests.
 */
#ifndef TT_JSON_H
#define TT_JSON_H

#include <stdio.h>
#include "model/snapshot.h"

struct cJSON;

/* The snapshot as a cJSON tree; the caller deletes it. NULL: no memory. */
struct cJSON *tt_json_snapshot(const struct tt_snapshot *s);

/* One line of JSON without a newline, malloc'ed; NULL: no memory. */
char *tt_json_line(const struct tt_snapshot *s);

/*
 * The same line and a newline, written to f as it is made (no copy of the
 * whole); -1 when memory or the write failed: what was written is then
 * cut short.
 */
int tt_json_write(FILE *f, const struct tt_snapshot *s);

/* The key of lost[why] (enum tt_drop) in "lost": "task_storage_full" */
const char *tt_json_drop_name(int why);

/* A histogram as [[low_ns, high_ns, count], ...] */
struct cJSON *tt_json_hist(const struct tt_hist *h);

#endif
