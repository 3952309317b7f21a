// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile_live.c - the profiler's thread, and each interval's profile
 * copied into the snapshot's arena (the prof/ result lives only until the
 * next interval).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "bpf/profiler.h"
#include "model/profile_live.h"
#include "model/profile_unw.h"
#include "prof/profile.h"

/*
 * The thread sleeps until a ring is a quarter full (the kernel wakes it),
 * a refresh asks for the records so far (tt_prof_live_sync kicks it), or
 * this long: a wakeup costs tens of microseconds on a VM, and 20 a second
 * cost more than the samples they read (1 ms a second of 2.5 at 99 Hz);
 * now that a sample is a few hundred bytes, one a second was a third of
 * --profile's own CPU. A refresh asks every interval anyway.
 */
#define POLL_MS 5000
/* The first round reads kallsyms (some 40 ms) and the first binaries:
 * soon after start, with the start-up, not in the middle of a run. */
#define FIRST_POLL_MS 1000

struct tt_prof_live {
	struct tt_profiler *kp;
	struct tt_profiler_opts po;
	uint32_t offcpu_first; /* tt_prof_live_start watches it */
	pthread_t loader;      /* loads kp while the collector loads */
	bool loading;	       /* loader not joined yet */
	int load_err;
	struct tt_prof *prof;
	struct tt_prof_unw *unw; /* NULL: the kernel does not unwind */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_cond_t turn; /* the tables are free for the thread again */
	int waiting;	     /* other threads waiting for mu (atomic) */
	bool stop;
	/* sync: asked counts the calls; done, the last call whose records
	 * a poll has read (one that began after the call) */
	uint64_t asked, done;
	int poll_err;
	uint32_t offcpu_pid;
	double prev_cpu;
	uint64_t prev_run_ns, prev_runs;
};

static double thread_cpu(pthread_t t)
{
	clockid_t cid;
	struct timespec ts;

	if (pthread_getcpuclockid(t, &cid) || clock_gettime(cid, &ts))
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The thread takes mu for every record and a mutex is not fair: when
 * records keep coming (under valgrind, or a backlog of first samples of
 * big binaries) it takes mu again at once, every time, and a refresh
 * waiting for the tables waited for minutes. Other threads say they are
 * waiting; the thread lets them go first.
 */
static void lock_first(struct tt_prof_live *pl)
{
	__atomic_add_fetch(&pl->waiting, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&pl->mu);
	__atomic_sub_fetch(&pl->waiting, 1, __ATOMIC_SEQ_CST);
}

static void unlock_first(struct tt_prof_live *pl)
{
	pthread_cond_broadcast(&pl->turn);
	pthread_mutex_unlock(&pl->mu);
}

/* ---- the thread -----------------------------------------------------------
 */

/* a record's kernel part, and its user part by kind */
static void rec_in(const struct tt_prof_hdr *h, const void *rec,
		   struct tt_prof_in *in, struct tt_uregs *regs)
{
	const struct tt_prof_rec *r = rec;
	const struct tt_prof_urec *u = rec;

	if (h->kind == TT_REC_USAMPLE) { /* its length checked (profiler.c) */
		in->upcs = (const uint64_t *)u->ips;
		in->nupcs = h->nupcs;
		in->kips = in->upcs + h->nupcs;
		in->ucut = h->flags & TT_PROF_F_UCUT;
		if (!(h->flags & TT_PROF_F_USER))
			in->upcs = NULL;
	} else {
		in->kips = (const uint64_t *)r->kips;
		if (h->flags & TT_PROF_F_USER) {
			memcpy(regs->r, r->regs, sizeof(regs->r));
			in->regs = regs;
			in->stack = r->ustack;
			in->stack_len = h->ustack_len < TT_PROF_STACK_BYTES
						? h->ustack_len
						: TT_PROF_STACK_BYTES;
		}
	}
	if (!(h->flags & (TT_PROF_F_USER | TT_PROF_F_KTHREAD)))
		in->user_missing = true;
	in->nkips = h->nkips < TT_PROF_KFRAMES ? h->nkips : TT_PROF_KFRAMES;
	in->ktrunc = h->flags & TT_PROF_F_KTRUNC;
}

/* one record of either ring buffer, into prof/ */
static void on_record(void *ctx, const struct tt_prof_hdr *h, const void *rec)
{
	struct tt_prof_live *pl = ctx;
	struct tt_uregs regs;
	char comm[sizeof(h->comm) + 1];
	struct tt_prof_in in = { 0 };

	memcpy(comm, h->comm, sizeof(h->comm));
	comm[sizeof(h->comm)] = 0;
	in.pid = h->pid;
	in.tid = h->tid;
	in.pgen = h->pgen;
	in.id = h->id;
	in.gen = h->gen;
	in.comm = comm;
	if (rec)
		rec_in(h, rec, &in, &regs);
	pthread_mutex_lock(&pl->mu);
	while (__atomic_load_n(&pl->waiting, __ATOMIC_SEQ_CST))
		pthread_cond_wait(&pl->turn, &pl->mu);
	/* a poll hands over every record there is: leave them at once */
	switch (pl->stop ? -1 : (int)h->kind) {
	case TT_REC_SAMPLE:
		tt_prof_sample(pl->prof, &in);
		/* after naming it: that rereads maps that changed */
		if (h->flags >> TT_PROF_F_WHY_SHIFT)
			tt_prof_unw_miss(pl->unw, h->pid, h->pgen,
					 h->flags >> TT_PROF_F_WHY_SHIFT);
		break;
	case TT_REC_USAMPLE:
		tt_prof_sample(pl->prof, &in);
		break;
	case TT_REC_CAPTURE:
		tt_prof_capture(pl->prof, h->seq, h->evicted, &in);
		break;
	case TT_REC_BLOCK:
		tt_prof_block(pl->prof, h->seq, h->id, h->gen, h->pid, comm,
			      h->ns);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&pl->mu);
}

static void *run(void *arg)
{
	struct tt_prof_live *pl = arg;
	struct tt_profiler_sink sink = { pl, on_record };
	unsigned rounds = 0;

	for (;;) {
		uint64_t asked;
		int n;

		pthread_mutex_lock(&pl->mu);
		if (pl->stop) {
			pthread_mutex_unlock(&pl->mu);
			break;
		}
		/* asked before this round: it reads what they wait for, and
		 * at once (the kick may have woken the round before) */
		asked = pl->asked;
		pthread_mutex_unlock(&pl->mu);
		n = tt_profiler_poll(pl->kp,
				     asked != pl->done ? 0
				     : rounds++	       ? POLL_MS
						       : FIRST_POLL_MS,
				     &sink);
		pthread_mutex_lock(&pl->mu);
		if (rounds == 1)
			tt_prof_warm(pl->prof);
		if (n < 0)
			pl->poll_err = n;
		pl->done = asked;
		pthread_cond_broadcast(&pl->cv);
		pthread_mutex_unlock(&pl->mu);
		if (n < 0) { /* no busy loop on an error */
			struct timespec ts = { 0, 50 * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	return NULL;
}

/* ---- life cycle ------------------------------------------------------------
 */

/*
 * The threads take no signals: a SIGTERM sent to tracetop must reach the
 * loop that waits for it (the screen reads them from a signalfd, which
 * sees only signals that no thread took), not a handler run here.
 */
static int spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int e;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(t, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return e;
}

static void *load(void *arg)
{
	struct tt_prof_live *pl = arg;

	pl->load_err = tt_profiler_load(&pl->po, &pl->kp);
	return NULL;
}

static void load_wait(struct tt_prof_live *pl)
{
	if (pl->loading)
		pthread_join(pl->loader, NULL);
	pl->loading = false;
}

int tt_prof_live_load(const struct tt_prof_live_opts *o,
		      struct tt_prof_live **out)
{
	struct tt_prof_live *pl = calloc(1, sizeof(*pl));

	*out = pl;
	if (!pl)
		return -ENOMEM;
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv, NULL);
	pthread_cond_init(&pl->turn, NULL);
	pl->offcpu_first = o->offcpu_pid;
	pl->po.hz = o->hz;
	memcpy(pl->po.pids, o->pids, sizeof(pl->po.pids));
	pl->po.npids = o->npids;
	pl->po.uid = o->uid;
	pl->po.per_thread = o->per_thread;
	pl->po.self_tgid = (uint32_t)getpid();
	pl->po.unw_rows = o->user_unwind ? 0 : TT_PROF_UNW_ROWS;
	/* no thread: load here, the start waits as long either way */
	pl->loading = !spawn(&pl->loader, load, pl);
	if (!pl->loading)
		load(pl);
	return 0;
}

int tt_prof_live_start(struct tt_prof_live *pl, struct tt_collector *c,
		       char *err, size_t errlen)
{
	struct tt_prof_opts prof_o = { 0 };
	int e;

	load_wait(pl);
	if (pl->load_err) {
		snprintf(err, errlen, "profiler: %s", strerror(-pl->load_err));
		return pl->load_err;
	}
	e = tt_profiler_start(pl->kp, c, err, errlen);
	if (e)
		return e;
	prof_o.sym.kernel_gen = tt_profiler_newest_prog;
	prof_o.sym.kernel_gen_ctx = pl->kp;
	pl->prof = tt_prof_new(&prof_o);
	if (!pl->prof) {
		snprintf(err, errlen, "profiler: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	/* without it (no memory), samples go on with their stacks copied:
	 * the kernel finds no process tables */
	pl->unw = tt_prof_unw_new(pl->kp, pl->prof);
	if (pl->offcpu_first &&
	    (e = tt_prof_live_offcpu(pl, pl->offcpu_first))) {
		snprintf(err, errlen, "off-CPU stacks: %s",
			 tt_profiler_offcpu_status(pl->kp));
		return e;
	}
	e = spawn(&pl->thread, run, pl);
	if (e) {
		snprintf(err, errlen, "profiler thread: %s", strerror(e));
		return -e;
	}
	pl->started = true;
	pl->prev_cpu = thread_cpu(pl->thread);
	return 0;
}

int tt_prof_live_new(const struct tt_prof_live_opts *o, struct tt_collector *c,
		     struct tt_prof_live **out, char *err, size_t errlen)
{
	int e = tt_prof_live_load(o, out);

	if (!e)
		e = tt_prof_live_start(*out, c, err, errlen);
	else
		snprintf(err, errlen, "profiler: %s", strerror(-e));
	if (e) {
		tt_prof_live_free(*out);
		*out = NULL;
	}
	return e;
}

void tt_prof_live_free(struct tt_prof_live *pl)
{
	if (!pl)
		return;
	load_wait(pl);
	if (pl->started) {
		lock_first(pl);
		pl->stop = true;
		unlock_first(pl);
		tt_profiler_kick(pl->kp);
		pthread_join(pl->thread, NULL);
	}
	tt_prof_unw_free(pl->unw);
	tt_profiler_free(pl->kp);
	tt_prof_free(pl->prof);
	pthread_cond_destroy(&pl->cv);
	pthread_cond_destroy(&pl->turn);
	pthread_mutex_destroy(&pl->mu);
	free(pl);
}

int tt_prof_live_offcpu(struct tt_prof_live *pl, uint32_t pid)
{
	int e = tt_profiler_offcpu(pl->kp, pid);

	if (!e) {
		lock_first(pl);
		pl->offcpu_pid = pid;
		unlock_first(pl);
	}
	return e;
}

void tt_prof_live_sync(struct tt_prof_live *pl, int timeout_ms)
{
	struct timespec until;
	uint64_t want;

	if (!pl->started)
		return;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	lock_first(pl);
	want = ++pl->asked;
	tt_profiler_kick(pl->kp);
	/* the thread may be waiting for its turn in on_record (it saw us
	 * waiting for mu): let it go on, or neither of us would */
	pthread_cond_broadcast(&pl->turn);
	while (pl->done < want && !pl->stop)
		if (pthread_cond_timedwait(&pl->cv, &pl->mu, &until))
			break;
	unlock_first(pl);
}

long tt_prof_live_folded(struct tt_prof_live *pl, int kind, FILE *out)
{
	long n;

	lock_first(pl);
	n = tt_prof_folded(pl->prof, kind, out);
	unlock_first(pl);
	return n;
}

const char *tt_prof_live_status(const struct tt_prof_live *pl, bool offcpu)
{
	return offcpu ? tt_profiler_offcpu_status(pl->kp)
		      : tt_profiler_status(pl->kp);
}

void tt_prof_live_unwound(struct tt_prof_live *pl, uint64_t *kernel,
			  uint64_t *copied)
{
	struct tt_profiler_stats ks;

	tt_profiler_stats(pl->kp, &ks);
	*kernel = ks.unw[TT_UNW_WALKED];
	*copied = 0;
	for (int k = TT_UNW_WALKED + 1; k < TT_UNW_STAT_MAX; k++)
		*copied += ks.unw[k];
}

uint64_t tt_prof_live_lost(struct tt_prof_live *pl)
{
	struct tt_profiler_stats ks;
	uint64_t lost;

	tt_profiler_stats(pl->kp, &ks);
	lost = ks.drops[TT_PDROP_RING] + ks.drops[TT_PDROP_OFF_RING] +
	       ks.drops[TT_PDROP_OFF_TASK];
	lock_first(pl);
	lost += tt_prof_stats(pl->prof)->lost;
	unlock_first(pl);
	return lost;
}

/* ---- into the snapshot ------------------------------------------------------
 */

/* result frame -> snapshot frame, each copied once per snapshot */
struct fmap {
	const struct tt_prof_frame **key;
	struct tt_frame **val;
	size_t cap;
	struct tt_arena *a;
};

static const struct tt_frame *fmap_get(struct fmap *m,
				       const struct tt_prof_frame *f)
{
	size_t i = ((uintptr_t)f >> 4) * 0x9e3779b97f4a7c15ULL >> 20 &
		   (m->cap - 1);
	struct tt_frame *c;

	for (; m->key[i]; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == f)
			return m->val[i];
	c = tt_arena_alloc(m->a, sizeof(*c));
	if (!c)
		return NULL;
	c->name = tt_arena_strdup(m->a, f->name);
	c->module = tt_arena_strdup(m->a, f->module);
	c->kernel = f->kernel;
	m->key[i] = f;
	m->val[i] = c;
	return c;
}

static const struct tt_stack *
copy_stacks(struct fmap *m, const struct tt_prof_stack *v, uint32_t n)
{
	struct tt_stack *out = tt_arena_alloc(m->a, (n + 1) * sizeof(*out));

	for (uint32_t i = 0; out && i < n; i++) {
		const struct tt_frame **fr =
			tt_arena_alloc(m->a, (v[i].nframes + 1) * sizeof(*fr));

		if (!fr)
			return NULL;
		for (uint32_t k = 0; k < v[i].nframes; k++)
			if (!(fr[k] = fmap_get(m, v[i].frames[k])))
				return NULL;
		out[i] = (struct tt_stack){ v[i].weight, v[i].events,
					    v[i].nframes, v[i].truncated, fr };
	}
	return out;
}

static void fill_procs(struct tt_snapshot *s, const struct tt_prof_result *r)
{
	size_t nf = 0;
	struct fmap m = { .a = &s->arena };

	for (size_t i = 0; i < r->nprocs; i++)
		for (int k = 0; k < TT_PROF_KINDS; k++)
			for (uint32_t j = 0; j < r->procs[i].nstacks[k]; j++)
				nf += r->procs[i].stacks[k][j].nframes;
	for (m.cap = 64; m.cap < nf * 2; m.cap *= 2)
		;
	m.key = calloc(m.cap, sizeof(*m.key));
	m.val = calloc(m.cap, sizeof(*m.val));
	for (size_t i = 0; m.key && m.val && i < r->nprocs; i++) {
		const struct tt_prof_proc *rp = &r->procs[i];
		struct tt_proc *p = (struct tt_proc *)tt_snapshot_find_gen(
			s, rp->id, rp->gen);

		if (!p)
			continue; /* not a process the model shows */
		p->prof_samples = rp->weight[TT_PROF_ONCPU];
		p->stacks = copy_stacks(&m, rp->stacks[TT_PROF_ONCPU],
					rp->nstacks[TT_PROF_ONCPU]);
		p->nstacks = p->stacks ? rp->nstacks[TT_PROF_ONCPU] : 0;
		p->offcpu_ns = rp->weight[TT_PROF_OFFCPU];
		p->offcpu_waits = rp->events[TT_PROF_OFFCPU];
		p->offcpu = copy_stacks(&m, rp->stacks[TT_PROF_OFFCPU],
					rp->nstacks[TT_PROF_OFFCPU]);
		p->noffcpu = p->offcpu ? rp->nstacks[TT_PROF_OFFCPU] : 0;
	}
	free(m.key);
	free(m.val);
}

static void fill_funcs(struct tt_snapshot *s, const struct tt_prof_result *r)
{
	size_t n = r->nfuncs;

	if (n > TT_TOP_FUNCS)
		n = TT_TOP_FUNCS;

	s->prof.funcs =
		tt_arena_alloc(&s->arena, (n + 1) * sizeof(*s->prof.funcs));
	if (!s->prof.funcs)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct tt_prof_func *f = &r->funcs[i];

		s->prof.funcs[i] = (struct tt_pfunc){
			.name = tt_arena_strdup(&s->arena, f->name),
			.module = tt_arena_strdup(&s->arena, f->module),
			.kernel = f->kernel,
			.self = f->self,
			.total = f->total,
		};
	}
	s->prof.nfuncs = n;
}

void tt_prof_live_fill(struct tt_prof_live *pl, struct tt_snapshot *s,
		       double dt)
{
	struct tt_profiler_stats ks;
	const struct tt_prof_result *r;
	double cpu;

	/* the interval's samples, not those up to POLL_MS older */
	tt_prof_live_sync(pl, 250);
	cpu = thread_cpu(pl->thread);
	tt_profiler_stats(pl->kp, &ks);
	lock_first(pl);
	r = tt_prof_take(pl->prof);
	fill_procs(s, r);
	fill_funcs(s, r);
	s->prof.samples = r->samples;
	tt_snapshot_prof_shares(s);
	s->prof.truncated = r->stats.truncated;
	s->prof.lost = r->stats.lost + ks.drops[TT_PDROP_RING] +
		       ks.drops[TT_PDROP_OFF_RING] +
		       ks.drops[TT_PDROP_OFF_TASK];
	s->prof.offcpu_pid = pl->offcpu_pid;
	s->prof.kunwound = ks.unw[TT_UNW_WALKED];
	for (int k = TT_UNW_WALKED + 1; k < TT_UNW_STAT_MAX; k++)
		s->prof.kcopied += ks.unw[k];
	/* their maps and unwinding state can go; the names stay in
	 * the stacks already counted */
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].exited && !s->per_thread) {
			tt_prof_proc_gone(pl->prof, s->procs[i].pid);
			tt_prof_unw_gone(pl->unw, s->procs[i].pid);
		}
	unlock_first(pl);
	snprintf(s->prof.status, sizeof(s->prof.status), "%s",
		 tt_profiler_status(pl->kp));
	snprintf(s->prof.offcpu_status, sizeof(s->prof.offcpu_status), "%s",
		 tt_profiler_offcpu_status(pl->kp));
	s->prof.hz = tt_profiler_hz(pl->kp);
	if (dt > 0) {
		s->prof.cpu_pct = 100.0 * (cpu - pl->prev_cpu) / dt;
		s->cost.bpf_ns_per_s +=
			(double)(ks.run_ns - pl->prev_run_ns) / dt;
		s->cost.bpf_events_per_s +=
			(double)(ks.runs - pl->prev_runs) / dt;
	}
	s->cost.map_bytes += tt_profiler_map_bytes(pl->kp);
	s->lost_total += s->prof.lost;
	pl->prev_cpu = cpu;
	pl->prev_run_ns = ks.run_ns;
	pl->prev_runs = ks.runs;
}
