// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * rows.c - filter, sort, tree and grouping of the process table.
 * The tree keeps the sort among siblings, as htop does; the groups sum
 * rates and counters and keep the worst latency percentile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/rows.h"

const char *tt_group_name(enum tt_grouping g)
{
	static const char *const names[TT_GROUP_MAX] = {
		[TT_GROUP_NONE] = "",
		[TT_GROUP_USER] = "user",
		[TT_GROUP_COMM] = "program",
		[TT_GROUP_CGROUP] = "cgroup",
	};

	return g < TT_GROUP_MAX ? names[g] : "";
}

const char *tt_group_key(const struct tt_proc *p, enum tt_grouping g)
{
	switch (g) {
	case TT_GROUP_USER:
		return p->user;
	case TT_GROUP_COMM:
		return p->comm;
	case TT_GROUP_CGROUP:
		return p->cgroup && *p->cgroup ? p->cgroup : "?";
	default:
		return "";
	}
}

void tt_rows_free(struct tt_rows *r)
{
	free(r->v);
	free(r->groups);
	memset(r, 0, sizeof(*r));
}

bool tt_rows_keep(const struct tt_proc *p, const struct tt_rows_query *q)
{
	if (q->uid >= 0 && p->uid != (uint64_t)q->uid)
		return false;
	return tt_proc_matches(p, q->filter);
}

static void rows_sum(struct tt_proc *g, const struct tt_proc *p)
{
	g->threads += p->threads;
	g->rss_bytes += p->rss_bytes;
	g->cpu_ticks += p->cpu_ticks;
	g->cpu_pct += p->cpu_pct;
	g->sc_count += p->sc_count;
	g->sc_errors += p->sc_errors;
	g->sc_rate += p->sc_rate;
	g->sc_err_rate += p->sc_err_rate;
	g->tcp.tx_bytes += p->tcp.tx_bytes;
	g->tcp.rx_bytes += p->tcp.rx_bytes;
	g->tcp.connects += p->tcp.connects;
	g->tcp.accepts += p->tcp.accepts;
	g->tcp.retransmits += p->tcp.retransmits;
	g->tcp.resets += p->tcp.resets;
	g->tx_rate += p->tx_rate;
	g->rx_rate += p->rx_rate;
	g->connections += p->connections;
	g->oncpu_ns += p->oncpu_ns;
	g->oncpu_pct += p->oncpu_pct;
	g->voluntary += p->voluntary;
	g->involuntary += p->involuntary;
	g->migrations += p->migrations;
	g->csw_rate += p->csw_rate;
	/* a percentile does not sum: the group shows its worst member's */
	if (p->sc_p99_ns > g->sc_p99_ns)
		g->sc_p99_ns = p->sc_p99_ns;
	if (p->runq_p99_ns > g->runq_p99_ns)
		g->runq_p99_ns = p->runq_p99_ns;
	if (p->runq_p50_ns > g->runq_p50_ns)
		g->runq_p50_ns = p->runq_p50_ns;
	if (strcmp(g->user, p->user))
		strcpy(g->user, "*");
}

static int rows_group(struct tt_rows *r, const struct tt_proc **v, size_t n,
		      const struct tt_rows_query *q)
{
	const char **keys = calloc(n ? n : 1, sizeof(*keys));
	uint32_t *members = calloc(n ? n : 1, sizeof(*members));
	size_t ng = 0;

	r->groups = calloc(n ? n : 1, sizeof(*r->groups));
	if (!keys || !members || !r->groups) {
		free(keys);
		free(members);
		return -ENOMEM;
	}
	/* a linear search per process: groups are few (users, programs) */
	for (size_t i = 0; i < n; i++) {
		const char *k = tt_group_key(v[i], q->group);
		size_t g;

		for (g = 0; g < ng; g++)
			if (!strcmp(keys[g], k))
				break;
		if (g == ng) {
			struct tt_proc *gp = &r->groups[ng++];

			keys[g] = k;
			gp->state = ' ';
			gp->uid = v[i]->uid;
			snprintf(gp->user, sizeof(gp->user), "%s", v[i]->user);
			snprintf(gp->comm, sizeof(gp->comm), "%.15s", k);
			gp->cmdline = k;
			gp->cgroup = v[i]->cgroup;
			gp->top_sc = "";
		}
		members[g]++;
		rows_sum(&r->groups[g], v[i]);
	}
	for (size_t g = 0; g < ng; g++) {
		/* id for the selection: members' count is not stable, so
		 * hash the key (FNV-1a) into the pid slot */
		uint32_t hsh = 2166136261u;

		for (const char *c = keys[g]; *c; c++)
			hsh = (hsh ^ (unsigned char)*c) * 16777619u;
		r->groups[g].pid = hsh;
		v[g] = &r->groups[g];
	}
	tt_sort_procs(v, ng, q->sort, q->desc);
	for (size_t g = 0; g < ng; g++) {
		size_t idx = (size_t)(v[g] - r->groups);

		r->v[g] = (struct tt_row){ .p = v[g], .members = members[idx] };
	}
	r->n = ng;
	r->ngroups = ng;
	free(keys);
	free(members);
	return 0;
}

/*
 * Depth-first from the roots, children in sort order. child/next are
 * indexes into v (sorted), -1 for none. A process whose parent is absent
 * or filtered out is a root.
 */
static void rows_tree(struct tt_rows *r, const struct tt_proc **v, size_t n,
		      const struct tt_snapshot *s, int *child, int *next,
		      int *stack, bool *seen)
{
	int *pos = stack + n; /* snapshot index -> position in v */
	size_t out = 0, sp;

	for (size_t i = 0; i < s->nprocs; i++)
		pos[i] = -1;
	for (size_t i = 0; i < n; i++) {
		pos[v[i] - s->procs] = (int)i;
		child[i] = next[i] = -1;
	}
	/* backwards so that pushing to the front keeps the sort order */
	for (size_t i = n; i-- > 0;) {
		const struct tt_proc *pp =
			v[i]->ppid != v[i]->pid
				? tt_snapshot_find(s, v[i]->ppid)
				: NULL;
		int parent = pp ? pos[pp - s->procs] : -1;

		if (parent >= 0) {
			next[i] = child[parent];
			child[parent] = (int)i;
		}
	}
	for (size_t root = 0; root < n; root++) {
		const struct tt_proc *pp;

		if (seen[root])
			continue;
		pp = v[root]->ppid != v[root]->pid
			     ? tt_snapshot_find(s, v[root]->ppid)
			     : NULL;
		/* reached from its parent; a parent cycle comes out last */
		if (pp && pos[pp - s->procs] >= 0)
			continue;
		r->v[out] = (struct tt_row){ .p = v[root], .last = true };
		seen[root] = true;
		out++;
		/* stack holds the next sibling to visit at each depth */
		stack[0] = child[root];
		sp = 1;
		while (sp > 0) {
			int c = stack[sp - 1];
			struct tt_row *row;

			if (c < 0 || seen[c]) {
				sp--;
				continue;
			}
			stack[sp - 1] = next[c];
			seen[c] = true;
			row = &r->v[out++];
			*row = (struct tt_row){ .p = v[c],
						.depth = (uint16_t)sp };
			row->last = next[c] < 0;
			for (size_t d = 1; d < sp && d < TT_TREE_DEPTH; d++)
				if (stack[d - 1] >= 0)
					row->more |= 1u << d;
			if (sp < n)
				stack[sp++] = child[c];
		}
	}
	/* anything a cycle kept out comes last, flat */
	for (size_t i = 0; i < n; i++)
		if (!seen[i])
			r->v[out++] =
				(struct tt_row){ .p = v[i], .last = true };
	r->n = out;
}

int tt_rows_build(struct tt_rows *r, const struct tt_snapshot *s,
		  const struct tt_rows_query *q)
{
	size_t n = 0, cap = s->nprocs ? s->nprocs : 1;
	const struct tt_proc **v = calloc(cap, sizeof(*v));
	int rc;

	tt_rows_free(r);
	r->v = calloc(cap, sizeof(*r->v));
	if (!v || !r->v) {
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->nprocs; i++)
		if (tt_rows_keep(&s->procs[i], q))
			v[n++] = &s->procs[i];
	if (q->group != TT_GROUP_NONE) {
		rc = rows_group(r, v, n, q);
		free(v);
		return rc;
	}
	tt_sort_procs(v, n, q->sort, q->desc);
	if (q->tree && n) {
		int *ints = calloc(3 * cap + s->nprocs + 1, sizeof(int));
		bool *seen = calloc(cap, sizeof(bool));

		if (!ints || !seen) {
			free(ints);
			free(seen);
			free(v);
			return -ENOMEM;
		}
		rows_tree(r, v, n, s, ints, ints + cap, ints + 2 * cap, seen);
		free(ints);
		free(seen);
	} else {
		for (size_t i = 0; i < n; i++)
			r->v[i] = (struct tt_row){ .p = v[i] };
		r->n = n;
	}
	free(v);
	return 0;
}

void tt_row_tree_prefix(const struct tt_row *r, bool utf8, char *out,
			size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	if (r->depth == 0)
		return;
	for (unsigned d = 1; d < r->depth && d < TT_TREE_DEPTH; d++) {
		const char *g =
			(r->more & (1u << d)) ? (utf8 ? "│ " : "| ") : "  ";

		if (used + strlen(g) + 1 > len)
			return;
		strcpy(out + used, g);
		used += strlen(g);
	}
	{
		const char *g = utf8 ? (r->last ? "└─" : "├─")
				     : (r->last ? "`-" : "|-");

		if (used + strlen(g) + 1 <= len)
			strcpy(out + used, g);
	}
}
