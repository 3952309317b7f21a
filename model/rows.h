/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * rows.h - the rows of the process table: filtered by name and user,
 * sorted by a column, laid out as a tree or folded into groups (by user,
 * program or cgroup) with summed counters. Pure C, no curses: the view
 * draws what this builds, and unit tests check it.
 */
#ifndef TT_ROWS_H
#define TT_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/columns.h"
#include "model/snapshot.h"

enum tt_grouping {
	TT_GROUP_NONE,
	TT_GROUP_USER,
	TT_GROUP_COMM,
	TT_GROUP_CGROUP,
	TT_GROUP_MAX
};

#define TT_TREE_DEPTH 32

struct tt_row {
	const struct tt_proc *p; /* a snapshot process, or a group's sums */
	uint32_t members;	 /* processes folded in; 0 for a process */
	uint16_t depth;		 /* tree depth, 0 for roots */
	bool last;		 /* last child of its parent */
	uint32_t more;		 /* bit d: the ancestor at depth d has
				    siblings below, so draw its line */
};

struct tt_rows_query {
	const char *filter; /* substring of comm or command line; NULL all */
	int64_t uid;	    /* -1: every user */
	enum tt_col sort;
	bool desc;
	bool tree;
	enum tt_grouping group;
};

struct tt_rows {
	struct tt_row *v;
	size_t n;
	struct tt_proc *groups; /* the summed rows when grouping */
	size_t ngroups;
};

/* Rebuild r from s; r starts zeroed. Returns 0 or -ENOMEM. */
int tt_rows_build(struct tt_rows *r, const struct tt_snapshot *s,
		  const struct tt_rows_query *q);
void tt_rows_free(struct tt_rows *r);

/* p passes q's name and user filters (the other views use them too) */
bool tt_rows_keep(const struct tt_proc *p, const struct tt_rows_query *q);

/* "user", "program", "cgroup"; "" for none */
const char *tt_group_name(enum tt_grouping g);
/* the text a process is grouped under */
const char *tt_group_key(const struct tt_proc *p, enum tt_grouping g);

/* Tree branch drawing for a row in glyphs: out gets up to len bytes. */
void tt_row_tree_prefix(const struct tt_row *r, bool utf8, char *out,
			size_t len);

#endif
