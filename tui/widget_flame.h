/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_flame.h - a flame graph in the terminal, drawn as an icicle: the
 * zoomed frame on top across the whole width, what it calls below it,
 * each box as wide as its share (model/proftree.h builds the tree, the
 * layout is tt_flame_layout in widget_geom.c). A selection moves over the
 * boxes; Enter zooms into one, Esc out again.
 *
 * Each refresh brings a new tree: the zoom and the selection are kept as
 * paths of frame names from the root, and found again in the next tree
 * (as deep as it still goes).
 */
#ifndef TT_WIDGET_FLAME_H
#define TT_WIDGET_FLAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/proftree.h"
#include "tui/ui_draw.h"
#include "tui/ui_keys.h"

#define TT_FLAME_PATH 2048

/* What a flame graph keeps between refreshes ("" is the root). */
struct tt_flame {
	char zoom[TT_FLAME_PATH];
	char sel[TT_FLAME_PATH];
};

/* The deepest node of t along path; 0 (the root) when none matches. */
uint32_t tt_flame_find(const struct tt_ptree *t, const char *path);
/* The path of node in t, root first; cut at a whole frame to fit. */
void tt_flame_path(const struct tt_ptree *t, uint32_t node, char *buf,
		   size_t len);

/*
 * Draw t in the box (y, x, h rows, w cells): the zoomed box on the first
 * row (root_label names the root), then a row per level below, scrolled
 * so that the selection shows; the selection drawn when focused.
 */
void tt_flame_draw(const struct tt_flame *f, const struct tt_ptree *t,
		   const char *root_label, bool focused,
		   const struct tt_glyphs *g, int y, int x, int h, int w);

/*
 * Up (the caller), Down (the heaviest callee), Left, Right (the
 * neighbours), Home (the zoomed box), Enter (zoom into the selection),
 * Back (zoom out one level): true when f took act; Back with no zoom is
 * left to the caller.
 */
bool tt_flame_act(struct tt_flame *f, const struct tt_ptree *t,
		  enum tt_act act);

#endif
