/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * view_tcp.h - the connection table, shared by the TCP view (all
 * connections) and the PID view (one process's).
 */
#ifndef TT_VIEW_TCP_H
#define TT_VIEW_TCP_H

#include "tui/ui_state.h"

/* Connections of pid (0: all) sorted by t's column, in the box. */
void tt_conns_draw(struct tt_ui *ui, struct tt_table *t, uint32_t pid, int y,
		   int x, int h, int w);

#endif
