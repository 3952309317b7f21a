// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_draw.c - clipped text, styles and glyphs.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "tui/ui_draw.h"

static const struct tt_glyphs draw_utf8 = {
	.bar = { "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" },
	.spark = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" },
	.heat = { " ", "░", "▒", "▓", "█" },
	.state = { "█", "▓", "░", "▒" },
	.vline = "│",
	.hline = "─",
	.tee_mark = "◆",
	.up = "▲",
	.down = "▼",
};

/* ASCII: a bar only grows by whole cells; half cells round */
static const struct tt_glyphs draw_ascii = {
	.bar = { "", "", "", "#", "#", "#", "#", "#" },
	.spark = { "_", "_", ".", "-", "-", "=", "^", "#" },
	.heat = { " ", ".", ":", "*", "#" },
	.state = { "#", "=", ".", "!" },
	.vline = "|",
	.hline = "-",
	.tee_mark = "*",
	.up = "^",
	.down = "v",
};

static unsigned long draw_attrs[TT_EL_MAX];

const struct tt_glyphs *tt_glyphs_get(bool utf8)
{
	return utf8 ? &draw_utf8 : &draw_ascii;
}

void tt_draw_set_attr(enum tt_theme_el el, unsigned long attr)
{
	draw_attrs[el] = attr;
}

unsigned long tt_draw_attr(enum tt_theme_el el)
{
	return draw_attrs[el];
}

void tt_draw_style(enum tt_theme_el el)
{
	attrset((attr_t)draw_attrs[el]);
}

/* bytes of s that fit in w cells; *cells gets the cells they take */
static size_t draw_fit(const char *s, int w, int *cells)
{
	mbstate_t st;
	size_t at = 0, len = strlen(s);
	int used = 0;

	memset(&st, 0, sizeof(st));
	while (at < len) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + at, len - at, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2) {
			/* bad byte: curses shows it as one cell of junk */
			memset(&st, 0, sizeof(st));
			n = 1;
			cw = 1;
		} else {
			if (n == 0)
				break;
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 2; /* control: curses prints ^X */
		}
		if (used + cw > w)
			break;
		used += cw;
		at += n;
	}
	*cells = used;
	return at;
}

int tt_draw_width(const char *s)
{
	int cells;

	draw_fit(s, 1 << 30, &cells);
	return cells;
}

int tt_draw_str(int y, int x, int w, const char *s)
{
	int cells;
	size_t n;

	if (w <= 0 || y < 0 || x < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	n = draw_fit(s, w, &cells);
	if (n)
		mvaddnstr(y, x, s, (int)n);
	return cells;
}

void tt_draw_blank(int y, int x, int w)
{
	if (y < 0 || y >= LINES || x >= COLS || w <= 0)
		return;
	if (x + w > COLS)
		w = COLS - x;
	mvhline(y, x, ' ', w);
}

void tt_draw_field(int y, int x, int w, bool left, const char *s)
{
	int cells = tt_draw_width(s);

	if (w <= 0)
		return;
	tt_draw_blank(y, x, w);
	if (cells > w)
		cells = w;
	tt_draw_str(y, left ? x : x + w - cells, w, s);
}

int tt_draw_fmt(int y, int x, int w, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tt_draw_str(y, x, w, buf);
}
