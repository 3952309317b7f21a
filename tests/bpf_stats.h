/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * bpf_stats.h - did someone else hold the kernel's BPF run-time stats on
 * during a test (another tracetop in its first 2 s, bpftool, make bench)?
 * A program's run_time_ns moves only while they are on. Tests of tracetop's
 * cost estimate need to know: those intervals are measured, not estimated.
 */
#ifndef TT_TESTS_BPF_STATS_H
#define TT_TESTS_BPF_STATS_H

#include <stdbool.h>

/* Save every BPF program's run_time_ns in file (fails the test if bpftool
 * cannot). */
void bpf_stats_mark(const char *file);
/* Did any program listed in both files run with the stats on between? */
bool bpf_stats_moved(const char *a, const char *b);

#endif
