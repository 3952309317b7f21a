/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * columns_get.h - getters generated from an expression on a row, for the
 * column tables (model/columns_*.c only). GET_U: a count (uint64_t),
 * GET_D: a measure (double), GET_S: a text in the row.
 */
#ifndef TT_COLUMNS_GET_H
#define TT_COLUMNS_GET_H

#include "model/columns.h"

#define TT_GET(fn, type, kind_, field, expr)                                   \
	static void get_##fn(const void *row, struct tt_value *v)              \
	{                                                                      \
		const type *r = row;                                           \
		v->kind = kind_;                                               \
		v->field = (expr);                                             \
	}
#define GET_U(fn, type, expr) TT_GET(fn, type, TT_VAL_U64, u, expr)
#define GET_D(fn, type, expr) TT_GET(fn, type, TT_VAL_F64, d, expr)
#define GET_S(fn, type, expr) TT_GET(fn, type, TT_VAL_STR, s, expr)

#endif
