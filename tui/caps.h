/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * caps.h - least privilege: once the BPF programs are loaded and attached
 * and the exporter's socket is bound, keep only what the rest of the run
 * needs (signals to other users' processes, reading their /proc entries);
 * in replay, nothing at all.
 */
#ifndef TT_CAPS_H
#define TT_CAPS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Drop all but CAP_KILL and CAP_DAC_READ_SEARCH, and CAP_SYS_PTRACE when
 * profiling (the symbolizer reads other users' /proc/PID/maps and their
 * files through /proc/PID/root, both ptrace-checked); 0 or -errno.
 */
int tt_caps_drop_after_load(bool profiling);
/* Drop every capability (replay). */
int tt_caps_drop_all(void);
/* The effective capabilities as text, "=" when none (for --check). */
void tt_caps_describe(char *buf, size_t len);

#endif
