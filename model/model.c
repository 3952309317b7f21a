// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model.c - one refresh: gather what the collector hands the sink into
 * per-process work records, join them with /proc (model_join.c), and emit
 * a snapshot with rates against the previous one (model_tables.c).
 *
 * Identity is (pid, gen), gen being the start time in clock ticks that the
 * kernel programs put in every key and /proc/PID/stat shows as starttime:
 * a recycled PID is a different process and inherits nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model/model_priv.h"

/* ---- work table ---------------------------------------------------------- */

static size_t hash_key(const struct tt_key *k, size_t cap)
{
	uint64_t h = ((uint64_t)k->id << 32 | k->gen) * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 20) & (cap - 1);
}

static void cur_begin(struct tt_model *m)
{
	if (!m->cur)
		m->cur = tt_snapshot_new();
}

static struct work *work_get(struct tt_model *m, const struct tt_key *k)
{
	size_t i;

	cur_begin(m);
	if (!m->cur)
		return NULL;
	if ((m->nwork + 1) * 2 > m->tabcap) {
		size_t cap = m->tabcap ? m->tabcap * 2 : 1024;
		struct work **t = calloc(cap, sizeof(*t));

		if (!t)
			return NULL;
		for (size_t j = 0; j < m->tabcap; j++) {
			struct work *w = m->tab[j];

			if (!w)
				continue;
			for (i = hash_key(&w->key, cap); t[i];
			     i = (i + 1) & (cap - 1))
				;
			t[i] = w;
		}
		free(m->tab);
		m->tab = t;
		m->tabcap = cap;
	}
	for (i = hash_key(k, m->tabcap); m->tab[i];
	     i = (i + 1) & (m->tabcap - 1))
		if (m->tab[i]->key.id == k->id && m->tab[i]->key.gen == k->gen)
			return m->tab[i];
	m->tab[i] = tt_arena_alloc(&m->cur->arena, sizeof(struct work));
	if (!m->tab[i])
		return NULL;
	m->tab[i]->key = *k;
	m->nwork++;
	return m->tab[i];
}

struct work *tt_model_work_find(struct tt_model *m, uint32_t pid, uint32_t gen)
{
	struct tt_key k = { pid, gen };

	if (!m->tabcap)
		return NULL;
	for (size_t i = hash_key(&k, m->tabcap); m->tab[i];
	     i = (i + 1) & (m->tabcap - 1))
		if (m->tab[i]->key.id == pid && m->tab[i]->key.gen == gen)
			return m->tab[i];
	return NULL;
}

/* dense kernel histogram -> sparse copy in the snapshot arena */
void tt_model_hist_copy(struct tt_model *m, struct tt_hist *h,
			const uint64_t *dense)
{
	uint32_t n = tt_dense_to_bins(dense, m->bins);

	h->n = 0;
	h->bins = tt_arena_alloc(&m->cur->arena, n * sizeof(*h->bins) + 1);
	if (!h->bins)
		return;
	memcpy(h->bins, m->bins, n * sizeof(*h->bins));
	h->n = n;
}

/* ---- sink ---------------------------------------------------------------- */

static void on_exit_rec(void *ctx, const struct tt_key *k,
			const struct tt_exit_val *v)
{
	struct work *w = work_get(ctx, k);

	if (!w)
		return;
	w->has_exit = true;
	w->exit = *v;
}

static void on_syscall(void *ctx, const struct tt_sc_key *k,
		       const struct tt_sc_val *v)
{
	struct tt_model *m = ctx;
	struct tt_key pk = { k->id, k->gen };
	struct work *w = work_get(m, &pk);
	struct tt_sysc *s;

	if (!w)
		return;
	if (w->nsc == w->capsc) {
		uint32_t cap = w->capsc ? w->capsc * 2 : 8;
		struct tt_sysc *n =
			tt_arena_alloc(&m->cur->arena, cap * sizeof(*n));

		if (!n)
			return;
		if (w->nsc)
			memcpy(n, w->sc, w->nsc * sizeof(*n));
		w->sc = n; /* the old array stays in the arena: small */
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
	struct work *w = work_get(m, k);

	if (!w)
		return;
	w->has_sched = true;
	w->sched = *v;
	tt_model_hist_copy(m, &w->runq, (const uint64_t *)v->hist);
}

static void on_tcp(void *ctx, const struct tt_key *k,
		   const struct tt_tcp_val *v)
{
	struct work *w = work_get(ctx, k);

	if (!w)
		return;
	w->has_tcp = true;
	w->tcp = (struct tt_tcp_counts){ v->tx_bytes,	 v->rx_bytes,
					 v->connects,	 v->accepts,
					 v->retransmits, v->resets };
}

static void on_conn(void *ctx, uint64_t cookie, const struct tt_conn_val *v)
{
	struct tt_model *m = ctx;
	struct rawconn *r;

	cur_begin(m);
	if (!m->cur)
		return;
	r = tt_arena_alloc(&m->cur->arena, sizeof(*r));
	if (!r)
		return;
	r->cookie = cookie;
	r->v = *v;
	r->next = m->rawconns;
	m->rawconns = r;
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
		.on_event = tt_model_on_event,
	};
	if (!m->o.ev_max)
		m->o.ev_max = TT_EV_MAX_PER_SNAPSHOT;
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
	free(m->dead);
	free(m->pending);
	free(m->keys);
	for (size_t i = 0; i < m->capgroups; i++)
		free(m->groups[i].name);
	free(m->groups);
	free(m->evs);
	tt_model_execs_free(m->execs);
	tt_snapshot_unref(m->cur);
	tt_snapshot_unref(m->prev);
	free(m);
}

const struct tt_sink *tt_model_sink(struct tt_model *m)
{
	return &m->sink;
}

/* ---- building ------------------------------------------------------------ */

static int cmp_proc_pid(const void *a, const void *b)
{
	const struct tt_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void add_dead(struct tt_model *m, struct tt_key **v, size_t *n,
		     size_t *cap, uint32_t pid, uint32_t gen)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct tt_key *p = realloc(*v, c * sizeof(**v));

		if (!p)
			return;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = (struct tt_key){ pid, gen };
	(void)m;
}

/* the command line an exec left for (pid, gen), "" when none */
static const char *exec_cmdline(struct tt_model *m, uint32_t pid, uint32_t gen,
				uint32_t *ppid)
{
	const char *c = tt_model_exec_cmdline(m, pid, gen, ppid);

	return c ? c : "";
}

struct tt_snapshot *
tt_model_build(struct tt_model *m, double now_mono, double now_real,
	       void (*forget)(void *, const struct tt_key *), void *ctx)
{
	struct tt_snapshot *s;
	struct tt_key *dead = NULL, *pending = NULL;
	size_t ndead = 0, capdead = 0, np = 0, cap;
	size_t npending = 0, cappending = 0;
	double dt;

	cur_begin(m);
	s = m->cur;
	if (!s)
		return NULL;
	dt = now_mono - (m->prev_mono ? m->prev_mono : m->start_mono);
	s->time = now_real;
	s->interval_s = dt;
	s->per_thread = m->o.per_thread;
	tt_model_refresh_cache(m, now_mono);

	cap = m->ncache + m->nwork + 1;
	s->procs = tt_arena_alloc(&s->arena, cap * sizeof(*s->procs));
	if (!s->procs) {
		m->cur = NULL;
		m->nev = 0; /* their strings were in s */
		m->ev_omitted = 0;
		tt_snapshot_unref(s);
		return NULL;
	}
	/* processes /proc knows, with the kernel's figures when it has some */
	for (size_t i = 0; i < m->ncache; i++) {
		struct pcache *c = &m->cache[i];
		struct tt_proc *p = &s->procs[np];
		struct work *w =
			tt_model_work_find(m, c->pid, c->info.starttime);

		if (!w && tt_model_is_dead(m, c->pid, c->info.starttime)) {
			/* a zombie we reported exited already */
			add_dead(m, &dead, &ndead, &capdead, c->pid,
				 c->info.starttime);
			continue;
		}
		p->pid = c->pid;
		p->gen = c->info.starttime;
		tt_model_fill_procfs(m, p, c, now_mono);
		if (!*p->cmdline) /* a zombie: /proc shows no cmdline */
			p->cmdline = tt_arena_strdup(
				&s->arena,
				exec_cmdline(m, p->pid, p->gen, &p->ppid));
		if (w) {
			w->matched = true;
			tt_model_fill_kernel(m, p, w, dt);
			if (w->has_exit) {
				p->exited = true;
				add_dead(m, &dead, &ndead, &capdead, p->pid,
					 p->gen);
			}
		} else {
			p->top_sc = "";
		}
		snprintf(p->user, sizeof(p->user), "%s",
			 tt_procfs_user(p->uid));
		np++;
	}
	/* the kernel's processes /proc no longer has: they have exited */
	for (size_t i = 0; i < m->tabcap; i++) {
		struct work *w = m->tab[i];
		struct tt_proc *p = &s->procs[np];
		const struct tt_proc *pp;
		bool late, waiting;

		if (!w || w->matched)
			continue;
		if (!tt_model_pid_wanted(m, 0, w->key.id) && !m->o.per_thread)
			continue;
		pp = tt_model_prev_of(m, w->key.id, w->key.gen);
		late = (pp && pp->exited) ||
		       tt_model_is_dead(m, w->key.id, w->key.gen);
		/*
		 * Gone from /proc without an exit record: it exited after
		 * the maps were read and before /proc was, so its record
		 * waits in the map with the final counters; or its record
		 * was lost. Wait one refresh for it (showing the process as
		 * it was, if it showed before: its rates stay right), and
		 * only then report it exited without one. Reporting it now
		 * would give counters it had not finished, and the ones in
		 * the record would be dropped as late.
		 */
		waiting = !w->has_exit && !late &&
			  !tt_model_key_in(m->pending, m->npending, &w->key);
		if (waiting) {
			add_dead(m, &pending, &npending, &cappending, w->key.id,
				 w->key.gen);
			if (!pp)
				continue;
		} else if (!w->has_exit && forget) {
			forget(ctx, &w->key); /* ended without a record */
		}
		if (late)
			continue; /* late events of one reported already */
		memset(p, 0, sizeof(*p));
		p->pid = w->key.id;
		p->gen = w->key.gen;
		p->exited = !waiting;
		p->state = (char)(waiting && pp ? pp->state : 'X');
		if (w->has_exit) {
			p->ppid = w->exit.ppid;
			p->uid = w->exit.uid;
			memcpy(p->comm, w->exit.comm, sizeof(p->comm));
			p->comm[sizeof(p->comm) - 1] = 0;
		} else if (pp) {
			p->ppid = pp->ppid;
			p->uid = pp->uid;
			memcpy(p->comm, pp->comm, sizeof(p->comm));
		}
		if (m->o.uid >= 0 && p->uid != (uint32_t)m->o.uid)
			continue;
		/* its last exec says what it ran last: /proc, read before,
		 * may have shown it between its fork and its exec (its
		 * parent's command), or never seen it at all */
		p->cmdline = exec_cmdline(m, p->pid, p->gen, &p->ppid);
		if (!*p->cmdline && pp)
			p->cmdline = pp->cmdline;
		p->cmdline = tt_arena_strdup(&s->arena, p->cmdline);
		p->cgroup = pp ? tt_arena_strdup(&s->arena, pp->cgroup) : "";
		p->rss_bytes = waiting && pp ? pp->rss_bytes : 0;
		p->threads = waiting && pp ? pp->threads : 0;
		snprintf(p->user, sizeof(p->user), "%s",
			 tt_procfs_user(p->uid));
		tt_model_fill_kernel(m, p, w, dt);
		/* /proc is gone: CPU% from the kernel's on-CPU time */
		if (dt > 0)
			p->cpu_pct = 100.0 *
				     (double)(p->oncpu_ns -
					      (pp ? pp->oncpu_ns : 0)) /
				     1e9 / dt;
		if (!waiting)
			add_dead(m, &dead, &ndead, &capdead, p->pid, p->gen);
		np++;
	}
	s->nprocs = np;
	qsort(s->procs, np, sizeof(*s->procs), cmp_proc_pid);

	tt_model_build_conns(m, dt);
	for (size_t i = 0; i < s->nconns; i++) {
		const struct tt_proc *p = tt_snapshot_find(s, s->conns[i].pid);

		if (p && !s->conns[i].closed)
			((struct tt_proc *)p)->connections++;
	}
	tt_model_build_syscalls(m, dt);
	tt_model_build_events(m);
	tt_model_build_groups(m, dt);
	tt_model_hist_copy(m, &s->runq, m->runq);
	s->switches = m->switches;
	s->switch_rate = tt_model_per_s(s->switches,
					m->prev ? m->prev->switches : 0, dt);
	tt_snapshot_finish(s);

	/* sorted, for tt_model_is_dead() and tt_model_key_in() to search */
	if (ndead)
		qsort(dead, ndead, sizeof(*dead), tt_model_cmp_key);
	if (npending)
		qsort(pending, npending, sizeof(*pending), tt_model_cmp_key);
	free(m->dead);
	m->dead = dead;
	m->ndead = ndead;
	free(m->pending);
	m->pending = pending;
	m->npending = npending;
	if (m->tabcap) /* tab stays NULL until the kernel reports a key */
		memset(m->tab, 0, m->tabcap * sizeof(*m->tab));
	m->nwork = 0;
	m->prev_mono = now_mono;
	m->prev_boot_ticks = boot_ticks();
	m->seq++;
	tt_snapshot_unref(m->prev);
	m->prev = tt_snapshot_ref(s);
	m->cur = NULL;
	return s;
}
