/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * openmetrics.h - a snapshot as Prometheus metrics: OpenMetrics 1.0 text,
 * or the classic Prometheus text format 0.0.4 (the scraper chooses by its
 * Accept header). Base units, _total counters, _seconds and _bytes.
 */
#ifndef TT_OPENMETRICS_H
#define TT_OPENMETRICS_H

#include <stdbool.h>
#include <stddef.h>
#include "model/snapshot.h"

struct tt_metrics_opts {
	bool openmetrics; /* false: Prometheus text 0.0.4 */
	unsigned top;	  /* cgroups (and PIDs) published, busiest first */
	bool pids;	  /* per-PID series too */
};

#define TT_CT_OPENMETRICS                                                      \
	"application/openmetrics-text; version=1.0.0; charset=utf-8"
#define TT_CT_PROMETHEUS "text/plain; version=0.0.4; charset=utf-8"

/* The text, malloc'ed, in *out with its length; -ENOMEM on failure. */
int tt_metrics_render(const struct tt_snapshot *s,
		      const struct tt_metrics_opts *o, char **out, size_t *len);

#endif
