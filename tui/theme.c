// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * theme.c - a parsed theme into curses colour pairs and attributes, one
 * pair per element. Colours the terminal lacks fall back: bright-* to
 * their base colour, anything else to the terminal's default.
 */
#include <curses.h>
#include "tui/theme.h"
#include "tui/ui_draw.h"

#ifndef TT_THEME_DIR
#define TT_THEME_DIR "/usr/local/share/tracetop/themes"
#endif

static const struct {
	unsigned bit;
	attr_t attr;
} theme_attr_map[] = {
	{ TT_ATTR_BOLD, A_BOLD },	  { TT_ATTR_DIM, A_DIM },
	{ TT_ATTR_REVERSE, A_REVERSE },	  { TT_ATTR_UNDERLINE, A_UNDERLINE },
	{ TT_ATTR_STANDOUT, A_STANDOUT }, { TT_ATTR_ITALIC, A_ITALIC },
	{ TT_ATTR_BLINK, A_BLINK },
};

static short theme_fit(short c)
{
	if (c < 0 || c < COLORS)
		return c;
	if (c < 16 && COLORS >= 8)
		return (short)(c - 8);
	return -1;
}

static attr_t theme_attrs(unsigned bits)
{
	attr_t a = A_NORMAL;

	for (size_t i = 0; i < sizeof(theme_attr_map) / sizeof(*theme_attr_map);
	     i++)
		if (bits & theme_attr_map[i].bit)
			a |= theme_attr_map[i].attr;
	return a;
}

void tt_theme_apply(const struct tt_theme *t, bool color)
{
	struct tt_theme mono;

	if (!color) {
		/* colour off: the mono theme's attributes say it all */
		tt_theme_builtin(&mono, true);
		t = &mono;
	}
	for (int el = 0; el < TT_EL_MAX; el++) {
		attr_t a = theme_attrs(t->el[el].attrs);

		if (color) {
			init_pair((short)(el + 1), theme_fit(t->el[el].fg),
				  theme_fit(t->el[el].bg));
			a |= COLOR_PAIR(el + 1);
		}
		tt_draw_set_attr(el, a);
	}
	/* blank cells take the normal style's background */
	bkgdset(' ' | (chtype)tt_draw_attr(TT_EL_NORMAL));
}

int tt_theme_use(struct tt_theme *t, bool color, const char *name, char *err,
		 size_t errlen)
{
	int e = tt_theme_load(t, name, TT_THEME_DIR, err, errlen);

	tt_theme_apply(t, color);
	return e;
}
