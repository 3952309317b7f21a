/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui_config.h - the settings file, ~/.config/tracetop/config: which
 * columns show and in what order, the sort and the theme. Plain
 * `key = value` lines; pure C so it is unit-tested.
 */
#ifndef TT_UI_CONFIG_H
#define TT_UI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include "model/columns.h"

struct tt_config {
	int cols[TT_COL_MAX]; /* enum tt_col, in screen order */
	int ncols;	      /* 0: not set */
	int sort;	      /* -1: not set */
	int desc;	      /* -1: not set, else 0/1 */
	char theme[256];      /* "": not set */
};

void tt_config_init(struct tt_config *c);

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
 * Write c to path atomically (temporary file, fsync, rename), creating
 * the folder. Refuses to replace anything but a regular file owned by
 * the effective user, so a symlink planted there is never followed.
 */
int tt_config_save(const struct tt_config *c, const char *path, char *err,
		   size_t errlen);

#endif
