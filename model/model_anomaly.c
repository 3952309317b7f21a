// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model_anomaly.c - counters that go down between two snapshots, counted
 * and named (see model_anomaly.h). The counters checked are tables of
 * offsets, one per kind of row.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "model/model_anomaly.h"

uint64_t tt_model_grew(uint64_t cur, uint64_t prev)
{
	return cur >= prev ? cur - prev : cur;
}

struct counter {
	const char *name;
	size_t off;
};

#define PROC(f, n)                                                             \
	{                                                                      \
		n, offsetof(struct tt_proc, f)                                 \
	}
static const struct counter tcp_counters[] = {
	PROC(tcp.tx_bytes, "tcp.tx_bytes"),
	PROC(tcp.rx_bytes, "tcp.rx_bytes"),
	PROC(tcp.connects, "tcp.connects"),
	PROC(tcp.accepts, "tcp.accepts"),
	PROC(tcp.retransmits, "tcp.retransmits"),
	PROC(tcp.resets, "tcp.resets"),
};
static const struct counter sched_counters[] = {
	PROC(oncpu_ns, "sched.oncpu_ns"),
	PROC(voluntary, "sched.voluntary_switches"),
	PROC(involuntary, "sched.involuntary_switches"),
	PROC(migrations, "sched.migrations"),
};
#undef PROC
#define CONN(f)                                                                \
	{                                                                      \
		"connection " #f, offsetof(struct tt_conn, f)                  \
	}
static const struct counter conn_counters[] = {
	CONN(tx_bytes),
	CONN(rx_bytes),
	CONN(retransmits),
};
#undef CONN
#define SC(f)                                                                  \
	{                                                                      \
#f, offsetof(struct tt_sysc, f)                                \
	}
static const struct counter sc_counters[] = {
	SC(count),
	SC(errors),
	SC(total_ns),
};
#undef SC

static uint64_t at(const void *row, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)row + off, sizeof(v));
	return v;
}

static void down(struct tt_model *m, uint32_t pid, const char *what,
		 const char *name, uint64_t was, uint64_t is)
{
	m->anomalies++;
	snprintf(m->anomaly, sizeof(m->anomaly),
		 "pid %u %s%s%s went down from %llu to %llu", pid, what,
		 *what ? "." : "", name, (unsigned long long)was,
		 (unsigned long long)is);
}

static void check(struct tt_model *m, uint32_t pid, const char *what,
		  const struct counter *c, size_t n, const void *cur,
		  const void *prev)
{
	for (size_t i = 0; i < n; i++)
		if (at(cur, c[i].off) < at(prev, c[i].off))
			down(m, pid, what, c[i].name, at(prev, c[i].off),
			     at(cur, c[i].off));
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

void tt_model_anomaly_proc(struct tt_model *m, const struct tt_proc *p,
			   const struct tt_proc *pp, const struct work *w)
{
	if (!pp)
		return;
	if (w->has_tcp)
		check(m, p->pid, "", tcp_counters, N(tcp_counters), p, pp);
	if (w->has_sched)
		check(m, p->pid, "", sched_counters, N(sched_counters), p, pp);
	/* a syscall's entry in both: one that went away is not a count */
	for (uint32_t i = 0; i < p->nsc; i++)
		for (uint32_t j = 0; j < pp->nsc; j++)
			if (pp->sc[j].nr == p->sc[i].nr)
				check(m, p->pid, p->sc[i].name, sc_counters,
				      N(sc_counters), &p->sc[i], &pp->sc[j]);
}

void tt_model_anomaly_conn(struct tt_model *m, const struct tt_conn *c,
			   const struct tt_conn *pc)
{
	check(m, c->pid, "", conn_counters, N(conn_counters), c, pc);
}

void tt_model_anomaly_finish(struct tt_model *m)
{
	struct tt_snapshot *s = m->cur;

	s->anomalies = m->anomalies;
	memcpy(s->anomaly, m->anomaly, sizeof(s->anomaly));
}
