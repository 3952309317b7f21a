/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * theme_parse.h - colour themes as data. The element table and the parser
 * are pure C (no curses) so they can be unit-tested and fuzzed; theme.c
 * turns a parsed theme into curses colour pairs.
 *
 * A theme file holds `name = fg bg [attribute...]` lines, '#' starts a
 * comment. Colours are names (black red green yellow blue magenta cyan
 * white, bright-* for the upper eight), numbers 0..255, or `default` (the
 * terminal's own). Attributes: bold dim reverse underline standout italic
 * blink, or `none`. An optional `format = 1` line states the version.
 * Elements a file does not name keep the built-in default theme's value.
 */
#ifndef TT_THEME_PARSE_H
#define TT_THEME_PARSE_H

#include <stdbool.h>
#include <stddef.h>

/* X(enum suffix, file name, help) - every element a theme can set */
#define TT_THEME_ELEMENTS                                                      \
	X(NORMAL, "normal", "text of tables and panes")                        \
	X(TAB, "tab", "view names in the top bar")                             \
	X(TAB_ACTIVE, "tab_active", "the current view in the top bar")         \
	X(TITLE, "title", "host, clock and pane titles")                       \
	X(LABEL, "label", "meter labels in the header")                        \
	X(VALUE, "value", "meter values in the header")                        \
	X(WARN, "warn", "probes off, lost events, errors")                     \
	X(HEADER, "header", "table column titles")                             \
	X(HEADER_SORT, "header_sort", "the column the table sorts by")         \
	X(SELECTED, "selected", "the selected row")                            \
	X(TAGGED, "tagged", "rows tagged with Space")                          \
	X(DIM, "dim", "exited processes, empty cells")                         \
	X(TREE, "tree", "tree branches and group markers")                     \
	X(BAR, "bar", "histogram bars and meters")                             \
	X(MARK, "mark", "p50/p90/p99 marks on histograms")                     \
	X(SPARK, "spark", "sparklines")                                        \
	X(HEAT1, "heat1", "heatmap: lowest density")                           \
	X(HEAT2, "heat2", "heatmap: low density")                              \
	X(HEAT3, "heat3", "heatmap: high density")                             \
	X(HEAT4, "heat4", "heatmap: highest density")                          \
	X(FLAME, "flame", "flame graph boxes")                                 \
	X(FLAME_ALT, "flame_alt", "every other flame graph box")               \
	X(FLAME_KERNEL, "flame_kernel", "flame graph boxes of the kernel")     \
	X(KEY, "key", "key names in the bottom bar and help")                  \
	X(KEYBAR, "keybar", "action names in the bottom bar")                  \
	X(STATUS, "status", "messages and prompts on the status line")         \
	X(ERROR, "error", "error messages on the status line")

enum tt_theme_el {
#define X(e, n, h) TT_EL_##e,
	TT_THEME_ELEMENTS
#undef X
		TT_EL_MAX
};

/* attribute bits, mapped to A_* by theme.c */
enum {
	TT_ATTR_BOLD = 1 << 0,
	TT_ATTR_DIM = 1 << 1,
	TT_ATTR_REVERSE = 1 << 2,
	TT_ATTR_UNDERLINE = 1 << 3,
	TT_ATTR_STANDOUT = 1 << 4,
	TT_ATTR_ITALIC = 1 << 5,
	TT_ATTR_BLINK = 1 << 6,
};

#define TT_COLOR_DEFAULT (-1)

struct tt_theme_style {
	short fg, bg; /* 0..255 or TT_COLOR_DEFAULT */
	unsigned attrs;
};

struct tt_theme {
	char name[64];
	struct tt_theme_style el[TT_EL_MAX];
};

extern const char *const tt_theme_el_names[TT_EL_MAX];
extern const char *const tt_theme_el_help[TT_EL_MAX];

/* The compiled-in themes, used when no file is found: "default", "mono" */
void tt_theme_builtin(struct tt_theme *t, bool mono);

/*
 * Parse text (a whole theme file) over t, which the caller filled with
 * the fallback values. file names the source in messages. Returns 0, or
 * -EINVAL with "file:line: reason" in err; t is then unspecified.
 */
int tt_theme_parse(struct tt_theme *t, const char *text, const char *file,
		   char *err, size_t errlen);

/*
 * Load a theme by name or path: a name with '/' is a file; otherwise
 * ./themes/NAME.theme, then dir/NAME.theme; the built-in "default" and
 * "mono" need no file. On error t holds the default theme and err says
 * why. Pure file I/O, no terminal.
 */
int tt_theme_load(struct tt_theme *t, const char *name, const char *dir,
		  char *err, size_t errlen);

#endif
