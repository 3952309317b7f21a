/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_config.h - the settings file, ~/.config/tracetop/config: which
 * columns each table shows and in what order (one line per table, its key
 * named by the caller: "columns" for the process table), the process
 * table's sort and the theme. Plain `key = value` lines; pure C so it is
 * unit-tested.
 */
#ifndef TT_UI_CONFIG_H
#define TT_UI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "model/columns.h"

#define TT_CONFIG_TABLES 16

/* one table's columns: "key = name,name,..." */
struct tt_config_cols {
	const char *key;	     /* "columns", "columns.tcp" */
	const struct tt_colset *set; /* where its names are looked up */
	int cols[TT_COLS_MAX];	     /* in screen order */
	int ncols;		     /* 0: not set */
};

struct tt_config {
	struct tt_config_cols tab[TT_CONFIG_TABLES];
	int ntab;
	int sort;	 /* of the first table; -1: not set */
	int desc;	 /* -1: not set, else 0/1 */
	char theme[256]; /* "": not set */
};

void tt_config_init(struct tt_config *c);

/* A table the file may hold, before load or save; NULL when full. The
 * first one added owns `sort` and `order`. */
struct tt_config_cols *tt_config_add(struct tt_config *c, const char *key,
				     const struct tt_colset *set);

/* $XDG_CONFIG_HOME/tracetop/config or $HOME/.config/tracetop/config */
int tt_config_path(char *buf, size_t len);

/*
 * Read path into c. A missing file is not an error (-ENOENT, err empty);
 * unknown keys and columns are skipped so an older tracetop reads a newer
 * file; a malformed line gives -EINVAL and "path:line: reason".
 */
int tt_config_load(struct tt_config *c, const char *path, char *err,
		   size_t errlen);

/*
 * Write c (the tables whose columns are set) to path atomically
 * (temporary file, fsync, rename), creating
 * the folder. Refuses to replace anything but a regular file owned by
 * the effective user, so a symlink planted there is never followed.
 */
int tt_config_save(const struct tt_config *c, const char *path, char *err,
		   size_t errlen);

#endif
