/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_draw.h - drawing primitives over curses: theme styles, text clipped
 * to a width in cells (UTF-8 aware), and the glyph sets for UTF-8 and
 * ASCII terminals (as htop's CRT.c keeps two tables).
 */
#ifndef TT_UI_DRAW_H
#define TT_UI_DRAW_H

#include <stdbool.h>
#include "tui/theme_parse.h"

struct tt_glyphs {
	const char *bar[8];   /* 1/8 .. 8/8 of a cell, left to right */
	const char *spark[8]; /* 1/8 .. 8/8 of a cell, bottom up */
	const char *heat[5];  /* empty .. densest */
	const char *state[4]; /* thread states: running .. blocked */
	const char *vline, *hline, *tee_mark;
	const char *up, *down;
};

const struct tt_glyphs *tt_glyphs_get(bool utf8);

/* curses attributes of each theme element, set by theme.c */
void tt_draw_set_attr(enum tt_theme_el el, unsigned long attr);
unsigned long tt_draw_attr(enum tt_theme_el el);
void tt_draw_style(enum tt_theme_el el);

/* Cells s takes on screen. */
int tt_draw_width(const char *s);

/* s at (y, x) cut to w cells; returns the cells used */
int tt_draw_str(int y, int x, int w, const char *s);
/* s in a field of w cells, left or right aligned, blanks around */
void tt_draw_field(int y, int x, int w, bool left, const char *s);
/* w blanks at (y, x) in the current style */
void tt_draw_blank(int y, int x, int w);
/* printf into a field, cut at w cells; returns cells used */
int tt_draw_fmt(int y, int x, int w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
