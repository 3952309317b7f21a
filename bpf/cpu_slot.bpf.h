/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * cpu_slot.bpf.h - the task now running on each CPU, kept by sched.bpf.c.
 * proc.bpf.c reads the same map (the collector hands it the sched
 * object's) for the exact on-CPU time of an exiting task: the kernel's
 * sum_exec_runtime lags by the running slice, up to a tick.
 */
#ifndef TRACETOP_CPU_SLOT_BPF_H
#define TRACETOP_CPU_SLOT_BPF_H

struct cpu_slot {
	__u64 start;	   /* when it switched in; 0: not watched or unknown */
	__u32 tid;	   /* to check the slot is prev's */
	__u32 runq_bucket; /* pending run-queue sample, or TT_HIST_BUCKETS */
	__u64 base;	   /* its se.sum_exec_runtime when it switched in */
	/* written at exit for proc.bpf.c's exit event: base and the slice */
	__u64 exit_cpu;
	__u32 exit_tid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_slot);
} cpu_slot SEC(".maps");

#endif
