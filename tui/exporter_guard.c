// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * exporter_guard.c - connection deadlines for the exporter (see
 * exporter_guard.h).
 */
#include <stdlib.h>
#include <time.h>
#include <sys/socket.h>
#include "tui/exporter_guard.h"

enum { Q_WAITING, Q_ANSWERING, Q_NONE };

struct conn {
	struct conn *prev, *next;
	uint64_t deadline; /* CLOCK_MONOTONIC ms */
	int q;		   /* Q_* */
	int fd;
};

struct queue {
	struct conn *head, *tail; /* head: the earliest deadline */
	unsigned n;
};

struct tt_guard {
	const struct tt_mhd *mhd;
	struct queue q[Q_NONE];
	unsigned max_waiting;
	struct tt_guard_stats st;
};

static const uint64_t q_limit_ms[Q_NONE] = {
	[Q_WAITING] = (uint64_t)TT_GUARD_HEADER_S * 1000,
	[Q_ANSWERING] = (uint64_t)TT_GUARD_ANSWER_S * 1000,
};

uint64_t tt_guard_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void q_remove(struct tt_guard *g, struct conn *c)
{
	struct queue *q;

	if (c->q == Q_NONE)
		return;
	q = &g->q[c->q];
	if (c->prev)
		c->prev->next = c->next;
	else
		q->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		q->tail = c->prev;
	q->n--;
	c->prev = c->next = NULL;
	c->q = Q_NONE;
}

/* at the tail: every entry of a queue has the same limit, so the queue
 * stays in deadline order */
static void q_append(struct tt_guard *g, struct conn *c, int which)
{
	struct queue *q = &g->q[which];

	q_remove(g, c);
	c->q = which;
	c->deadline = tt_guard_now_ms() + q_limit_ms[which];
	c->prev = q->tail;
	c->next = NULL;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->n++;
}

/* libmicrohttpd sees the socket end and closes the connection itself */
static void cut(struct tt_guard *g, struct conn *c, uint64_t *counter)
{
	q_remove(g, c);
	if (c->fd >= 0)
		shutdown(c->fd, SHUT_RDWR);
	(*counter)++;
}

struct tt_guard *tt_guard_new(const struct tt_mhd *mhd, unsigned max_waiting)
{
	struct tt_guard *g = calloc(1, sizeof(*g));

	if (g) {
		g->mhd = mhd;
		g->max_waiting = max_waiting;
	}
	return g;
}

/* connections still open are libmicrohttpd's to close: stop_daemon()
 * calls tt_guard_on_connection for each before this runs */
void tt_guard_free(struct tt_guard *g)
{
	free(g);
}

void tt_guard_on_connection(void *cls, struct MHD_Connection *mc, void **ctx,
			    enum MHD_ConnectionNotificationCode code)
{
	struct tt_guard *g = cls;
	struct conn *c = *ctx;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (c) {
			q_remove(g, c);
			free(c);
		}
		*ctx = NULL;
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	/* room first: the oldest of a full waiting queue goes */
	while (g->q[Q_WAITING].n >= g->max_waiting && g->q[Q_WAITING].head)
		cut(g, g->q[Q_WAITING].head, &g->st.pushed_out);
	c = calloc(1, sizeof(*c));
	if (!c) {
		/* untracked, it keeps libmicrohttpd's idle timeout only */
		return;
	}
	{
		const union MHD_ConnectionInfo *i = g->mhd->get_connection_info(
			mc, MHD_CONNECTION_INFO_CONNECTION_FD);

		c->fd = i ? i->connect_fd : -1;
	}
	c->q = Q_NONE;
	q_append(g, c, Q_WAITING);
	*ctx = c;
}

void tt_guard_answering(struct tt_guard *g, struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *i = g->mhd->get_connection_info(
		mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *c = i ? i->socket_context : NULL;

	/* the handler runs more than once for a request with a body */
	if (c && c->q == Q_WAITING)
		q_append(g, c, Q_ANSWERING);
}

/* the response is out: on a kept-alive connection the next request's
 * header is due as if it had just connected */
void tt_guard_on_completed(void *cls, struct MHD_Connection *mc, void **req,
			   enum MHD_RequestTerminationCode toe)
{
	struct tt_guard *g = cls;
	const union MHD_ConnectionInfo *i = g->mhd->get_connection_info(
		mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *c = i ? i->socket_context : NULL;

	if (c && c->q == Q_ANSWERING)
		q_append(g, c, Q_WAITING);
}

uint64_t tt_guard_check(struct tt_guard *g, uint64_t now)
{
	uint64_t next = UINT64_MAX;
	uint64_t *counters[Q_NONE] = { &g->st.late_header, &g->st.late_answer };

	for (int w = 0; w < Q_NONE; w++) {
		struct queue *q = &g->q[w];

		while (q->head && q->head->deadline <= now)
			cut(g, q->head, counters[w]);
		if (q->head && q->head->deadline < next)
			next = q->head->deadline;
	}
	return next;
}

void tt_guard_stats(const struct tt_guard *g, struct tt_guard_stats *st)
{
	*st = g->st;
}
