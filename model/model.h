/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model.h - turns what the collector reads into snapshots: joins the
 * kernel's per-process entries with /proc, computes rates against the
 * previous snapshot, keeps system-wide totals that outlive exited
 * processes, and tells the collector which entries are done.
 *
 * The live source (live.c) drives it with a real collector; tests drive it
 * with a fake one through the same sink callbacks.
 */
#ifndef TT_MODEL_H
#define TT_MODEL_H

#include <stdbool.h>
#include "bpf/collector.h"
#include "model/model_opts.h"
#include "model/snapshot.h"

struct tt_model;

struct tt_model *tt_model_new(const struct tt_model_opts *o);
void tt_model_free(struct tt_model *m);

/* fn sees each event as the sink receives it (NULL: none). */
void tt_model_set_event_hook(struct tt_model *m,
			     void (*fn)(void *ctx, const struct tt_event *ev),
			     void *ctx);

/* The sink the collector feeds; then tt_model_build closes the interval. */
const struct tt_sink *tt_model_sink(struct tt_model *m);

/*
 * The kernel lost records (a map was full): the next build lists /proc in
 * full instead of trusting the kernel's reports for new processes.
 */
void tt_model_list_all(struct tt_model *m);

/*
 * Build the snapshot from everything the sink received since the last
 * build. now_mono is CLOCK_MONOTONIC seconds, now_real UNIX seconds. The
 * caller owns the result; forget(key) is called for every process the
 * model found gone without an exit record.
 */
struct tt_snapshot *
tt_model_build(struct tt_model *m, double now_mono, double now_real,
	       void (*forget)(void *ctx, const struct tt_key *k), void *ctx);

#endif
