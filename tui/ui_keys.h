/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_keys.h - one table of keys: codes, the label the help screen and the
 * man page show, where the key works, the action it triggers and its help
 * text. The help screen is generated from it and a unit test checks the
 * man page's KEYS section against it (htop keeps them apart; we do not).
 * The bottom bar advertises some of them, in the order of tt_keybar, with
 * their key and scope from this table.
 */
#ifndef TT_UI_KEYS_H
#define TT_UI_KEYS_H

#include <stddef.h>

enum tt_act {
	TT_ACT_NONE,
	TT_ACT_HELP,
	TT_ACT_SETUP,
	TT_ACT_SEARCH,
	TT_ACT_SEARCH_NEXT,
	TT_ACT_FILTER,
	TT_ACT_TREE,
	TT_ACT_SORT_NEXT,
	TT_ACT_SORT_PREV,
	TT_ACT_SORT_INVERT,
	TT_ACT_SORT_CPU,
	TT_ACT_SORT_PID,
	TT_ACT_SORT_TIME,
	TT_ACT_SORT_MEM,
	TT_ACT_KILL,
	TT_ACT_QUIT,
	TT_ACT_USER,
	TT_ACT_THREADS,
	TT_ACT_GROUP,
	TT_ACT_TAG,
	TT_ACT_UNTAG_ALL,
	TT_ACT_FOLLOW,
	TT_ACT_PAUSE,
	TT_ACT_SLOWER,
	TT_ACT_FASTER,
	TT_ACT_UP,
	TT_ACT_DOWN,
	TT_ACT_PGUP,
	TT_ACT_PGDN,
	TT_ACT_HOME,
	TT_ACT_END,
	TT_ACT_VIEW_NEXT,
	TT_ACT_VIEW_PREV,
	TT_ACT_VIEW_1,
	TT_ACT_VIEW_2,
	TT_ACT_VIEW_3,
	TT_ACT_VIEW_4,
	TT_ACT_VIEW_5,
	TT_ACT_VIEW_6, /* 6..9: for views to come; bound once they exist */
	TT_ACT_VIEW_7,
	TT_ACT_VIEW_8,
	TT_ACT_VIEW_9,
	TT_ACT_ENTER,
	TT_ACT_BACK,
	TT_ACT_HEATMAP,
	TT_ACT_EXPORT,
	TT_ACT_REDRAW,
	TT_ACT_SEEK_BACK,
	TT_ACT_SEEK_FWD,
	TT_ACT_SEEK_BACK_MIN,
	TT_ACT_SEEK_FWD_MIN,
	TT_ACT_GOTO,
	TT_ACT_SETUP_TOGGLE,
	TT_ACT_SETUP_EARLIER,
	TT_ACT_SETUP_LATER,
	TT_ACT_SETUP_THEME,
	TT_ACT_SETUP_CLOSE,
	TT_ACT_LEFT,
	TT_ACT_RIGHT,
	TT_ACT_FLAME,
	TT_ACT_FLAME_SWITCH,
	TT_ACT_EVENT_KINDS,
	TT_ACT_MAX
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

/*
 * Where a key works: views by bit (bit v is view v of tui/view.h), plus
 * the setup screen and replay.
 */
enum {
	TT_SCOPE_PROCS = 1 << 0,
	TT_SCOPE_SYSCALLS = 1 << 1,
	TT_SCOPE_TCP = 1 << 2,
	TT_SCOPE_SCHED = 1 << 3,
	TT_SCOPE_PID = 1 << 4,
	TT_SCOPE_EVENTS = 1 << 5,
	TT_SCOPE_PROFILE = 1 << 6,
	TT_SCOPE_VIEWS = 0xffff, /* every view, up to 16 */
	TT_SCOPE_SETUP = 1 << 16,
	TT_SCOPE_REPLAY = 1 << 17, /* views, with a source that seeks */
};

#define TT_KEY_CODES 4

struct tt_keybind {
	unsigned scope;
	int codes[TT_KEY_CODES]; /* curses key codes, 0-terminated */
	const char *label;	 /* "F1 h ?" as help and man page show it */
	enum tt_act act;
	const char *help;
};

extern const struct tt_keybind tt_keybinds[];
extern const size_t tt_nkeybinds;

/* The entry for key code ch in scope (a single TT_SCOPE_* bit), or NULL;
 * replay says whether the replay-only keys are live. */
const struct tt_keybind *tt_keybind_find(int ch, unsigned scope, int replay);

/* A title for a scope bit set, for the help screen. */
const char *tt_keybind_scope_name(unsigned scope);

/* The binding of act (its first, if several), or NULL. */
const struct tt_keybind *tt_keybind_of(enum tt_act act);

/* The bottom bar: what it advertises, in order, and in which views. */
struct tt_keybar_item {
	enum tt_act act; /* its key comes from the key table */
	const char *label;
	unsigned views; /* TT_SCOPE_ bits, within the binding's scope */
};

extern const struct tt_keybar_item tt_keybar[];
extern const size_t tt_nkeybar;

/* The key to show for act on the bar: the first of its label ("F1"). */
void tt_keybar_key(enum tt_act act, char *buf, size_t len);

#endif
