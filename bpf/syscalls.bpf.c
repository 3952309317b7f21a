// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * syscalls.bpf.c - per process and syscall: count, errors and latency.
 *
 * sys_enter stores the start time and number in task-local storage (no hash
 * lookup, freed with the task); sys_exit folds the latency into the
 * (process, syscall) entry with atomic adds, since threads of one process
 * run on several CPUs at once.
 */
#include "common.bpf.h"

struct sc_start {
	__u64 ts;
	__u32 nr;
	__u32 id;  /* key cached at first use: saves two CO-RE reads per call */
	__u32 gen;
	__u32 keyed; /* id and gen are set */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sc_start);
} sc_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TT_MAX_SYSCALL_ENTRIES);
	__type(key, struct tt_sc_key);
	__type(value, struct tt_sc_val);
} sc_stats SEC(".maps");

/* zeroed template for new entries (too big for the BPF stack) */
static const struct tt_sc_val sc_zero;

SEC("tp_btf/sys_enter")
int BPF_PROG(tt_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct sc_start *s;

	tt_run(0);
	/* rodata filter first: an unwatched process pays no map access */
	if (!tt_current_watched())
		return 0;
	s = bpf_task_storage_get(&sc_start, t, 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		tt_drop(TT_DROP_TASK_STORAGE);
		return 0;
	}
	if (!s->keyed) {
		struct tt_key k;

		/* a thread's key never changes (exec keeps pid and start) */
		tt_task_key(t, &k);
		s->id = k.id;
		s->gen = k.gen;
		s->keyed = 1;
	}
	s->nr = (__u32)id;
	s->ts = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(tt_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct tt_sc_key key = {};
	struct tt_sc_val *v;
	struct sc_start *s;
	__u64 delta;

	tt_run(1);
	if (!tt_current_watched())
		return 0;
	s = bpf_task_storage_get(&sc_start, t, 0, 0);
	if (!s || !s->ts)
		return 0; /* entered before we attached, or not watched */
	delta = bpf_ktime_get_ns() - s->ts;
	s->ts = 0;
	key.id = s->id;
	key.gen = s->gen;
	key.nr = s->nr;
	v = tt_lookup_or_init(&sc_stats, &key, &sc_zero, TT_DROP_SYSCALL_MAP);
	if (!v)
		return 0;
	__sync_fetch_and_add(&v->count, 1);
	__sync_fetch_and_add(&v->total_ns, delta);
	__sync_fetch_and_add(&v->hist[tt_slot(delta)], 1);
	if (ret < 0 && ret >= -4095)
		__sync_fetch_and_add(&v->errors, 1);
	return 0;
}
