/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * event_json.h - an event as JSON ($defs/event of the schema) and back.
 */
#ifndef TT_EVENT_JSON_H
#define TT_EVENT_JSON_H

#include "bpf/event.h"
#include "prof/arena.h"

struct cJSON;

/* The event as a cJSON object; the caller deletes it. NULL: no memory. */
struct cJSON *tt_json_event(const struct tt_event *ev);
/* One line, malloc'ed, no newline: a line of `tracetop --trace -j`. */
char *tt_json_event_line(const struct tt_event *ev);
/* An object back into *ev, strings in a; -EINVAL for no known kind. */
int tt_json_event_parse(const struct cJSON *o, struct tt_arena *a,
			struct tt_event *ev);

#endif
