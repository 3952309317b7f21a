/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile_unw.h - which processes the kernel unwinds itself, and when their
 * tables are built or renewed. A sample the kernel did not unwind says why
 * (bpf/profile.h): no tables yet (build them), an exec since (forget the
 * old image, build again), an address outside every mapping with rows (a
 * library loaded since: renew when the maps changed), a rule it cannot
 * follow (nothing to do: user space unwinds such samples). Only for a
 * process with 4 such samples within a second, and at most once a second:
 * a process that runs now and then is cheaper to unwind in user space
 * than to read the tables of, and one the kernel cannot help costs an
 * attempt a second, not one a sample.
 *
 * The rows come from prof/unwplace.h, the kernel's maps are written through
 * bpf/profiler.h. Everything runs in the profiler's thread, under its lock.
 */
#ifndef TT_PROFILE_UNW_H
#define TT_PROFILE_UNW_H

#include <stdint.h>
#include "bpf/profiler.h"
#include "prof/profile.h"
#include "prof/unwplace.h"

/* the kernel's rows array: 2 MiB, ten big modules or so */
#define TT_PROF_UNW_ROWS (1u << 18)

struct tt_prof_unw;

/* NULL when the kernel has no room for rows (unwinding there is off);
 * prof gives the symbolizer's maps and files. */
struct tt_prof_unw *tt_prof_unw_new(struct tt_profiler *kp,
				    struct tt_prof *prof);
void tt_prof_unw_free(struct tt_prof_unw *u);

/* A sample of process (pid, pgen) that the kernel did not unwind, and why
 * (enum tt_unw_stat); after it was symbolized (which rereads maps that
 * changed). */
void tt_prof_unw_miss(struct tt_prof_unw *u, uint32_t pid, uint64_t pgen,
		      unsigned why);
/* Process pid exited: its tables go. */
void tt_prof_unw_gone(struct tt_prof_unw *u, uint32_t pid);

/* processes with tables now, and the rows' counters */
unsigned tt_prof_unw_procs(const struct tt_prof_unw *u);
void tt_prof_unw_stats(const struct tt_prof_unw *u,
		       struct tt_unwplace_stats *out);

#endif
