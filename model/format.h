/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * format.h - numbers as a person reads them in a narrow column: SI counts
 * and rates (1.2k, 34M), binary sizes (12K, 3.4M for KiB, MiB), durations
 * (850ns, 12us, 3.4ms, 1.2s). Every function writes at most len bytes,
 * NUL included, and returns buf.
 */
#ifndef TT_FORMAT_H
#define TT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

char *tt_fmt_count(char *buf, size_t len, double v); /* 999, 1.2k, 34M */
char *tt_fmt_bytes(char *buf, size_t len, double v); /* 512B 1.5K 2.0M */
char *tt_fmt_ns(char *buf, size_t len, uint64_t ns); /* 850ns 12us 3.4ms */
char *tt_fmt_pct(char *buf, size_t len, double pct); /* 0.0 .. 200.0 */
/* "12:34:56" or "3d 04:05" for a duration in seconds */
char *tt_fmt_duration(char *buf, size_t len, double s);

#endif
