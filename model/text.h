/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* text.h - a snapshot as plain-text tables, like `top -b` (for -b). */
#ifndef TT_TEXT_H
#define TT_TEXT_H

#include <stdbool.h>
#include <stdio.h>
#include "model/columns.h"

/* Header and the process table sorted by col; returns 0 or -errno. */
int tt_text_snapshot(FILE *out, const struct tt_snapshot *s, enum tt_col col,
		     bool desc);

/* One formatted row (or the header when p is NULL) of the given columns. */
void tt_text_row(char *buf, size_t len, const struct tt_proc *p,
		 const int *cols, size_t ncols);

#endif
