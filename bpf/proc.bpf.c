// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * proc.bpf.c - process lifecycle: an exit record for every watched process
 * (or thread, per_thread) that ends, so a process that lived for less than
 * one refresh still shows with its name and final counters. User space reads
 * the records before the stats maps, reports the process as exited, then
 * deletes its entries everywhere.
 *
 * And the lifecycle's events: exec (a successful one; a failed one is seen
 * at sys_exit in syscalls.bpf.c), exit, signals, OOM kills.
 *
 * Loaded whatever subsystems are on, and attached last, so that the other
 * objects' exit handlers have run when the record appears.
 */
#include "events.bpf.h"
#include "sc_thread.bpf.h"
#include "cpu_slot.bpf.h"

/* set by user space: sc_start and cpu_slot are the syscalls and sched
 * objects' own maps (else empty ones of ours) */
const volatile __u32 sc_counted = 0;
const volatile __u32 page_size = 4096;
const volatile __u64 sig_skip = 0; /* bit (1 << sig): no signal event */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, TT_MAP_GROWS);
	__uint(max_entries, TT_MAX_EXITS);
	__type(key, struct tt_key);
	__type(value, struct tt_exit_val);
} exits SEC(".maps");

/*
 * On-CPU time of all its threads, the kernel's own figure (what wait4()
 * and getrusage() report, for the whole life): the threads that ended
 * before, and this one's. Its sum_exec_runtime lags by the running slice
 * (up to a tick), so sched.bpf.c, attached before us, left the exact
 * figure in this CPU's slot: the sum when the task switched in, plus the
 * slice since. Without it (--no-sched, or preempted onto another CPU
 * between the two programs) the lagging one.
 */
static __always_inline __u64 cpu_ns(struct task_struct *p)
{
	__u64 dead = BPF_CORE_READ(p, signal, sum_sched_runtime);
	__u32 zero = 0;
	struct tt_cpu_slot *s = bpf_map_lookup_elem(&cpu_slot, &zero);

	if (s && s->exit_tid == p->pid && s->exit_cpu) {
		s->exit_tid = 0;
		return dead + s->exit_cpu;
	}
	return dead + BPF_CORE_READ(p, se.sum_exec_runtime);
}

/* The process's syscalls: this thread's and those the others left with
 * the group leader as they ended (syscalls.bpf.c). */
static __always_inline __u64 sc_calls(struct task_struct *p)
{
	struct task_struct *ld = p->group_leader;
	struct sc_thread *s, *l;
	__u64 n = 0;

	if (!sc_counted)
		return (__u64)-1;
	s = bpf_task_storage_get(&sc_start, p, 0, 0);
	l = ld == p ? s : bpf_task_storage_get(&sc_start, ld, 0, 0);
	if (s)
		n += s->calls;
	if (l)
		n += l->dead_calls;
	return n;
}

static __always_inline void exit_event(struct task_struct *p, __u64 now)
{
	struct tt_ev_exit *e = tt_ev_reserve(TT_EV_EXIT, sizeof(*e), now);

	if (!e)
		return;
	tt_ev_task(&e->h, p);
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	e->code = BPF_CORE_READ(p, exit_code);
	e->lifetime_ns = now - BPF_CORE_READ(p, group_leader, start_time);
	e->cpu_ns = cpu_ns(p);
	e->syscalls = sc_calls(p);
	tt_ev_submit(e);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tt_proc_exit, struct task_struct *p)
{
	struct tt_exit_val e = {};
	struct tt_key k;
	/* do_exit() has decremented signal->live: 0 means the last thread */
	bool last = BPF_CORE_READ(p, signal, live.counter) == 0;

	tt_run(0);
	if (!per_thread && !last)
		return 0;
	if (!tt_task_watched(p))
		return 0;
	tt_task_key(p, &k);
	e.ppid = BPF_CORE_READ(p, real_parent, tgid);
	e.uid = BPF_CORE_READ(p, real_cred, uid.val);
	e.exit_code = BPF_CORE_READ(p, exit_code);
	e.exit_ns = bpf_ktime_get_ns();
	bpf_probe_read_kernel_str(e.comm, sizeof(e.comm), p->comm);
	if (bpf_map_update_elem(&exits, &k, &e, BPF_ANY))
		tt_drop(TT_DROP_EXIT_MAP);
	if (tt_ev_on(TT_EV_EXIT) && last)
		exit_event(p, e.exit_ns);
	return 0;
}

/*
 * A successful exec, once the new image is in place: its arguments are on
 * the new stack (mm->arg_start..arg_end), present in memory, one read.
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(tt_proc_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u64 now = bpf_ktime_get_ns(), start, len;
	struct tt_ev_exec *e;
	long n;

	tt_run(1);
	if (!tt_task_watched(p))
		return 0;
	e = tt_ev_reserve(TT_EV_EXEC, sizeof(*e), now);
	if (!e)
		return 0;
	tt_ev_task(&e->h, p);
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	e->ret = 0;
	e->argc = BPF_CORE_READ(bprm, argc);
	e->flags = 0;
	e->pad = 0;
	n = bpf_probe_read_kernel_str(e->path, sizeof(e->path),
				      BPF_CORE_READ(bprm, filename));
	if (n < 0)
		e->path[0] = 0;
	else if (n == sizeof(e->path))
		e->flags |= TT_EV_CUT_PATH;
	start = BPF_CORE_READ(p, mm, arg_start);
	len = BPF_CORE_READ(p, mm, arg_end) - start;
	if (len > TT_EV_ARGS_LEN) {
		len = TT_EV_ARGS_LEN;
		e->flags |= TT_EV_CUT_ARGS;
	}
	if (bpf_probe_read_user(e->args, len, (const void *)start))
		len = 0;
	e->args_len = len;
	tt_ev_submit(e);
	return 0;
}

/*
 * A signal generated for task by the current one (kill, tgkill, or the
 * kernel itself: then "sender" is whoever was running). Watched if
 * either end is.
 */
SEC("tp_btf/signal_generate")
int BPF_PROG(tt_proc_signal, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	__u64 now = bpf_ktime_get_ns();
	struct tt_ev_signal *e;

	tt_run(2);
	if (sig > 0 && sig < 64 && (sig_skip >> sig) & 1)
		return 0;
	if (!tt_task_watched(cur) && !tt_task_watched(task))
		return 0;
	e = tt_ev_reserve(TT_EV_SIGNAL, sizeof(*e), now);
	if (!e)
		return 0;
	tt_ev_task(&e->h, cur);
	e->target_pid = task->tgid;
	e->target_tid = task->pid;
	e->sig = sig;
	e->result = result;
	bpf_probe_read_kernel(e->target_comm, TT_COMM_LEN, task->comm);
	tt_ev_submit(e);
	return 0;
}

/* kernfs_node.parent became __parent in 6.15 (commit 633488947ef6) */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/*
 * The OOM killer chose task. current is the task whose allocation found
 * no memory. The victim's memory cgroup goes out as its path components,
 * leaf first (user space joins them): building a path here would need a
 * loop over a buffer that the verifier cannot bound.
 */
SEC("tp_btf/mark_victim")
int BPF_PROG(tt_proc_oom, struct task_struct *task, uid_t uid)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	__u64 now = bpf_ktime_get_ns(), pages = 0;
	struct kernfs_node *kn;
	struct mm_struct *mm;
	struct tt_ev_oom *e;

	tt_run(3);
	if (!tt_task_watched(task))
		return 0;
	e = tt_ev_reserve(TT_EV_OOM, sizeof(*e), now);
	if (!e)
		return 0;
	tt_ev_task(&e->h, task);
	e->trigger_pid = cur->tgid;
	bpf_probe_read_kernel(e->trigger_comm, TT_COMM_LEN, cur->comm);
	mm = BPF_CORE_READ(task, mm);
	/* MM_FILEPAGES, MM_ANONPAGES, (MM_SWAPENTS), MM_SHMEMPAGES */
	pages += BPF_CORE_READ(mm, rss_stat[0].count);
	pages += BPF_CORE_READ(mm, rss_stat[1].count);
	pages += BPF_CORE_READ(mm, rss_stat[3].count);
	e->rss_bytes = pages * page_size;
	e->vm_bytes = BPF_CORE_READ(mm, total_vm) * page_size;
	kn = BPF_CORE_READ(task, cgroups, subsys[id & 15], cgroup, kn);
	e->cgroup_id = BPF_CORE_READ(kn, id);
	e->depth = 0;
	for (int i = 0; i < TT_EV_CGROUP_DEPTH; i++) {
		struct kernfs_node *up = kn ? kn_parent(kn) : NULL;

		e->cgroup[i][0] = 0;
		if (!up) /* the root has no name to show */
			continue;
		bpf_probe_read_kernel_str(e->cgroup[i], sizeof(e->cgroup[i]),
					  BPF_CORE_READ(kn, name));
		e->depth++;
		kn = up;
	}
	/* deeper than we read: say so with an empty leaf-most-but-root */
	if (kn && kn_parent(kn))
		e->depth |= 0x80;
	tt_ev_submit(e);
	return 0;
}
