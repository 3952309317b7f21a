// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * columns_prof.c - the columns of the Profile view: each function over
 * every process, on-CPU, in the interval (struct tt_pfunc, as perf top).
 */
#include <string.h>
#include <strings.h>
#include "model/columns_get.h"

#define F struct tt_pfunc

GET_D(self_pct, F, r->self_pct)
GET_D(total_pct, F, r->total_pct)
GET_U(self, F, r->self)
GET_U(total, F, r->total)
GET_S(module, F, r->module ? r->module : "?")
GET_S(name, F, r->name ? r->name : "?")

static const struct tt_column pfunc_columns[TT_PF_MAX] = {
	[TT_PF_SELF_PCT] = { "self", "SELF%", 6, false, true,
			     "samples that landed in the function itself, % "
			     "of the interval's on-CPU samples (cpu-clock)",
			     get_self_pct, tt_cell_pct },
	[TT_PF_TOTAL_PCT] = { "total", "TOTAL%", 6, false, true,
			      "samples with the function anywhere in the "
			      "call chain (itself and what it calls), %",
			      get_total_pct, tt_cell_pct },
	[TT_PF_SELF] = { "samples", "SAMPLES", 7, false, true,
			 "samples that landed in the function itself", get_self,
			 tt_cell_uint },
	[TT_PF_TOTAL] = { "chains", "CHAINS", 7, false, true,
			  "samples with the function anywhere in the call "
			  "chain",
			  get_total, tt_cell_uint },
	[TT_PF_MODULE] = { "module", "MODULE", 16, true, false,
			   "the file it is in; [kernel] or [module] for the "
			   "kernel's",
			   get_module, tt_cell_str },
	[TT_PF_NAME] = { "function", "FUNCTION", 0, true, false,
			 "its name (.symtab, .dynsym, debug file, kallsyms, "
			 "perf map); file+0xOFFSET when none covers it",
			 get_name, tt_cell_str },
};

static const int pfunc_defaults[] = {
	TT_PF_SELF_PCT, TT_PF_TOTAL_PCT, TT_PF_SELF, TT_PF_MODULE, TT_PF_NAME,
};

/* the model's order: total descending, then by name */
static int pfunc_tie(const void *a, const void *b)
{
	const F *x = a, *y = b;
	int c;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
	return c ? c
		 : strcmp(x->module ? x->module : "",
			  y->module ? y->module : "");
}

/* a function is its name in its module: FNV-1a over both */
static uint64_t pfunc_id(const void *row)
{
	const F *f = row;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *s = f->module ? f->module : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h = (h ^ 0xff) * 0x100000001b3ULL;
	for (const char *s = f->name ? f->name : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static bool pfunc_match(const void *row, const char *needle)
{
	const F *f = row;

	return (f->name && strcasestr(f->name, needle)) ||
	       (f->module && strcasestr(f->module, needle));
}

const struct tt_colset tt_pfunc_cols = {
	.name = "profile",
	.cols = pfunc_columns,
	.ncols = TT_PF_MAX,
	.defaults = pfunc_defaults,
	.ndefaults = sizeof(pfunc_defaults) / sizeof(*pfunc_defaults),
	.tie = pfunc_tie,
	.id = pfunc_id,
	.match = pfunc_match,
};

_Static_assert(TT_PF_MAX <= TT_COLS_MAX, "at most TT_COLS_MAX columns");
