/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_anomaly.h - counters that go down. While (pid, gen) names one
 * process and a cookie one socket, the kernel's counters only grow; one
 * lower than in the previous snapshot is a bug or a reset (a map entry
 * evicted and made again). Each is counted, the last one named, in the
 * snapshot (`anomalies` in JSON), and never turned silently into a rate
 * of 0 or a wrapped sum. Stands on model_priv.h.
 */
#ifndef TT_MODEL_ANOMALY_H
#define TT_MODEL_ANOMALY_H

#include "model/model_priv.h"

/* What cur added since prev: cur - prev, or cur when it went down (a
 * reset: counted since). */
uint64_t tt_model_grew(uint64_t cur, uint64_t prev);

/* Check the kernel's counters of p, filled from w, against pp (the same
 * process in the previous snapshot; NULL: nothing to check). */
void tt_model_anomaly_proc(struct tt_model *m, const struct tt_proc *p,
			   const struct tt_proc *pp, const struct work *w);
/* Check connection c against pc, the same in the previous snapshot. */
void tt_model_anomaly_conn(struct tt_model *m, const struct tt_conn *c,
			   const struct tt_conn *pc);
/* Put the count and the last one found in m->cur. */
void tt_model_anomaly_finish(struct tt_model *m);

#endif
