/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_table.h - a sortable, scrolling table with a selection that
 * follows a row id across refreshes (htop's Panel). Views describe their
 * rows through callbacks; the widget lays out, draws, scrolls, resolves
 * the selection and runs pending searches.
 */
#ifndef TT_WIDGET_TABLE_H
#define TT_WIDGET_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tui/ui_state.h"

struct tt_tcol {
	const char *title;
	int width; /* 0: the rest of the line */
	bool left;
	bool desc; /* sorts largest first when picked */
};

struct tt_table_src {
	const struct tt_tcol *cols; /* every column the table has */
	const int *show;	    /* indexes into cols, screen order */
	int nshow;
	size_t nrows;
	const void *const *rows;
	void (*cell)(void *ctx, const void *row, int col, char *buf,
		     size_t len);
	int (*style)(void *ctx, const void *row); /* element, -1 normal */
	uint64_t (*id)(void *ctx, const void *row);
	bool (*match)(void *ctx, const void *row, const char *needle);
	void *ctx;
};

/* Draw src in the box (y, x, h rows, w cells): header, then rows. */
void tt_table_draw(struct tt_ui *ui, struct tt_table *t,
		   const struct tt_table_src *src, int y, int x, int h, int w);

/* Ask the next draw to look for ui->search from the selection (next:
 * from the row after it). */
void tt_table_find(struct tt_table *t, bool next);

/* Movement by an action (Up, PgDn, Home...); true if it was one. */
bool tt_table_move(struct tt_table *t, enum tt_act act);

/* Sort helper: qsort rows with cmp on column col, desc, ties by id. */
void tt_table_sort(const void **rows, size_t n,
		   int (*cmp)(const void *a, const void *b, int col), int col,
		   bool desc);

#endif
