// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * views.c - the registry, generated from TT_VIEW_LIST.
 */
#include "tui/views.h"

#define TT_VIEW_EXTERN(e, ops) extern const struct tt_view_ops ops;
TT_VIEW_LIST(TT_VIEW_EXTERN)
#undef TT_VIEW_EXTERN

const struct tt_view_ops *const tt_views[TT_VIEW_MAX] = {
/* NOLINTNEXTLINE(bugprone-macro-parentheses): a name, not an expression */
#define TT_VIEW_ENTRY(e, ops) [TT_VIEW_##e] = &ops,
	TT_VIEW_LIST(TT_VIEW_ENTRY)
#undef TT_VIEW_ENTRY
};

int tt_view_of_number(int n)
{
	for (int v = 0; v < TT_VIEW_MAX; v++)
		if (tt_views[v]->number == n)
			return v;
	/* by place, unless that view took a number of its own */
	if (n >= 1 && n <= TT_VIEW_MAX && !tt_views[n - 1]->number)
		return n - 1;
	return -1;
}

/* a view's keys are scoped by the bit of its number */
_Static_assert(TT_SCOPE_PROCS == 1 << TT_VIEW_PROCS &&
		       TT_SCOPE_SYSCALLS == 1 << TT_VIEW_SYSCALLS &&
		       TT_SCOPE_TCP == 1 << TT_VIEW_TCP &&
		       TT_SCOPE_SCHED == 1 << TT_VIEW_SCHED &&
		       TT_SCOPE_PID == 1 << TT_VIEW_PID &&
		       TT_SCOPE_EVENTS == 1 << TT_VIEW_EVENTS &&
		       TT_SCOPE_PROFILE == 1 << TT_VIEW_PROFILE,
	       "scope bits follow the views");
_Static_assert(TT_VIEW_MAX <= 16, "TT_SCOPE_VIEWS holds 16 views");
