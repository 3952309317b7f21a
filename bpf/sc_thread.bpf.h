/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sc_thread.bpf.h - a thread's syscall state in task storage, kept by
 * syscalls.bpf.c. proc.bpf.c reads the same map (the collector hands it
 * the syscalls object's map) for the syscall count of a process's exit
 * event: calls, with dead_calls of the threads that ended before.
 */
#ifndef TRACETOP_SC_THREAD_BPF_H
#define TRACETOP_SC_THREAD_BPF_H

#define SC_PEND_SLOTS	4 /* syscalls a thread may have pending */
#define SC_PEND_BUCKETS 4 /* latency buckets a pending syscall may use */
#define SC_PEND_NS	(10 * 1000 * 1000ULL)

/* calls of syscall nr not yet in sc_stats; free when count is 0 */
struct sc_pend {
	__u32 nr;
	__u32 count;
	__u32 errors;
	__u8 bucket[SC_PEND_BUCKETS];
	__u64 total_ns;
	__u32 n[SC_PEND_BUCKETS]; /* calls in bucket[i]; 0: unused */
};

struct sc_thread {
	__u64 ts;    /* entry time of the syscall in progress, when it left
		      * the CPU (tt_sys_switch) or sc_batch is off; 0: none */
	__u64 since; /* end of the oldest pending call; 0: none pending */
	__u32 nr;    /* number of the syscall in progress */
	__u32 id; /* key cached at first use: saves two CO-RE reads per call */
	__u32 gen;
	__u64 calls;	  /* its syscalls, for the exit event */
	__u64 dead_calls; /* group leader: of the threads that ended */
	__u8 keyed;	  /* id and gen are set */
	__u8 busy; /* sys_exit is changing the tallies (it may be preempted) */
	struct sc_pend p[SC_PEND_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sc_thread);
} sc_start SEC(".maps");

#endif
