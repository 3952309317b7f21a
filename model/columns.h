/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * columns.h - the process table's columns as data: name (for -s and the
 * config file), title, width, unit and kernel source (for help and the man
 * page), how to format a cell and how to compare two rows. The batch
 * output, the screen and the sort all read this one table.
 */
#ifndef TT_COLUMNS_H
#define TT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include "model/snapshot.h"

enum tt_col {
	TT_COL_PID,
	TT_COL_PPID,
	TT_COL_USER,
	TT_COL_STATE,
	TT_COL_THREADS,
	TT_COL_RSS,
	TT_COL_CPU,
	TT_COL_ONCPU,
	TT_COL_SYSC,
	TT_COL_ERR,
	TT_COL_TOPSC,
	TT_COL_SCP99,
	TT_COL_TX,
	TT_COL_RX,
	TT_COL_CONN,
	TT_COL_RETR,
	TT_COL_RUNQ99,
	TT_COL_CSW,
	TT_COL_MIGR,
	TT_COL_COMM,
	TT_COL_CMD,
	TT_COL_MAX
};

struct tt_column {
	const char *name;  /* lower case, for -s and the config file */
	const char *title; /* header cell */
	int width;	   /* cells; the last column takes what is left */
	bool left;	   /* left-aligned (text) */
	bool desc;	   /* sorts largest first by default */
	const char *help;  /* unit and where the number comes from */
	/* cell text into buf (len >= 32) */
	void (*format)(const struct tt_proc *p, char *buf, size_t len);
	/* a < b ? -1 : a > b for the ascending order */
	int (*cmp)(const struct tt_proc *a, const struct tt_proc *b);
};

extern const struct tt_column tt_columns[TT_COL_MAX];

/* Columns of `top -b`-like output and the screen unless configured. */
extern const enum tt_col tt_default_columns[];
extern const size_t tt_ndefault_columns;

/* by name, case-insensitive; -1 when unknown */
int tt_column_find(const char *name);

/*
 * Sort an array of process pointers by column col; descending if desc.
 * Ties go by pid, so the order is stable across refreshes.
 */
void tt_sort_procs(const struct tt_proc **v, size_t n, enum tt_col col,
		   bool desc);

#endif
