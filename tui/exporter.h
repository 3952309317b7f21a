/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * exporter.h - the /metrics endpoint (libmicrohttpd), driven from the main
 * loop: poll() its fd, call tt_exporter_run when readable and once per
 * refresh (it also wakes itself for its deadlines). Only GET / and GET
 * /metrics; connections per address, request sizes and the time a request
 * may take are bounded, so slow or hostile clients cannot stall the screen
 * nor keep a scraper out.
 */
#ifndef TT_EXPORTER_H
#define TT_EXPORTER_H

#include <stddef.h>
#include "model/openmetrics.h"

struct tt_exporter;

/* listen is "[ADDR:]PORT" (ADDR defaults to 127.0.0.1; [::1]:PORT for v6) */
int tt_exporter_new(const char *listen, const struct tt_metrics_opts *o,
		    struct tt_exporter **out, char *err, size_t errlen);
int tt_exporter_fd(const struct tt_exporter *e);
void tt_exporter_run(struct tt_exporter *e);
/* The snapshot the next scrapes see (a reference is kept). */
void tt_exporter_update(struct tt_exporter *e, struct tt_snapshot *s);
void tt_exporter_free(struct tt_exporter *e);

/* parse "[ADDR:]PORT" into a sockaddr; 0 or -EINVAL with err */
struct sockaddr_storage;
int tt_exporter_parse_listen(const char *listen, struct sockaddr_storage *ss,
			     char *err, size_t errlen);

#endif
