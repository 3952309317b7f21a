// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * states.c - thread-state time from the kernel's sums. A sleep's total up
 * to now is (sum of its ends) - (sum of its starts) + (open ones) * now,
 * computed modulo 2^64: the sums of timestamps wrap, their difference is
 * exact (see tracetop.h).
 */
#include <string.h>
#include "model/states.h"

static const char *const names[TT_ST_MAX] = {
	[TT_ST_RUNNING] = "running",
	[TT_ST_RUNNABLE] = "runnable",
	[TT_ST_SLEEPING] = "sleeping",
	[TT_ST_BLOCKED] = "blocked",
};

const char *tt_state_name(enum tt_state s)
{
	return s < TT_ST_MAX ? names[s] : "?";
}

void tt_states_open_add(struct tt_open_slice *o, const struct tt_cpu_slot *s,
			uint64_t now_ns)
{
	if (!s->start)
		return;
	if (now_ns > s->start)
		o->run_ns += now_ns - s->start;
	if (s->runq_bucket < (__u32)TT_HIST_BUCKETS)
		o->runq_ns += s->runq_ns;
	if (s->wake_ts) {
		o->wake_in[s->wake_kind & 1] += s->wake_ts;
		o->wakes[s->wake_kind & 1]++;
	}
	o->running++;
}

void tt_state_sums_of(struct tt_state_sums *s, const struct tt_sched_val *v)
{
	s->oncpu_ns = v->oncpu_ns;
	s->runq_ns = v->runq_ns;
	memcpy(s->sleeps, v->sleeps, sizeof(s->sleeps));
	memcpy(s->sleep_out, v->sleep_out, sizeof(s->sleep_out));
	memcpy(s->sleep_in, v->sleep_in, sizeof(s->sleep_in));
	memcpy(s->wakes, v->wakes, sizeof(s->wakes));
}

/* a wrapped difference read as signed: negative means "none yet" */
static uint64_t nonneg(uint64_t v)
{
	return (int64_t)v < 0 ? 0 : v;
}

/* sleeps of kind k still open at now */
static uint64_t open_sleeps(const struct tt_state_sums *v,
			    const struct tt_open_slice *o, int k)
{
	uint64_t ends = v->wakes[k] + (o ? o->wakes[k] : 0);

	/* more ends than starts cannot be: then only closed sleeps count
	 * (counts, unlike the sums of times, never wrap) */
	return v->sleeps[k] > ends ? v->sleeps[k] - ends : 0;
}

static uint64_t slept(const struct tt_state_sums *v,
		      const struct tt_open_slice *o, int k, uint64_t now)
{
	uint64_t in = v->sleep_in[k] + (o ? o->wake_in[k] : 0);

	return nonneg(in - v->sleep_out[k] + open_sleeps(v, o, k) * now);
}

/* n more ghosts of kind k, found at t (at most UINT32_MAX in all) */
static void add_ghosts(struct tt_proc *p, int k, uint64_t n, uint64_t t)
{
	if (n > UINT32_MAX - p->ghosts[k])
		n = UINT32_MAX - p->ghosts[k];
	p->ghosts[k] += (uint32_t)n;
	p->ghost_ts[k] += n * t;
}

/*
 * Ghosts: open sleeps beyond the threads that can be asleep. Now and then
 * the kernel runs a thread again after a blocking switch with no
 * sched_waking or sched_wakeup for it in between: measured on 6.18 with a
 * separate BPF program, 0.1-0.4 % of blocking switches (mostly kernel
 * threads: rcu_preempt, kworkers), on a quiet machine too, the thread
 * fully dequeued at the switch and TASK_RUNNING at the next switch-in,
 * and no BPF program run missed (recursion_misses 0). The path in the
 * kernel was not found. Such a sleep would count until the process ends.
 * Blocked ones are taken as the ghosts first (the rarer state, where one
 * would show most). A ghost found at t has counted since its (unknown)
 * start; from t on its growth, now - t, is taken back.
 */
static void ghosts(struct tt_proc *p, const struct tt_state_sums *v,
		   const struct tt_open_slice *o, uint64_t now, uint64_t dt,
		   const struct tt_proc *pp, uint64_t cur[2], uint64_t other)
{
	uint64_t open[2] = { open_sleeps(v, o, 0), open_sleeps(v, o, 1) };
	uint32_t running = o ? o->running : 0;
	uint64_t can = p->threads > running ? p->threads - running : 0;

	for (int k = 0; k < 2; k++) {
		p->ghosts[k] = pp ? pp->ghosts[k] : 0;
		p->ghost_ts[k] = pp ? pp->ghost_ts[k] : 0;
		if (p->ghosts[k] > open[k]) { /* a late wake closed one */
			p->ghost_ts[k] =
				p->ghost_ts[k] / p->ghosts[k] * open[k];
			p->ghosts[k] = (uint32_t)open[k];
		}
	}
	/* counted, not looped: sums that went wrong could say 2^63 open */
	if (p->threads) { /* /proc knows how many */
		for (int k = 1; k >= 0; k--) {
			uint64_t real =
				open[0] + open[1] - p->ghosts[0] - p->ghosts[1];
			uint64_t n = real > can ? real - can : 0;

			if (n > open[k] - p->ghosts[k])
				n = open[k] - p->ghosts[k];
			add_ghosts(p, k, n, now);
		}
	}
	/*
	 * Its threads cannot spend more than threads x dt in the interval:
	 * what the sleeps grew beyond that, an interval's worth per ghost,
	 * comes from ghosts found late (a thread not seen running); they
	 * are taken back from the previous snapshot on.
	 */
	if (p->threads && pp && dt) {
		/* with the most threads it had, and 5 % for the edges */
		uint64_t n =
			p->threads > pp->threads ? p->threads : pp->threads;
		uint64_t grew = other, room = n * dt + n * dt / 20;

		for (int k = 0; k < 2; k++) {
			uint64_t back = p->ghosts[k] * now - p->ghost_ts[k];
			uint64_t c = cur[k] > back ? cur[k] - back : 0;
			uint64_t before = pp->state_ns[k ? TT_ST_BLOCKED
							 : TT_ST_SLEEPING];

			grew += c > before ? c - before : 0;
		}
		for (int k = 1; k >= 0 && grew > room; k--) {
			/* an interval's worth per ghost, rounded up */
			uint64_t more = (grew - room + dt - 1) / dt;

			if (more > open[k] - p->ghosts[k])
				more = open[k] - p->ghosts[k];
			add_ghosts(p, k, more, now - dt);
			grew = grew > more * dt ? grew - more * dt : 0;
		}
	}
	for (int k = 0; k < 2; k++) {
		uint64_t back = p->ghosts[k] * now - p->ghost_ts[k];

		cur[k] = cur[k] > back ? cur[k] - back : 0;
	}
}

void tt_states_fill(struct tt_proc *p, const struct tt_state_sums *v,
		    const struct tt_open_slice *o, uint64_t now_ns,
		    uint64_t dt_ns, const struct tt_proc *pp)
{
	uint64_t cur[TT_ST_MAX], d[TT_ST_MAX], total = 0;

	cur[TT_ST_RUNNING] = v->oncpu_ns + (o ? o->run_ns : 0);
	cur[TT_ST_RUNNABLE] = v->runq_ns + (o ? o->runq_ns : 0);
	{
		uint64_t sl[2] = { slept(v, o, TT_SLEEP_S, now_ns),
				   slept(v, o, TT_SLEEP_D, now_ns) };

		uint64_t other =
			(cur[TT_ST_RUNNING] >
					 (pp ? pp->state_ns[TT_ST_RUNNING] : 0)
				 ? cur[TT_ST_RUNNING] -
					   (pp ? pp->state_ns[TT_ST_RUNNING]
					       : 0)
				 : 0) +
			(cur[TT_ST_RUNNABLE] >
					 (pp ? pp->state_ns[TT_ST_RUNNABLE] : 0)
				 ? cur[TT_ST_RUNNABLE] -
					   (pp ? pp->state_ns[TT_ST_RUNNABLE]
					       : 0)
				 : 0);

		ghosts(p, v, o, now_ns, dt_ns, pp, sl, other);
		cur[TT_ST_SLEEPING] = sl[TT_SLEEP_S];
		cur[TT_ST_BLOCKED] = sl[TT_SLEEP_D];
	}
	for (int i = 0; i < TT_ST_MAX; i++) {
		uint64_t before = pp ? pp->state_ns[i] : 0;

		p->state_ns[i] = cur[i] > before ? cur[i] : before;
		d[i] = p->state_ns[i] - before;
		total += d[i];
	}
	for (int i = 0; i < TT_ST_MAX; i++)
		p->state_pct[i] =
			total ? 100.0 * (double)d[i] / (double)total : 0;
}
