/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_states.h - where a process's threads spent the interval, as one
 * bar: running, runnable, sleeping, blocked (model/states.h), each in a
 * glyph and a style of its own, and their shares spelled out.
 */
#ifndef TT_WIDGET_STATES_H
#define TT_WIDGET_STATES_H

#include "model/snapshot.h"
#include "tui/ui_draw.h"

/* pct: the process's state_pct; all 0 draws that nothing is known */
void tt_states_draw(const double pct[TT_ST_MAX], const struct tt_glyphs *g,
		    int y, int x, int w);

#endif
