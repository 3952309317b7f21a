/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * exporter_guard.h - deadlines for the exporter's connections, which
 * libmicrohttpd does not keep: its timeout is an idle timeout, and a client
 * that sends one header byte a second (or reads one response byte a
 * second) is never idle. Every connection is in one of two queues:
 *
 *   waiting    for a whole request header, from its accept or the end of
 *              its previous response: TT_GUARD_HEADER_S at most;
 *   answering  from the header to the response's last byte:
 *              TT_GUARD_ANSWER_S at most.
 *
 * Past its deadline a connection's socket is shut down (shutdown(2)), and
 * libmicrohttpd closes it on its next run. Both queues are in deadline
 * order, so a check costs only the connections it ends. When more than
 * max_waiting connections wait for a header, a new one pushes the oldest
 * out: a crowd of stalled clients cannot keep a scraper from getting in.
 */
#ifndef TT_EXPORTER_GUARD_H
#define TT_EXPORTER_GUARD_H

#include <stdint.h>
#include "tui/mhd_lazy.h"

/* a request header must be whole within this; a response must be taken
 * within the other (Prometheus' default scrape timeout) */
#define TT_GUARD_HEADER_S 2u
#define TT_GUARD_ANSWER_S 10u

struct tt_guard;

struct tt_guard_stats {
	uint64_t late_header; /* cut: no whole header in time */
	uint64_t late_answer; /* cut: response not taken in time */
	uint64_t pushed_out;  /* cut to make room for a new connection */
};

struct tt_guard *tt_guard_new(const struct tt_mhd *mhd, unsigned max_waiting);
void tt_guard_free(struct tt_guard *g);

/* MHD_OPTION_NOTIFY_CONNECTION and MHD_OPTION_NOTIFY_COMPLETED, with g */
void tt_guard_on_connection(void *g, struct MHD_Connection *c, void **ctx,
			    enum MHD_ConnectionNotificationCode code);
void tt_guard_on_completed(void *g, struct MHD_Connection *c, void **req,
			   enum MHD_RequestTerminationCode toe);
/* From the request handler: c's header is complete. */
void tt_guard_answering(struct tt_guard *g, struct MHD_Connection *c);

/*
 * Shut down the connections past their deadline at now (CLOCK_MONOTONIC,
 * ms). Returns the next deadline, or UINT64_MAX for none.
 */
uint64_t tt_guard_check(struct tt_guard *g, uint64_t now);
uint64_t tt_guard_now_ms(void);
void tt_guard_stats(const struct tt_guard *g, struct tt_guard_stats *st);

#endif
