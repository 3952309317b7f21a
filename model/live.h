/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * live.h - the live source: a collector (BPF) and a model, producing a
 * snapshot each time next() is called.
 */
#ifndef TT_LIVE_H
#define TT_LIVE_H

#include "bpf/collector.h"
#include "model/source.h"

/*
 * Load and attach; on success *out is a source. When nothing attaches,
 * returns a negative errno with the reason in err, and *out is still set
 * (for --check) unless the error is fatal before any probe was tried.
 */
int tt_live_new(const struct tt_collector_opts *o, struct tt_source **out,
		char *err, size_t errlen);
/* The same, keeping at most ev_max events per snapshot (0: default). */
int tt_live_new_ev(const struct tt_collector_opts *o, unsigned ev_max,
		   struct tt_source **out, char *err, size_t errlen);

/* The collector behind a live source (for --check and the probe list). */
struct tt_collector *tt_live_collector(struct tt_source *s);

/*
 * The event stream between snapshots: the fd to poll (-1 when events are
 * off), and the drain that moves the waiting events into the snapshot
 * being built (next() drains too). The hook sees every event as it is
 * drained, for a reader that prints them as they come (--trace).
 */
int tt_live_events_fd(struct tt_source *s);
int tt_live_drain(struct tt_source *s);
void tt_live_set_event_hook(struct tt_source *s,
			    void (*fn)(void *ctx, const struct tt_event *ev),
			    void *ctx);

#endif
