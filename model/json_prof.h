/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * json_prof.h - the JSON of thread states and profiles (json_prof.c),
 * written by json.c and read back by json_parse.c. Fields in
 * model/snapshot.schema.json and man 5 tracetop.
 */
#ifndef TT_JSON_PROF_H
#define TT_JSON_PROF_H

#include "model/snapshot.h"

struct cJSON;

/* into a process's "sched": running_ns ... blocked_ns, "states" */
void tt_json_proc_states(struct cJSON *sched, const struct tt_proc *p);
/* a process's "profile", when it has samples or off-CPU waits */
void tt_json_proc_profile(struct cJSON *o, const struct tt_proc *p);
/* the snapshot's "profile" */
void tt_json_profile(struct cJSON *o, const struct tt_snapshot *s);

void tt_json_parse_states(const struct cJSON *sched, struct tt_proc *p);
void tt_json_parse_proc_profile(struct tt_snapshot *s, const struct cJSON *o,
				struct tt_proc *p);
void tt_json_parse_profile(struct tt_snapshot *s, const struct cJSON *o);

#endif
