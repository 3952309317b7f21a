// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * view_profile.c - view 7: where the CPUs are, system-wide, as perf top
 * shows it: each function's on-CPU samples in the interval, those that
 * landed in it (self) and those with it anywhere in the chain (total),
 * over every process (model/columns.h, tt_pfunc_cols). Enter on a
 * function shows who calls it and what it calls; Enter there moves to
 * that one, Esc back to the list.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "model/format.h"
#include "model/proftree.h"
#include "tui/ui_draw.h"
#include "tui/ui_state.h"

static bool prof_on(const struct tt_snapshot *s)
{
	return !strncmp(s->prof.status, "on", 2);
}

/* the profiler's state, its losses and its cost, then the off-CPU side */
static void prof_title(struct tt_ui *ui, int y)
{
	const struct tt_snapshot *s = ui->snap;
	const struct tt_profile_info *pi = &s->prof;
	char n[16], l[16], t[16], k[40] = "";
	bool lost = pi->lost > 0;
	uint64_t all = pi->kunwound + pi->kcopied;

	/* where the user stacks were unwound (none counted: --unwind user) */
	if (all)
		snprintf(k, sizeof(k), "; %.0f%% unwound in the kernel",
			 100.0 * (double)pi->kunwound / (double)all);

	tt_draw_style(prof_on(s) && !lost ? TT_EL_TITLE : TT_EL_WARN);
	tt_draw_blank(y, 0, ui->cols);
	if (!prof_on(s))
		tt_draw_fmt(y, 0, ui->cols, "Profile: %s", pi->status);
	else
		tt_draw_fmt(y, 0, ui->cols,
			    "Profile: %s samples in %.1f s at %u Hz a CPU; "
			    "since start %s lost, %s chains cut%s; unwinding "
			    "%.1f%% of a CPU",
			    tt_fmt_count(n, sizeof(n), (double)pi->samples),
			    s->interval_s, pi->hz,
			    tt_fmt_count(l, sizeof(l), (double)pi->lost),
			    tt_fmt_count(t, sizeof(t), (double)pi->truncated),
			    k, pi->cpu_pct);
	tt_draw_style(TT_EL_NORMAL);
	tt_draw_blank(y + 1, 0, ui->cols);
	if (strncmp(pi->offcpu_status, "on", 2))
		tt_draw_fmt(y + 1, 0, ui->cols, "Off-CPU stacks: %s",
			    pi->offcpu_status[0] ? pi->offcpu_status : "off");
	else if (pi->offcpu_pid)
		tt_draw_fmt(y + 1, 0, ui->cols,
			    "Off-CPU stacks: where PID %u waits (its PID "
			    "view, f)",
			    pi->offcpu_pid);
	else
		tt_draw_str(y + 1, 0, ui->cols,
			    "Off-CPU stacks: for the process one drills "
			    "into (Enter in the Processes view, then f)");
}

static void prof_table(struct tt_ui *ui, int y, int h)
{
	const struct tt_snapshot *s = ui->snap;
	struct tt_table *t = &ui->tbl[TT_VIEW_PROFILE];
	const void **rows = calloc(s->prof.nfuncs + 1, sizeof(*rows));
	struct tt_table_src src;

	if (!rows)
		return;
	for (size_t i = 0; i < s->prof.nfuncs; i++)
		rows[i] = &s->prof.funcs[i];
	tt_colset_sort(&tt_pfunc_cols, rows, s->prof.nfuncs, t->sort, t->desc);
	src = (struct tt_table_src){
		.set = &tt_pfunc_cols,
		.rows = rows,
		.nrows = s->prof.nfuncs,
		.search = ui->search,
	};
	tt_table_draw(t, &src, y, 0, h, ui->cols);
	if (!s->prof.nfuncs && h > 2) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y + 2, 2, ui->cols - 2,
			    prof_on(s) ? "no samples in this interval"
				       : "no profile in this snapshot");
		tt_draw_style(TT_EL_NORMAL);
	}
	free(rows);
}

static const struct tt_pfunc *prof_func(const struct tt_snapshot *s,
					const char *name, const char *module)
{
	for (size_t i = 0; i < s->prof.nfuncs; i++)
		if (!strcmp(s->prof.funcs[i].name, name) &&
		    !strcmp(s->prof.funcs[i].module, module))
			return &s->prof.funcs[i];
	return NULL;
}

/* the focused function's neighbours: callers, then callees */
struct prof_nb {
	struct tt_pedge *up, *down;
	size_t nup, ndown;
};

static void prof_nb_get(const struct tt_ui *ui, struct prof_nb *nb)
{
	memset(nb, 0, sizeof(*nb));
	if (tt_prof_neighbours(ui->snap, ui->pfocus.name, ui->pfocus.module,
			       &nb->up, &nb->nup, &nb->down, &nb->ndown))
		memset(nb, 0, sizeof(*nb));
}

static void prof_nb_free(struct prof_nb *nb)
{
	free(nb->up);
	free(nb->down);
}

static void prof_edge(const struct tt_pedge *e, bool sel, int y, int cols)
{
	char n[16];

	tt_draw_style(sel ? TT_EL_SELECTED : TT_EL_NORMAL);
	tt_draw_blank(y, 0, cols);
	tt_draw_fmt(y, 0, cols, "  %6.1f%% %7s  %-16s %s", e->pct,
		    tt_fmt_count(n, sizeof(n), (double)e->samples), e->module,
		    e->name);
	tt_draw_style(TT_EL_NORMAL);
}

/* a heading, then the edges from *row on, as many as fit before end */
static int prof_edges(const char *head, const char *none,
		      const struct tt_pedge *v, size_t n, int first, int sel,
		      int y, int end, int cols)
{
	tt_draw_style(TT_EL_HEADER);
	tt_draw_blank(y, 0, cols);
	tt_draw_str(y, 0, cols, head);
	tt_draw_style(TT_EL_NORMAL);
	y++;
	if (!n && y < end) {
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y++, 4, cols - 4, none);
		tt_draw_style(TT_EL_NORMAL);
	}
	for (size_t i = 0; i < n && y < end; i++)
		prof_edge(&v[i], first + (int)i == sel, y++, cols);
	return y;
}

static void prof_focus(struct tt_ui *ui, int y, int h)
{
	const struct tt_snapshot *s = ui->snap;
	const struct tt_pfunc *f =
		prof_func(s, ui->pfocus.name, ui->pfocus.module);
	int end = y + h, half, total;
	struct prof_nb nb;
	char n[16];

	prof_nb_get(ui, &nb);
	total = (int)(nb.nup + nb.ndown);
	if (ui->pfocus.sel >= total)
		ui->pfocus.sel = total - 1;
	if (ui->pfocus.sel < 0)
		ui->pfocus.sel = 0;
	tt_draw_style(TT_EL_TITLE);
	tt_draw_blank(y, 0, ui->cols);
	if (f)
		tt_draw_fmt(y, 0, ui->cols,
			    "%s in %s: self %.1f%%, total %.1f%% (%s "
			    "samples)",
			    f->name, f->module, f->self_pct, f->total_pct,
			    tt_fmt_count(n, sizeof(n), (double)f->total));
	else
		tt_draw_fmt(y, 0, ui->cols, "%s in %s: no samples now",
			    ui->pfocus.name, ui->pfocus.module);
	tt_draw_style(TT_EL_NORMAL);
	half = y + 1 + (h - 1) / 2;
	y = prof_edges("Called by (samples through it, % of all; in the "
		       "heaviest chains of each process)",
		       "nothing: it is where its chains start", nb.up, nb.nup,
		       0, ui->pfocus.sel, y + 1, nb.ndown ? half : end,
		       ui->cols);
	y = prof_edges("Calls", "nothing: its samples are its own", nb.down,
		       nb.ndown, (int)nb.nup, ui->pfocus.sel, y, end, ui->cols);
	for (; y < end; y++)
		tt_draw_blank(y, 0, ui->cols);
	prof_nb_free(&nb);
}

static void prof_draw(struct tt_ui *ui, int y, int h)
{
	prof_title(ui, y);
	if (ui->pfocus.name[0])
		prof_focus(ui, y + 2, h - 2);
	else
		prof_table(ui, y + 2, h - 2);
}

static void prof_focus_on(struct tt_ui *ui, const char *name,
			  const char *module)
{
	snprintf(ui->pfocus.name, sizeof(ui->pfocus.name), "%s", name);
	snprintf(ui->pfocus.module, sizeof(ui->pfocus.module), "%s", module);
	ui->pfocus.sel = 0;
}

/* Enter on the list: the function the selection stands on */
static int prof_enter(struct tt_ui *ui)
{
	const struct tt_snapshot *s = ui->snap;
	const struct tt_table *t = &ui->tbl[TT_VIEW_PROFILE];

	for (size_t i = 0; i < s->prof.nfuncs && t->nrows; i++)
		if (tt_pfunc_cols.id(&s->prof.funcs[i]) == t->sel_id) {
			prof_focus_on(ui, s->prof.funcs[i].name,
				      s->prof.funcs[i].module);
			return TT_R_REDRAW | TT_R_CLEAR;
		}
	return TT_R_NONE;
}

/* keys while a function's callers and callees show */
static int prof_focus_key(struct tt_ui *ui, enum tt_act act)
{
	struct prof_nb nb;
	int sel = ui->pfocus.sel;

	switch (act) {
	case TT_ACT_BACK:
		ui->pfocus.name[0] = '\0';
		return TT_R_REDRAW | TT_R_CLEAR;
	case TT_ACT_UP:
	case TT_ACT_PGUP:
		ui->pfocus.sel = sel > 0 ? sel - 1 : 0;
		return TT_R_REDRAW;
	case TT_ACT_DOWN:
	case TT_ACT_PGDN:
		ui->pfocus.sel = sel + 1; /* the draw keeps it in range */
		return TT_R_REDRAW;
	case TT_ACT_HOME:
		ui->pfocus.sel = 0;
		return TT_R_REDRAW;
	case TT_ACT_END:
		ui->pfocus.sel = 1 << 20;
		return TT_R_REDRAW;
	case TT_ACT_ENTER:
		prof_nb_get(ui, &nb);
		if (nb.up && sel < (int)nb.nup)
			prof_focus_on(ui, nb.up[sel].name, nb.up[sel].module);
		else if (nb.down && sel < (int)(nb.nup + nb.ndown))
			prof_focus_on(ui, nb.down[sel - nb.nup].name,
				      nb.down[sel - nb.nup].module);
		prof_nb_free(&nb);
		return TT_R_REDRAW | TT_R_CLEAR;
	default:
		return -1;
	}
}

static int prof_key(struct tt_ui *ui, enum tt_act act)
{
	if (ui->pfocus.name[0])
		return prof_focus_key(ui, act);
	if (act == TT_ACT_ENTER)
		return prof_enter(ui);
	return -1;
}

const struct tt_view_ops tt_view_profile = {
	.name = "Profile",
	.short_name = "Prof",
	.number = 7,
	.cols = &tt_pfunc_cols,
	.config = "columns.profile",
	.sort = TT_PF_SELF_PCT,
	.desc = true,
	.draw = prof_draw,
	.key = prof_key,
};
