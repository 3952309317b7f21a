// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * syscalls.bpf.c - per process and syscall: count, errors and latency.
 *
 * sys_enter stores the start time and number in a per-CPU slot (sc_cpu):
 * programs on the syscall tracepoints run with preemption off, so the slot
 * is the calling thread's until it leaves the CPU, and tt_sys_switch, which
 * runs then, moves a call still in progress into the thread's task-local
 * storage (no hash lookup, freed with the task). A call that does not
 * block thus costs one task storage lookup, in sys_exit, not two (bench/
 * progcost: about 25 ns of 165 inside the programs per call). sys_exit
 * takes the start from the slot if it is still its thread's, else from
 * the storage, and adds the call to a few pending
 * tallies in the same storage, and folds them into the (process, syscall)
 * entry of sc_stats, with atomic adds since threads of one process run on
 * several CPUs at once, only now and then:
 *   - when a tally cannot take the call (a fifth syscall takes its slot,
 *     a fifth latency bucket),
 *   - when the oldest pending call is SC_PEND_NS old,
 *   - when the thread is switched out (it may sleep for long) or exits.
 * The hash lookup is most of what a call costs here (make bench: about
 * 100 of 350 ns per syscall); a thread that calls the same few syscalls in
 * a loop now pays it once per tally instead of once per call. Nothing is
 * lost, but a tally waits until its thread's next syscall exit (if it is
 * SC_PEND_NS old by then), context switch or exit: a thread that computes
 * alone on a CPU without syscalls keeps its last calls until one of them.
 *
 * Batching is on only once user space has attached both flush programs
 * (sc_batch); until then, or without them, every call is folded at once.
 */
#include "events.bpf.h"
#include "sc_thread.bpf.h"

#define TASK_DEAD 0x80

/* events: the slow-syscall threshold, the syscalls never reported slow
 * (a bit per number) and the numbers of exec, all set by user space */
const volatile __u64 slow_ns = 0;
const volatile __u64 slow_skip[8] = {};
const volatile __u32 nr_execve = (__u32)-1;
const volatile __u32 nr_execveat = (__u32)-1;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, TT_MAP_GROWS);
	__uint(max_entries, TT_MAX_SYSCALL_ENTRIES);
	__type(key, struct tt_sc_key);
	__type(value, struct tt_sc_val);
} sc_stats SEC(".maps");

/* the syscall in progress on this CPU, while its thread runs here */
struct sc_cpu {
	__u64 ts;   /* entry time; 0: none */
	__u64 task; /* its thread's task_struct: stable across exec, unlike
		     * the tid, and no other thread can be here meanwhile */
	__u32 nr;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sc_cpu);
} sc_cpu SEC(".maps");

static __always_inline struct sc_cpu *sc_slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&sc_cpu, &zero);
}

/* zeroed template for new entries (too big for the BPF stack) */
static const struct tt_sc_val sc_zero;

/* set by user space when tt_sys_switch and tt_sys_task_exit are attached */
volatile __u32 sc_batch;

/* busy must be seen set before, and clear after, the tallies change */
#define sc_barrier() asm volatile("" ::: "memory")

/* Fold tally p of thread s into sc_stats and free it. */
static __always_inline void sc_flush_one(struct sc_thread *s, struct sc_pend *p)
{
	struct tt_sc_key key = {};
	struct tt_sc_val *v;

	if (!p->count)
		return;
	key.id = s->id;
	key.gen = s->gen;
	key.nr = p->nr;
	v = tt_lookup_or_init(&sc_stats, &key, &sc_zero, TT_DROP_SYSCALL_MAP);
	if (v) {
		__sync_fetch_and_add(&v->count, p->count);
		__sync_fetch_and_add(&v->total_ns, p->total_ns);
		if (p->errors)
			__sync_fetch_and_add(&v->errors, p->errors);
		for (int i = 0; i < SC_PEND_BUCKETS; i++)
			if (p->n[i])
				__sync_fetch_and_add(
					&v->hist[p->bucket[i] &
						 (TT_HIST_BUCKETS - 1)],
					p->n[i]);
	} else {
		tt_drop_n(TT_DROP_SYSCALL_MAP, p->count - 1);
	}
	p->count = 0;
	p->errors = 0;
	p->total_ns = 0;
	for (int i = 0; i < SC_PEND_BUCKETS; i++)
		p->n[i] = 0;
}

static __always_inline void sc_flush_all(struct sc_thread *s)
{
	for (int i = 0; i < SC_PEND_SLOTS; i++)
		sc_flush_one(s, &s->p[i]);
	s->since = 0;
}

/*
 * The tally of syscall nr: its own, a free one, or else the one in slot
 * nr % SC_PEND_SLOTS, emptied. A victim chosen by number, not by age,
 * keeps the tallies of calls that do not collide when a thread cycles
 * through more syscalls than there are slots (by age, none would stay).
 */
static __always_inline struct sc_pend *sc_tally(struct sc_thread *s, __u32 nr)
{
	int i;

	for (i = 0; i < SC_PEND_SLOTS; i++)
		if (s->p[i].count && s->p[i].nr == nr)
			return &s->p[i];
	for (i = 0; i < SC_PEND_SLOTS; i++)
		if (!s->p[i].count)
			break;
	if (i == SC_PEND_SLOTS) {
		i = nr & (SC_PEND_SLOTS - 1);
		sc_flush_one(s, &s->p[i]);
	}
	s->p[i & (SC_PEND_SLOTS - 1)].nr = nr;
	return &s->p[i & (SC_PEND_SLOTS - 1)];
}

/* Count one call of latency delta (bucket b) in tally p. */
static __always_inline void sc_add(struct sc_thread *s, struct sc_pend *p,
				   __u32 b, __u64 delta, bool failed)
{
	int i;

	for (i = 0; i < SC_PEND_BUCKETS; i++)
		if (!p->n[i] || p->bucket[i] == b)
			break;
	if (i == SC_PEND_BUCKETS) {
		__u32 nr = p->nr;

		sc_flush_one(s, p);
		p->nr = nr;
		i = 0;
	}
	i &= SC_PEND_BUCKETS - 1;
	p->bucket[i] = b;
	p->n[i]++;
	p->count++;
	p->total_ns += delta;
	if (failed)
		p->errors++;
}

/*
 * A call slower than slow_ns: rare by definition, so out of line; the
 * sys_exit path pays one compare for it.
 */
static __noinline void slow_event(struct pt_regs *regs, __u32 nr, long ret,
				  __u64 delta, __u64 now)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct tt_ev_slow *e;

	if (nr < 512 && (slow_skip[(nr >> 6) & 7] >> (nr & 63)) & 1)
		return;
	e = tt_ev_reserve(TT_EV_SLOW, sizeof(*e), now);
	if (!e)
		return;
	tt_ev_task(&e->h, t);
	e->nr = nr;
	e->pad = 0;
	e->ret = ret;
	e->arg0 = PT_REGS_PARM1_CORE_SYSCALL(regs);
	e->ns = delta;
	tt_ev_submit(e);
}

/*
 * A failed exec: its only trace is this sys_exit, with the caller's image
 * and registers intact, so the path and arguments are read from its
 * memory. A successful one is proc.bpf.c's sched_process_exec.
 */
static __noinline void exec_failed(struct pt_regs *regs, __u32 nr, long ret,
				   __u64 now)
{
	struct task_struct *t = bpf_get_current_task_btf();
	const char *path, *const *argv;
	struct tt_ev_exec *e;
	__u32 off = 0;

	if (nr == nr_execve) {
		path = (const char *)PT_REGS_PARM1_CORE_SYSCALL(regs);
		argv = (const char *const *)PT_REGS_PARM2_CORE_SYSCALL(regs);
	} else {
		path = (const char *)PT_REGS_PARM2_CORE_SYSCALL(regs);
		argv = (const char *const *)PT_REGS_PARM3_CORE_SYSCALL(regs);
	}
	e = tt_ev_reserve(TT_EV_EXEC, sizeof(*e), now);
	if (!e)
		return;
	tt_ev_task(&e->h, t);
	e->ppid = BPF_CORE_READ(t, real_parent, tgid);
	e->ret = (__s32)ret;
	e->argc = 0;
	e->flags = 0;
	e->pad = 0;
	if (bpf_probe_read_user_str(e->path, sizeof(e->path), path) < 0)
		e->path[0] = 0;
	for (int i = 0; i < TT_EV_MAX_ARGS + 1; i++) {
		const char *a = NULL;
		long n;

		if (bpf_probe_read_user(&a, sizeof(a), &argv[i]) || !a)
			break;
		if (i == TT_EV_MAX_ARGS || off >= TT_EV_ARGS_LEN) {
			e->flags |= TT_EV_CUT_ARGS;
			break;
		}
		off &= TT_EV_ARGS_LEN - 1;
		n = bpf_probe_read_user_str(&e->args[off], TT_EV_ARGS_LEN - off,
					    a);
		if (n <= 0)
			break;
		off += n;
		e->argc++;
	}
	e->args_len = off;
	tt_ev_submit(e);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tt_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct sc_thread *s;
	struct sc_cpu *c;

	tt_run(0);
	/* rodata filter first: an unwatched process pays no map access */
	if (!tt_current_watched())
		return 0;
	/* the slot only while tt_sys_switch is there to empty it */
	if (sc_batch) {
		c = sc_slot();
		if (c) {
			c->task = (__u64)(unsigned long)t;
			c->nr = (__u32)id;
			c->ts = bpf_ktime_get_ns();
		}
		return 0;
	}
	s = bpf_task_storage_get(&sc_start, t, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		tt_drop(TT_DROP_TASK_STORAGE);
		return 0;
	}
	s->nr = (__u32)id;
	s->ts = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tt_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct sc_cpu *c;
	struct sc_thread *s;
	__u64 now, delta, ts = 0;
	__u32 nr = 0;
	bool failed;

	tt_run(1);
	if (!tt_current_watched())
		return 0;
	c = sc_slot(); /* after the filter: an unwatched call has no slot */
	if (c && c->ts && c->task == (__u64)(unsigned long)t) {
		ts = c->ts;
		nr = c->nr;
		c->ts = 0;
		s = bpf_task_storage_get(&sc_start, t, 0,
					 BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!s) {
			tt_drop(TT_DROP_TASK_STORAGE);
			return 0;
		}
	} else {
		s = bpf_task_storage_get(&sc_start, t, 0, 0);
		if (!s || !s->ts)
			return 0; /* entered before we attached */
		ts = s->ts;
		nr = s->nr;
	}
	s->ts = 0;
	if (!s->keyed) {
		struct tt_key k;

		/* a thread's key never changes (exec keeps pid and start) */
		tt_task_key(t, &k);
		s->id = k.id;
		s->gen = k.gen;
		s->keyed = 1;
	}
	now = bpf_ktime_get_ns();
	s->busy = 1;
	sc_barrier();
	if (s->since && now - s->since >= SC_PEND_NS)
		sc_flush_all(s);
	delta = now - ts;
	failed = ret < 0 && ret >= -4095;
	sc_add(s, sc_tally(s, nr), tt_slot(delta), delta, failed);
	if (!s->since)
		s->since = now;
	if (!sc_batch)
		sc_flush_all(s);
	sc_barrier();
	s->busy = 0;
	/* events: each test is a constant false when its kind is off */
	if (tt_ev_on(TT_EV_EXIT))
		s->calls++;
	if (tt_ev_on(TT_EV_SLOW) && delta >= slow_ns)
		slow_event(regs, nr, ret, delta, now);
	if (tt_ev_on(TT_EV_EXEC) && failed &&
	    (nr == nr_execve || nr == nr_execveat))
		exec_failed(regs, nr, ret, now);
	return 0;
}

/*
 * A thread that is switched out may sleep for minutes: its tallies go to
 * sc_stats now. prev is the task running here, so its own sys_exit cannot
 * run elsewhere meanwhile; busy means we preempted that sys_exit midway,
 * and the tallies stay for the next flush. A syscall it is in (it blocks,
 * or is preempted) moves from this CPU's slot to its storage, before
 * another thread's sys_enter takes the slot.
 */
SEC("tp_btf/sched_switch")
int BPF_PROG(tt_sys_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	struct sc_cpu *c = sc_slot();
	struct sc_thread *s;

	tt_run(2);
	if (c && c->ts && c->task == (__u64)(unsigned long)prev) {
		__u64 ts = c->ts;

		c->ts = 0;
		/* exit_group() never returns; the tallies went at exit */
		if (prev_state & TASK_DEAD)
			return 0;
		s = bpf_task_storage_get(&sc_start, prev, 0,
					 BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!s) {
			tt_drop(TT_DROP_TASK_STORAGE);
			return 0;
		}
		s->ts = ts;
		s->nr = c->nr;
	} else {
		/* no tallies under -p: spare the lookup (not -u: a uid
		 * may change) */
		if (!tt_task_pid_watched(prev))
			return 0;
		s = bpf_task_storage_get(&sc_start, prev, 0, 0);
	}
	if (s && s->since && !s->busy)
		sc_flush_all(s);
	return 0;
}

/*
 * A thread that exits flushes before proc.bpf.c (attached after us) writes
 * the exit record that tells user space the process's figures are final.
 * This runs preemptible, and the switch-out of a preemption would flush
 * the same tallies: busy keeps it off them.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(tt_sys_task_exit, struct task_struct *p)
{
	struct sc_thread *s;

	tt_run(3);
	if (!tt_task_pid_watched(p))
		return 0;
	s = bpf_task_storage_get(&sc_start, p, 0, 0);
	if (!s)
		return 0;
	/* a thread that ends before the last one leaves its count with
	 * the group leader, for the process's exit event (proc.bpf.c) */
	if (tt_ev_on(TT_EV_EXIT) && s->calls &&
	    BPF_CORE_READ(p, signal, live.counter) != 0) {
		struct task_struct *ld = p->group_leader;
		struct sc_thread *l =
			ld == p ? s
				: bpf_task_storage_get(
					  &sc_start, ld, 0,
					  BPF_LOCAL_STORAGE_GET_F_CREATE);

		if (l) {
			__sync_fetch_and_add(&l->dead_calls, s->calls);
			s->calls = 0;
		}
	}
	if (!s->since || s->busy)
		return 0;
	s->busy = 1;
	sc_barrier();
	sc_flush_all(s);
	sc_barrier();
	s->busy = 0;
	return 0;
}
