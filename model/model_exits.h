/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_exits.h - the processes that end: reported exited exactly once,
 * with their final counters, then forgotten (a zombie stays hidden); one
 * that /proc lost before its exit record came waits a refresh for it.
 * Stands on model_priv.h and model_tables.h.
 */
#ifndef TT_MODEL_EXITS_H
#define TT_MODEL_EXITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/model_priv.h"

/* A refresh starts the next lists of exited and waiting processes. */
void tt_model_exits_begin(struct tt_model *m);
/* (pid, gen) is reported exited in the snapshot being built. */
void tt_model_exits_mark(struct tt_model *m, uint32_t pid, uint32_t gen);
/* Was (pid, gen) reported exited by an earlier snapshot? */
bool tt_model_is_dead(const struct tt_model *m, uint32_t pid, uint32_t gen);

/*
 * The policy for the processes the kernel reported and /proc no longer
 * lists (the work records left unmatched): each becomes a row of m->cur
 * from index np on, exited or still waiting for its exit record, or none.
 * forget(ctx, key) tells the collector of one that ended without a
 * record. Returns the new number of rows.
 */
size_t tt_model_exits_report(struct tt_model *m, size_t np, double dt,
			     void (*forget)(void *ctx, const struct tt_key *k),
			     void *ctx);

/* The refresh is built: its lists become the ones to look things up in. */
void tt_model_exits_end(struct tt_model *m);

#endif
