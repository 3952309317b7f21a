// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * proftree.c - stacks into a tree, and a function's neighbours. Frames are
 * compared by name and module (a replayed snapshot has no shared frames).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/proftree.h"

static bool same(const struct tt_frame *a, const struct tt_frame *b)
{
	return a == b || (a->kernel == b->kernel && !strcmp(a->name, b->name) &&
			  !strcmp(a->module, b->module));
}

static uint32_t add_node(struct tt_ptree *t, size_t *cap, uint32_t parent,
			 const struct tt_frame *f)
{
	struct tt_pnode *p;

	if (t->n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct tt_pnode *v = realloc(t->v, c * sizeof(*v));

		if (!v)
			return TT_PNODE_NONE;
		t->v = v;
		*cap = c;
	}
	p = &t->v[t->n];
	memset(p, 0, sizeof(*p));
	p->frame = f;
	p->parent = parent;
	p->child = p->next = TT_PNODE_NONE;
	if (parent != TT_PNODE_NONE) {
		p->depth = t->v[parent].depth + 1;
		p->next = t->v[parent].child;
		t->v[parent].child = (uint32_t)t->n;
	}
	return (uint32_t)t->n++;
}

/* each node's children, heaviest first (insertion sort: few per node) */
static void sort_children(struct tt_ptree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		uint32_t sorted = TT_PNODE_NONE, c = t->v[i].child;

		while (c != TT_PNODE_NONE) {
			uint32_t next = t->v[c].next, *at = &sorted;

			while (*at != TT_PNODE_NONE &&
			       t->v[*at].total >= t->v[c].total)
				at = &t->v[*at].next;
			t->v[c].next = *at;
			*at = c;
			c = next;
		}
		t->v[i].child = sorted;
	}
}

int tt_ptree_build(const struct tt_stack *stacks, uint32_t n,
		   struct tt_ptree *out)
{
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (add_node(out, &cap, TT_PNODE_NONE, NULL) == TT_PNODE_NONE)
		return -ENOMEM;
	for (uint32_t s = 0; s < n; s++) {
		const struct tt_stack *st = &stacks[s];
		uint32_t at = 0;

		out->v[0].total += st->weight;
		for (uint32_t k = 0; k < st->nframes; k++) {
			uint32_t c = out->v[at].child;

			while (c != TT_PNODE_NONE &&
			       !same(out->v[c].frame, st->frames[k]))
				c = out->v[c].next;
			if (c == TT_PNODE_NONE &&
			    (c = add_node(out, &cap, at, st->frames[k])) ==
				    TT_PNODE_NONE) {
				tt_ptree_free(out);
				return -ENOMEM;
			}
			out->v[c].total += st->weight;
			out->v[c].truncated |= st->truncated;
			at = c;
		}
		out->v[at].self += st->weight;
	}
	sort_children(out);
	return 0;
}

void tt_ptree_free(struct tt_ptree *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}

struct edges {
	struct tt_pedge *v;
	size_t n, cap;
};

static int edge_add(struct edges *e, const struct tt_frame *f, uint64_t w)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].kernel == f->kernel &&
		    !strcmp(e->v[i].name, f->name) &&
		    !strcmp(e->v[i].module, f->module)) {
			e->v[i].samples += w;
			return 0;
		}
	if (e->n == e->cap) {
		size_t c = e->cap ? e->cap * 2 : 16;
		struct tt_pedge *v = realloc(e->v, c * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = c;
	}
	e->v[e->n++] = (struct tt_pedge){ f->name, f->module, f->kernel, w, 0 };
	return 0;
}

static void edge_shares(struct edges *e, uint64_t of)
{
	for (size_t i = 0; i < e->n; i++)
		e->v[i].pct =
			of ? 100.0 * (double)e->v[i].samples / (double)of : 0;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct tt_pedge *x = a, *y = b;

	if (x->samples != y->samples)
		return x->samples > y->samples ? -1 : 1;
	return strcmp(x->name, y->name);
}

int tt_prof_neighbours(const struct tt_snapshot *s, const char *name,
		       const char *module, struct tt_pedge **callers,
		       size_t *ncallers, struct tt_pedge **callees,
		       size_t *ncallees)
{
	struct edges up = { 0 }, down = { 0 };
	int err = 0;

	for (size_t i = 0; i < s->nprocs && !err; i++) {
		const struct tt_proc *p = &s->procs[i];

		for (uint32_t j = 0; j < p->nstacks && !err; j++) {
			const struct tt_stack *st = &p->stacks[j];

			/* each neighbour once per chain, even in a recursion */
			for (uint32_t k = 0; k < st->nframes && !err; k++) {
				const struct tt_frame *f = st->frames[k];

				if (strcmp(f->name, name) ||
				    strcmp(f->module, module))
					continue;
				if (k > 0)
					err = edge_add(&up, st->frames[k - 1],
						       st->weight);
				if (!err && k + 1 < st->nframes)
					err = edge_add(&down, st->frames[k + 1],
						       st->weight);
				break;
			}
		}
	}
	if (err) {
		free(up.v);
		free(down.v);
		return err;
	}
	if (up.n)
		qsort(up.v, up.n, sizeof(*up.v), cmp_edge);
	if (down.n)
		qsort(down.v, down.n, sizeof(*down.v), cmp_edge);
	edge_shares(&up, s->prof.samples);
	edge_shares(&down, s->prof.samples);
	*callers = up.v;
	*ncallers = up.n;
	*callees = down.v;
	*ncallees = down.n;
	return 0;
}

int tt_prof_hottest(const struct tt_proc *p, struct tt_pedge **out, size_t *n)
{
	struct edges e = { 0 };

	*out = NULL;
	*n = 0;
	for (uint32_t j = 0; j < p->nstacks; j++) {
		const struct tt_stack *st = &p->stacks[j];

		if (st->nframes &&
		    edge_add(&e, st->frames[st->nframes - 1], st->weight)) {
			free(e.v);
			return -ENOMEM;
		}
	}
	if (e.n)
		qsort(e.v, e.n, sizeof(*e.v), cmp_edge);
	edge_shares(&e, p->prof_samples);
	*out = e.v;
	*n = e.n;
	return 0;
}
