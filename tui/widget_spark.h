/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_spark.h - one-line sparklines of a series, newest on the right,
 * with a label and the latest value.
 */
#ifndef TT_WIDGET_SPARK_H
#define TT_WIDGET_SPARK_H

#include <stddef.h>
#include "tui/ui_draw.h"

typedef char *(*tt_spark_fmt_fn)(char *buf, size_t len, double v);

/* floor: the smallest full scale, so noise near zero stays flat */
void tt_spark_draw(const struct tt_glyphs *g, const char *label,
		   const double *v, size_t n, double floor, tt_spark_fmt_fn fmt,
		   int y, int x, int w);

#endif
