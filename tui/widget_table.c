// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_table.c - header, rows, selection and scrolling of a table.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "tui/ui_draw.h"
#include "tui/widget_geom.h"
#include "tui/widget_table.h"

/* one search pending at a time: the key that asked for it, then a draw */
static struct tt_table *table_pending;
static int table_pending_mode;

void tt_table_find(struct tt_table *t, bool next)
{
	table_pending = t;
	table_pending_mode = next ? 2 : 1;
}

static void table_search(struct tt_ui *ui, struct tt_table *t,
			 const struct tt_table_src *src)
{
	size_t n = src->nrows, start;

	if (table_pending != t || !src->match || !n || !ui->search[0])
		return;
	start = (size_t)t->sel + (table_pending_mode == 2 ? 1 : 0);
	table_pending = NULL;
	for (size_t k = 0; k < n; k++) {
		size_t i = (start + k) % n;

		if (src->match(src->ctx, src->rows[i], ui->search)) {
			t->sel = (int)i;
			t->sel_by_index = true;
			t->track = true;
			return;
		}
	}
	tt_ui_msg(ui, true, "no match for '%s'", ui->search);
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
	if (!t->sel_by_index && t->track && src->id) {
		for (int i = 0; i < n; i++)
			if (src->id(src->ctx, src->rows[i]) == t->sel_id) {
				t->sel = i;
				break;
			}
	}
	if (t->sel >= n)
		t->sel = n - 1;
	if (t->sel < 0)
		t->sel = 0;
	t->sel_by_index = false;
	if (src->id)
		t->sel_id = src->id(src->ctx, src->rows[t->sel]);
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

void tt_table_draw(struct tt_ui *ui, struct tt_table *t,
		   const struct tt_table_src *src, int y, int x, int h, int w)
{
	int widths[TT_TABLE_COLS], n = src->nshow;
	char buf[512];

	if (n > TT_TABLE_COLS)
		n = TT_TABLE_COLS;
	if (h <= 0 || w <= 0)
		return;
	table_search(ui, t, src);
	table_resolve(t, src);
	table_scroll(t, h - 1);

	for (int i = 0; i < n; i++)
		widths[i] = src->cols[src->show[i]].width;
	/* a text column last runs to the edge; numbers keep their width */
	tt_layout_columns(
		widths, n, w,
		n > 0 && (src->cols[src->show[n - 1]].left || !widths[n - 1]),
		t->x, t->w);
	t->ncols = n;
	t->hdr_y = y;
	t->body_y = y + 1;
	for (int i = 0; i < n; i++) {
		t->col_ids[i] = src->show[i];
		t->desc_of[i] = src->cols[src->show[i]].desc;
		if (src->show[i] == t->sort)
			t->sort_title = src->cols[t->sort].title;
		t->x[i] += x;
	}

	tt_draw_style(TT_EL_HEADER);
	tt_draw_blank(y, x, w);
	for (int i = 0; i < n; i++) {
		const struct tt_tcol *c = &src->cols[src->show[i]];

		if (t->w[i] <= 0)
			continue;
		tt_draw_style(src->show[i] == t->sort ? TT_EL_HEADER_SORT
						      : TT_EL_HEADER);
		tt_draw_field(y, t->x[i], t->w[i], c->left, c->title);
	}

	for (int r = 0; r < h - 1; r++) {
		int idx = t->top + r, el = TT_EL_NORMAL;
		const void *row;

		tt_draw_style(TT_EL_NORMAL);
		if (idx >= (int)src->nrows) {
			tt_draw_blank(y + 1 + r, x, w);
			continue;
		}
		row = src->rows[idx];
		if (src->style) {
			int s = src->style(src->ctx, row);

			if (s >= 0)
				el = s;
		}
		if (idx == t->sel && !t->passive)
			el = TT_EL_SELECTED;
		tt_draw_style(el);
		tt_draw_blank(y + 1 + r, x, w);
		for (int i = 0; i < n; i++) {
			const struct tt_tcol *c = &src->cols[src->show[i]];

			if (t->w[i] <= 0)
				continue;
			buf[0] = '\0';
			src->cell(src->ctx, row, src->show[i], buf,
				  sizeof(buf));
			tt_draw_field(y + 1 + r, t->x[i], t->w[i], c->left,
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

static int (*sort_cmp)(const void *a, const void *b, int col);
static int sort_col;
static bool sort_desc;

static int table_qsort_cmp(const void *x, const void *y)
{
	const void *a = *(const void *const *)x, *b = *(const void *const *)y;
	int c = sort_cmp(a, b, sort_col);

	if (sort_desc)
		c = -c;
	/* ties by address: rows of one snapshot keep a stable order */
	return c ? c : (a < b ? -1 : a > b);
}

void tt_table_sort(const void **rows, size_t n,
		   int (*cmp)(const void *a, const void *b, int col), int col,
		   bool desc)
{
	/* qsort has no context argument in C11; the UI sorts on one thread */
	sort_cmp = cmp;
	sort_col = col;
	sort_desc = desc;
	qsort(rows, n, sizeof(*rows), table_qsort_cmp);
}
