// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * format.c - compact numbers for table cells: at most 5 characters for
 * counts and sizes, so columns stay narrow like top's.
 */
#include <math.h>
#include <stdio.h>
#include "model/format.h"

/* v scaled by base through suffixes until it fits in 4 significant chars */
static char *scaled(char *buf, size_t len, double v, double base,
		    const char *const *sfx, size_t nsfx)
{
	size_t i = 0;

	if (!(v >= 0) || isinf(v)) /* NaN and negatives: nothing sensible */
		v = 0;
	while (v >= 999.5 && i + 1 < nsfx) {
		v /= base;
		i++;
	}
	if (i == 0 || v >= 99.95)
		snprintf(buf, len, "%.0f%s", v, sfx[i]);
	else
		snprintf(buf, len, "%.1f%s", v, sfx[i]);
	return buf;
}

char *tt_fmt_count(char *buf, size_t len, double v)
{
	static const char *const sfx[] = { "", "k", "M", "G", "T", "P" };

	if (v > 0 && v < 9.95) {
		snprintf(buf, len, "%.1f", v); /* 0.5/s matters for rates */
		return buf;
	}
	return scaled(buf, len, v, 1000, sfx, 6);
}

char *tt_fmt_bytes(char *buf, size_t len, double v)
{
	static const char *const sfx[] = { "B", "K", "M", "G", "T", "P" };

	return scaled(buf, len, v, 1024, sfx, 6);
}

char *tt_fmt_ns(char *buf, size_t len, uint64_t ns)
{
	static const struct {
		double div;
		const char *unit;
	} units[] = { { 1, "ns" }, { 1e3, "us" }, { 1e6, "ms" }, { 1e9, "s" } };
	double v = (double)ns;
	size_t i = 0;

	while (i + 1 < sizeof(units) / sizeof(units[0]) &&
	       v >= units[i + 1].div * 0.9995)
		i++;
	v /= units[i].div;
	if (i == 0 || v >= 99.95)
		snprintf(buf, len, "%.0f%s", v, units[i].unit);
	else
		snprintf(buf, len, "%.1f%s", v, units[i].unit);
	return buf;
}

char *tt_fmt_pct(char *buf, size_t len, double pct)
{
	if (!(pct >= 0))
		pct = 0;
	snprintf(buf, len, pct >= 999.5 ? "%.0f" : "%.1f", pct);
	return buf;
}

char *tt_fmt_duration(char *buf, size_t len, double s)
{
	unsigned long t = s > 0 ? (unsigned long)s : 0;

	if (t >= 86400)
		snprintf(buf, len, "%lud %02lu:%02lu", t / 86400, t / 3600 % 24,
			 t / 60 % 60);
	else
		snprintf(buf, len, "%02lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	return buf;
}
