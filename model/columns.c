// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * columns.c - what every column set shares: the cell formatters, lookup
 * by name, and the sort (a figure compared by its kind, never by
 * subtracting, then the set's tie, so equal rows hold still).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/columns.h"
#include "model/format.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

/* a number as a double, whichever kind it is */
static double num(const struct tt_value *v)
{
	return v->kind == TT_VAL_U64 ? (double)v->u : v->d;
}

void tt_cell_uint(const struct tt_value *v, char *b, size_t n)
{
	snprintf(b, n, "%llu", (unsigned long long)v->u);
}

void tt_cell_count(const struct tt_value *v, char *b, size_t n)
{
	tt_fmt_count(b, n, num(v));
}

void tt_cell_bytes(const struct tt_value *v, char *b, size_t n)
{
	tt_fmt_bytes(b, n, num(v));
}

void tt_cell_pct(const struct tt_value *v, char *b, size_t n)
{
	tt_fmt_pct(b, n, num(v));
}

void tt_cell_ns(const struct tt_value *v, char *b, size_t n)
{
	if (v->u)
		tt_fmt_ns(b, n, v->u);
	else
		snprintf(b, n, "-");
}

void tt_cell_ns_all(const struct tt_value *v, char *b, size_t n)
{
	tt_fmt_ns(b, n, v->u);
}

void tt_cell_time(const struct tt_value *v, char *b, size_t n)
{
	unsigned long long cs = v->u / 10000000ULL; /* hundredths, like top */
	unsigned long long min = cs / 6000;

	/* like top, coarser as it grows, so it stays within 9 cells */
	if (min < 1000)
		snprintf(b, n, "%llu:%02llu.%02llu", min, cs / 100 % 60,
			 cs % 100);
	else if (min < 100000)
		snprintf(b, n, "%llu:%02llu", min, cs / 100 % 60);
	else
		snprintf(b, n, "%llud%02lluh", min / 1440, min / 60 % 24);
}

void tt_cell_str(const struct tt_value *v, char *b, size_t n)
{
	snprintf(b, n, "%s", v->s ? v->s : "");
}

int tt_colset_find(const struct tt_colset *set, const char *name)
{
	for (int i = 0; i < set->ncols; i++)
		if (!strcasecmp(name, set->cols[i].name) ||
		    !strcasecmp(name, set->cols[i].title))
			return i;
	return -1;
}

void tt_colset_cell(const struct tt_colset *set, int col, const void *row,
		    char *buf, size_t len)
{
	const struct tt_column *c = &set->cols[col];
	struct tt_value v = { .kind = TT_VAL_U64 };

	c->get(row, &v);
	c->format(&v, buf, len);
}

static int value_cmp(const struct tt_value *a, const struct tt_value *b)
{
	switch (a->kind) {
	case TT_VAL_U64:
		return CMP(a->u, b->u);
	case TT_VAL_F64:
		return CMP(a->d, b->d);
	default:
		return strcmp(a->s ? a->s : "", b->s ? b->s : "");
	}
}

/* a row with its sort value, read once: a comparison read both each time,
 * some 20,000 reads to sort 1,000 rows */
struct sort_row {
	struct tt_value v; /* v.s may point into v.buf: never moved */
	const void *row;
};

struct sort_ctx {
	const struct tt_colset *set;
	bool desc;
};

static int sort_cmp(const void *x, const void *y, void *arg)
{
	const struct sort_ctx *k = arg;
	const struct sort_row *a = *(const struct sort_row *const *)x;
	const struct sort_row *b = *(const struct sort_row *const *)y;
	int c = value_cmp(&a->v, &b->v);

	if (k->desc)
		c = -c;
	return c ? c : k->set->tie(a->row, b->row);
}

void tt_colset_sort(const struct tt_colset *set, const void **rows, size_t n,
		    int col, bool desc)
{
	struct sort_ctx k = { set, desc };
	struct sort_row *sr, **by;

	if (n < 2 || col < 0 || col >= set->ncols)
		return;
	sr = malloc(n * sizeof(*sr));
	by = malloc(n * sizeof(*by));
	if (!sr || !by) { /* left as they were: drawn unsorted, not lost */
		free(sr);
		free(by);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		sr[i].v = (struct tt_value){ .kind = TT_VAL_U64 };
		sr[i].row = rows[i];
		set->cols[col].get(rows[i], &sr[i].v);
		by[i] = &sr[i];
	}
	qsort_r(by, n, sizeof(*by), sort_cmp, &k);
	for (size_t i = 0; i < n; i++)
		rows[i] = by[i]->row;
	free(sr);
	free(by);
}
