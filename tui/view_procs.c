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
#include "tui/widget_bars.h"
#include "tui/widget_table.h"

static struct tt_tcol procs_cols[TT_COL_MAX];

static void procs_cell(void *ctx, const void *row, int col, char *buf,
		       size_t len)
{
	const struct tt_ui *ui = ctx;
	const struct tt_row *r = row;
	char pre[2 * 3 * TT_TREE_DEPTH + 8];
	size_t used;

	if (r->members && col == TT_COL_PID) {
		snprintf(buf, len, "%u", r->members);
		return;
	}
	if (r->depth && (col == TT_COL_COMM || col == TT_COL_CMD)) {
		tt_row_tree_prefix(r, ui->utf8, pre, sizeof(pre));
		used = (size_t)snprintf(buf, len, "%s", pre);
		if (used < len && len - used >= 32)
			tt_columns[col].format(r->p, buf + used, len - used);
		return;
	}
	tt_columns[col].format(r->p, buf, len);
}

static int procs_style(void *ctx, const void *row)
{
	const struct tt_ui *ui = ctx;
	const struct tt_row *r = row;

	if (!r->members && tt_ui_tagged(ui, r->p->pid))
		return TT_EL_TAGGED;
	if (r->p->exited)
		return TT_EL_DIM;
	return -1;
}

static uint64_t procs_id(void *ctx, const void *row)
{
	return ((const struct tt_row *)row)->p->pid;
}

static bool procs_match(void *ctx, const void *row, const char *needle)
{
	return tt_proc_matches(((const struct tt_row *)row)->p, needle);
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

static void procs_draw(struct tt_ui *ui, int y, int h)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];
	const struct tt_rows *rows;
	const void **ptrs;
	struct tt_table_src src;
	int hh = h >= 16 ? 3 : h >= 12 ? 2 : h >= 8 ? 1 : 0;
	uint32_t followed = (uint32_t)t->sel_id;

	hh = tt_header_draw(ui, y, hh);
	for (int c = 0; c < TT_COL_MAX; c++)
		procs_cols[c] = (struct tt_tcol){ tt_columns[c].title,
						  tt_columns[c].width,
						  tt_columns[c].left,
						  tt_columns[c].desc };
	if (ui->group)
		procs_cols[TT_COL_PID].title = "PROCS";
	rows = procs_rows(ui);
	ptrs = calloc(rows->n ? rows->n : 1, sizeof(*ptrs));
	if (!ptrs)
		return;
	for (size_t i = 0; i < rows->n; i++)
		ptrs[i] = &rows->v[i];
	src = (struct tt_table_src){
		.cols = procs_cols,
		.show = ui->cols_shown,
		.nshow = ui->ncols_shown,
		.nrows = rows->n,
		.rows = ptrs,
		.cell = procs_cell,
		.style = procs_style,
		.id = procs_id,
		.match = procs_match,
		.ctx = ui,
	};
	tt_table_draw(ui, t, &src, y + hh, 0, h - hh, ui->cols);
	if (ui->follow && !ui->group && (uint32_t)t->sel_id != followed) {
		tt_ui_msg(ui, false, "PID %u is gone; follow off", followed);
		ui->follow = false;
	}
	free(ptrs);
}

static void procs_sort_by(struct tt_ui *ui, enum tt_col c)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];

	/* the same key again inverts, as in htop */
	if (t->sort == (int)c)
		t->desc = !t->desc;
	else
		t->desc = tt_columns[c].desc;
	t->sort = c;
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

static void procs_init(struct tt_ui *ui)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];

	t->sort = TT_COL_CPU;
	t->desc = true;
}

static int procs_key(struct tt_ui *ui, enum tt_act act)
{
	struct tt_table *t = &ui->tbl[TT_VIEW_PROCS];

	switch (act) {
	case TT_ACT_SORT_CPU:
		procs_sort_by(ui, TT_COL_CPU);
		return TT_R_REDRAW;
	case TT_ACT_SORT_PID:
		procs_sort_by(ui, TT_COL_PID);
		return TT_R_REDRAW;
	case TT_ACT_SORT_TIME:
		procs_sort_by(ui, TT_COL_ONCPU);
		return TT_R_REDRAW;
	case TT_ACT_SORT_MEM:
		procs_sort_by(ui, TT_COL_RSS);
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

const struct tt_view_ops tt_view_procs = {
	.name = "Processes",
	.init = procs_init,
	.draw = procs_draw,
	.key = procs_key,
};
