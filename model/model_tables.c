// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model_tables.c - the kernel's figures as the snapshot's tables, with
 * rates against the previous snapshot: a process's syscalls, scheduling
 * and TCP counters, and the system-wide connection, syscall and cgroup
 * tables. The system-wide sums outlive exited processes: each refresh
 * adds what is new since the previous one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/keysort.h"
#include "model/model_anomaly.h"
#include "model/model_tables.h"
#include "model/syscall_names.h"

/* ---- syscall entries ---------------------------------------------------- */

static int cmp_sc_count(const void *a, const void *b)
{
	const struct tt_sysc *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static const char *sc_name(struct tt_snapshot *s, uint32_t nr)
{
	const char *n = tt_syscall_name(nr);
	char buf[24];

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "sys_%u", nr);
	return tt_arena_strdup(&s->arena, buf);
}

static const struct tt_sysc *prev_sc(const struct tt_proc *pp, uint32_t nr)
{
	if (!pp)
		return NULL;
	for (uint32_t i = 0; i < pp->nsc; i++)
		if (pp->sc[i].nr == nr)
			return &pp->sc[i];
	return NULL;
}

/* ---- a process's kernel figures ------------------------------------------ */

/* kernel figures of w into p, with rates against the previous snapshot */
void tt_model_fill_kernel(struct tt_model *m, struct tt_proc *p, struct work *w,
			  double dt)
{
	const struct tt_proc *pp = tt_model_prev_of(m, p->pid, p->gen);
	uint64_t best = 0;

	p->top_sc = "";
	/* into the snapshot exactly: w->sc is in the work arena, with room
	 * to spare, and goes with it */
	p->sc = w->nsc ? tt_arena_alloc(&m->cur->arena, w->nsc * sizeof(*p->sc))
		       : NULL;
	p->nsc = p->sc ? w->nsc : 0;
	for (uint32_t i = 0; i < p->nsc; i++) {
		const struct work_sc *r = &w->sc[i];

		p->sc[i].nr = r->nr;
		p->sc[i].count = r->count;
		p->sc[i].errors = r->errors;
		p->sc[i].total_ns = r->total_ns;
		p->sc[i].hist = r->hist;
	}
	if (p->nsc) /* sc is NULL for a process without syscalls */
		qsort(p->sc, p->nsc, sizeof(*p->sc), cmp_sc_count);
	memset(m->dense, 0, sizeof(m->dense));
	for (uint32_t i = 0; i < p->nsc; i++) {
		struct tt_sysc *s = &p->sc[i];
		const struct tt_sysc *ps = prev_sc(pp, s->nr);
		uint64_t dc = tt_model_grew(s->count, ps ? ps->count : 0);

		s->name = sc_name(m->cur, s->nr);
		s->rate = tt_model_per_s(s->count, ps ? ps->count : 0, dt);
		s->err_rate =
			tt_model_per_s(s->errors, ps ? ps->errors : 0, dt);
		s->time_rate =
			tt_model_per_s(s->total_ns, ps ? ps->total_ns : 0, dt);
		p->sc_count += s->count;
		p->sc_errors += s->errors;
		if (dc > best) {
			best = dc;
			p->top_sc = s->name;
		}
		tt_hist_add_to_dense(m->dense, &s->hist);
		/* system-wide: add what is new since the previous read */
		if (s->nr < MAX_NR) {
			struct sysacc *a = &m->sys[s->nr];

			a->seen = true;
			a->count += dc;
			a->errors +=
				tt_model_grew(s->errors, ps ? ps->errors : 0);
			a->total_ns += tt_model_grew(s->total_ns,
						     ps ? ps->total_ns : 0);
			tt_hist_delta_to_dense(a->hist, &s->hist,
					       ps ? &ps->hist : NULL);
		}
	}
	p->sc_p99_ns = tt_dense_quantile(m->dense, 0.99);
	p->sc_rate = tt_model_per_s(p->sc_count, pp ? pp->sc_count : 0, dt);
	p->sc_err_rate =
		tt_model_per_s(p->sc_errors, pp ? pp->sc_errors : 0, dt);

	if (w->has_sched) {
		p->oncpu_ns = w->x->sched.st.oncpu_ns;
		p->voluntary = w->x->sched.voluntary;
		p->involuntary = w->x->sched.involuntary;
		p->migrations = w->x->sched.migrations;
		p->runq = w->x->runq;
		p->oncpu_pct =
			tt_model_per_s(p->oncpu_ns, pp ? pp->oncpu_ns : 0, dt) /
			1e7;
		p->csw_rate = tt_model_per_s(
			p->voluntary + p->involuntary,
			pp ? pp->voluntary + pp->involuntary : 0, dt);
		m->switches +=
			tt_model_grew(p->voluntary + p->involuntary,
				      pp ? pp->voluntary + pp->involuntary : 0);
		tt_hist_delta_to_dense(m->runq, &p->runq,
				       pp ? &pp->runq : NULL);
		tt_states_fill(p, &w->x->sched.st, &w->x->open, m->now_ns,
			       (uint64_t)(dt * 1e9), pp);
	}
	if (w->has_tcp) {
		p->tcp = w->x->tcp;
		p->tx_rate = tt_model_per_s(p->tcp.tx_bytes,
					    pp ? pp->tcp.tx_bytes : 0, dt);
		p->rx_rate = tt_model_per_s(p->tcp.rx_bytes,
					    pp ? pp->tcp.rx_bytes : 0, dt);
	}
	tt_model_anomaly_proc(m, p, pp, w);
}

/* ---- connections --------------------------------------------------------- */

static const char *const tcp_states[] = {
	"UNKNOWN",   "ESTABLISHED", "SYN_SENT",	    "SYN_RECV",	  "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT",   "CLOSE",	    "CLOSE_WAIT", "LAST_ACK",
	"LISTEN",    "CLOSING",	    "NEW_SYN_RECV",
};

/*
 * A dotted quad without printf: the table formats two a connection a
 * refresh, and inet_ntop's printf was a tenth of a refresh's CPU at
 * 10,000 connections.
 */
static void addr_str(char *buf, size_t len, int family, const uint8_t *a)
{
	if (family == 2 && len >= INET_ADDRSTRLEN) {
		for (int i = 0; i < 4; i++) {
			unsigned v = a[i];

			if (v >= 100)
				*buf++ = (char)('0' + v / 100);
			if (v >= 10)
				*buf++ = (char)('0' + v / 10 % 10);
			*buf++ = (char)('0' + v % 10);
			*buf++ = i < 3 ? '.' : 0;
		}
		return;
	}
	if (!inet_ntop(family == 2 ? AF_INET : AF_INET6, a, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
}

static void conn_fill(struct tt_conn *c, const struct rawconn *r,
		      const struct tt_conn *pc, double dt)
{
	const struct tt_conn_val *v = &r->v;

	c->id = r->cookie;
	c->pid = v->id;
	memcpy(c->comm, v->comm, sizeof(c->comm));
	c->comm[sizeof(c->comm) - 1] = 0;
	c->family = v->family == 2 ? 4 : 6;
	c->sport = v->sport;
	c->dport = v->dport;
	if (pc) { /* a connection's addresses never change */
		memcpy(c->saddr, pc->saddr, sizeof(c->saddr));
		memcpy(c->daddr, pc->daddr, sizeof(c->daddr));
	} else {
		addr_str(c->saddr, sizeof(c->saddr), v->family, v->saddr);
		addr_str(c->daddr, sizeof(c->daddr), v->family, v->daddr);
	}
	c->state = v->state < sizeof(tcp_states) / sizeof(*tcp_states)
			   ? tcp_states[v->state]
			   : "UNKNOWN";
	c->closed = v->flags & TT_CONN_CLOSED;
	c->tx_bytes = v->tx_bytes;
	c->rx_bytes = v->rx_bytes;
	c->retransmits = v->retransmits;
	c->srtt_us = v->srtt_us;
	c->connect_ns = v->connect_ns;
	c->tx_rate = tt_model_per_s(c->tx_bytes, pc ? pc->tx_bytes : 0, dt);
	c->rx_rate = tt_model_per_s(c->rx_bytes, pc ? pc->rx_bytes : 0, dt);
}

/*
 * The connections in cookie order, each beside its previous figures
 * (rates, counters that went down): the raw records are sorted through
 * (cookie, record) pairs, so the previous snapshot (in the same order) is
 * walked once alongside, not searched.
 */
void tt_model_build_conns(struct tt_model *m, double dt)
{
	const struct tt_snapshot *ps = m->prev;
	struct tt_snapshot *s = m->cur;
	struct tt_keyed *keys = m->rawkeys;
	size_t k = 0, j = 0;
	bool sorted = true;

	s->conns = tt_arena_alloc(&s->arena, (m->nraw + 1) * sizeof(*s->conns));
	if (!s->conns) {
		tt_model_raw_drop(m);
		return;
	}
	for (size_t i = 0; i < m->nraw; i++) {
		const struct rawconn *r = &m->raw[i];

		/* an accepted socket nobody read yet has no owner */
		if (!(r->v.flags & TT_CONN_OWNED))
			continue;
		if (!tt_model_pid_wanted(m, 0, r->v.id) && !m->o.per_thread)
			continue;
		if (k && keys[k - 1].key > r->cookie)
			sorted = false;
		keys[k].key = r->cookie;
		keys[k++].rec = r;
	}
	/* the collector hands them over in cookie order (conn_cache.h):
	 * a sort of 20,000 sorted keys was 6 % of a refresh */
	if (!sorted)
		tt_keysort(keys, keys + m->capraw, k);
	for (size_t i = 0; i < k; i++) {
		const struct rawconn *c = keys[i].rec;
		const struct tt_conn *pc = NULL;

		while (ps && j < ps->nconns && ps->conns[j].id < c->cookie)
			j++;
		if (ps && j < ps->nconns && ps->conns[j].id == c->cookie)
			pc = &ps->conns[j];
		conn_fill(&s->conns[i], c, pc, dt);
		if (pc)
			tt_model_anomaly_conn(m, &s->conns[i], pc);
	}
	s->nconns = k;
	tt_model_raw_drop(m);
}

int tt_model_raw_grow(struct tt_model *m)
{
	size_t cap = m->capraw ? 2 * m->capraw : 256;
	struct rawconn *r = realloc(m->raw, cap * sizeof(*r));
	struct tt_keyed *k;

	if (!r)
		return -ENOMEM;
	m->raw = r;
	k = realloc(m->rawkeys, 2 * cap * sizeof(*k));
	if (!k)
		return -ENOMEM;
	m->rawkeys = k;
	m->capraw = cap;
	return 0;
}

/* Empty for the next read; the room a burst grew (20,000 connections)
 * goes back once mostly unused, or it would hold the burst's RSS. */
void tt_model_raw_drop(struct tt_model *m)
{
	if (m->capraw > 1024 && m->nraw * 4 < m->capraw)
		tt_model_raw_free(m);
	m->nraw = 0;
}

void tt_model_raw_free(struct tt_model *m)
{
	free(m->raw);
	free(m->rawkeys);
	m->raw = NULL;
	m->rawkeys = NULL;
	m->nraw = m->capraw = 0;
}

/* ---- syscalls ------------------------------------------------------------ */

void tt_model_build_syscalls(struct tt_model *m, double dt)
{
	struct tt_snapshot *s = m->cur;
	const struct tt_snapshot *ps = m->prev;
	size_t n = 0;

	for (uint32_t nr = 0; nr < MAX_NR; n += m->sys[nr++].seen)
		;
	s->syscalls = tt_arena_alloc(&s->arena, (n + 1) * sizeof(*s->syscalls));
	if (!s->syscalls)
		return;
	for (uint32_t nr = 0; nr < MAX_NR; nr++) {
		struct sysacc *a = &m->sys[nr];
		struct tt_sysc *c;
		const struct tt_sysc *p = NULL;

		if (!a->seen)
			continue;
		c = &s->syscalls[s->nsyscalls++];
		c->nr = nr;
		c->name = sc_name(s, nr);
		c->count = a->count;
		c->errors = a->errors;
		c->total_ns = a->total_ns;
		tt_model_hist_copy(m, &c->hist, a->hist);
		for (size_t j = 0; ps && j < ps->nsyscalls; j++)
			if (ps->syscalls[j].nr == nr)
				p = &ps->syscalls[j];
		c->rate = tt_model_per_s(c->count, p ? p->count : 0, dt);
		c->err_rate = tt_model_per_s(c->errors, p ? p->errors : 0, dt);
		c->time_rate =
			tt_model_per_s(c->total_ns, p ? p->total_ns : 0, dt);
	}
	qsort(s->syscalls, s->nsyscalls, sizeof(*s->syscalls), cmp_sc_count);
}

/* ---- cgroups ------------------------------------------------------------- */

#define MAX_GROUPS 4096 /* past this, groups share "(other)" */

static size_t hash_str(const char *s, size_t cap)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return (size_t)h & (cap - 1);
}

static struct tt_group *group_of(struct tt_model *m, const char *name)
{
	size_t i;

	if (!*name)
		name = "/";
	if (m->ngroups >= MAX_GROUPS)
		name = "(other)";
	if ((m->ngroups + 1) * 2 > m->capgroups) {
		size_t cap = m->capgroups ? m->capgroups * 2 : 64;
		struct groupacc *t = calloc(cap, sizeof(*t));

		if (!t)
			return NULL;
		for (size_t j = 0; j < m->capgroups; j++) {
			if (!m->groups[j].name)
				continue;
			for (i = hash_str(m->groups[j].name, cap); t[i].name;
			     i = (i + 1) & (cap - 1))
				;
			t[i] = m->groups[j];
		}
		free(m->groups);
		m->groups = t;
		m->capgroups = cap;
	}
	for (i = hash_str(name, m->capgroups); m->groups[i].name;
	     i = (i + 1) & (m->capgroups - 1))
		if (!strcmp(m->groups[i].name, name))
			return &m->groups[i].g;
	m->groups[i].name = strdup(name);
	if (!m->groups[i].name)
		return NULL;
	m->ngroups++;
	return &m->groups[i].g;
}

static int cmp_group(const void *a, const void *b)
{
	const struct tt_group *x = a, *y = b;

	if (x->sc_count != y->sc_count)
		return x->sc_count > y->sc_count ? -1 : 1;
	return strcmp(x->name, y->name);
}

#define DELTA(f) (p->f - (pp && pp->f <= p->f ? pp->f : 0))

/* The cgroup an event counts in: its process's, or else its parent's (a
 * child starts in its parent's cgroup, and one that lived for less than
 * a refresh was never read from /proc). */
static const char *event_cgroup(const struct tt_snapshot *s,
				const struct tt_event *ev)
{
	const struct tt_proc *p = tt_snapshot_find_gen(s, ev->pid, ev->gen);
	uint32_t ppid = ev->ppid ? ev->ppid : p ? p->ppid : 0;
	const struct tt_proc *q;

	if (p && p->cgroup && *p->cgroup)
		return p->cgroup;
	q = ppid ? tt_snapshot_find(s, ppid) : NULL;
	return q && q->cgroup ? q->cgroup : "";
}

static void count_event(struct tt_group *g, const struct tt_event *ev)
{
	switch (ev->kind) {
	case TT_EV_EXEC:
		if (ev->exec.ret)
			g->ev_exec_failures++;
		else
			g->ev_execs++;
		break;
	case TT_EV_EXIT:
		g->ev_exits[ev->exit.signal ? 2 : ev->exit.code ? 1 : 0]++;
		break;
	case TT_EV_CONNECT:
		g->ev_connects[ev->tcp.result < 4 ? ev->tcp.result : 3]++;
		break;
	case TT_EV_OOM:
		g->ev_ooms++;
		break;
	case TT_EV_SLOW:
		g->ev_slow++;
		break;
	default:
		break;
	}
}

/* add each process's growth since the last snapshot to its cgroup, and
 * the interval's events */
void tt_model_build_groups(struct tt_model *m)
{
	struct tt_snapshot *s = m->cur;
	size_t n = 0;

	for (size_t i = 0; i < m->capgroups; i++) {
		struct tt_group *g = &m->groups[i].g;

		g->procs = 0;
		g->sc_rate = g->tx_rate = g->rx_rate = g->cpu_pct = 0;
	}
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct tt_proc *p = &s->procs[i];
		const struct tt_proc *pp = tt_model_prev_of(m, p->pid, p->gen);
		struct tt_group *g = group_of(m, p->cgroup ? p->cgroup : "");

		if (!g)
			continue;
		g->procs += !p->exited;
		g->sc_count += DELTA(sc_count);
		g->sc_errors += DELTA(sc_errors);
		g->tx_bytes += DELTA(tcp.tx_bytes);
		g->rx_bytes += DELTA(tcp.rx_bytes);
		g->connects += DELTA(tcp.connects);
		g->retransmits += DELTA(tcp.retransmits);
		g->oncpu_ns += DELTA(oncpu_ns);
		g->switches += DELTA(voluntary) + DELTA(involuntary);
		for (int k = 0; k < TT_ST_MAX; k++)
			g->state_ns[k] += DELTA(state_ns[k]);
		g->sc_rate += p->sc_rate;
		g->tx_rate += p->tx_rate;
		g->rx_rate += p->rx_rate;
		g->cpu_pct += p->cpu_pct;
	}
	for (size_t i = 0; i < s->nevents; i++) {
		struct tt_group *g =
			group_of(m, event_cgroup(s, &s->events[i]));

		if (g)
			count_event(g, &s->events[i]);
	}
	s->groups = tt_arena_alloc(&s->arena,
				   (m->ngroups + 1) * sizeof(*s->groups));
	if (!s->groups)
		return;
	for (size_t i = 0; i < m->capgroups; i++) {
		if (!m->groups[i].name)
			continue;
		s->groups[n] = m->groups[i].g;
		s->groups[n].name =
			tt_arena_strdup(&s->arena, m->groups[i].name);
		n++;
	}
	s->ngroups = n;
	qsort(s->groups, n, sizeof(*s->groups), cmp_group);
}
