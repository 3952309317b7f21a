// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * columns_sysc.c - the columns of a syscall table (system-wide, or one
 * process's in the PID view).
 */
#include <string.h>
#include <strings.h>
#include "model/columns_get.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))
#define S	  struct tt_sysc

GET_S(name, S, r->name ? r->name : "?")
GET_D(rate, S, r->rate)
GET_D(err, S, r->err_rate)
GET_U(avg, S, r->count ? r->total_ns / r->count : 0)
GET_U(p50, S, r->p50_ns)
GET_U(p99, S, r->p99_ns)
GET_U(time, S, (uint64_t)r->time_rate)
GET_U(count, S, r->count)
GET_U(errors, S, r->errors)
GET_U(total, S, r->total_ns)

static const struct tt_column sysc_columns[TT_SC_MAX] = {
	[TT_SC_NAME] = { "syscall", "SYSCALL", 18, true, false,
			 "the syscall's name (sys_NR when unknown)", get_name,
			 tt_cell_str },
	[TT_SC_RATE] = { "rate", "COUNT/s", 7, false, true,
			 "calls per second (raw_syscalls:sys_exit)", get_rate,
			 tt_cell_count },
	[TT_SC_ERR] = { "err", "ERR/s", 6, false, true,
			"failing calls (negative return) per second", get_err,
			tt_cell_count },
	[TT_SC_AVG] = { "avg", "AVG", 7, false, true,
			"mean latency since tracing began (sys_enter to "
			"sys_exit)",
			get_avg, tt_cell_ns_all },
	[TT_SC_P50] = { "p50", "p50", 7, false, true,
			"median latency, from the histogram", get_p50,
			tt_cell_ns_all },
	[TT_SC_P99] = { "p99", "p99", 7, false, true,
			"99th percentile latency, from the histogram", get_p99,
			tt_cell_ns_all },
	/* ns per second of wall time: 1.0s/s is one CPU's worth */
	[TT_SC_TIME] = { "time", "TIME/s", 7, false, true,
			 "time spent in it per second of the interval",
			 get_time, tt_cell_ns_all },
	[TT_SC_COUNT] = { "count", "COUNT", 7, false, true,
			  "calls since tracing began", get_count,
			  tt_cell_count },
	[TT_SC_ERRORS] = { "errors", "ERRORS", 7, false, true,
			   "failing calls since tracing began", get_errors,
			   tt_cell_count },
	[TT_SC_TOTAL] = { "total", "TOTAL", 7, false, true,
			  "time spent in it since tracing began", get_total,
			  tt_cell_ns_all },
};

static const int sysc_defaults[] = {
	TT_SC_NAME, TT_SC_RATE, TT_SC_ERR,   TT_SC_AVG,	   TT_SC_P50,
	TT_SC_P99,  TT_SC_TIME, TT_SC_COUNT, TT_SC_ERRORS, TT_SC_TOTAL,
};

/* the model's order: count descending, then number */
static int sysc_tie(const void *a, const void *b)
{
	const S *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return CMP(x->nr, y->nr);
}

static uint64_t sysc_id(const void *row)
{
	return ((const S *)row)->nr;
}

static bool sysc_match(const void *row, const char *needle)
{
	const S *s = row;

	return s->name && strcasestr(s->name, needle);
}

const struct tt_colset tt_sysc_cols = {
	.name = "syscalls",
	.cols = sysc_columns,
	.ncols = TT_SC_MAX,
	.defaults = sysc_defaults,
	.ndefaults = sizeof(sysc_defaults) / sizeof(*sysc_defaults),
	.tie = sysc_tie,
	.id = sysc_id,
	.match = sysc_match,
};
