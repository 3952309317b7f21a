// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sched.bpf.c - per process: on-CPU time, voluntary and involuntary context
 * switches, migrations, and the run-queue latency histogram (time from
 * wakeup, or from being preempted while runnable, to switching in; the same
 * definition as runqlat).
 *
 * Per-thread timestamps live in task storage: no hash lookup for them, and
 * they vanish with the task. The per-process figures take atomic adds.
 */
#include "common.bpf.h"

#define TASK_RUNNING 0

struct sched_ts {
	__u64 oncpu_start; /* when the thread last switched in; 0: unknown */
	__u64 enq_ts;	   /* when it became runnable; 0: not waiting */
	__u32 id;
	__u32 gen;
	__u32 keyed;
	__u32 dead; /* past sched_process_exit: its last switch is not counted */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sched_ts);
} sched_ts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TT_MAX_PROCS);
	__type(key, struct tt_key);
	__type(value, struct tt_sched_val);
} sched_stats SEC(".maps");

static const struct tt_sched_val sched_zero;

static __always_inline struct sched_ts *ts_of(struct task_struct *t)
{
	struct sched_ts *s;

	s = bpf_task_storage_get(&sched_ts, t, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		tt_drop(TT_DROP_TASK_STORAGE);
		return NULL;
	}
	if (!s->keyed) {
		struct tt_key k;

		tt_task_key(t, &k);
		s->id = k.id;
		s->gen = k.gen;
		s->keyed = 1;
	}
	return s;
}

static __always_inline struct tt_sched_val *stats_of(struct sched_ts *s)
{
	struct tt_key k = { .id = s->id, .gen = s->gen };

	return tt_lookup_or_init(&sched_stats, &k, &sched_zero,
				 TT_DROP_SCHED_MAP);
}

static __always_inline void on_wakeup(struct task_struct *p)
{
	struct sched_ts *s;

	if (!p->pid || !tt_task_watched(p))
		return;
	s = ts_of(p);
	/*
	 * A wakeup of a task that is still on its CPU (it had not finished
	 * going to sleep) or already waiting since a preemption does not
	 * start a new wait.
	 */
	if (s && !s->enq_ts && !p->on_cpu)
		s->enq_ts = bpf_ktime_get_ns();
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(tt_sched_wakeup, struct task_struct *p)
{
	on_wakeup(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(tt_sched_wakeup_new, struct task_struct *p)
{
	on_wakeup(p);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tt_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	__u64 now = bpf_ktime_get_ns();
	struct tt_sched_val *v;
	struct sched_ts *s;

	if (prev->pid && tt_task_watched(prev)) {
		s = ts_of(prev);
		if (s && !s->dead && (v = stats_of(s))) {
			if (s->oncpu_start)
				__sync_fetch_and_add(&v->oncpu_ns,
						     now - s->oncpu_start);
			/*
			 * The kernel counts a switch as voluntary (nvcsw)
			 * when the task blocked: not a preemption, and its
			 * state was not TASK_RUNNING.
			 */
			if (!preempt && prev_state != TASK_RUNNING) {
				__sync_fetch_and_add(&v->voluntary, 1);
				s->enq_ts = 0;
			} else {
				__sync_fetch_and_add(&v->involuntary, 1);
				s->enq_ts = now; /* still runnable: waits */
			}
		}
		if (s)
			s->oncpu_start = 0;
	}
	if (next->pid && tt_task_watched(next)) {
		s = ts_of(next);
		if (!s)
			return 0;
		s->oncpu_start = now;
		if (s->enq_ts) {
			__u64 delta = now - s->enq_ts;

			s->enq_ts = 0;
			v = stats_of(s);
			if (v)
				__sync_fetch_and_add(
					&v->hist[tt_slot(delta)], 1);
		}
	}
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(tt_sched_migrate, struct task_struct *p, int dest_cpu)
{
	struct tt_sched_val *v;
	struct sched_ts *s;

	if (!p->pid || !tt_task_watched(p))
		return 0;
	s = ts_of(p);
	if (s && (v = stats_of(s)))
		__sync_fetch_and_add(&v->migrations, 1);
	return 0;
}

/*
 * The exiting thread is on its CPU now: account its time up to here, and
 * ignore the final switch-out, which would otherwise recreate the stats
 * entry after user space has reported the process as exited and dropped it.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(tt_sched_exit, struct task_struct *p)
{
	struct tt_sched_val *v;
	struct sched_ts *s;

	if (!tt_task_watched(p))
		return 0;
	s = bpf_task_storage_get(&sched_ts, p, 0, 0);
	if (!s || s->dead)
		return 0;
	if (s->oncpu_start && (v = stats_of(s)))
		__sync_fetch_and_add(&v->oncpu_ns,
				     bpf_ktime_get_ns() - s->oncpu_start);
	s->oncpu_start = 0;
	s->dead = 1;
	return 0;
}
