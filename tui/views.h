/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * views.h - the registry of the views, in tab order (tui/view.h says what
 * a view is). It stands above the view files; only the loop, the actions
 * and the settings read it.
 */
#ifndef TT_VIEWS_H
#define TT_VIEWS_H

#include "tui/view.h"

extern const struct tt_view_ops *const tt_views[TT_VIEW_MAX];

/* The view number key n (1..9) brings, or -1 for none. */
int tt_view_of_number(int n);

#endif
