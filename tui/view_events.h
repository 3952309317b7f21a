/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * view_events.h - view 6, the event stream (tt_view_events), and the
 * events of one process that the PID view shows.
 */
#ifndef TT_VIEW_EVENTS_H
#define TT_VIEW_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include "tui/ui_state.h"

/* The events on screen of pid: its own, its children's execs and exits,
 * signals sent to it. */
size_t tt_events_of_pid_count(const struct tt_ui *ui, uint32_t pid);

/*
 * pid's newest events, a title line first, in rows [y, y + h) of the
 * whole width; newest last, as the Events view shows them.
 */
void tt_events_of_pid_draw(struct tt_ui *ui, uint32_t pid, int y, int h);

#endif
