/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * view_sctable.h - the table of syscalls (model/columns.h, tt_sysc_cols),
 * shared by the system-wide view and the PID view, with the histogram of
 * the selected syscall beside or below it.
 */
#ifndef TT_VIEW_SCTABLE_H
#define TT_VIEW_SCTABLE_H

#include "tui/ui_state.h"

/*
 * Draw v[0..n) sorted by t's column in the box, and the selected
 * syscall's histogram next to it. pid 0: system-wide (for the heatmap
 * to find the same syscall in older snapshots).
 */
void tt_sctable_draw(struct tt_ui *ui, struct tt_table *t,
		     const struct tt_sysc *v, size_t n, uint32_t pid, int y,
		     int x, int h, int w);

#endif
