// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model_join.c - the /proc side of a refresh: which processes /proc lists,
 * the facts cached about them between refreshes (read again only when the
 * kernel saw them move), and their CPU% from /proc.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "model/model_join.h"

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
	uint32_t x = ((const struct listed *)a)->pid;
	uint32_t y = ((const struct listed *)b)->pid;

	return x < y ? -1 : x > y;
}

/* sum of a process's kernel counters: when it moves, /proc is read again */
static uint64_t activity_of(struct tt_model *m, uint32_t pid, uint32_t gen)
{
	struct work *w = tt_model_work_find(m, pid, gen);
	uint64_t a = 0;

	if (!w)
		return 0;
	for (uint32_t i = 0; i < w->nsc; i++)
		a += w->sc[i].count;
	if (w->x)
		a += w->x->sched.voluntary + w->x->sched.involuntary +
		     w->x->tcp.tx_bytes + w->x->tcp.rx_bytes;
	return a + 1;
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
		qsort(m->keys, n, sizeof(*m->keys), tt_model_cmp_key);
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
 * /proc is listed in full one refresh in LIST_EVERY, and at once after the
 * kernel counted a loss. In between, the processes are the cached ones and
 * those the kernel reported: a process that runs is switched in, so the
 * scheduler's probe reports it in the interval it first ran. Listing 1,000
 * processes costs about a millisecond (proc_pid_readdir looks up a dentry
 * for each), a fifth of a refresh at 1,000 idle processes.
 */
#define LIST_EVERY 8
/*
 * A cached process whose counters did not move is read again one refresh
 * in ROTATE, its stat alone: what can change without a syscall or a
 * context switch (memory reclaimed; a task woken that then never leaves
 * the CPU, when syscalls are not traced) shows within ROTATE refreshes.
 * Each read is an open, a read and a close, ~8 us: a sixteenth of 1,000
 * processes was a tenth of the refresh.
 */
#define ROTATE 64

static bool list_due(struct tt_model *m)
{
	return !m->o.have_sched || m->o.per_thread || !m->ncache ||
	       m->list_due || m->seq % LIST_EVERY == 0;
}

/* the cached processes and the ones the kernel reported, in pid order */
static void list_known(struct tt_model *m)
{
	size_t i = 0, k = 0;

	while (i < m->ncache || k < m->nkeys) {
		uint32_t pid;

		if (k == m->nkeys ||
		    (i < m->ncache && m->cache[i].pid <= m->keys[k].id))
			pid = m->cache[i++].pid;
		else
			pid = m->keys[k++].id;
		if (!m->nlisted || m->listed[m->nlisted - 1].pid != pid)
			list_cb(m, 0, pid);
	}
}

/*
 * Refresh the cache. A sleeping process that the kernel saw do nothing
 * keeps its cached facts: with a thousand idle processes that saves most
 * of the refresh. Running ones, active ones and new ones are read again,
 * and a rotating sixty-fourth of the rest, their stat alone.
 */
void tt_model_refresh_cache(struct tt_model *m)
{
	struct pcache *nc;
	size_t j = 0, n = 0;

	index_work(m);
	m->nlisted = 0;
	if (list_due(m)) {
		tt_procfs_list(m->o.proc_root, m->o.per_thread, list_cb, m);
		m->list_due = false;
	} else {
		list_known(m);
	}
	if (m->nlisted) /* qsort() wants a valid base even for 0 items */
		qsort(m->listed, m->nlisted, sizeof(*m->listed), cmp_listed);
	nc = calloc(m->nlisted + 1, sizeof(*nc));
	if (!nc)
		return;
	for (size_t i = 0; i < m->nlisted; i++) {
		uint32_t pid = m->listed[i].pid, tgid = m->listed[i].tgid;
		struct pcache *c = &nc[n], *old = NULL;
		bool read, stat_only;

		if (!tt_model_pid_wanted(m, tgid, pid))
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
		       c->info.state == 'D';
		if (!read) {
			uint64_t a = activity_of(m, pid, c->info.starttime);

			/* moved, or the kernel knows this pid by another
			 * start time: a new process took the PID */
			read = a != c->activity ||
			       other_gen(m, pid, c->info.starttime);
		}
		/* unmoved: its uid cannot have changed (setuid() is a
		 * syscall, and then it moved) */
		stat_only = !read && (pid + m->seq) % ROTATE == 0;
		if (read || stat_only) {
			struct tt_procinfo pi;
			char buf[4096];
			bool ok = stat_only
					  ? tt_procfs_read_stat(m->o.proc_root,
								tgid, pid, &pi)
					  : tt_procfs_read(m->o.proc_root, tgid,
							   pid, &pi);

			if (ok && stat_only)
				pi.uid = c->info.uid;
			if (!ok) {
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
				c->prev_ticks =
					pi.starttime >= m->prev_boot_ticks
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
}

/* c's /proc facts into p, with CPU% since the baseline set when read */
void tt_model_fill_procfs(struct tt_model *m, struct tt_proc *p,
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
	p->cmdline =
		tt_arena_strdup(&m->cur->arena, c->cmdline ? c->cmdline : "");
	p->cgroup = tt_arena_strdup(&m->cur->arena, c->cgroup ? c->cgroup : "");
	if (c->fresh) {
		double dt = now - c->prev_time;
		long hz = sysconf(_SC_CLK_TCK);

		if (dt > 0 && i->cpu_ticks >= c->prev_ticks && c->prev_time > 0)
			p->cpu_pct = 100.0 *
				     (double)(i->cpu_ticks - c->prev_ticks) /
				     (double)hz / dt;
		c->prev_ticks = i->cpu_ticks;
		c->prev_time = now;
	}
}
