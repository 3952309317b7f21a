// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_table.c - header, rows, selection and scrolling of a table.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "tui/ui_draw.h"
#include "tui/widget_geom.h"
#include "model/measured.h"
#include "tui/widget_table.h"

void tt_table_init(struct tt_table *t, const struct tt_colset *set, int sort,
		   bool desc)
{
	t->sort = sort;
	t->desc = desc;
	t->nshow = 0;
	for (int i = 0; i < set->ndefaults && i < TT_TABLE_COLS; i++)
		t->show[t->nshow++] = set->defaults[i];
}

void tt_table_find(struct tt_table *t, bool next)
{
	t->find = next ? 2 : 1;
}

static void table_search(struct tt_table *t, const struct tt_table_src *src)
{
	size_t n = src->nrows, start = (size_t)t->sel + (t->find == 2);

	if (!t->find)
		return;
	t->find = 0;
	t->missed = false;
	if (!n || !src->search || !src->search[0])
		return;
	for (size_t k = 0; k < n; k++) {
		size_t i = (start + k) % n;

		if (src->set->match(src->rows[i], src->search)) {
			t->sel = (int)i;
			t->sel_by_index = true;
			t->track = true;
			return;
		}
	}
	t->missed = true;
}

static void table_resolve(struct tt_table *t, const struct tt_table_src *src)
{
	int n = (int)src->nrows;

	t->nrows = n;
	if (n == 0) {
		t->sel = t->top = 0;
		return;
	}
	/* until the user moves, the cursor stays on its row (the top);
	 * after, it follows the row's id wherever the sort takes it */
	if (!t->sel_by_index && t->track) {
		for (int i = 0; i < n; i++)
			if (src->set->id(src->rows[i]) == t->sel_id) {
				t->sel = i;
				break;
			}
	}
	if (t->sel >= n)
		t->sel = n - 1;
	if (t->sel < 0)
		t->sel = 0;
	t->sel_by_index = false;
	t->sel_id = src->set->id(src->rows[t->sel]);
}

static void table_scroll(struct tt_table *t, int page)
{
	t->page = page > 0 ? page : 1;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + t->page)
		t->top = t->sel - t->page + 1;
	if (t->top > t->nrows - t->page)
		t->top = t->nrows - t->page;
	if (t->top < 0)
		t->top = 0;
}

static const char *table_title(const struct tt_table_src *src, int col)
{
	const char *t = src->title ? src->title(src->ctx, col) : NULL;

	return t ? t : src->set->cols[col].title;
}

void tt_table_draw(struct tt_table *t, const struct tt_table_src *src, int y,
		   int x, int h, int w)
{
	const struct tt_column *cols = src->set->cols;
	int widths[TT_TABLE_COLS], n = t->nshow;
	char buf[512];

	if (n > TT_TABLE_COLS)
		n = TT_TABLE_COLS;
	if (h <= 0 || w <= 0)
		return;
	table_search(t, src);
	table_resolve(t, src);
	table_scroll(t, h - 1);

	for (int i = 0; i < n; i++)
		widths[i] = cols[t->show[i]].width;
	/* a text column last runs to the edge; numbers keep their width */
	tt_layout_columns(widths, n, w,
			  n > 0 &&
				  (cols[t->show[n - 1]].left || !widths[n - 1]),
			  t->x, t->w);
	t->ncols = n;
	t->hdr_y = y;
	t->body_y = y + 1;
	for (int i = 0; i < n; i++) {
		t->col_ids[i] = t->show[i];
		t->desc_of[i] = cols[t->show[i]].desc;
		if (t->show[i] == t->sort)
			t->sort_title = table_title(src, t->sort);
		t->x[i] += x;
	}

	tt_draw_style(TT_EL_HEADER);
	tt_draw_blank(y, x, w);
	for (int i = 0; i < n; i++) {
		if (t->w[i] <= 0)
			continue;
		tt_draw_style(t->show[i] == t->sort ? TT_EL_HEADER_SORT
						    : TT_EL_HEADER);
		tt_draw_field(y, t->x[i], t->w[i], cols[t->show[i]].left,
			      table_title(src, t->show[i]));
	}

	for (int r = 0; r < h - 1; r++) {
		int idx = t->top + r, el = TT_EL_NORMAL;

		tt_draw_style(TT_EL_NORMAL);
		if (idx >= (int)src->nrows) {
			tt_draw_blank(y + 1 + r, x, w);
			continue;
		}
		if (src->style) {
			int s = src->style(src->ctx, (size_t)idx);

			if (s >= 0)
				el = s;
		}
		if (idx == t->sel && !t->passive)
			el = TT_EL_SELECTED;
		tt_draw_style(el);
		tt_draw_blank(y + 1 + r, x, w);
		for (int i = 0; i < n; i++) {
			int c = t->show[i];

			if (t->w[i] <= 0)
				continue;
			buf[0] = '\0';
			if (!src->cell || !src->cell(src->ctx, (size_t)idx, c,
						     buf, sizeof(buf)))
				tt_colset_cell_of(src->set, c, src->rows[idx],
						  src->snap, buf, sizeof(buf));
			tt_draw_field(y + 1 + r, t->x[i], t->w[i], cols[c].left,
				      buf);
		}
	}
	tt_draw_style(TT_EL_NORMAL);
}

bool tt_table_move(struct tt_table *t, enum tt_act act)
{
	int page = t->page > 1 ? t->page - 1 : 1;

	switch (act) {
	case TT_ACT_UP:
		t->sel--;
		break;
	case TT_ACT_DOWN:
		t->sel++;
		break;
	case TT_ACT_PGUP:
		t->sel -= page;
		break;
	case TT_ACT_PGDN:
		t->sel += page;
		break;
	case TT_ACT_HOME:
		t->sel = 0;
		t->track = false; /* back on top: stay there */
		t->sel_by_index = true;
		return true;
	case TT_ACT_END:
		t->sel = t->nrows - 1;
		break;
	default:
		return false;
	}
	if (t->sel >= t->nrows)
		t->sel = t->nrows - 1;
	if (t->sel < 0)
		t->sel = 0;
	t->sel_by_index = true;
	t->track = true;
	return true;
}

int tt_table_sort_step(struct tt_table *t, int dir)
{
	int at = 0;

	if (t->ncols == 0)
		return TT_R_NONE;
	for (int i = 0; i < t->ncols; i++)
		if (t->col_ids[i] == t->sort)
			at = i;
	/* only columns on screen: sorting by a hidden one would puzzle */
	for (int k = 0; k < t->ncols; k++) {
		at = (at + dir + t->ncols) % t->ncols;
		if (t->w[at] > 0)
			break;
	}
	t->sort = t->col_ids[at];
	t->desc = t->desc_of[at];
	return TT_R_REDRAW;
}

void tt_table_sort_by(struct tt_table *t, const struct tt_colset *set, int col)
{
	t->desc = t->sort == col ? !t->desc : set->cols[col].desc;
	t->sort = col;
}
