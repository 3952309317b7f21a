/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * common.bpf.h - what every tracetop kernel program shares: the filter that
 * user space sets through read-only data before load, the process key, and
 * the loss counters. Each .bpf.c object gets its own copy of these globals;
 * the collector sets all of them to the same values.
 */
#ifndef TRACETOP_COMMON_BPF_H
#define TRACETOP_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "tracetop.h"

/*
 * Filters, frozen at load: the verifier sees their values, so with no filter
 * the checks below are removed from the program altogether.
 */
const volatile __u32 filter_pids[TT_MAX_FILTER_PIDS] = {};
const volatile __u32 n_filter_pids = 0;
const volatile __u32 filter_uid = (__u32)-1;
const volatile __u32 per_thread = 0;

/*
 * The per-process and per-connection hashes are not preallocated: a
 * preallocated one holds its whole capacity from the start (35 MiB at
 * the default sizes), while most machines fill a few percent of it. An
 * insert then takes an element from the kernel's per-CPU cache
 * (bpf_mem_alloc, fit for any context); it happens once per new key, and
 * every event after finds the element in place. A full map still refuses
 * the insert (E2BIG), counted as a loss as before.
 */
#define TT_MAP_GROWS BPF_F_NO_PREALLOC

/* USER_HZ clock ticks, as /proc/PID/stat's starttime */
#define TT_NS_PER_TICK 10000000ULL

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TT_DROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* n events lost at once (a batch that could not be stored) */
static __always_inline void tt_drop_n(__u32 why, __u64 n)
{
	__u64 *c = bpf_map_lookup_elem(&drops, &why);

	/* per-CPU, but programs that run preemptible may interleave here */
	if (c && n)
		__sync_fetch_and_add(c, n);
}

static __always_inline void tt_drop(__u32 why)
{
	tt_drop_n(why, 1);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_runs);
} runs SEC(".maps");

/* Count a run of program slot (see tracetop.h). Plain increment: the slot
 * is this CPU's; a rare run nested in another on the same CPU may be
 * missed, which a cost estimate can afford. */
static __always_inline void tt_run(__u32 slot)
{
	__u32 zero = 0;
	struct tt_runs *r = bpf_map_lookup_elem(&runs, &zero);

	if (r && slot < TT_RUN_SLOTS)
		r->n[slot]++;
}

/* The PID filter alone: a task's process never changes, its uid may. */
static __always_inline bool tt_task_pid_watched(struct task_struct *t)
{
	__u32 tgid;

	if (!n_filter_pids)
		return true;
	tgid = t->tgid;
	for (int i = 0; i < TT_MAX_FILTER_PIDS; i++) {
		if (i >= n_filter_pids)
			break;
		if (filter_pids[i] == tgid)
			return true;
	}
	return false;
}

/*
 * The same task as a read-only, untrusted pointer. A load of a pointer
 * field (t->group_leader, t->real_cred) through a trusted pointer makes
 * the verifier look up "task_struct__safe_rcu" and three more names in
 * the kernel's BTF, one type after another, at every state it explores:
 * that was half of tracetop's start-up (tt_sched_switch took 250 ms to
 * load). Through this pointer the load is the same instruction at run
 * time (the kfunc is inlined to a move) and the lookups are skipped; it
 * serves only to read plain fields, never as a helper's argument.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

static __always_inline struct task_struct *tt_task_ro(struct task_struct *t)
{
	return bpf_rdonly_cast(t, bpf_core_type_id_kernel(struct task_struct));
}

/* Is the process of task t one we watch? Plain loads through the BTF
 * pointer, each only when its filter is set: no helper call, and no
 * credentials read for -p alone. */
static __always_inline bool tt_task_watched(struct task_struct *t)
{
	if (!n_filter_pids && filter_uid == (__u32)-1)
		return true;
	if (filter_uid != (__u32)-1 &&
	    tt_task_ro(t)->real_cred->uid.val != filter_uid)
		return false;
	return tt_task_pid_watched(t);
}

/* no -p, no -u: everyone is watched */
#define tt_no_filter() (!n_filter_pids && filter_uid == (__u32)-1)

static __always_inline bool tt_current_watched(void)
{
	if (!n_filter_pids && filter_uid == (__u32)-1)
		return true;
	return tt_task_watched(bpf_get_current_task_btf());
}

/* The key of the process (or thread, per_thread) that task t belongs to. */
static __always_inline void tt_task_key(struct task_struct *t, struct tt_key *k)
{
	if (per_thread) {
		k->id = t->pid;
		k->gen = t->start_boottime / TT_NS_PER_TICK;
	} else {
		k->id = t->tgid;
		k->gen = tt_task_ro(t)->group_leader->start_boottime /
			 TT_NS_PER_TICK;
	}
}

/*
 * Find the value for key in a hash map, creating it zeroed when absent.
 * A full map is counted as a drop of kind why and gives NULL.
 */
static __always_inline void *tt_lookup_or_init(void *map, const void *key,
					       const void *zero, __u32 why)
{
	void *v = bpf_map_lookup_elem(map, key);
	long err;

	if (v)
		return v;
	err = bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	if (err && err != -17 /* EEXIST: another CPU won the race */) {
		tt_drop(why);
		return NULL;
	}
	return bpf_map_lookup_elem(map, key);
}

/*
 * The bucket of ns, in a form the verifier can bound: clang drops the clamp
 * inside tt_hist_bucket() when it folds the arithmetic, so mask again after
 * an empty asm that hides the value from the optimiser.
 */
static __always_inline __u32 tt_slot(__u64 ns)
{
	__u32 b = tt_hist_bucket(ns);

	asm volatile("" : "+r"(b));
	return b & (TT_HIST_BUCKETS - 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif /* TRACETOP_COMMON_BPF_H */
