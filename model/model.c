// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model.c - one refresh: gather what the collector hands the sink into
 * per-process work records (model_priv.c), join them with /proc
 * (model_join.c), add the processes that ended (model_exits.c) and the
 * interval's events (model_events.c), and emit a snapshot with rates
 * against the previous one (model_tables.c).
 *
 * Identity is (pid, gen), gen being the start time in clock ticks that the
 * kernel programs put in every key and /proc/PID/stat shows as starttime:
 * a recycled PID is a different process and inherits nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model/model.h"
#include "model/model_anomaly.h"
#include "model/model_events.h"
#include "model/model_exits.h"
#include "model/model_join.h"
#include "model/model_priv.h"
#include "model/model_tables.h"

/* ---- sink ---------------------------------------------------------------- */

/*
 * A refresh takes o.exits_max exit records at most: the others wait in
 * the kernel's map, whole with their figures, for the next. A refresh
 * stretched to seconds in a fork storm (both CPUs busy) found 30,000 and
 * built them all at once, at about 1.4 KiB each, held twice (the work
 * records and the rows). A process with a row already is always taken:
 * its row does not blink out. One waiting for its record without a row
 * (model_exits.c) may wait longer: its other entries wait with the record.
 */
static bool on_exit_rec(void *ctx, const struct tt_key *k,
			const struct tt_exit_val *v, bool may_wait)
{
	struct tt_model *m = ctx;
	struct work *w;

	if (may_wait && m->exits_taken >= m->o.exits_max &&
	    !tt_model_prev_of(m, k->id, k->gen))
		return false;
	m->exits_taken++;
	w = tt_model_work_get(m, k);
	if (!w || !tt_model_work_more(m, w))
		return true;
	w->has_exit = true;
	w->x->exit = *v;
	return true;
}

/*
 * Room for a process's syscalls: as many as it had last time and a few
 * more, or 4 for one new (a storm's children make one to three kinds).
 * The room is in the work arena, freed once built, and a row's calls are
 * copied into the snapshot exactly (tt_model_fill_kernel): doubling in
 * the snapshot's arena from 8 left the outgrown arrays there, 6 KiB a
 * process with 20 kinds of call, and 832 bytes for each of a storm's
 * processes that give no row (yet).
 */
static uint32_t first_cap(struct tt_model *m, uint32_t id)
{
	const struct tt_proc *p =
		m->prev ? tt_snapshot_find(m->prev, id) : NULL;

	return p ? p->nsc + 2 : 4;
}

static void on_syscall(void *ctx, const struct tt_sc_key *k,
		       const struct tt_sc_val *v)
{
	struct tt_model *m = ctx;
	struct tt_key pk = { k->id, k->gen };
	struct work *w = tt_model_work_get(m, &pk);
	struct work_sc *s;

	if (!w)
		return;
	if (w->nsc == w->capsc) {
		uint32_t cap = w->capsc ? w->capsc * 2 : first_cap(m, k->id);
		struct work_sc *n = tt_arena_alloc(&m->works, cap * sizeof(*n));

		if (!n)
			return;
		if (w->nsc)
			memcpy(n, w->sc, w->nsc * sizeof(*n));
		w->sc = n; /* the old array stays in the work arena */
		w->capsc = cap;
	}
	s = &w->sc[w->nsc++];
	s->nr = k->nr;
	s->count = v->count;
	s->errors = v->errors;
	s->total_ns = v->total_ns;
	tt_model_hist_copy(m, &s->hist, (const uint64_t *)v->hist);
}

static void on_sched(void *ctx, const struct tt_key *k,
		     const struct tt_sched_val *v)
{
	struct tt_model *m = ctx;
	struct work *w = tt_model_work_get(m, k);
	struct work_more *x = w ? tt_model_work_more(m, w) : NULL;

	if (!x)
		return;
	w->has_sched = true;
	/* a work record per process of the interval: thousands in a fork
	 * storm, so not the whole value (it was 1.1 KiB of 1.3 each) */
	tt_state_sums_of(&x->sched.st, v);
	x->sched.voluntary = v->voluntary;
	x->sched.involuntary = v->involuntary;
	x->sched.migrations = v->migrations;
	tt_model_hist_copy(m, &x->runq, (const uint64_t *)v->hist);
}

static void on_tcp(void *ctx, const struct tt_key *k,
		   const struct tt_tcp_val *v)
{
	struct work *w = tt_model_work_get(ctx, k);

	if (!w || !tt_model_work_more(ctx, w))
		return;
	w->has_tcp = true;
	w->x->tcp = (struct tt_tcp_counts){ v->tx_bytes,    v->rx_bytes,
					    v->connects,    v->accepts,
					    v->retransmits, v->resets };
}

/*
 * What a CPU runs now: only for a process the kernel's maps just gave
 * (its sched entry), never one reported exited before. An exiting task
 * may still run, and be switched in again, after its exit record was
 * read: it must not come back.
 */
static void on_running(void *ctx, const struct tt_cpu_slot *s)
{
	struct tt_model *m = ctx;
	struct work *w = tt_model_work_find(m, s->id, s->gen);
	struct timespec ts;

	if (!w || !w->has_sched || tt_model_is_dead(m, s->id, s->gen))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	tt_states_open_add(&w->x->open, s,
			   (uint64_t)ts.tv_sec * 1000000000ULL +
				   (uint64_t)ts.tv_nsec);
}

static void on_conn(void *ctx, uint64_t cookie, const struct tt_conn_val *v)
{
	struct tt_model *m = ctx;

	if (!tt_model_cur(m))
		return;
	if (m->nraw == m->capraw && tt_model_raw_grow(m))
		return;
	m->raw[m->nraw].cookie = cookie;
	m->raw[m->nraw++].v = *v;
}

/* ---- life cycle ---------------------------------------------------------- */

/* now in the clock of /proc/PID/stat's starttime: boot time, 1/100 s */
static uint64_t boot_ticks(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 100 + (uint64_t)ts.tv_nsec / 10000000;
}

struct tt_model *tt_model_new(const struct tt_model_opts *o)
{
	struct tt_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->o = *o;
	if (!m->o.proc_root)
		m->o.proc_root = "/proc";
	m->prev_boot_ticks = boot_ticks();
	m->start_mono = o->start_mono;
	if (!m->start_mono) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		m->start_mono = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	}
	m->sys = calloc(MAX_NR, sizeof(*m->sys));
	if (!m->sys) {
		free(m);
		return NULL;
	}
	m->sink = (struct tt_sink){
		.ctx = m,
		.on_exit = on_exit_rec,
		.on_syscall = on_syscall,
		.on_sched = on_sched,
		.on_tcp = on_tcp,
		.on_conn = on_conn,
		.on_running = on_running,
		.on_event = tt_model_on_event,
	};
	if (!m->o.ev_max)
		m->o.ev_max = TT_EV_MAX_PER_SNAPSHOT;
	if (!m->o.exits_max)
		m->o.exits_max = TT_EXITS_PER_SNAPSHOT;
	m->execs = tt_model_execs_new();
	if (!m->execs) {
		free(m->sys);
		free(m);
		return NULL;
	}
	return m;
}

void tt_model_free(struct tt_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ncache; i++) {
		free(m->cache[i].cmdline);
		free(m->cache[i].cgroup);
	}
	free(m->cache);
	free(m->listed);
	free(m->tab);
	free(m->sys);
	free(m->dead.v);
	free(m->pending.v);
	free(m->next_dead.v);
	free(m->next_pending.v);
	free(m->keys);
	for (size_t i = 0; i < m->capgroups; i++)
		free(m->groups[i].name);
	free(m->groups);
	free(m->evs);
	tt_model_execs_free(m->execs);
	tt_model_raw_free(m);
	tt_arena_free(&m->works);
	tt_snapshot_unref(m->cur);
	tt_snapshot_unref(m->prev);
	free(m);
}

void tt_model_list_all(struct tt_model *m)
{
	m->list_due = true;
}

const struct tt_sink *tt_model_sink(struct tt_model *m)
{
	return &m->sink;
}

void tt_model_set_event_hook(struct tt_model *m,
			     void (*fn)(void *ctx, const struct tt_event *ev),
			     void *ctx)
{
	m->ev_hook = fn;
	m->ev_hook_ctx = ctx;
}

/* ---- building ------------------------------------------------------------ */

/* by (pid, gen): an exited process and the one that reused its pid both
 * in one snapshot come in the order tt_history_add wants them */
static int cmp_proc_pid(const void *a, const void *b)
{
	const struct tt_proc *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->gen < y->gen ? -1 : x->gen > y->gen;
}

/* the processes /proc lists, with the kernel's figures when it has some */
static size_t add_listed(struct tt_model *m, double now, double dt)
{
	struct tt_snapshot *s = m->cur;
	size_t np = 0;

	for (size_t i = 0; i < m->ncache; i++) {
		struct pcache *c = &m->cache[i];
		struct tt_proc *p = &s->procs[np];
		struct work *w =
			tt_model_work_find(m, c->pid, c->info.starttime);

		if (!w && tt_model_is_dead(m, c->pid, c->info.starttime)) {
			/* a zombie we reported exited already */
			tt_model_exits_mark(m, c->pid, c->info.starttime);
			continue;
		}
		memset(p, 0, sizeof(*p)); /* the room is not cleared */
		p->pid = c->pid;
		p->gen = c->info.starttime;
		tt_model_fill_procfs(m, p, c, now);
		if (!*p->cmdline) /* a zombie: /proc shows no cmdline */
			p->cmdline = tt_arena_strdup(
				&s->arena,
				tt_model_exec_cmdline(m, p->pid, p->gen,
						      &p->ppid));
		if (w) {
			w->matched = true;
			tt_model_fill_kernel(m, p, w, dt);
			if (w->has_exit) {
				p->exited = true;
				tt_model_exits_mark(m, p->pid, p->gen);
			}
		} else {
			p->top_sc = "";
		}
		snprintf(p->user, sizeof(p->user), "%s",
			 tt_procfs_user(p->uid));
		np++;
	}
	return np;
}

/* the room of rows never written given back (realloc shrinks in place) */
static void shrink_procs(struct tt_snapshot *s, size_t cap)
{
	struct tt_proc *p;

	if (s->nprocs + 64 >= cap)
		return;
	p = realloc(s->procs_block, (s->nprocs + 1) * sizeof(*p));
	if (p)
		s->procs = s->procs_block = p;
}

/* open connections counted on their owners' rows; a server's many
 * connections mostly follow one another, so the last owner is tried
 * before a search */
static void count_connections(struct tt_snapshot *s)
{
	const struct tt_proc *p = NULL;

	for (size_t i = 0; i < s->nconns; i++) {
		if (!p || p->pid != s->conns[i].pid)
			p = tt_snapshot_find(s, s->conns[i].pid);
		if (p && !s->conns[i].closed)
			((struct tt_proc *)p)->connections++;
	}
}

/* the work records of a refresh built or given up */
static void works_reset(struct tt_model *m)
{
	if (m->tabcap > 4096 && m->nwork * 8 < m->tabcap) {
		/* grown by a burst of processes: give it back */
		free(m->tab);
		m->tab = NULL;
		m->tabcap = 0;
	} else if (m->tabcap) { /* tab stays NULL until a key is reported */
		memset(m->tab, 0, m->tabcap * sizeof(*m->tab));
	}
	m->nwork = 0;
	m->exits_taken = 0;
	tt_arena_free(&m->works);
}

/* the snapshot is out: what the next refresh starts from */
static void end_refresh(struct tt_model *m, struct tt_snapshot *s,
			double now_mono)
{
	works_reset(m);
	m->prev_mono = now_mono;
	m->prev_boot_ticks = boot_ticks();
	m->seq++;
	tt_snapshot_unref(m->prev);
	m->prev = tt_snapshot_ref(s);
	m->cur = NULL;
}

struct tt_snapshot *
tt_model_build(struct tt_model *m, double now_mono, double now_real,
	       void (*forget)(void *, const struct tt_key *), void *ctx)
{
	struct tt_snapshot *s = tt_model_cur(m);
	size_t np, room;
	double dt;

	if (!s)
		return NULL;
	dt = now_mono - (m->prev_mono ? m->prev_mono : m->start_mono);
	m->now_ns = (uint64_t)(now_mono * 1e9);
	s->time = now_real;
	s->interval_s = dt;
	s->per_thread = m->o.per_thread;
	tt_model_refresh_cache(m);
	room = m->ncache + m->nwork + 1;
	/*
	 * Room for every row there could be, but not cleared: each row is
	 * cleared as it is filled, so the pages of rows never written are
	 * never touched. A storm's work records are mostly processes that
	 * give no row (waiting for their exit record), and clearing room for
	 * them all made 30 MB resident at 65,536 keys. Given back below.
	 */
	s->procs = s->procs_block = malloc(room * sizeof(*s->procs));
	if (!s->procs) {
		m->cur = NULL;
		tt_model_raw_drop(m);
		tt_model_events_drop(m); /* their strings were in s */
		works_reset(m);
		tt_snapshot_unref(s);
		return NULL;
	}
	tt_model_exits_begin(m);
	np = add_listed(m, now_mono, dt);
	/* the kernel's processes /proc no longer has: they have exited */
	np = tt_model_exits_report(m, np, dt, forget, ctx);
	s->nprocs = np;
	shrink_procs(s, room);
	qsort(s->procs, np, sizeof(*s->procs), cmp_proc_pid);

	tt_model_build_conns(m, dt);
	tt_model_anomaly_finish(m);
	count_connections(s);
	tt_model_build_syscalls(m, dt);
	tt_model_build_events(m);
	tt_model_build_groups(m);
	tt_model_hist_copy(m, &s->runq, m->runq);
	s->switches = m->switches;
	s->switch_rate = tt_model_per_s(s->switches,
					m->prev ? m->prev->switches : 0, dt);
	tt_snapshot_finish(s);
	tt_model_exits_end(m);
	end_refresh(m, s, now_mono);
	return s;
}
