// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * snapshot.c - life cycle and lookups of snapshots.
 */
#include <stdlib.h>
#include <string.h>
#include "model/snapshot.h"

static const char *const probe_names[TT_PROBE_MAX] = {
	[TT_PROBE_SYSCALLS] = "syscalls",
	[TT_PROBE_TCP] = "tcp",
	[TT_PROBE_SCHED] = "sched",
};

const char *tt_probe_set_name(enum tt_probe_set p)
{
	return p < TT_PROBE_MAX ? probe_names[p] : "?";
}

struct tt_snapshot *tt_snapshot_new(void)
{
	struct tt_snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->refs = 1;
	s->schema = TT_SCHEMA;
	for (int i = 0; i < TT_PROBE_MAX; i++)
		strcpy(s->probes[i], "off: not started");
	return s;
}

struct tt_snapshot *tt_snapshot_ref(struct tt_snapshot *s)
{
	if (s)
		s->refs++;
	return s;
}

void tt_snapshot_unref(struct tt_snapshot *s)
{
	if (!s || --s->refs > 0)
		return;
	tt_arena_free(&s->arena);
	free(s->events_block);
	free(s->procs_block);
	free(s);
}

const struct tt_proc *tt_snapshot_find(const struct tt_snapshot *s,
				       uint32_t pid)
{
	size_t lo = 0, hi = s->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else if (s->procs[mid].pid > pid)
			hi = mid;
		else {
			/* an exited process and a new one may share the pid
			 * in one snapshot: the living one is meant */
			const struct tt_proc *p = &s->procs[mid], *q;

			for (q = p; q > s->procs && q[-1].pid == pid; q--)
				;
			for (; q < s->procs + s->nprocs && q->pid == pid; q++)
				if (!q->exited)
					return q;
			return p;
		}
	}
	return NULL;
}

const struct tt_proc *tt_snapshot_find_gen(const struct tt_snapshot *s,
					   uint32_t pid, uint32_t gen)
{
	const struct tt_proc *p = tt_snapshot_find(s, pid), *end;

	if (!p)
		return NULL;
	while (p > s->procs && p[-1].pid == pid)
		p--;
	for (end = s->procs + s->nprocs; p < end && p->pid == pid; p++)
		if (p->gen == gen)
			return p;
	return NULL;
}

const struct tt_sysc *tt_proc_syscall(const struct tt_proc *p, const char *name)
{
	for (uint32_t i = 0; i < p->nsc; i++)
		if (p->sc[i].name && !strcmp(p->sc[i].name, name))
			return &p->sc[i];
	return NULL;
}

bool tt_snapshot_follows(const struct tt_snapshot *s,
			 const struct tt_snapshot *prev)
{
	double gap = s->time - s->interval_s - prev->time;

	/* the wall clock and the interval's monotonic one drift apart by
	 * little, and recorded times are rounded to the ms */
	return s->interval_s > 0 && gap < 0.001 + s->interval_s / 4 &&
	       -gap < 0.001 + s->interval_s / 4;
}

void tt_snapshot_rates_from(struct tt_snapshot *s,
			    const struct tt_snapshot *prev)
{
	if (!tt_snapshot_follows(s, prev))
		return;
	for (size_t i = 0; i < s->nprocs; i++) {
		struct tt_proc *p = &s->procs[i];
		const struct tt_proc *q =
			tt_snapshot_find_gen(prev, p->pid, p->gen);

		if (q && p->oncpu_ns >= q->oncpu_ns)
			p->oncpu_pct = (double)(p->oncpu_ns - q->oncpu_ns) /
				       (s->interval_s * 1e7);
	}
	s->oncpu_pct_absent = false;
}

static void sysc_finish(struct tt_sysc *c)
{
	c->p50_ns = tt_hist_quantile(&c->hist, 0.50);
	c->p90_ns = tt_hist_quantile(&c->hist, 0.90);
	c->p99_ns = tt_hist_quantile(&c->hist, 0.99);
}

void tt_snapshot_finish(struct tt_snapshot *s)
{
	s->sc_rate = s->sc_err_rate = s->tx_rate = s->rx_rate = 0;
	s->cpu_pct = 0;
	for (size_t i = 0; i < s->nprocs; i++) {
		struct tt_proc *p = &s->procs[i];

		for (uint32_t j = 0; j < p->nsc; j++)
			sysc_finish(&p->sc[j]);
		p->runq_p50_ns = tt_hist_quantile(&p->runq, 0.50);
		p->runq_p99_ns = tt_hist_quantile(&p->runq, 0.99);
		s->sc_rate += p->sc_rate;
		s->sc_err_rate += p->sc_err_rate;
		s->tx_rate += p->tx_rate;
		s->rx_rate += p->rx_rate;
		s->cpu_pct += p->cpu_pct;
	}
	for (size_t i = 0; i < s->nsyscalls; i++)
		sysc_finish(&s->syscalls[i]);
	s->runq_p50_ns = tt_hist_quantile(&s->runq, 0.50);
	s->runq_p99_ns = tt_hist_quantile(&s->runq, 0.99);
	tt_snapshot_sum_lost(s);
}

void tt_snapshot_sum_lost(struct tt_snapshot *s)
{
	s->lost_total = 0;
	for (int i = 0; i < TT_DROP_MAX; i++)
		s->lost_total += s->lost[i];
	for (int i = 0; i < TT_EV_KINDS; i++)
		s->lost_total += s->ev_lost_full[i] + s->ev_lost_limited[i];
}

void tt_snapshot_prof_shares(struct tt_snapshot *s)
{
	double n = (double)s->prof.samples;

	for (size_t i = 0; i < s->prof.nfuncs; i++) {
		struct tt_pfunc *f = &s->prof.funcs[i];

		f->self_pct = n > 0 ? 100.0 * (double)f->self / n : 0;
		f->total_pct = n > 0 ? 100.0 * (double)f->total / n : 0;
	}
}
