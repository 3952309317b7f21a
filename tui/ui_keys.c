// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_keys.c - the key table. htop's letters and function keys keep their
 * meaning; what htop lacks uses keys htop leaves free (DESIGN.md, Keys).
 * man/tracetop.8 lists the same labels; tests/unit/test_keys.c checks.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "tui/ui_keys.h"

#define V	TT_SCOPE_VIEWS
#define CTRL(c) ((c)&0x1f)
#define ESC	27

const struct tt_keybind tt_keybinds[] = {
	{ V,
	  { KEY_F(1), 'h', '?' },
	  "F1 h ?",
	  TT_ACT_HELP,
	  "show this help (any key closes it)" },
	{ V,
	  { KEY_F(2), 'S' },
	  "F2 S",
	  TT_ACT_SETUP,
	  "setup: which columns the view's table shows, their order, the "
	  "theme" },
	{ V,
	  { KEY_F(3), '/' },
	  "F3 /",
	  TT_ACT_SEARCH,
	  "search a process by name (an event by its text); Enter keeps the "
	  "match" },
	{ V, { 'n' }, "n", TT_ACT_SEARCH_NEXT, "next match of the search" },
	{ TT_SCOPE_PROCS | TT_SCOPE_EVENTS,
	  { KEY_F(4), '\\' },
	  "F4 \\",
	  TT_ACT_FILTER,
	  "filter processes by name, events by their text (empty clears)" },
	{ TT_SCOPE_EVENTS,
	  { 'E' },
	  "E",
	  TT_ACT_EVENT_KINDS,
	  "events of these kinds only: exec,exit,tcp,-signal... (empty: "
	  "all)" },
	{ TT_SCOPE_PROCS,
	  { KEY_F(5), 't' },
	  "F5 t",
	  TT_ACT_TREE,
	  "process tree on/off" },
	{ V,
	  { KEY_F(6), '>', '.' },
	  "F6 > .",
	  TT_ACT_SORT_NEXT,
	  "sort by the next column" },
	{ V,
	  { '<', ',' },
	  "< ,",
	  TT_ACT_SORT_PREV,
	  "sort by the previous column" },
	{ V, { 'I' }, "I", TT_ACT_SORT_INVERT, "invert the sort order" },
	{ TT_SCOPE_PROCS | TT_SCOPE_SCHED,
	  { 'P' },
	  "P",
	  TT_ACT_SORT_CPU,
	  "sort by CPU%" },
	{ TT_SCOPE_PROCS | TT_SCOPE_SCHED | TT_SCOPE_TCP,
	  { 'N' },
	  "N",
	  TT_ACT_SORT_PID,
	  "sort by PID" },
	{ TT_SCOPE_PROCS,
	  { 'T' },
	  "T",
	  TT_ACT_SORT_TIME,
	  "sort by on-CPU time (ONCPU)" },
	{ TT_SCOPE_PROCS,
	  { 'M' },
	  "M",
	  TT_ACT_SORT_MEM,
	  "sort by resident memory (RES)" },
	{ V,
	  { KEY_F(9), 'k' },
	  "F9 k",
	  TT_ACT_KILL,
	  "send a signal to the selected or tagged processes" },
	{ V | TT_SCOPE_SETUP,
	  { KEY_F(10), 'q' },
	  "F10 q",
	  TT_ACT_QUIT,
	  "quit (q closes setup first)" },
	{ TT_SCOPE_PROCS,
	  { 'u' },
	  "u",
	  TT_ACT_USER,
	  "show one user's processes (empty: all)" },
	{ TT_SCOPE_PROCS,
	  { 'H' },
	  "H",
	  TT_ACT_THREADS,
	  "threads as rows (needs a source that collects them: -H)" },
	{ TT_SCOPE_REPLAY,
	  { 'g' },
	  "g",
	  TT_ACT_GOTO,
	  "replay: go to a time (HH:MM[:SS], or with the date)" },
	{ TT_SCOPE_PROCS,
	  { 'G' },
	  "G",
	  TT_ACT_GROUP,
	  "fold rows by user, by program, by cgroup, or not" },
	{ TT_SCOPE_PROCS | TT_SCOPE_SCHED,
	  { ' ' },
	  "Space",
	  TT_ACT_TAG,
	  "tag or untag the selected process" },
	{ TT_SCOPE_PROCS | TT_SCOPE_SCHED,
	  { 'U' },
	  "U",
	  TT_ACT_UNTAG_ALL,
	  "untag all processes" },
	{ TT_SCOPE_PROCS | TT_SCOPE_SCHED,
	  { 'F' },
	  "F",
	  TT_ACT_FOLLOW,
	  "follow the selected process wherever the sort moves it" },
	{ V,
	  { 'Z', 'z' },
	  "Z z",
	  TT_ACT_PAUSE,
	  "pause the screen (collection goes on) or resume" },
	{ V, { '+', '=' }, "+", TT_ACT_SLOWER, "longer refresh delay" },
	{ V, { '-' }, "-", TT_ACT_FASTER, "shorter refresh delay" },
	{ V | TT_SCOPE_SETUP,
	  { KEY_UP, CTRL('p') },
	  "Up",
	  TT_ACT_UP,
	  "move the selection up" },
	{ V | TT_SCOPE_SETUP,
	  { KEY_DOWN, CTRL('n') },
	  "Down",
	  TT_ACT_DOWN,
	  "move the selection down" },
	{ V, { KEY_PPAGE }, "PgUp", TT_ACT_PGUP, "one page up" },
	{ V, { KEY_NPAGE }, "PgDn", TT_ACT_PGDN, "one page down" },
	{ V, { KEY_HOME }, "Home", TT_ACT_HOME, "first row" },
	{ V, { KEY_END }, "End", TT_ACT_END, "last row" },
	{ V, { '\t' }, "Tab", TT_ACT_VIEW_NEXT, "next view" },
	{ V, { KEY_BTAB }, "Shift-Tab", TT_ACT_VIEW_PREV, "previous view" },
	{ V, { '1' }, "1", TT_ACT_VIEW_1, "Processes view" },
	{ V, { '2' }, "2", TT_ACT_VIEW_2, "Syscalls view (system-wide)" },
	{ V, { '3' }, "3", TT_ACT_VIEW_3, "TCP connections view" },
	{ V, { '4' }, "4", TT_ACT_VIEW_4, "Scheduler view" },
	{ V, { '5' }, "5", TT_ACT_VIEW_5, "PID view of the selected process" },
	{ V, { '6' }, "6", TT_ACT_VIEW_6, "Events view (the stream)" },
	{ V,
	  { '7' },
	  "7",
	  TT_ACT_VIEW_7,
	  "Profile view: the functions on the CPUs, system-wide" },
	{ V,
	  { '\n', '\r', KEY_ENTER },
	  "Enter",
	  TT_ACT_ENTER,
	  "drill into the process; Profile: callers and callees; flame "
	  "graph: zoom in" },
	{ V,
	  { ESC, KEY_BACKSPACE, 127, 8 },
	  "Esc Backspace",
	  TT_ACT_BACK,
	  "back where you came from; out of a zoom or a function's callers" },
	{ TT_SCOPE_PID,
	  { 'f' },
	  "f",
	  TT_ACT_FLAME,
	  "PID view: flame graphs (where it runs, where it waits) or "
	  "syscalls" },
	{ TT_SCOPE_PID,
	  { 'o' },
	  "o",
	  TT_ACT_FLAME_SWITCH,
	  "flame graphs: move between on-CPU (runs) and off-CPU (waits)" },
	{ TT_SCOPE_PID,
	  { KEY_LEFT },
	  "Left",
	  TT_ACT_LEFT,
	  "flame graph: the frame to the left" },
	{ TT_SCOPE_PID,
	  { KEY_RIGHT },
	  "Right",
	  TT_ACT_RIGHT,
	  "flame graph: the frame to the right" },
	{ TT_SCOPE_SYSCALLS | TT_SCOPE_SCHED | TT_SCOPE_PID,
	  { 'v' },
	  "v",
	  TT_ACT_HEATMAP,
	  "histogram as bars or as a heatmap over time" },
	{ V, { 'X' }, "X", TT_ACT_EXPORT, "export the snapshot as JSON" },
	{ V | TT_SCOPE_SETUP,
	  { CTRL('l') },
	  "Ctrl-L",
	  TT_ACT_REDRAW,
	  "redraw the screen" },
	{ TT_SCOPE_REPLAY,
	  { '[' },
	  "[",
	  TT_ACT_SEEK_BACK,
	  "replay: one snapshot back (pauses)" },
	{ TT_SCOPE_REPLAY,
	  { ']' },
	  "]",
	  TT_ACT_SEEK_FWD,
	  "replay: one snapshot forward (pauses)" },
	{ TT_SCOPE_REPLAY,
	  { '{' },
	  "{",
	  TT_ACT_SEEK_BACK_MIN,
	  "replay: one minute back" },
	{ TT_SCOPE_REPLAY,
	  { '}' },
	  "}",
	  TT_ACT_SEEK_FWD_MIN,
	  "replay: one minute forward" },
	{ TT_SCOPE_SETUP,
	  { ' ' },
	  "Space",
	  TT_ACT_SETUP_TOGGLE,
	  "setup: show or hide the column" },
	{ TT_SCOPE_SETUP,
	  { '[', '-' },
	  "[ -",
	  TT_ACT_SETUP_EARLIER,
	  "setup: move the column left" },
	{ TT_SCOPE_SETUP,
	  { ']', '+' },
	  "] +",
	  TT_ACT_SETUP_LATER,
	  "setup: move the column right" },
	{ TT_SCOPE_SETUP,
	  { 'c' },
	  "c",
	  TT_ACT_SETUP_THEME,
	  "setup: next theme" },
	{ TT_SCOPE_SETUP,
	  { ESC, KEY_F(2), '\n', 'S' },
	  "Esc F2 Enter S",
	  TT_ACT_SETUP_CLOSE,
	  "setup: close and save the settings" },
};

const size_t tt_nkeybinds = sizeof(tt_keybinds) / sizeof(tt_keybinds[0]);

const struct tt_keybind *tt_keybind_find(int ch, unsigned scope, int replay)
{
	for (size_t i = 0; i < tt_nkeybinds; i++) {
		unsigned s = tt_keybinds[i].scope;

		if (s == TT_SCOPE_REPLAY)
			s = replay ? TT_SCOPE_VIEWS : 0;
		if (!(s & scope))
			continue;
		for (int k = 0; k < TT_KEY_CODES && tt_keybinds[i].codes[k];
		     k++)
			if (tt_keybinds[i].codes[k] == ch)
				return &tt_keybinds[i];
	}
	return NULL;
}

const char *tt_keybind_scope_name(unsigned scope)
{
	if (scope == TT_SCOPE_VIEWS || scope == (V | TT_SCOPE_SETUP))
		return "everywhere";
	if (scope == TT_SCOPE_SETUP)
		return "setup screen";
	if (scope == TT_SCOPE_REPLAY)
		return "replay";
	if (scope == TT_SCOPE_PROCS)
		return "processes view";
	if (scope == TT_SCOPE_PID)
		return "PID view";
	if (scope == TT_SCOPE_EVENTS)
		return "events view";
	return "some views";
}

const struct tt_keybind *tt_keybind_of(enum tt_act act)
{
	for (size_t i = 0; i < tt_nkeybinds; i++)
		if (tt_keybinds[i].act == act)
			return &tt_keybinds[i];
	return NULL;
}

/* Enter drills into a process from a table of them; Esc leaves the PID
 * view (elsewhere it only clears filters: not worth the room) */
const struct tt_keybar_item tt_keybar[] = {
	{ TT_ACT_HELP, "Help", V },
	{ TT_ACT_SETUP, "Setup", V },
	{ TT_ACT_SEARCH, "Search", V },
	{ TT_ACT_FILTER, "Filter", TT_SCOPE_PROCS | TT_SCOPE_EVENTS },
	{ TT_ACT_EVENT_KINDS, "Kinds", TT_SCOPE_EVENTS },
	{ TT_ACT_TREE, "Tree", TT_SCOPE_PROCS },
	{ TT_ACT_SORT_NEXT, "SortBy", V },
	{ TT_ACT_GROUP, "Group", TT_SCOPE_PROCS },
	{ TT_ACT_HEATMAP, "Heatmap",
	  TT_SCOPE_SYSCALLS | TT_SCOPE_SCHED | TT_SCOPE_PID },
	{ TT_ACT_ENTER, "PID", V & ~(TT_SCOPE_PID | TT_SCOPE_PROFILE) },
	{ TT_ACT_ENTER, "Callers", TT_SCOPE_PROFILE },
	{ TT_ACT_FLAME, "Flame", TT_SCOPE_PID },
	{ TT_ACT_BACK, "Back", TT_SCOPE_PID | TT_SCOPE_PROFILE },
	{ TT_ACT_KILL, "Kill", V },
	{ TT_ACT_QUIT, "Quit", V },
};

const size_t tt_nkeybar = sizeof(tt_keybar) / sizeof(tt_keybar[0]);

void tt_keybar_key(enum tt_act act, char *buf, size_t len)
{
	const struct tt_keybind *k = tt_keybind_of(act);
	const char *l = k ? k->label : "?";

	snprintf(buf, len, "%.*s", (int)strcspn(l, " "), l);
}
