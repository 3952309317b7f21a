/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * mono.h - seconds on CLOCK_MONOTONIC: the profiler's ages, retries and
 * re-reads (symbol files, process maps, kallsyms).
 */
#ifndef TT_PROF_MONO_H
#define TT_PROF_MONO_H

#include <time.h>

static inline double tt_prof_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
