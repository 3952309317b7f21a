/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_state.h - what the screen remembers between refreshes, shared by the
 * event loop, the actions and the views. Each view is one {draw, key}
 * pair (as ncdu's browser.c) chosen by enum tt_view.
 */
#ifndef TT_UI_STATE_H
#define TT_UI_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include "model/columns.h"
#include "model/history.h"
#include "model/source.h"
#include "tui/options.h"
#include "tui/theme_parse.h"
#include "tui/ui.h"
#include "tui/ui_keys.h"
#include "model/rows.h"

enum tt_view {
	TT_VIEW_PROCS,
	TT_VIEW_SYSCALLS,
	TT_VIEW_TCP,
	TT_VIEW_SCHED,
	TT_VIEW_PID,
	TT_VIEW_MAX
};

/* what an action asks of the loop (htop's Htop_Reaction) */
enum {
	TT_R_NONE = 0,
	TT_R_REDRAW = 1 << 0, /* draw again */
	TT_R_CLEAR = 1 << 1,  /* repaint every cell (resize, Ctrl-L) */
	TT_R_TIMER = 1 << 2,  /* the delay changed: re-arm the timer */
	TT_R_QUIT = 1 << 3,
	TT_R_SNAP = 1 << 4, /* a new snapshot was put on screen */
};

#define TT_UI_RING    61  /* snapshots kept for heatmaps: a minute */
#define TT_UI_HISTORY 240 /* sparkline samples per process */
#define TT_TABLE_COLS 24
#define TT_MAX_TAGS   256

/* A table's cursor and sort, kept per view. */
struct tt_table {
	int sort; /* column index of the view's table */
	bool desc;
	int sel, top;	   /* selected row, first row shown */
	int nrows, page;   /* from the last draw */
	uint64_t sel_id;   /* the selection follows this id (a pid...) */
	bool sel_by_index; /* moved by keys: take the id at sel next draw */
	bool passive;	   /* shows rows only: no selection drawn */
	bool track;	   /* follow sel_id (set once the user moved) */
	/* geometry of the last draw, for mouse clicks */
	int hdr_y, body_y, ncols;
	int x[TT_TABLE_COLS], w[TT_TABLE_COLS], col_ids[TT_TABLE_COLS];
	bool desc_of[TT_TABLE_COLS]; /* default order of each shown column */
	const char *sort_title;	     /* the sort column's title, for X */
};

enum tt_prompt {
	TT_PROMPT_NONE,
	TT_PROMPT_SEARCH,
	TT_PROMPT_FILTER,
	TT_PROMPT_USER,
	TT_PROMPT_SIGNAL,
	TT_PROMPT_GOTO, /* replay: a time to jump to */
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

	/* processes view */
	int cols_shown[TT_COL_MAX];
	int ncols_shown;
	bool tree, follow;
	enum tt_grouping group;
	char filter[64];
	int64_t uid;
	struct tt_rows rows_cache;
	uint32_t tags[TT_MAX_TAGS];
	int ntags;

	struct tt_table tbl[TT_VIEW_MAX];
	uint32_t pid; /* PID view's process */
	char search[64];

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

struct tt_view_ops {
	const char *name; /* tab title */
	/* the view's initial sort and cursor */
	void (*init)(struct tt_ui *ui);
	/* draw in rows [y, y + h) of the whole width */
	void (*draw)(struct tt_ui *ui, int y, int h);
	/* a view's own handling of an action: reaction, or -1 if not its */
	int (*key)(struct tt_ui *ui, enum tt_act act);
};

extern const struct tt_view_ops *const tt_views[TT_VIEW_MAX];

/* status line message, shown for a few seconds */
void tt_ui_msg(struct tt_ui *ui, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The snapshot k refreshes before the one on screen (0: on screen), or
 * NULL if not kept. */
const struct tt_snapshot *tt_ui_past(const struct tt_ui *ui, unsigned k);

bool tt_ui_tagged(const struct tt_ui *ui, uint32_t pid);

/* the process the PID view shows, or the selected one of a table */
uint32_t tt_ui_selected_pid(const struct tt_ui *ui);

/* theme.c: make t the colours in use (curses) */
void tt_theme_apply(struct tt_ui *ui, const struct tt_theme *t);
/* load a theme by name/path, apply it, report errors on the status line */
void tt_theme_use(struct tt_ui *ui, const char *name);

/* ui_outputs.c: X (export), and moving through a recording */
int tt_ui_export(struct tt_ui *ui);
int tt_ui_seek(struct tt_ui *ui, long delta);
int tt_ui_seek_minutes(struct tt_ui *ui, int minutes);
void tt_ui_goto(struct tt_ui *ui, const char *when);

/* full-screen overlays: help (view_help.c) and setup (view_setup.c) */
void tt_help_draw(struct tt_ui *ui);
/* a key while help shows: scrolls, or closes it */
int tt_help_act(struct tt_ui *ui, enum tt_act act);
void tt_setup_draw(struct tt_ui *ui);
int tt_setup_act(struct tt_ui *ui, enum tt_act act);

/* ui_loop.c: put the newest collected snapshot on screen (after Z) */
void tt_ui_resume(struct tt_ui *ui);
/* ui_loop.c: put s on screen (takes the reference) */
void tt_ui_show(struct tt_ui *ui, struct tt_snapshot *s);

/* ui_actions.c: run one action */
int tt_ui_act(struct tt_ui *ui, enum tt_act act);
/* a key while a prompt is open */
int tt_ui_prompt_key(struct tt_ui *ui, int ch);
/* a mouse event */
int tt_ui_mouse(struct tt_ui *ui);

/* ui_config: the settings in use, saved on leaving setup */
void tt_ui_settings_load(struct tt_ui *ui);
void tt_ui_settings_save(struct tt_ui *ui);

#endif
