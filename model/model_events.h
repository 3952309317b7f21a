/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_events.h - the event stream in the model: the sink's on_event
 * keeps the interval's events for the snapshot being built, and every
 * exec by process instance, for the command line and parent of a process
 * /proc no longer shows. Stands on model_priv.h.
 */
#ifndef TT_MODEL_EVENTS_H
#define TT_MODEL_EVENTS_H

#include <stdint.h>
#include "model/model_priv.h"

struct tt_execs *tt_model_execs_new(void);
void tt_model_execs_free(struct tt_execs *x);

/* The sink's on_event (ctx: the model). */
void tt_model_on_event(void *ctx, const struct tt_event *ev);
/* The interval's events into m->cur, in time order. */
void tt_model_build_events(struct tt_model *m);
/* The interval's events are gone with the snapshot that held them. */
void tt_model_events_drop(struct tt_model *m);

/*
 * The command line the last exec of (pid, gen) left, "" when none; *ppid,
 * when 0, becomes the exec's parent.
 */
const char *tt_model_exec_cmdline(struct tt_model *m, uint32_t pid,
				  uint32_t gen, uint32_t *ppid);

#endif
