// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * micro.bpf.c - one primitive per program, each attached alone to
 * sys_enter by bench/micro, so that the cost of every map operation and
 * helper that tracetop's programs use can be read from run_time_ns on this
 * machine, minus m_empty's (the measurement's own cost).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "tracetop.h"

struct key16 {
	__u32 id, gen, nr, pad;
};

struct val {
	__u64 count, errors, total_ns;
	__u64 hist[TT_HIST_BUCKETS];
};

struct tsv {
	__u64 ts;
	__u32 nr, id, gen, keyed;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tsv);
} tstore SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct key16);
	__type(value, struct val);
} hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct key16);
	__type(value, struct val);
} pchash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} tidhash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} pcarr SEC(".maps");

/* one PERF_COUNT_SW_CPU_CLOCK event per CPU, opened by floor --obj */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} cpu_clock SEC(".maps");

static const struct val zero;
__u64 sink;

static __always_inline struct key16 key_of(long id)
{
	struct key16 k = { .id = bpf_get_current_pid_tgid() >> 32,
			   .nr = (__u32)id };
	return k;
}

static __always_inline struct val *get(void *map, struct key16 *k)
{
	struct val *v = bpf_map_lookup_elem(map, k);

	if (v)
		return v;
	bpf_map_update_elem(map, k, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, k);
}

static __always_inline __u32 slot(__u64 ns)
{
	__u32 b = tt_hist_bucket(ns);

	asm volatile("" : "+r"(b));
	return b & (TT_HIST_BUCKETS - 1);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_empty, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_ktime, struct pt_regs *regs, long id)
{
	sink = bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_pidtgid, struct pt_regs *regs, long id)
{
	sink = bpf_get_current_pid_tgid();
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_task, struct pt_regs *regs, long id)
{
	sink = (__u64)bpf_get_current_task_btf();
	return 0;
}

/* tt_task_key: tgid and group_leader->start_boottime / 10 ms */
SEC("tp_btf/sys_enter")
int BPF_PROG(m_corekey, struct pt_regs *regs, long id)
{
	struct task_struct *t = bpf_get_current_task_btf();

	sink = BPF_CORE_READ(t, tgid) +
	       BPF_CORE_READ(t, group_leader, start_boottime) / 10000000ULL;
	return 0;
}

/* sys_enter's body: storage get (create) + ktime */
SEC("tp_btf/sys_enter")
int BPF_PROG(m_tstore, struct pt_regs *regs, long id)
{
	struct tsv *s = bpf_task_storage_get(&tstore,
					     bpf_get_current_task_btf(), 0,
					     BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s)
		s->nr = id;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_hlookup, struct pt_regs *regs, long id)
{
	struct key16 k = key_of(id);
	struct val *v = get(&hash, &k);

	if (v)
		sink = v->count;
	return 0;
}

/* sys_exit's body on the hash: count, total, hist with atomics */
SEC("tp_btf/sys_enter")
int BPF_PROG(m_hatomic, struct pt_regs *regs, long id)
{
	struct key16 k = key_of(id);
	struct val *v = get(&hash, &k);
	__u64 d = id * 1000 + 300;

	if (!v)
		return 0;
	__sync_fetch_and_add(&v->count, 1);
	__sync_fetch_and_add(&v->total_ns, d);
	__sync_fetch_and_add(&v->hist[slot(d)], 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_hplain, struct pt_regs *regs, long id)
{
	struct key16 k = key_of(id);
	struct val *v = get(&hash, &k);
	__u64 d = id * 1000 + 300;

	if (!v)
		return 0;
	v->count++;
	v->total_ns += d;
	v->hist[slot(d)]++;
	return 0;
}

/* the same on a per-CPU hash: no atomics needed */
SEC("tp_btf/sys_enter")
int BPF_PROG(m_pchash, struct pt_regs *regs, long id)
{
	struct key16 k = key_of(id);
	struct val *v = get(&pchash, &k);
	__u64 d = id * 1000 + 300;

	if (!v)
		return 0;
	v->count++;
	v->total_ns += d;
	v->hist[slot(d)]++;
	return 0;
}

/* syscount -L's start map: hash update keyed by tid */
SEC("tp_btf/sys_enter")
int BPF_PROG(m_hupdate, struct pt_regs *regs, long id)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 ts = id;

	bpf_map_update_elem(&tidhash, &tid, &ts, BPF_ANY);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_pcarray, struct pt_regs *regs, long id)
{
	__u32 k = 1;
	__u64 *v = bpf_map_lookup_elem(&pcarr, &k);

	if (v)
		*v += 1;
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_ktime2, struct pt_regs *regs, long id)
{
	sink = bpf_ktime_get_ns();
	sink += bpf_ktime_get_ns();
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(m_jiffies, struct pt_regs *regs, long id)
{
	sink = bpf_jiffies64();
	return 0;
}

/* local_clock() through a per-CPU software cpu-clock event */
SEC("tp_btf/sys_enter")
int BPF_PROG(m_pclock, struct pt_regs *regs, long id)
{
	sink = bpf_perf_event_read(&cpu_clock, BPF_F_CURRENT_CPU);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
