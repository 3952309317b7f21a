/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * theme.h - a parsed theme (theme_parse.h) into curses: one colour pair
 * and attributes per element, for ui_draw's styles.
 */
#ifndef TT_THEME_H
#define TT_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include "tui/theme_parse.h"

/* Make t the colours in use; without colour, the mono theme's attributes. */
void tt_theme_apply(const struct tt_theme *t, bool color);

/*
 * Load the theme name (or file) into t and apply it. On an error t holds
 * the defaults, applied all the same, and err says which file and why.
 */
int tt_theme_use(struct tt_theme *t, bool color, const char *name, char *err,
		 size_t errlen);

#endif
