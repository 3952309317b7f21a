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
 *
 * Thread states (running, runnable, sleeping, blocked) cost no lookup
 * more: a sleep's start is added to its process's sums at the switch-out,
 * in the lookup made there; its end (the wakeup time) travels in the task
 * storage the wakeup touches anyway, then in the slot, to the next
 * switch-out (tracetop.h, struct tt_sched_val). A sleep counts only if the
 * task's storage existed when it switched in, which is also exactly when
 * its wakeup will find it: the two ends always pair up.
 *
 * Off-CPU stacks for one process (offcpu.bpf.h) cost every other switch
 * one array load and compare.
 */
#include "events.bpf.h"
#include "offcpu.bpf.h"

/* events: a wait for a CPU this long is an outlier (runqslower) */
const volatile __u64 runq_slow_ns = 0;

#define TASK_RUNNING 0
#define TASK_DEAD    0x80

#include "cpu_slot.bpf.h"

struct enq {
	__u64 ts;   /* when the task became runnable; 0: not waiting */
	__u32 woke; /* ts ended a counted sleep: 1 + its TT_SLEEP_* */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct enq);
} enq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, TT_MAP_GROWS);
	__uint(max_entries, TT_MAX_PROCS);
	__type(key, struct tt_key);
	__type(value, struct tt_sched_val);
} sched_stats SEC(".maps");

static const struct tt_sched_val sched_zero;

static __always_inline struct tt_cpu_slot *slot(void)
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

/* The sleep a task was in: the kernel sets this bit when the task blocks
 * (TASK_UNINTERRUPTIBLE, not TASK_NOLOAD nor frozen: the load average's
 * rule) and leaves it until the next block. */
static __always_inline __u32 sleep_kind(struct task_struct *t)
{
	return BPF_CORE_READ_BITFIELD(t, sched_contributes_to_load)
		       ? TT_SLEEP_D
		       : TT_SLEEP_S;
}

/* The pending ends of waits (slot s) into v: the run-queue sample and
 * the sleep the task woke from. */
static __always_inline void close_waits(struct tt_cpu_slot *s,
					struct tt_sched_val *v)
{
	if (s->runq_bucket < TT_HIST_BUCKETS) {
		__u32 b = s->runq_bucket & (TT_HIST_BUCKETS - 1);

		__sync_fetch_and_add(&v->hist[b], 1);
		__sync_fetch_and_add(&v->runq_ns, s->runq_ns);
		s->runq_bucket = TT_HIST_BUCKETS;
	}
	if (s->wake_ts) { /* wakes first: see tracetop.h */
		__u32 k = s->wake_kind & 1;

		__sync_fetch_and_add(&v->wakes[k], 1);
		__sync_fetch_and_add(&v->sleep_in[k], s->wake_ts);
		s->wake_ts = 0;
	}
}

/*
 * On-CPU time is the kernel's: the task clock that sum_exec_runtime, and so
 * wait4(), getrusage() and /proc/PID/schedstat, follow. It leaves out the
 * time the hypervisor ran another guest on this vCPU (steal) and, where the
 * kernel counts it apart, interrupts; bpf_ktime_get_ns() does not. On a
 * busy host a wall-clock slice read 10 % more than wait4() for a spinning
 * child. At a switch-out the kernel has just brought prev's sum up to date,
 * so the slice is the growth of the sum; at exit it has not (it lags by up
 * to a tick), so the slice is the wall clock less what this CPU lost since
 * the switch-in, as the scheduler last saw it.
 */
struct rq___irq { /* CONFIG_IRQ_TIME_ACCOUNTING */
	__u64 prev_irq_time;
} __attribute__((preserve_access_index));

/* Of the CPU task t runs on: its run queue (every class's task keeps its
 * cfs_rq there up to date; `runqueues` itself is not in kallsyms without
 * CONFIG_KALLSYMS_ALL, so the verifier cannot take it as a ksym). */
static __always_inline __u64 stolen_ns(struct task_struct *t)
{
	struct rq *rq;
	__u64 n = 0;

	if (!bpf_core_field_exists(t->se.cfs_rq))
		return 0; /* no CONFIG_FAIR_GROUP_SCHED: the wall clock */
	rq = tt_task_ro(t)->se.cfs_rq->rq;
	if (bpf_core_field_exists(rq->prev_steal_time_rq))
		n += rq->prev_steal_time_rq;
	if (bpf_core_field_exists(((struct rq___irq *)rq)->prev_irq_time))
		n += ((struct rq___irq *)rq)->prev_irq_time;
	return n;
}

/* the fair classes (SCHED_NORMAL, SCHED_BATCH, SCHED_IDLE) */
static __always_inline bool fair_policy(struct task_struct *t)
{
	return t->policy == 0 || t->policy == 3 || t->policy == 5;
}

/*
 * The slice of t since its switch-in, when the program did not see that
 * switch-in: the switch-ins of a few threads are never seen
 * (tests/README.md: some of this sandbox's PID 1). For the fair classes the
 * scheduler's own mark of it (prev_sum_exec_runtime, set as it picked the
 * task) gives the slice all the same; any other class's mark is not kept
 * up to date, and that slice is lost.
 */
static __always_inline __u64 unseen_slice(struct task_struct *t)
{
	__u64 sum = t->se.sum_exec_runtime, base;

	if (!fair_policy(t))
		return 0;
	/* a read of its own: one load for this and the slot's base, on two
	 * kinds of pointer, the verifier refuses */
	base = BPF_CORE_READ(t, se.prev_sum_exec_runtime);
	return sum > base ? sum - base : 0;
}

/* Close the running slice of prev into v: mine, its switch-in is in s. */
static __always_inline void close_slice(struct tt_cpu_slot *s,
					struct tt_sched_val *v,
					struct task_struct *prev, bool mine)
{
	__u64 sum;

	if (!mine) {
		__sync_fetch_and_add(&v->oncpu_ns, unseen_slice(prev));
		return;
	}
	sum = prev->se.sum_exec_runtime;
	if (sum > s->base)
		__sync_fetch_and_add(&v->oncpu_ns, sum - s->base);
	close_waits(s, v);
}

static __always_inline void on_wakeup(struct task_struct *p)
{
	bool existed = true;
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
	/* first look without creating: whether it existed tells whether
	 * the sleep this ends was counted (see the top) */
	e = bpf_task_storage_get(&enq, p, 0, 0);
	if (!e) {
		existed = false;
		e = bpf_task_storage_get(&enq, p, 0,
					 BPF_LOCAL_STORAGE_GET_F_CREATE);
	}
	if (!e) {
		tt_drop(TT_DROP_TASK_STORAGE);
	} else if (!e->ts) {
		e->ts = bpf_ktime_get_ns();
		e->woke = existed ? 1 + sleep_kind(p) : 0;
	}
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
	struct tt_cpu_slot *s = slot();
	__u64 now = bpf_ktime_get_ns();
	struct tt_sched_val *v;
	struct enq *e;

	tt_run(2);
	if (!s)
		return 0;
	tt_offcpu_switch(ctx, prev, next,
			 !preempt && prev_state != TASK_RUNNING, now);
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
		bool mine = s->tid == prev->pid && s->start;
		struct tt_key k;

		tt_task_key(prev, &k);
		v = stats_of(k.id, k.gen);
		if (v) {
			close_slice(s, v, prev, mine);
			if (blocked)
				__sync_fetch_and_add(&v->voluntary, 1);
			else
				__sync_fetch_and_add(&v->involuntary, 1);
			if (blocked && mine && s->seen) { /* a sleep begins */
				__u32 sk = sleep_kind(prev);

				__sync_fetch_and_add(&v->sleep_out[sk], now);
				__sync_fetch_and_add(&v->sleeps[sk], 1);
			}
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
	s->wake_ts = 0;
	s->tid = next->pid;
	if (!next->pid || !tt_task_watched(next))
		return 0;
	s->start = now;
	{
		struct tt_key nk;

		tt_task_key(next, &nk);
		s->id = nk.id;
		s->gen = nk.gen;
	}
	s->base = next->se.sum_exec_runtime; /* exact as of its last switch */
	s->stolen = stolen_ns(next);
	e = bpf_task_storage_get(&enq, next, 0, 0);
	s->seen = e != NULL;
	if (e && e->ts) {
		__u64 d = now - e->ts;

		s->runq_bucket = tt_slot(d);
		s->runq_ns = d;
		if (e->woke) {
			s->wake_ts = e->ts;
			s->wake_kind = e->woke - 1;
		}
		e->ts = 0;
		e->woke = 0;
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
/* An exiting task whose switch-in was not seen: its slice as at a
 * switch-out, short of what ran since the last tick. Its dead switch is
 * not counted either way. */
static __always_inline void unseen_exit(struct task_struct *p)
{
	__u64 ran = unseen_slice(p);
	struct tt_sched_val *v;
	struct tt_key k;

	if (!ran || !p->pid || !tt_task_watched(p))
		return;
	tt_task_key(p, &k);
	v = stats_of(k.id, k.gen);
	if (v)
		__sync_fetch_and_add(&v->oncpu_ns, ran);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tt_sched_exit, struct task_struct *p)
{
	struct tt_cpu_slot *s = slot();
	struct tt_cpu_slot w; /* the pending waits, as they were */
	struct tt_sched_val *v;
	struct tt_key k;
	__u64 start, now, ran, lost, sum;

	tt_run(4);
	if (!s)
		return 0;
	if (s->tid != p->pid) {
		unseen_exit(p);
		return 0;
	}
	start = s->start;
	w = *s;
	if (!start || __sync_val_compare_and_swap(&s->start, start, 0) != start)
		return 0;
	now = bpf_ktime_get_ns();
	lost = stolen_ns(p) - w.stolen;
	ran = now - start > lost ? now - start - lost : 0;
	/* what the kernel counted already is a floor */
	sum = p->se.sum_exec_runtime - w.base;
	if ((__s64)sum > (__s64)ran)
		ran = sum;
	/* the exit event's on-CPU time (proc.bpf.c, attached after us) */
	s->exit_cpu = w.base + ran;
	s->exit_tid = p->pid;
	tt_task_key(p, &k);
	v = stats_of(k.id, k.gen);
	if (!v)
		return 0;
	__sync_fetch_and_add(&v->oncpu_ns, ran);
	close_waits(&w, v);
	return 0;
}
