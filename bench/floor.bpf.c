// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * floor.bpf.c - empty programs on every tracepoint tracetop attaches to.
 *
 * They do nothing but return 0, so what a workload pays with them attached
 * is the price of the attachment itself: the tracepoint's static branch,
 * bpf_trace_run*() with its recursion guard and RCU/migrate section, and
 * the indirect call. No tracetop program can cost less on the same
 * tracepoints: this is the physical limit of the design (issue 5, budget 3).
 *
 * Each tracepoint has a tp_btf and a raw_tp twin; the loader (floor.c)
 * turns on one family and the groups asked for, nothing else.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define FLOOR(group, tp)                                                     \
	SEC("tp_btf/" #tp) int btf_##group##_##tp(void *ctx) { return 0; }   \
	SEC("raw_tp/" #tp) int raw_##group##_##tp(void *ctx) { return 0; }

/* group sys: raw_syscalls, and where syscalls.bpf.c flushes its tallies */
FLOOR(sys, sys_enter)
FLOOR(sys, sys_exit)
FLOOR(sys, sched_switch)
FLOOR(sys, sched_process_exit)

/* group tcp: the sock and tcp tracepoints tcp.bpf.c uses */
FLOOR(tcp, sock_send_length)
FLOOR(tcp, sock_recv_length)
FLOOR(tcp, inet_sock_set_state)
FLOOR(tcp, tcp_retransmit_skb)
FLOOR(tcp, tcp_send_reset)
FLOOR(tcp, tcp_receive_reset)

/* group sched: what sched.bpf.c uses */
FLOOR(sched, sched_wakeup)
FLOOR(sched, sched_wakeup_new)
FLOOR(sched, sched_switch)
FLOOR(sched, sched_migrate_task)
FLOOR(sched, sched_process_exit)

/* group proc: proc.bpf.c's exit record, a second program on the same tp */
FLOOR(proc, sched_process_exit)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
