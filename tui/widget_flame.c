// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_flame.c - the icicle. A path is "module\x1fname\x1e" per frame:
 * neither byte is in a symbol or a file name.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tui/widget_flame.h"
#include "tui/widget_geom.h"

#define FIELD '\x1f'
#define FRAME '\x1e'

/* the child of node whose frame is the next one of *path, or NONE */
static uint32_t flame_step(const struct tt_ptree *t, uint32_t node,
			   const char **path)
{
	const char *p = *path, *sep = strchr(p, FIELD), *end;

	if (!sep || !(end = strchr(sep + 1, FRAME)))
		return TT_PNODE_NONE;
	for (uint32_t c = t->v[node].child; c != TT_PNODE_NONE;
	     c = t->v[c].next) {
		const struct tt_frame *f = t->v[c].frame;

		if (strlen(f->module) == (size_t)(sep - p) &&
		    !strncmp(f->module, p, (size_t)(sep - p)) &&
		    strlen(f->name) == (size_t)(end - sep - 1) &&
		    !strncmp(f->name, sep + 1, (size_t)(end - sep - 1))) {
			*path = end + 1;
			return c;
		}
	}
	return TT_PNODE_NONE;
}

uint32_t tt_flame_find(const struct tt_ptree *t, const char *path)
{
	uint32_t at = 0, next;

	if (!t->n)
		return 0;
	while (*path && (next = flame_step(t, at, &path)) != TT_PNODE_NONE)
		at = next;
	return at;
}

void tt_flame_path(const struct tt_ptree *t, uint32_t node, char *buf,
		   size_t len)
{
	uint32_t chain[256];
	size_t n = 0, used = 0;

	buf[0] = '\0';
	for (uint32_t i = node; i && i < t->n && n < 256; i = t->v[i].parent)
		chain[n++] = i;
	for (; n > 0; n--) {
		const struct tt_frame *f = t->v[chain[n - 1]].frame;
		int k = snprintf(buf + used, len - used, "%s%c%s%c", f->module,
				 FIELD, f->name, FRAME);

		if (k < 0 || (size_t)k >= len - used) {
			buf[used] = '\0'; /* a whole frame or none */
			return;
		}
		used += (size_t)k;
	}
}

static bool flame_under(const struct tt_ptree *t, uint32_t node, uint32_t top)
{
	for (uint32_t i = node; i != TT_PNODE_NONE; i = t->v[i].parent)
		if (i == top)
			return true;
	return false;
}

static int flame_style(const struct tt_pnode *n, int ordinal, bool selected)
{
	if (selected)
		return TT_EL_SELECTED;
	if (n->frame && n->frame->kernel)
		return TT_EL_FLAME_KERNEL;
	return ordinal % 2 ? TT_EL_FLAME_ALT : TT_EL_FLAME;
}

/* one box: its name and share, a blank after it to part it from the next */
static void flame_box(const struct tt_ptree *t, uint32_t i, const char *label,
		      int style, int y, int x, int w)
{
	char text[256];
	double pct = t->v[0].total ? 100.0 * (double)t->v[i].total /
					     (double)t->v[0].total
				   : 0;
	int inner = w > 1 ? w - 1 : w;

	snprintf(text, sizeof(text), "%s %.1f%%", label, pct);
	if (tt_draw_width(text) > inner)
		snprintf(text, sizeof(text), "%s", label);
	if (inner < 3) /* a letter or two say nothing: colour only */
		text[0] = '\0';
	tt_draw_style((enum tt_theme_el)style);
	tt_draw_field(y, x, inner, true, text);
	tt_draw_style(TT_EL_NORMAL);
	if (inner < w)
		tt_draw_blank(y, x + inner, w - inner);
}

void tt_flame_draw(const struct tt_flame *f, const struct tt_ptree *t,
		   const char *root_label, bool focused,
		   const struct tt_glyphs *g, int y, int x, int h, int w)
{
	uint32_t zoom, sel;
	int *bx, *bw, *ord, top, selrel;

	for (int r = 0; r < h; r++)
		tt_draw_blank(y + r, x, w);
	if (!t->n || h < 1 || w < 4)
		return;
	zoom = tt_flame_find(t, f->zoom);
	sel = tt_flame_find(t, f->sel);
	if (!flame_under(t, sel, zoom))
		sel = zoom;
	bx = calloc(t->n, sizeof(*bx));
	bw = calloc(t->n, sizeof(*bw));
	ord = calloc(t->n, sizeof(*ord));
	if (!bx || !bw || !ord)
		goto out;
	tt_flame_layout(t, zoom, w, bx, bw);
	for (size_t i = 0; i < t->n; i++) {
		int k = 0;

		for (uint32_t c = t->v[i].child; c != TT_PNODE_NONE;
		     c = t->v[c].next)
			ord[c] = k++;
	}
	/* the first row is the zoomed box; below, the levels that keep the
	 * selection in sight */
	selrel = (int)(t->v[sel].depth - t->v[zoom].depth);
	top = selrel > h - 1 ? selrel - (h - 1) : 0;
	for (size_t i = zoom; i < t->n; i++) {
		int rel = (int)(t->v[i].depth - t->v[zoom].depth), row;
		const char *label;

		if (bw[i] <= 0)
			continue;
		row = rel == 0 ? 0 : rel - top;
		if (row < 0 || row >= h || (rel > 0 && row == 0))
			continue;
		label = t->v[i].frame ? t->v[i].frame->name : root_label;
		flame_box(t, (uint32_t)i, label,
			  flame_style(&t->v[i], ord[i], focused && i == sel),
			  y + row, x + bx[i], bw[i]);
	}
	if (top > 0) { /* levels scrolled out of sight above */
		tt_draw_style(TT_EL_DIM);
		tt_draw_str(y, x + w - 1, 1, g->up);
		tt_draw_style(TT_EL_NORMAL);
	}
out:
	free(bx);
	free(bw);
	free(ord);
}

static uint32_t flame_prev(const struct tt_ptree *t, uint32_t n)
{
	uint32_t p = t->v[n].parent, prev = TT_PNODE_NONE;

	if (p == TT_PNODE_NONE)
		return TT_PNODE_NONE;
	for (uint32_t c = t->v[p].child; c != TT_PNODE_NONE && c != n;
	     c = t->v[c].next)
		prev = c;
	return prev;
}

bool tt_flame_act(struct tt_flame *f, const struct tt_ptree *t, enum tt_act act)
{
	uint32_t zoom, sel, to = TT_PNODE_NONE;

	if (!t->n) /* nothing to move over: the moves stop here */
		return act == TT_ACT_UP || act == TT_ACT_DOWN ||
		       act == TT_ACT_LEFT || act == TT_ACT_RIGHT ||
		       act == TT_ACT_HOME || act == TT_ACT_ENTER;
	zoom = tt_flame_find(t, f->zoom);
	sel = tt_flame_find(t, f->sel);
	if (!flame_under(t, sel, zoom))
		sel = zoom;
	switch (act) {
	case TT_ACT_UP:
		to = sel != zoom ? t->v[sel].parent : sel;
		break;
	case TT_ACT_DOWN:
		to = t->v[sel].child;
		break;
	case TT_ACT_LEFT:
		to = sel != zoom ? flame_prev(t, sel) : TT_PNODE_NONE;
		break;
	case TT_ACT_RIGHT:
		to = sel != zoom ? t->v[sel].next : TT_PNODE_NONE;
		break;
	case TT_ACT_HOME:
		to = zoom;
		break;
	case TT_ACT_ENTER:
		tt_flame_path(t, sel, f->zoom, sizeof(f->zoom));
		return true;
	case TT_ACT_BACK:
		if (!zoom)
			return false;
		tt_flame_path(t, t->v[zoom].parent, f->zoom, sizeof(f->zoom));
		return true;
	default:
		return false;
	}
	if (to != TT_PNODE_NONE)
		tt_flame_path(t, to, f->sel, sizeof(f->sel));
	return true;
}
