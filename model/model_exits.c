// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model_exits.c - the processes that end. A process is reported exited in
 * exactly one snapshot, with the final counters of its exit record; after
 * that its late events are dropped and its zombie is hidden. The lists of
 * the reported and of the waiting are kept sorted between refreshes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model_events.h"
#include "model/model_exits.h"
#include "model/model_tables.h"

void tt_model_exits_begin(struct tt_model *m)
{
	m->next_dead.n = 0;
	m->next_pending.n = 0;
}

void tt_model_exits_mark(struct tt_model *m, uint32_t pid, uint32_t gen)
{
	tt_model_keys_add(&m->next_dead, pid, gen);
}

bool tt_model_is_dead(const struct tt_model *m, uint32_t pid, uint32_t gen)
{
	struct tt_key k = { pid, gen };

	return tt_model_keys_has(&m->dead, &k);
}

/* One process the kernel has and /proc lost, as row p; false: no row. */
static bool report_gone(struct tt_model *m, struct tt_proc *p, struct work *w,
			double dt,
			void (*forget)(void *, const struct tt_key *),
			void *ctx)
{
	struct tt_snapshot *s = m->cur;
	const struct tt_proc *pp = tt_model_prev_of(m, w->key.id, w->key.gen);
	bool late, waiting;

	late = (pp && pp->exited) || tt_model_is_dead(m, w->key.id, w->key.gen);
	/*
	 * Gone from /proc without an exit record: it exited after the maps
	 * were read and before /proc was, so its record waits in the map with
	 * the final counters; or its record was lost. Wait one refresh for it
	 * (showing the process as it was, if it showed before: its rates stay
	 * right), and only then report it exited without one. Reporting it
	 * now would give counters it had not finished, and the ones in the
	 * record would be dropped as late.
	 */
	waiting = !w->has_exit && !late &&
		  !tt_model_keys_has(&m->pending, &w->key);
	if (waiting) {
		tt_model_keys_add(&m->next_pending, w->key.id, w->key.gen);
		if (!pp)
			return false;
	} else if (!w->has_exit && forget) {
		forget(ctx, &w->key); /* ended without a record */
	}
	if (late)
		return false; /* late events of one reported already */
	memset(p, 0, sizeof(*p));
	p->pid = w->key.id;
	p->gen = w->key.gen;
	p->exited = !waiting;
	/* gone from /proc either way: exiting, not running as it was */
	p->gone = waiting;
	p->state = 'X';
	if (w->has_exit) {
		p->ppid = w->x->exit.ppid;
		p->uid = w->x->exit.uid;
		memcpy(p->comm, w->x->exit.comm, sizeof(p->comm));
		p->comm[sizeof(p->comm) - 1] = 0;
	} else if (pp) {
		p->ppid = pp->ppid;
		p->uid = pp->uid;
		memcpy(p->comm, pp->comm, sizeof(p->comm));
	}
	if (m->o.uid >= 0 && p->uid != (uint32_t)m->o.uid)
		return false;
	/* its last exec says what it ran last: /proc, read before, may have
	 * shown it between its fork and its exec (its parent's command), or
	 * never seen it at all */
	p->cmdline = tt_model_exec_cmdline(m, p->pid, p->gen, &p->ppid);
	if (!*p->cmdline && pp)
		p->cmdline = pp->cmdline;
	p->cmdline = tt_arena_strdup(&s->arena, p->cmdline);
	p->cgroup = pp ? tt_arena_strdup(&s->arena, pp->cgroup) : "";
	p->rss_bytes = 0; /* unknown while gone (JSON null), none once exited */
	p->threads = 0;
	snprintf(p->user, sizeof(p->user), "%s", tt_procfs_user(p->uid));
	tt_model_fill_kernel(m, p, w, dt);
	/* /proc is gone: CPU% from the kernel's on-CPU time */
	p->cpu_pct = p->oncpu_pct;
	if (!waiting)
		tt_model_exits_mark(m, p->pid, p->gen);
	return true;
}

size_t tt_model_exits_report(struct tt_model *m, size_t np, double dt,
			     void (*forget)(void *ctx, const struct tt_key *k),
			     void *ctx)
{
	for (size_t i = 0; i < m->tabcap; i++) {
		struct work *w = m->tab[i];

		if (!w || w->matched)
			continue;
		if (!tt_model_pid_wanted(m, 0, w->key.id) && !m->o.per_thread)
			continue;
		if (report_gone(m, &m->cur->procs[np], w, dt, forget, ctx))
			np++;
	}
	return np;
}

static void swap(struct keylist *a, struct keylist *b)
{
	struct keylist t = *a;

	*a = *b;
	*b = t;
}

void tt_model_exits_end(struct tt_model *m)
{
	/* sorted, for tt_model_is_dead() and tt_model_keys_has() */
	if (m->next_dead.n)
		qsort(m->next_dead.v, m->next_dead.n, sizeof(struct tt_key),
		      tt_model_cmp_key);
	if (m->next_pending.n)
		qsort(m->next_pending.v, m->next_pending.n,
		      sizeof(struct tt_key), tt_model_cmp_key);
	swap(&m->dead, &m->next_dead);
	swap(&m->pending, &m->next_pending);
}
