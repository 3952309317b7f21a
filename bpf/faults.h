/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * faults.h - faults injected on request, so the tests can show that a
 * missing tracepoint, a program the verifier refuses and full maps turn
 * off or count only what they touch. TRACETOP_FAULTS is a comma list:
 *   missing:PROG   PROG attaches to a tracepoint this kernel lacks (the
 *                  sampler, tt_prof_sample: no cpu-clock perf event)
 *   reject:PROG    PROG is loaded for a tracepoint whose argument is an
 *                  int: the verifier refuses its first read through it
 *   tiny-maps      the per-process maps hold 8 entries
 *   tiny-maps:MAP  only MAP (sc_stats, sched_stats, tcp_stats, conns)
 *   unreadable:MAP every read of the map MAP fails (EIO), as a map the
 *                  kernel stops answering for would
 *   few-exits      a refresh takes FAULT_FEW_EXITS exit records at most,
 *                  not TT_EXITS_PER_SNAPSHOT: the rest wait in the map
 * It can only take probes away, make maps smaller or reads fail: nothing
 * it does widens what tracetop sees or may do.
 */
#ifndef TT_FAULTS_H
#define TT_FAULTS_H

#include <stdbool.h>
#include <bpf/libbpf.h>

/* Apply TRACETOP_FAULTS to an opened, not yet loaded object. */
void tt_faults_apply(struct bpf_object *obj);

/* Is PROG, which attaches to no tracepoint (the perf_event sampler),
 * to fail as where its event is missing? Its caller then fails with ENOENT
 * as perf_event_open would. */
bool tt_faults_missing(const char *prog);

/* 0, or the negative errno a read of the map named map must fail with. */
int tt_faults_read(const char *map);

/* The exit records a refresh may take as few-exits has it, or 0: as many
 * as the model's own cap. */
unsigned tt_faults_exits_max(void);

#endif
