/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * view.h - what a view is (as ncdu's browser.c): one {draw, key} pair and
 * the table it shows, chosen by enum tt_view. Adding a view is one line
 * in TT_VIEW_LIST and one view_NAME.c that defines its tt_view_ops; its
 * number key (its place in the list, or tt_view_ops.number) and the man
 * page's VIEWS entry go with it. The registry of
 * the views is tui/views.h, above the views; the loop dispatches to them.
 */
#ifndef TT_VIEW_H
#define TT_VIEW_H

#include <stdint.h>
#include "model/columns.h"
#include "tui/ui_keys.h"

/* the views in tab order: enum name, and its tt_view_ops */
#define TT_VIEW_LIST(X)                                                        \
	X(PROCS, tt_view_procs)                                                \
	X(SYSCALLS, tt_view_syscalls)                                          \
	X(TCP, tt_view_tcp)                                                    \
	X(SCHED, tt_view_sched)                                                \
	X(PID, tt_view_pid)                                                    \
	X(EVENTS, tt_view_events)                                              \
	X(PROFILE, tt_view_profile)

enum tt_view {
#define TT_VIEW_ENUM(e, ops) TT_VIEW_##e,
	TT_VIEW_LIST(TT_VIEW_ENUM)
#undef TT_VIEW_ENUM
		TT_VIEW_MAX
};

struct tt_ui;

struct tt_view_ops {
	const char *name;	/* tab title; the view of an X export */
	const char *short_name; /* tab title on a narrow screen */
	/* its number key, when not its place in the tabs (0): a number
	 * another view is to have stays free */
	int number;
	/* its table: the columns F2 picks among (NULL: none), the key of
	 * that choice in the settings file, and the first sort */
	const struct tt_colset *cols;
	const char *config;
	int sort;
	bool desc;
	/* more to set up than its table (may be NULL) */
	void (*init)(struct tt_ui *ui);
	/* draw in rows [y, y + h) of the whole width */
	void (*draw)(struct tt_ui *ui, int y, int h);
	/* its own handling of an action: a reaction, or -1 if not its */
	int (*key)(struct tt_ui *ui, enum tt_act act);
	/* the process its selection stands for, 0 for none (may be NULL) */
	uint32_t (*selected_pid)(const struct tt_ui *ui);
};

#endif
