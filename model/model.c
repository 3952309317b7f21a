// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model.c - one refresh: gather what the collector hands the sink into
 * per-process work records, join them with /proc, and emit a snapshot with
 * rates against the previous one.
 *
 * Identity is (pid, gen), gen being the start time in clock ticks that the
 * kernel programs put in every key and /proc/PID/stat shows as starttime:
 * a recycled PID is a different process and inherits nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "model/model.h"
#include "model/procfs.h"
#include "model/syscall_names.h"

#define MAX_NR 1024 /* syscall numbers kept system-wide (x86: ~460) */

/* What the kernel said about one process during this read. */
struct work {
	struct tt_key key;
	bool has_exit, has_sched, has_tcp, matched;
	struct tt_exit_val exit;
	struct tt_sysc *sc; /* grows in the snapshot arena */
	uint32_t nsc, capsc;
	struct tt_sched_val sched; /* hist left unused: see runq */
	struct tt_hist runq;
	struct tt_tcp_counts tcp;
};

/* /proc facts kept between refreshes, sorted by pid */
struct pcache {
	uint32_t pid, tgid;
	struct tt_procinfo info;
	char *cmdline, *cgroup;
	uint64_t activity; /* kernel counters' sum when last read */
	bool fresh;	   /* read during this refresh */
	uint64_t prev_ticks;
	double prev_time;
};

/* a cgroup's running totals; the name is malloc'ed */
struct groupacc {
	char *name;
	struct tt_group g;
};

#define MAX_GROUPS 4096 /* past this, groups share "(other)" */

struct sysacc {
	uint64_t count, errors, total_ns;
	uint64_t hist[TT_HIST_BUCKETS];
	bool seen;
};

/* connections: kept raw in a list until build */
struct rawconn {
	uint64_t cookie; /* the socket cookie: unique for the boot */
	struct tt_conn_val v;
	struct rawconn *next;
};

struct tt_model {
	struct tt_model_opts o;
	struct tt_sink sink;
	struct tt_snapshot *cur;  /* being built */
	struct tt_snapshot *prev; /* last one built, for rates */
	double prev_mono, start_mono;
	uint64_t prev_boot_ticks; /* CLOCK_BOOTTIME at the last build, ticks */
	uint64_t seq;

	struct work **tab; /* open addressing on (pid, gen) */
	size_t tabcap, nwork;

	struct pcache *cache;
	size_t ncache;
	struct { uint32_t tgid, pid; } *listed;
	size_t nlisted, caplisted;

	struct sysacc *sys; /* by syscall number */
	uint64_t runq[TT_HIST_BUCKETS];
	uint64_t switches;

	struct rawconn *rawconns; /* this read's, in the snapshot arena */
	struct tt_key *keys;	  /* the work table's keys, sorted */
	size_t nkeys, capkeys;
	struct groupacc *groups; /* open addressing on the name */
	size_t ngroups, capgroups;
	struct tt_key *dead; /* reported exited; zombies stay hidden */
	size_t ndead;
	struct tt_key *pending; /* gone from /proc, their exit record due */
	size_t npending;

	uint64_t dense[TT_HIST_BUCKETS]; /* scratch */
	struct tt_hbin bins[TT_HIST_BUCKETS];
};

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

static struct work *work_find(struct tt_model *m, uint32_t pid, uint32_t gen)
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
static void hist_copy(struct tt_model *m, struct tt_hist *h,
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
	hist_copy(m, &s->hist, (const uint64_t *)v->hist);
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
	hist_copy(m, &w->runq, (const uint64_t *)v->hist);
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
	m->sink = (struct tt_sink){ m, on_exit_rec, on_syscall, on_sched,
				    on_tcp, on_conn };
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
	tt_snapshot_unref(m->cur);
	tt_snapshot_unref(m->prev);
	free(m);
}

const struct tt_sink *tt_model_sink(struct tt_model *m)
{
	return &m->sink;
}

/* ---- joining with /proc -------------------------------------------------- */

static void list_cb(void *ctx, uint32_t tgid, uint32_t pid)
{
	struct tt_model *m = ctx;

	if (m->nlisted == m->caplisted) {
		size_t cap = m->caplisted ? m->caplisted * 2 : 1024;
		void *n = realloc(m->listed, cap * sizeof(*m->listed));

		if (!n)
			return;
		m->listed = n;
		m->caplisted = cap;
	}
	m->listed[m->nlisted].tgid = tgid;
	m->listed[m->nlisted].pid = pid;
	m->nlisted++;
}

static int cmp_listed(const void *a, const void *b)
{
	uint32_t x = *((const uint32_t *)a + 1), y = *((const uint32_t *)b + 1);

	return x < y ? -1 : x > y;
}

static bool pid_wanted(const struct tt_model *m, uint32_t tgid, uint32_t pid)
{
	uint32_t proc = tgid ? tgid : pid;

	if (!m->o.npids)
		return true;
	for (unsigned i = 0; i < m->o.npids; i++)
		if (m->o.pids[i] == proc)
			return true;
	return false;
}

/* sum of a process's kernel counters: when it moves, /proc is read again */
static uint64_t activity_of(struct tt_model *m, uint32_t pid, uint32_t gen)
{
	struct work *w = work_find(m, pid, gen);
	uint64_t a = 0;

	if (!w)
		return 0;
	for (uint32_t i = 0; i < w->nsc; i++)
		a += w->sc[i].count;
	return a + w->sched.voluntary + w->sched.involuntary +
	       w->tcp.tx_bytes + w->tcp.rx_bytes + 1;
}

static int cmp_key(const void *a, const void *b)
{
	const struct tt_key *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->gen < y->gen ? -1 : x->gen > y->gen;
}

/* the keys the kernel reported this time, sorted, for lookups by pid */
static void index_work(struct tt_model *m)
{
	size_t n = 0;

	if (m->nwork > m->capkeys) {
		struct tt_key *k = realloc(m->keys, m->nwork * sizeof(*k));

		if (!k) {
			m->nkeys = 0;
			return;
		}
		m->keys = k;
		m->capkeys = m->nwork;
	}
	for (size_t i = 0; i < m->tabcap; i++)
		if (m->tab[i])
			m->keys[n++] = m->tab[i]->key;
	if (n) /* keys is still NULL before the kernel reported anything */
		qsort(m->keys, n, sizeof(*m->keys), cmp_key);
	m->nkeys = n;
}

/* Does the kernel report pid under a start time other than gen? */
static bool other_gen(struct tt_model *m, uint32_t pid, uint32_t gen)
{
	size_t lo = 0, hi = m->nkeys;

	while (lo < hi) { /* first key with id >= pid */
		size_t mid = (lo + hi) / 2;

		if (m->keys[mid].id < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->nkeys && m->keys[lo].id == pid; lo++)
		if (m->keys[lo].gen != gen)
			return true;
	return false;
}

/*
 * Walk /proc and refresh the cache. A sleeping process that the kernel saw
 * do nothing keeps its cached facts: with a thousand idle processes that
 * saves most of the refresh. Running ones, active ones, new ones and a
 * rotating eighth of the rest are read again.
 */
static void refresh_cache(struct tt_model *m, double now)
{
	struct pcache *nc;
	size_t j = 0, n = 0;

	index_work(m);
	m->nlisted = 0;
	tt_procfs_list(m->o.proc_root, m->o.per_thread, list_cb, m);
	if (m->nlisted) /* qsort() wants a valid base even for 0 items */
		qsort(m->listed, m->nlisted, sizeof(*m->listed), cmp_listed);
	nc = calloc(m->nlisted + 1, sizeof(*nc));
	if (!nc)
		return;
	for (size_t i = 0; i < m->nlisted; i++) {
		uint32_t pid = m->listed[i].pid, tgid = m->listed[i].tgid;
		struct pcache *c = &nc[n], *old = NULL;
		bool read;

		if (!pid_wanted(m, tgid, pid))
			continue;
		while (j < m->ncache && m->cache[j].pid < pid) {
			free(m->cache[j].cmdline);
			free(m->cache[j].cgroup);
			j++;
		}
		if (j < m->ncache && m->cache[j].pid == pid)
			old = &m->cache[j++];
		if (old) {
			*c = *old;
			memset(old, 0, sizeof(*old)); /* strings moved */
		} else {
			c->pid = pid;
		}
		c->tgid = tgid;
		c->fresh = false;
		read = !old || !m->o.have_sched || c->info.state == 'R' ||
		       c->info.state == 'D' || (pid + m->seq) % 8 == 0;
		if (!read) {
			uint64_t a = activity_of(m, pid, c->info.starttime);

			/* moved, or the kernel knows this pid by another
			 * start time: a new process took the PID */
			read = a != c->activity ||
			       other_gen(m, pid, c->info.starttime);
		}
		if (read) {
			struct tt_procinfo pi;
			char buf[4096];

			if (!tt_procfs_read(m->o.proc_root, tgid, pid, &pi)) {
				free(c->cmdline);
				free(c->cgroup);
				memset(c, 0, sizeof(*c));
				continue; /* gone meanwhile */
			}
			if (!old || pi.starttime != c->info.starttime ||
			    strcmp(pi.comm, c->info.comm)) {
				/* new process, or exec: names change */
				free(c->cmdline);
				free(c->cgroup);
				tt_procfs_cmdline(m->o.proc_root,
						  tgid ? tgid : pid, buf,
						  sizeof(buf));
				c->cmdline = strdup(buf);
				tt_procfs_cgroup(m->o.proc_root,
						 tgid ? tgid : pid, buf,
						 sizeof(buf));
				c->cgroup = strdup(buf);
				/*
				 * CPU% needs a baseline: a process born in
				 * this interval used all its ticks in it; an
				 * older one first seen now shows 0 once, as
				 * in top's first iteration.
				 */
				c->prev_time = m->prev_mono ? m->prev_mono
							    : m->start_mono;
				c->prev_ticks = pi.starttime >= m->prev_boot_ticks
							? 0
							: pi.cpu_ticks;
			}
			c->info = pi;
			c->fresh = true;
			c->activity = activity_of(m, pid, pi.starttime);
		}
		if (m->o.uid >= 0 && c->info.uid != (uint32_t)m->o.uid) {
			free(c->cmdline);
			free(c->cgroup);
			memset(c, 0, sizeof(*c));
			continue;
		}
		n++;
	}
	for (; j < m->ncache; j++) {
		free(m->cache[j].cmdline);
		free(m->cache[j].cgroup);
	}
	free(m->cache);
	m->cache = nc;
	m->ncache = n;
	(void)now;
}

/* is k in the sorted keys v? */
static bool key_in(const struct tt_key *v, size_t n, const struct tt_key *k)
{
	return n && bsearch(k, v, n, sizeof(*v), cmp_key);
}

static bool is_dead(const struct tt_model *m, uint32_t pid, uint32_t gen)
{
	struct tt_key k = { pid, gen };

	return key_in(m->dead, m->ndead, &k);
}

/* ---- building ------------------------------------------------------------ */

static int cmp_sc_count(const void *a, const void *b)
{
	const struct tt_sysc *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

static int cmp_proc_pid(const void *a, const void *b)
{
	const struct tt_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
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

static double per_s(uint64_t cur, uint64_t prev, double dt)
{
	return cur > prev && dt > 0 ? (double)(cur - prev) / dt : 0;
}

static const struct tt_proc *prev_of(const struct tt_model *m, uint32_t pid,
				     uint32_t gen)
{
	return m->prev ? tt_snapshot_find_gen(m->prev, pid, gen) : NULL;
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

/* kernel figures of w into p, with rates against the previous snapshot */
static void fill_kernel(struct tt_model *m, struct tt_proc *p, struct work *w,
			double dt)
{
	const struct tt_proc *pp = prev_of(m, p->pid, p->gen);
	uint64_t best = 0;

	p->top_sc = "";
	p->sc = w->sc;
	p->nsc = w->nsc;
	if (p->nsc) /* sc is NULL for a process without syscalls */
		qsort(p->sc, p->nsc, sizeof(*p->sc), cmp_sc_count);
	memset(m->dense, 0, sizeof(m->dense));
	for (uint32_t i = 0; i < p->nsc; i++) {
		struct tt_sysc *s = &p->sc[i];
		const struct tt_sysc *ps = prev_sc(pp, s->nr);
		uint64_t dc = s->count - (ps ? ps->count : 0);

		s->name = sc_name(m->cur, s->nr);
		s->rate = per_s(s->count, ps ? ps->count : 0, dt);
		s->err_rate = per_s(s->errors, ps ? ps->errors : 0, dt);
		s->time_rate = per_s(s->total_ns, ps ? ps->total_ns : 0, dt);
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
			a->errors += s->errors - (ps ? ps->errors : 0);
			a->total_ns += s->total_ns - (ps ? ps->total_ns : 0);
			tt_hist_delta_to_dense(a->hist, &s->hist,
					       ps ? &ps->hist : NULL);
		}
	}
	p->sc_p99_ns = tt_dense_quantile(m->dense, 0.99);
	p->sc_rate = per_s(p->sc_count, pp ? pp->sc_count : 0, dt);
	p->sc_err_rate = per_s(p->sc_errors, pp ? pp->sc_errors : 0, dt);

	if (w->has_sched) {
		p->oncpu_ns = w->sched.oncpu_ns;
		p->voluntary = w->sched.voluntary;
		p->involuntary = w->sched.involuntary;
		p->migrations = w->sched.migrations;
		p->runq = w->runq;
		p->csw_rate = per_s(p->voluntary + p->involuntary,
				    pp ? pp->voluntary + pp->involuntary : 0,
				    dt);
		m->switches += p->voluntary + p->involuntary -
			       (pp ? pp->voluntary + pp->involuntary : 0);
		tt_hist_delta_to_dense(m->runq, &p->runq,
				       pp ? &pp->runq : NULL);
	}
	if (w->has_tcp) {
		p->tcp = w->tcp;
		p->tx_rate = per_s(p->tcp.tx_bytes,
				   pp ? pp->tcp.tx_bytes : 0, dt);
		p->rx_rate = per_s(p->tcp.rx_bytes,
				   pp ? pp->tcp.rx_bytes : 0, dt);
	}
}

static void fill_procfs(struct tt_model *m, struct tt_proc *p,
			struct pcache *c, double now)
{
	const struct tt_procinfo *i = &c->info;

	p->ppid = i->ppid;
	p->uid = i->uid;
	p->threads = i->threads;
	p->state = i->state;
	p->rss_bytes = i->rss_bytes;
	p->cpu_ticks = i->cpu_ticks;
	memcpy(p->comm, i->comm, sizeof(p->comm));
	p->cmdline = tt_arena_strdup(&m->cur->arena,
				     c->cmdline ? c->cmdline : "");
	p->cgroup = tt_arena_strdup(&m->cur->arena, c->cgroup ? c->cgroup : "");
	if (c->fresh) {
		double dt = now - c->prev_time;
		long hz = sysconf(_SC_CLK_TCK);

		if (dt > 0 && i->cpu_ticks >= c->prev_ticks && c->prev_time > 0)
			p->cpu_pct = 100.0 * (double)(i->cpu_ticks -
						      c->prev_ticks) /
				     (double)hz / dt;
		c->prev_ticks = i->cpu_ticks;
		c->prev_time = now;
	}
}

static const char *const tcp_states[] = {
	"UNKNOWN",   "ESTABLISHED", "SYN_SENT", "SYN_RECV",
	"FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT", "CLOSE",
	"CLOSE_WAIT", "LAST_ACK",   "LISTEN",   "CLOSING",
	"NEW_SYN_RECV",
};

static void addr_str(char *buf, size_t len, int family, const uint8_t *a)
{
	if (!inet_ntop(family == 2 ? AF_INET : AF_INET6, a, buf,
		       (socklen_t)len))
		snprintf(buf, len, "?");
}

static int cmp_conn_id(const void *a, const void *b)
{
	const struct tt_conn *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static const struct tt_conn *prev_conn(const struct tt_model *m, uint64_t id)
{
	struct tt_conn key = { .id = id };

	if (!m->prev || !m->prev->nconns)
		return NULL;
	return bsearch(&key, m->prev->conns, m->prev->nconns,
		       sizeof(key), cmp_conn_id);
}

static void build_conns(struct tt_model *m, double dt)
{
	struct tt_snapshot *s = m->cur;
	size_t n = 0, i = 0;
	struct rawconn *r;

	for (r = m->rawconns; r; r = r->next)
		n++;
	s->conns = tt_arena_alloc(&s->arena, (n + 1) * sizeof(*s->conns));
	if (!s->conns)
		return;
	for (r = m->rawconns; r; r = r->next) {
		const struct tt_conn_val *v = &r->v;
		struct tt_conn *c = &s->conns[i];
		const struct tt_conn *pc;

		/* an accepted socket nobody read yet has no owner */
		if (!(v->flags & TT_CONN_OWNED))
			continue;
		if (!pid_wanted(m, 0, v->id) && !m->o.per_thread)
			continue;
		c->id = r->cookie;
		c->pid = v->id;
		memcpy(c->comm, v->comm, sizeof(c->comm));
		c->comm[sizeof(c->comm) - 1] = 0;
		c->family = v->family == 2 ? 4 : 6;
		c->sport = v->sport;
		c->dport = v->dport;
		addr_str(c->saddr, sizeof(c->saddr), v->family, v->saddr);
		addr_str(c->daddr, sizeof(c->daddr), v->family, v->daddr);
		c->state = v->state < sizeof(tcp_states) / sizeof(*tcp_states)
				   ? tcp_states[v->state]
				   : "UNKNOWN";
		c->closed = v->flags & TT_CONN_CLOSED;
		c->tx_bytes = v->tx_bytes;
		c->rx_bytes = v->rx_bytes;
		c->retransmits = v->retransmits;
		c->srtt_us = v->srtt_us;
		c->connect_ns = v->connect_ns;
		pc = NULL;
		if (m->prev)
			pc = prev_conn(m, r->cookie);
		c->tx_rate = per_s(c->tx_bytes, pc ? pc->tx_bytes : 0, dt);
		c->rx_rate = per_s(c->rx_bytes, pc ? pc->rx_bytes : 0, dt);
		i++;
	}
	s->nconns = i;
	qsort(s->conns, s->nconns, sizeof(*s->conns), cmp_conn_id);
	m->rawconns = NULL;
}

static void build_syscalls(struct tt_model *m, double dt)
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
		hist_copy(m, &c->hist, a->hist);
		for (size_t j = 0; ps && j < ps->nsyscalls; j++)
			if (ps->syscalls[j].nr == nr)
				p = &ps->syscalls[j];
		c->rate = per_s(c->count, p ? p->count : 0, dt);
		c->err_rate = per_s(c->errors, p ? p->errors : 0, dt);
		c->time_rate = per_s(c->total_ns, p ? p->total_ns : 0, dt);
	}
	qsort(s->syscalls, s->nsyscalls, sizeof(*s->syscalls), cmp_sc_count);
}

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

/* add each process's growth since the last snapshot to its cgroup */
static void build_groups(struct tt_model *m, double dt)
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
		const struct tt_proc *pp = prev_of(m, p->pid, p->gen);
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
		g->sc_rate += p->sc_rate;
		g->tx_rate += p->tx_rate;
		g->rx_rate += p->rx_rate;
		g->cpu_pct += p->cpu_pct;
	}
	s->groups = tt_arena_alloc(&s->arena, (m->ngroups + 1) * sizeof(*s->groups));
	if (!s->groups)
		return;
	for (size_t i = 0; i < m->capgroups; i++) {
		if (!m->groups[i].name)
			continue;
		s->groups[n] = m->groups[i].g;
		s->groups[n].name = tt_arena_strdup(&s->arena, m->groups[i].name);
		n++;
	}
	s->ngroups = n;
	qsort(s->groups, n, sizeof(*s->groups), cmp_group);
	(void)dt;
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

struct tt_snapshot *tt_model_build(struct tt_model *m, double now_mono,
				   double now_real,
				   void (*forget)(void *, const struct tt_key *),
				   void *ctx)
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
	refresh_cache(m, now_mono);

	cap = m->ncache + m->nwork + 1;
	s->procs = tt_arena_alloc(&s->arena, cap * sizeof(*s->procs));
	if (!s->procs) {
		m->cur = NULL;
		tt_snapshot_unref(s);
		return NULL;
	}
	/* processes /proc knows, with the kernel's figures when it has some */
	for (size_t i = 0; i < m->ncache; i++) {
		struct pcache *c = &m->cache[i];
		struct tt_proc *p = &s->procs[np];
		struct work *w = work_find(m, c->pid, c->info.starttime);

		if (!w && is_dead(m, c->pid, c->info.starttime)) {
			/* a zombie we reported exited already */
			add_dead(m, &dead, &ndead, &capdead, c->pid,
				 c->info.starttime);
			continue;
		}
		p->pid = c->pid;
		p->gen = c->info.starttime;
		fill_procfs(m, p, c, now_mono);
		if (w) {
			w->matched = true;
			fill_kernel(m, p, w, dt);
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
		if (!pid_wanted(m, 0, w->key.id) && !m->o.per_thread)
			continue;
		pp = prev_of(m, w->key.id, w->key.gen);
		late = (pp && pp->exited) || is_dead(m, w->key.id, w->key.gen);
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
			  !key_in(m->pending, m->npending, &w->key);
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
		p->cmdline = pp ? tt_arena_strdup(&s->arena, pp->cmdline) : "";
		p->cgroup = pp ? tt_arena_strdup(&s->arena, pp->cgroup) : "";
		p->rss_bytes = waiting && pp ? pp->rss_bytes : 0;
		p->threads = waiting && pp ? pp->threads : 0;
		snprintf(p->user, sizeof(p->user), "%s",
			 tt_procfs_user(p->uid));
		fill_kernel(m, p, w, dt);
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

	build_conns(m, dt);
	for (size_t i = 0; i < s->nconns; i++) {
		const struct tt_proc *p = tt_snapshot_find(s, s->conns[i].pid);

		if (p && !s->conns[i].closed)
			((struct tt_proc *)p)->connections++;
	}
	build_syscalls(m, dt);
	build_groups(m, dt);
	hist_copy(m, &s->runq, m->runq);
	s->switches = m->switches;
	s->switch_rate = per_s(s->switches, m->prev ? m->prev->switches : 0,
			       dt);
	tt_snapshot_finish(s);

	/* sorted, for is_dead() and key_in() to search */
	if (ndead)
		qsort(dead, ndead, sizeof(*dead), cmp_key);
	if (npending)
		qsort(pending, npending, sizeof(*pending), cmp_key);
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
