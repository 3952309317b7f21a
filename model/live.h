/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * live.h - the live source: a collector (BPF) and a model. Each snapshot
 * step reads the maps; the events stream in between (TT_SRC_STREAM).
 */
#ifndef TT_LIVE_H
#define TT_LIVE_H

#include "bpf/collector.h"
#include "model/source.h"

/*
 * Load and attach; on success *out is a source. When nothing attaches,
 * returns a negative errno with the reason in err, and *out is still set
 * (for --check) unless the error is fatal before any probe was tried.
 * Each snapshot keeps at most ev_max events (0: TT_EV_MAX_PER_SNAPSHOT).
 */
int tt_live_new(const struct tt_collector_opts *o, unsigned ev_max,
		struct tt_source **out, char *err, size_t errlen);

/* The collector behind a live source (for --check and the probe list). */
struct tt_collector *tt_live_collector(struct tt_source *s);

/* The profiler's state: "on", or "off: <reason>" (for --check). */
const char *tt_live_prof_status(struct tt_source *s, bool offcpu);

#endif
