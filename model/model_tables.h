/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_tables.h - the kernel's figures as the snapshot's tables, with
 * rates over the interval m->cur closes (dt seconds), computed here once
 * so that no reader does arithmetic on two snapshots. fill_kernel also
 * adds the process's growth to the system-wide sums, so it runs once per
 * process and refresh, before build_syscalls; build_groups reads the
 * finished m->cur->procs; build_conns uses up m->raw. Stands on
 * model_priv.h.
 */
#ifndef TT_MODEL_TABLES_H
#define TT_MODEL_TABLES_H

#include "model/model_priv.h"

/* kernel figures of w into p, with rates against the previous snapshot */
void tt_model_fill_kernel(struct tt_model *m, struct tt_proc *p, struct work *w,
			  double dt);
void tt_model_build_conns(struct tt_model *m, double dt);
/* room for more raw connections; 0 or -ENOMEM */
int tt_model_raw_grow(struct tt_model *m);
/* forget this read's raw connections (built or not) */
void tt_model_raw_drop(struct tt_model *m);
void tt_model_raw_free(struct tt_model *m);
void tt_model_build_syscalls(struct tt_model *m, double dt);
void tt_model_build_groups(struct tt_model *m);

#endif
