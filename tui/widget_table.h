/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_table.h - a sortable, scrolling table with a selection that
 * follows a row id across refreshes (htop's Panel). Its columns are a
 * column set of the model (model/columns.h); the view hands over the
 * rows, sorted, and may draw some cells, titles and styles of its own.
 * The widget lays out, draws, scrolls, resolves the selection and runs
 * a pending search. All it keeps is in struct tt_table.
 */
#ifndef TT_WIDGET_TABLE_H
#define TT_WIDGET_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/columns.h"
#include "tui/ui_keys.h"

#define TT_TABLE_COLS TT_COLS_MAX

/* A table's columns, sort, cursor and search, kept per view. */
struct tt_table {
	int sort; /* column of its set */
	bool desc;
	int show[TT_TABLE_COLS]; /* the columns shown, in screen order */
	int nshow;
	int sel, top;	   /* selected row, first row shown */
	int nrows, page;   /* from the last draw */
	uint64_t sel_id;   /* the selection follows this id (a pid...) */
	bool sel_by_index; /* moved by keys: take the id at sel next draw */
	bool passive;	   /* shows rows only: no selection drawn */
	bool track;	   /* follow sel_id (set once the user moved) */
	int find;	   /* a search at the next draw: 1 from the selection, 2
			      from the row after it, 0 none */
	bool missed;	   /* the last search found nothing */
	/* geometry of the last draw, for mouse clicks */
	int hdr_y, body_y, ncols;
	int x[TT_TABLE_COLS], w[TT_TABLE_COLS], col_ids[TT_TABLE_COLS];
	bool desc_of[TT_TABLE_COLS]; /* default order of each shown column */
	const char *sort_title;	     /* the sort column's title, for X */
};

struct tt_table_src {
	const struct tt_colset *set;
	const void *const *rows; /* sorted, as they show */
	size_t nrows;
	const char *search; /* what a pending search looks for */
	/* the view's own: a cell (false: the column's), a title (NULL:
	 * the column's), a style (-1: normal); each may be NULL */
	bool (*cell)(void *ctx, size_t i, int col, char *buf, size_t len);
	const char *(*title)(void *ctx, int col);
	int (*style)(void *ctx, size_t i);
	void *ctx;
	/* the snapshot the rows are of: a figure it did not measure shows
	 * "-" (NULL: every figure shows) */
	const struct tt_snapshot *snap;
};

/* set's default columns shown, sorted by sort. */
void tt_table_init(struct tt_table *t, const struct tt_colset *set, int sort,
		   bool desc);

/* Draw src in the box (y, x, h rows, w cells): header, then rows. */
void tt_table_draw(struct tt_table *t, const struct tt_table_src *src, int y,
		   int x, int h, int w);

/* Ask the next draw to look for its search from the selection (next:
 * from the row after it). */
void tt_table_find(struct tt_table *t, bool next);

/* Movement by an action (Up, PgDn, Home...); true if it was one. */
bool tt_table_move(struct tt_table *t, enum tt_act act);

/* Sort by the next (dir 1) or previous shown column: a reaction. */
int tt_table_sort_step(struct tt_table *t, int dir);

/* Sort by col; the same column again inverts, as in htop. */
void tt_table_sort_by(struct tt_table *t, const struct tt_colset *set, int col);

#endif
