/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_state.h - what the screen remembers between refreshes, and the
 * state's own small API (ui_state.c): the status message, the snapshots
 * on screen and before it, tags. The views, the actions and the loop
 * stand on it; it stands on the widgets' state (struct tt_table) and the
 * model, and calls nothing above it.
 */
#ifndef TT_UI_STATE_H
#define TT_UI_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include "model/evlog.h"
#include "model/history.h"
#include "model/rows.h"
#include "model/source.h"
#include "tui/options.h"
#include "tui/theme_parse.h"
#include "tui/ui.h"
#include "tui/view.h"
#include "tui/widget_flame.h"
#include "tui/widget_heatmap.h"
#include "tui/widget_table.h"

#define TT_UI_RING    TT_HEAT_SNAPS /* snapshots kept for heatmaps */
#define TT_UI_HISTORY 240	    /* sparkline samples per process */
#define TT_MAX_TAGS   256

enum tt_prompt {
	TT_PROMPT_NONE,
	TT_PROMPT_SEARCH,
	TT_PROMPT_FILTER,
	TT_PROMPT_USER,
	TT_PROMPT_SIGNAL,
	TT_PROMPT_GOTO,	 /* replay: a time to jump to */
	TT_PROMPT_KINDS, /* the Events view's kinds */
};

struct tt_ui {
	const struct tt_options *opt;
	struct tt_source *src;
	const struct tt_ui_hook *hook;

	struct tt_snapshot *snap;   /* on screen */
	struct tt_snapshot *latest; /* collected while paused, or NULL */
	struct tt_snapshot *ring[TT_UI_RING]; /* on-screen ones, for heatmaps */
	unsigned ring_n; /* pushed so far; newest at (n-1)%RING */
	struct tt_history *history;
	long refreshes;

	enum tt_view view, back_view;
	bool paused, help, setup, utf8, color, heatmap, ended;
	double delay;
	int rows, cols; /* screen size */

	/* each view's table; sub: a second one (the PID view's connections) */
	struct tt_table tbl[TT_VIEW_MAX], sub[TT_VIEW_MAX];

	/* processes view */
	bool tree, follow;
	enum tt_grouping group;
	char filter[64];
	int64_t uid;
	struct tt_rows rows_cache;
	uint32_t tags[TT_MAX_TAGS];
	int ntags;

	uint32_t pid; /* PID view's process */
	char search[64];

	/* the process the source collects detail for (TT_SRC_WATCH) */
	uint32_t watched;

	/* PID view: its flame graphs instead of its syscalls; the one in
	 * focus (0 where it runs, 1 where it waits) */
	bool flames;
	int flame_focus;
	struct tt_flame flame[2];

	/* Profile view: the function whose callers and callees show (none
	 * when name is ""), and the selection among them */
	struct {
		char name[256], module[128];
		int sel;
	} pfocus;
	/* the events kept, live or replayed (Events and PID views, X) */
	struct tt_evlog *evlog;
	struct tt_snapshot *ev_prev; /* the last whose events joined it */
	uint64_t ev_upto;  /* the events up to the snapshot on screen, as a
			      tt_evlog_total(): later ones wait while paused */
	uint32_t ev_kinds; /* the kinds the Events view shows */
	bool ev_follow;	   /* the Events view keeps to the newest */
	char ev_filter[64];

	/* help and setup screens */
	int help_top;
	int setup_sel;
	struct tt_theme theme;

	/* status line: a message until msg_until (CLOCK_MONOTONIC s) */
	char msg[256];
	bool msg_error;
	double msg_until;
	enum tt_prompt prompt;
	char prompt_text[160]; /* the question, for the signal prompt */
	char input[128];
	int input_len;
};

/* status line message, shown for a few seconds */
void tt_ui_msg(struct tt_ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* the message to show now, or NULL once it expired */
const char *tt_ui_msg_now(const struct tt_ui *ui);
/* ms until the message expires, for poll(); -1: none pending */
int tt_ui_msg_timeout(const struct tt_ui *ui);

/* Put s on screen (takes the reference); it joins the kept ones, and the
 * events logged so far are the ones on screen. */
void tt_ui_show(struct tt_ui *ui, struct tt_snapshot *s);
/*
 * s's events join the log, shown or not (a paused screen keeps storing
 * them). The log holds the events of one unbroken run of intervals, up
 * to the newest: after a seek back to a snapshot of that run, the log is
 * cut back to it; to one outside it, the log starts afresh.
 */
void tt_ui_events_add(struct tt_ui *ui, struct tt_snapshot *s, bool seek);
/* The name filter of the view on screen (the Events view has its own). */
char *tt_ui_filter(struct tt_ui *ui);

/* The events the screen shows: the first n of the log (the rest came
 * after the snapshot on screen). */
size_t tt_ui_events_shown(const struct tt_ui *ui);
/* Put the newest snapshot collected while paused on screen (after Z). */
void tt_ui_resume(struct tt_ui *ui);
/* The snapshot k refreshes before the one on screen (0: on screen), or
 * NULL if not kept. */
const struct tt_snapshot *tt_ui_past(const struct tt_ui *ui, unsigned k);
/* A histogram pane over the kept snapshots, as the screen shows them. */
void tt_ui_histpane(const struct tt_ui *ui, struct tt_histpane *p);

bool tt_ui_tagged(const struct tt_ui *ui, uint32_t pid);
/* Tag pid, or untag it if it was; -ENOSPC when the tags are full. */
int tt_ui_tag_toggle(struct tt_ui *ui, uint32_t pid);

/* The PID view's graphs start again at their roots (another process). */
void tt_ui_flames_reset(struct tt_ui *ui);

/* What the state holds: the snapshots, rows and history. */
void tt_ui_state_free(struct tt_ui *ui);

#endif
