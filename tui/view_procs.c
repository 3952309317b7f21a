// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_procs.c - view 1: the header meters and the process table with
 * the columns of the batch output (model/columns.h), as a list, a tree
 * or folded into groups.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/ui_draw.h"
#include "tui/ui_state.h"
#include "tui/widget_bars.h"

/* the rows of one draw, as the table calls back with their index */
struct procs_draw {
	const struct tt_ui *ui;
	const struct tt_rows *rows;
};

static bool procs_cell(void *ctx, size_t i, int col, char *buf, size_t len)
{
	const struct procs_draw *d = ctx;
	const struct tt_row *r = &d->rows->v[i];
	char pre[2 * 3 * TT_TREE_DEPTH + 8];
	size_t used;

	if (r->members && col == TT_COL_PID) {
		snprintf(buf, len, "%u", r->members);
		return true;
	}
	if (!r->depth || (col != TT_COL_COMM && col != TT_COL_CMD))
		return false;
	tt_row_tree_prefix(r, d->ui->utf8, pre, sizeof(pre));
	used = (size_t)snprintf(buf, len, "%s", pre);
	if (used < len && len - used >= 32)
		tt_colset_cell(&tt_proc_cols, col, r->p, buf + used,
			       len - used);
	return true;
}

static const char *procs_title(void *ctx, int col)
{
	const struct procs_draw *d = ctx;

	return d->ui->group && col == TT_COL_PID ? "PROCS" : NULL;
}

static int procs_style(void *ctx, size_t i)
{
	const struct procs_draw *d = ctx;
	const struct tt_row *r = &d->rows->v[i];

	if (!r->members && tt_ui_tagged(d->ui, r->p->pid))
		return TT_EL_TAGGED;
	if (r->p->exited)
		return TT_EL_DIM;
	return -1;
}

/* The rows as the screen shows them now, rebuilt from the snapshot. */
static const struct tt_rows *procs_rows(struct tt_ui *ui)
{
	struct tt_rows_query q = {
		.filter = ui->filter,
		.uid = ui->uid,
		.sort = ui->tbl[TT_VIEW_PROCS].sort,
		.desc = ui->tbl[TT_VIEW_PROCS].desc,
		.tree = ui->tree,
		.group = ui->group,
	};

	if (tt_rows_build(&ui->rows_cache, ui->snap, &q))
		tt_ui_msg(ui, true, "out of memory building the table");
	return &ui->rows_cache;
}

/* the "Showing" meter: what frames the rows */
static void procs_showing(const struct tt_ui *ui, char *b, size_t n)
{
	size_t used = 0;

	b[0] = '\0';
	if (ui->filter[0])
		used += snprintf(b + used, n - used, "filter '%s' ",
				 ui->filter);
	if (ui->uid >= 0 && used < n)
		used += snprintf(b + used, n - used, "uid %lld ",
				 (long long)ui->uid);
	if (ui->tree && used < n)
		used += snprintf(b + used, n - used, "tree ");
	if (ui->group && used < n)
		used += snprintf(b + used, n - used, "by %s ",
				 tt_group_name(ui->group));
	if (ui->follow && used < n)
		used += snprintf(
			b + used, n - used, "follow %llu ",
			(unsigned long long)ui->tbl[TT_VIEW_PROCS].sel_id);
	if (ui->ntags && used < n)
		snprintf(b + used, n - used, "%d tagged", ui->ntags);
}

static void procs_draw(struct tt_ui *ui, int y, int h)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];
	int hh = h >= 16 ? 3 : h >= 12 ? 2 : h >= 8 ? 1 : 0;
	uint32_t followed = (uint32_t)t->sel_id;
	const struct tt_rows *rows;
	struct procs_draw d = { ui, NULL };
	struct tt_table_src src;
	const void **ptrs;
	char showing[256];

	procs_showing(ui, showing, sizeof(showing));
	hh = tt_header_draw(ui->snap, showing, y, ui->cols, hh);
	rows = procs_rows(ui);
	d.rows = rows;
	ptrs = calloc(rows->n ? rows->n : 1, sizeof(*ptrs));
	if (!ptrs)
		return;
	for (size_t i = 0; i < rows->n; i++)
		ptrs[i] = rows->v[i].p;
	src = (struct tt_table_src){
		.set = &tt_proc_cols,
		.rows = ptrs,
		.nrows = rows->n,
		.search = ui->search,
		.snap = ui->snap,
		.cell = procs_cell,
		.title = procs_title,
		.style = procs_style,
		.ctx = &d,
	};
	tt_table_draw(t, &src, y + hh, 0, h - hh, ui->cols);
	if (ui->follow && !ui->group && (uint32_t)t->sel_id != followed) {
		tt_ui_msg(ui, false, "PID %u is gone; follow off", followed);
		ui->follow = false;
	}
	free(ptrs);
}

/* Enter on a group: show its members, as a filter, unfolded */
static void procs_open_group(struct tt_ui *ui)
{
	const struct tt_row *r = NULL;
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];

	if (t->sel >= 0 && (size_t)t->sel < ui->rows_cache.n)
		r = &ui->rows_cache.v[t->sel];
	if (!r)
		return;
	if (ui->group == TT_GROUP_USER)
		ui->uid = r->p->uid;
	else if (ui->group == TT_GROUP_COMM)
		snprintf(ui->filter, sizeof(ui->filter), "%s", r->p->comm);
	else
		tt_ui_msg(ui, false, "cgroup %s: %u processes", r->p->cmdline,
			  r->members);
	ui->group = TT_GROUP_NONE;
}

static int procs_key(struct tt_ui *ui, enum tt_act act)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];

	switch (act) {
	case TT_ACT_SORT_CPU:
		tt_table_sort_by(t, &tt_proc_cols, TT_COL_CPU);
		return TT_R_REDRAW;
	case TT_ACT_SORT_PID:
		tt_table_sort_by(t, &tt_proc_cols, TT_COL_PID);
		return TT_R_REDRAW;
	case TT_ACT_SORT_TIME:
		tt_table_sort_by(t, &tt_proc_cols, TT_COL_ONCPU);
		return TT_R_REDRAW;
	case TT_ACT_SORT_MEM:
		tt_table_sort_by(t, &tt_proc_cols, TT_COL_RSS);
		return TT_R_REDRAW;
	case TT_ACT_TREE:
		ui->tree = !ui->tree;
		if (ui->tree && ui->group) {
			ui->group = TT_GROUP_NONE;
			tt_ui_msg(ui, false,
				  "tree shows processes: groups off");
		}
		return TT_R_REDRAW;
	case TT_ACT_GROUP:
		ui->group = (ui->group + 1) % TT_GROUP_MAX;
		ui->tree = false;
		tt_ui_msg(ui, false, "%s%s",
			  ui->group ? "rows folded by " : "one row per process",
			  tt_group_name(ui->group));
		return TT_R_REDRAW;
	case TT_ACT_THREADS:
		if (ui->snap && ui->snap->per_thread)
			tt_ui_msg(ui, false, "one row per thread (-H)");
		else
			tt_ui_msg(ui, false,
				  "thread rows need per-thread collection: "
				  "start tracetop with -H");
		return TT_R_REDRAW;
	case TT_ACT_FOLLOW:
		ui->follow = !ui->follow && !ui->group;
		t->track |= ui->follow;
		if (ui->follow)
			tt_ui_msg(ui, false, "following PID %llu",
				  (unsigned long long)t->sel_id);
		else
			tt_ui_msg(ui, false, "follow off");
		return TT_R_REDRAW;
	case TT_ACT_ENTER:
		if (!ui->group)
			return -1; /* the loop drills into the PID */
		procs_open_group(ui);
		return TT_R_REDRAW;
	default:
		return -1;
	}
}

static uint32_t procs_selected_pid(const struct tt_ui *ui)
{
	const struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];

	return ui->group || !t->nrows ? 0 : (uint32_t)t->sel_id;
}

const struct tt_view_ops tt_view_procs = {
	.name = "Processes",
	.short_name = "Proc",
	.cols = &tt_proc_cols,
	.config = "columns",
	.sort = TT_COL_CPU,
	.desc = true,
	.draw = procs_draw,
	.key = procs_key,
	.selected_pid = procs_selected_pid,
};
