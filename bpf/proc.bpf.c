// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * proc.bpf.c - process lifecycle: an exit record for every watched process
 * (or thread, per_thread) that ends, so a process that lived for less than
 * one refresh still shows with its name and final counters. User space reads
 * the records before the stats maps, reports the process as exited, then
 * deletes its entries everywhere.
 *
 * Loaded whatever subsystems are on, and attached last, so that the other
 * objects' exit handlers have run when the record appears.
 */
#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TT_MAX_EXITS);
	__type(key, struct tt_key);
	__type(value, struct tt_exit_val);
} exits SEC(".maps");

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tt_proc_exit, struct task_struct *p)
{
	struct tt_exit_val e = {};
	struct tt_key k;

	tt_run(0);
	/* do_exit() has decremented signal->live: 0 means the last thread */
	if (!per_thread && BPF_CORE_READ(p, signal, live.counter) != 0)
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
	return 0;
}
