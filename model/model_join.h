/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_join.h - the /proc side of a refresh: which tasks /proc lists and
 * what it says about them, cached between refreshes and read again only
 * when the kernel saw them move. Stands on model_priv.h.
 */
#ifndef TT_MODEL_JOIN_H
#define TT_MODEL_JOIN_H

#include "model/model_priv.h"

/* Walk /proc into m->cache (reads the work table: call after the sink). */
void tt_model_refresh_cache(struct tt_model *m);
/* c's /proc facts into p, with CPU% since the baseline set when read */
void tt_model_fill_procfs(struct tt_model *m, struct tt_proc *p,
			  struct pcache *c, double now);

#endif
