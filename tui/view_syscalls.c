// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_syscalls.c - view 2: every syscall summed over the system, and the
 * latency histogram of the selected one.
 */
#include <curses.h>
#include "model/format.h"
#include "tui/ui_draw.h"
#include "tui/view_sctable.h"

static void syscalls_draw(struct tt_ui *ui, int y, int h)
{
	const struct tt_snapshot *s = ui->snap;
	char r[16], e[16];

	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, 0, ui->cols);
	tt_draw_fmt(y, 0, ui->cols,
		    "System-wide syscalls: %s/s, %s errors/s, "
		    "%zu kinds",
		    tt_fmt_count(r, sizeof(r), s->sc_rate),
		    tt_fmt_count(e, sizeof(e), s->sc_err_rate), s->nsyscalls);
	tt_draw_style(TT_EL_NORMAL);
	tt_sctable_draw(ui, &ui->tbl[TT_VIEW_SYSCALLS], s->syscalls,
			s->nsyscalls, 0, y + 1, 0, h - 1, ui->cols);
}

static int syscalls_key(struct tt_ui *ui, enum tt_act act)
{
	return -1;
}

const struct tt_view_ops tt_view_syscalls = {
	.name = "Syscalls",
	.short_name = "Sysc",
	.cols = &tt_sysc_cols,
	.config = "columns.syscalls",
	.sort = TT_SC_RATE,
	.desc = true,
	.draw = syscalls_draw,
	.key = syscalls_key,
};
