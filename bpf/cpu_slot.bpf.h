/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * cpu_slot.bpf.h - the task now running on each CPU, kept by sched.bpf.c.
 * proc.bpf.c reads the same map (the collector hands it the sched
 * object's) for the exact on-CPU time of an exiting task: the kernel's
 * sum_exec_runtime lags by the running slice, up to a tick. User space
 * reads it too (thread states: the slices running now).
 */
#ifndef TRACETOP_CPU_SLOT_BPF_H
#define TRACETOP_CPU_SLOT_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_cpu_slot); /* tracetop.h */
} cpu_slot SEC(".maps");

#endif
