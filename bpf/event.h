/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * event.h - one event of the stream as plain C: what the collector decodes
 * from the ring buffer and hands the sink, and what a snapshot carries
 * (model/snapshot.h) and a recording holds. No libbpf, no kernel types.
 *
 * Strings (exec path and arguments, OOM cgroup) point into storage owned
 * by whoever holds the event: the collector's record during the sink call,
 * a snapshot's arena, an event log's own copy.
 */
#ifndef TT_EVENT_H
#define TT_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/tracetop.h"

#define TT_ADDR_LEN 46 /* INET6_ADDRSTRLEN */

struct tt_event {
	double time;	  /* UNIX seconds, to the microsecond */
	uint64_t mono_ns; /* CLOCK_MONOTONIC of the kernel: orders events */
	enum tt_ev_kind kind;
	uint32_t pid;  /* the process (for oom: the victim; signal: sender) */
	uint32_t tid;  /* its thread */
	uint32_t gen;  /* its start in clock ticks: (pid, gen) as tt_proc */
	int64_t uid;   /* -1: unknown (TCP state changes run in softirq) */
	uint32_t ppid; /* exec and exit; 0 otherwise */
	char comm[16];
	union {
		struct {
			const char *path;
			const char *argv; /* argc strings, each NUL-ended */
			uint32_t argv_len;
			uint16_t argc; /* in argv */
			bool cut;      /* more arguments than argv holds */
			int32_t ret;   /* 0, or -errno */
		} exec;
		struct {
			int32_t code;	/* exit code, when not signal */
			int32_t signal; /* the killing signal, or 0 */
			bool core;
			uint64_t lifetime_ns, cpu_ns;
			int64_t syscalls; /* -1: unknown (--no-syscalls) */
		} exit;
		struct {
			uint16_t family; /* 4 or 6 */
			uint16_t sport, dport;
			char saddr[TT_ADDR_LEN], daddr[TT_ADDR_LEN];
			uint32_t
				result; /* connect: enum tt_ev_connect_result */
			int32_t err;	/* connect: errno when it failed */
			bool sent;	/* reset: sent, else received */
			bool passive;	/* accept, close: accepted here */
			uint64_t ns;	/* connect latency, close lifetime */
			uint64_t tx_bytes, rx_bytes; /* close */
			uint32_t retransmits, srtt_us;
			uint16_t state; /* TCP state number */
		} tcp;
		struct {
			uint32_t nr;
			int64_t ret;
			uint64_t arg0, ns;
		} slow;
		struct {
			uint32_t target_pid, target_tid;
			char target_comm[16];
			int32_t sig, result;
		} signal;
		struct {
			uint32_t trigger_pid;
			char trigger_comm[16];
			uint64_t rss_bytes, vm_bytes, cgroup_id;
			const char *cgroup; /* memory cgroup path */
		} oom;
		struct {
			uint64_t ns;
			uint32_t prev_pid, cpu;
			char prev_comm[16];
		} runq;
	};
};

#endif
