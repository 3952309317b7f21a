// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sched.bpf.c - per process: on-CPU time, voluntary and involuntary context
 * switches, migrations, and the run-queue latency histogram (time from
 * wakeup, or from being preempted while runnable, to switching in; the same
 * definition as runqlat).
 *
 * On-CPU time needs no per-task state: one task runs on a CPU at a time, so
 * a per-CPU slot holds when the current task switched in and its key. That
 * never fails and is cheaper than any map keyed by task. Only the time a
 * task became runnable lives in task storage.
 *
 * One stats lookup per switch: the switch-in's run-queue sample waits in
 * the per-CPU slot and lands when that task switches out (or exits), in the
 * lookup made for it anyway.
 */
#include "events.bpf.h"

/* events: a wait for a CPU this long is an outlier (runqslower) */
const volatile __u64 runq_slow_ns = 0;

#define TASK_RUNNING 0
#define TASK_DEAD    0x80

#include "cpu_slot.bpf.h"

struct enq {
	__u64 ts; /* when the task became runnable; 0: not waiting */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct enq);
} enq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TT_MAX_PROCS);
	__type(key, struct tt_key);
	__type(value, struct tt_sched_val);
} sched_stats SEC(".maps");

static const struct tt_sched_val sched_zero;

static __always_inline struct cpu_slot *slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_slot, &zero);
}

static __always_inline struct tt_sched_val *stats_of(__u32 id, __u32 gen)
{
	struct tt_key k = { .id = id, .gen = gen };

	return tt_lookup_or_init(&sched_stats, &k, &sched_zero,
				 TT_DROP_SCHED_MAP);
}

/* Close the running slice of the task in slot s into v. */
static __always_inline void close_slice(struct cpu_slot *s,
					struct tt_sched_val *v, __u64 now)
{
	__sync_fetch_and_add(&v->oncpu_ns, now - s->start);
	if (s->runq_bucket < TT_HIST_BUCKETS) {
		__u32 b = s->runq_bucket & (TT_HIST_BUCKETS - 1);

		__sync_fetch_and_add(&v->hist[b], 1);
		s->runq_bucket = TT_HIST_BUCKETS;
	}
}

static __always_inline void on_wakeup(struct task_struct *p)
{
	struct enq *e;

	if (!p->pid || !tt_task_watched(p))
		return;
	/*
	 * A wakeup of a task still on its CPU (it had not finished going to
	 * sleep) does not start a wait, nor does one of a task already
	 * waiting since it was preempted.
	 */
	if (p->on_cpu)
		return;
	e = bpf_task_storage_get(&enq, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!e)
		tt_drop(TT_DROP_TASK_STORAGE);
	else if (!e->ts)
		e->ts = bpf_ktime_get_ns();
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(tt_sched_wakeup, struct task_struct *p)
{
	tt_run(0);
	on_wakeup(p);
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(tt_sched_wakeup_new, struct task_struct *p)
{
	tt_run(1);
	on_wakeup(p);
	return 0;
}

/* next waited d for this CPU, behind prev: rare, out of line */
static __noinline void runq_event(struct task_struct *next,
				  struct task_struct *prev, __u64 d, __u64 now)
{
	struct tt_ev_runq *e = tt_ev_reserve(TT_EV_RUNQ, sizeof(*e), now);

	if (!e)
		return;
	tt_ev_task(&e->h, next);
	e->ns = d;
	e->prev_pid = prev->pid;
	e->cpu = bpf_get_smp_processor_id();
	bpf_probe_read_kernel(e->prev_comm, TT_COMM_LEN, prev->comm);
	tt_ev_submit(e);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(tt_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	struct cpu_slot *s = slot();
	__u64 now = bpf_ktime_get_ns();
	struct tt_sched_val *v;
	struct enq *e;

	tt_run(2);
	if (!s)
		return 0;
	/*
	 * A dead task's last switch is not counted: the process never sees
	 * it in getrusage(), and its figures were final at exit.
	 */
	if (prev->pid && !(prev_state & TASK_DEAD) && tt_task_watched(prev)) {
		/*
		 * The kernel counts a switch as voluntary (nvcsw) when the
		 * task blocked: not a preemption, and not TASK_RUNNING.
		 */
		bool blocked = !preempt && prev_state != TASK_RUNNING;
		struct tt_key k;

		tt_task_key(prev, &k);
		v = stats_of(k.id, k.gen);
		if (v) {
			if (s->tid == prev->pid && s->start)
				close_slice(s, v, now);
			if (blocked)
				__sync_fetch_and_add(&v->voluntary, 1);
			else
				__sync_fetch_and_add(&v->involuntary, 1);
		}
		if (!blocked) { /* still runnable: it waits from now */
			e = bpf_task_storage_get(
				&enq, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (e)
				e->ts = now;
			else
				tt_drop(TT_DROP_TASK_STORAGE);
		}
	}
	s->start = 0;
	s->runq_bucket = TT_HIST_BUCKETS;
	s->tid = next->pid;
	if (!next->pid || !tt_task_watched(next))
		return 0;
	s->start = now;
	s->base = next->se.sum_exec_runtime; /* exact as of its last switch */
	e = bpf_task_storage_get(&enq, next, 0, 0);
	if (e && e->ts) {
		__u64 d = now - e->ts;

		s->runq_bucket = tt_slot(d);
		e->ts = 0;
		/* a constant false unless the kind is on */
		if (tt_ev_on(TT_EV_RUNQ) && d >= runq_slow_ns)
			runq_event(next, prev, d, now);
	}
	return 0;
}

SEC("tp_btf/sched_migrate_task")
int BPF_PROG(tt_sched_migrate, struct task_struct *p, int dest_cpu)
{
	struct tt_sched_val *v;
	struct tt_key k;

	tt_run(3);
	if (!p->pid || !tt_task_watched(p))
		return 0;
	tt_task_key(p, &k);
	v = stats_of(k.id, k.gen);
	if (v)
		__sync_fetch_and_add(&v->migrations, 1);
	return 0;
}

/*
 * The exiting task is the one on this CPU: close its slice now, before the
 * exit record (written by proc.bpf.c, attached after us) tells user space
 * its figures are final. The microseconds it runs after this are not
 * counted, so no entry is recreated after user space dropped it.
 *
 * Unlike sched_switch, this runs preemptible: another switch may rewrite
 * the slot between our check and our write. The compare-and-swap takes
 * the slice only if the slot still holds the start we read; otherwise that
 * switch closed our slice already.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(tt_sched_exit, struct task_struct *p)
{
	struct cpu_slot *s = slot();
	struct tt_sched_val *v;
	struct tt_key k;
	__u64 start, now, base;
	__u32 b;

	tt_run(4);
	if (!s || s->tid != p->pid)
		return 0;
	start = s->start;
	b = s->runq_bucket;
	base = s->base;
	if (!start || __sync_val_compare_and_swap(&s->start, start, 0) != start)
		return 0;
	now = bpf_ktime_get_ns();
	/* the exit event's on-CPU time (proc.bpf.c, attached after us) */
	s->exit_cpu = base + (now - start);
	s->exit_tid = p->pid;
	tt_task_key(p, &k);
	v = stats_of(k.id, k.gen);
	if (!v)
		return 0;
	__sync_fetch_and_add(&v->oncpu_ns, now - start);
	if (b < TT_HIST_BUCKETS)
		__sync_fetch_and_add(&v->hist[b & (TT_HIST_BUCKETS - 1)], 1);
	return 0;
}
