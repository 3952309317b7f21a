/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tracetop.h - the ABI shared by the kernel programs (bpf/ *.bpf.c) and user
 * space. Every struct here is read from BPF maps byte for byte, so: only
 * fixed-width types, explicit padding, and a size check for each struct.
 *
 * Included both by BPF C (after vmlinux.h, which defines __u32 and friends)
 * and by user space (after <linux/types.h>).
 */
#ifndef TRACETOP_H
#define TRACETOP_H

#define TT_COMM_LEN	   16
#define TT_MAX_FILTER_PIDS 16

/*
 * Log-linear latency histogram. Values are in nanoseconds, counted in units
 * of 2^TT_HIST_UNIT_SHIFT ns. Below 4 units each unit has its own bucket;
 * above, each power of two is split into TT_HIST_SUB linear sub-buckets.
 * A bucket's width is at most 1/4 of its lower bound, so the midpoint
 * estimate of any quantile is within 12.5% (or 8 ns at the bottom).
 * Bucket 127 covers [7 << 30, 8 << 30) units = [120 s, 137 s) and also
 * takes every larger value.
 */
#define TT_HIST_UNIT_SHIFT 4
#define TT_HIST_SUB_BITS   2
#define TT_HIST_SUB	   (1 << TT_HIST_SUB_BITS)
#define TT_HIST_BUCKETS	   128

/* floor(log2(v)) for v > 0, branch-free (BPF has no count-leading-zeros). */
static inline __u32 tt_ilog2(__u64 v)
{
	__u32 r, s;

	r = (v > 0xffffffffULL) << 5;
	v >>= r;
	s = (v > 0xffff) << 4;
	v >>= s;
	r |= s;
	s = (v > 0xff) << 3;
	v >>= s;
	r |= s;
	s = (v > 0xf) << 2;
	v >>= s;
	r |= s;
	s = (v > 0x3) << 1;
	v >>= s;
	r |= s;
	return r | (__u32)(v >> 1);
}

static inline __u32 tt_hist_bucket(__u64 ns)
{
	__u64 u = ns >> TT_HIST_UNIT_SHIFT;
	__u32 k, idx;

	if (u < TT_HIST_SUB)
		return (__u32)u;
	k = tt_ilog2(u);
	idx = (k - 1) * TT_HIST_SUB +
	      (__u32)((u >> (k - TT_HIST_SUB_BITS)) & (TT_HIST_SUB - 1));
	return idx < TT_HIST_BUCKETS ? idx : TT_HIST_BUCKETS - 1;
}

/*
 * A process (or, with per_thread set, a thread) instance. gen is the task's
 * start time in clock ticks (USER_HZ = 100), the same number /proc/PID/stat
 * shows as starttime, so a recycled PID gets a new key and never inherits
 * the counters of the process that used the PID before.
 */
struct tt_key {
	__u32 id;
	__u32 gen;
};

/* Per process and syscall: counts, errors (negative return), latency. */
struct tt_sc_key {
	__u32 id;
	__u32 gen;
	__u32 nr;
	__u32 pad;
};

struct tt_sc_val {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 hist[TT_HIST_BUCKETS];
};

/* Per process: scheduler figures. runq hist is wakeup (or preemption) to
 * switch-in. */
struct tt_sched_val {
	__u64 oncpu_ns;
	__u64 voluntary;
	__u64 involuntary;
	__u64 migrations;
	__u64 hist[TT_HIST_BUCKETS];
};

/* Per process: TCP figures. */
struct tt_tcp_val {
	__u64 tx_bytes;
	__u64 rx_bytes;
	__u64 connects;
	__u64 accepts;
	__u64 retransmits;
	__u64 resets;
};

/* conn flags */
#define TT_CONN_PASSIVE 1 /* accepted, not connected */
#define TT_CONN_CLOSED	2 /* reached TCP_CLOSE; user space reports, deletes */
#define TT_CONN_OWNED	4 /* id/gen/comm are the owning process */

/* Per TCP socket, keyed by the kernel's struct sock address. */
struct tt_conn_val {
	__u32 id;
	__u32 gen;
	__u16 family; /* AF_INET or AF_INET6 */
	__u16 sport;  /* host byte order */
	__u16 dport;
	__u16 state; /* TCP_ESTABLISHED ... as in include/net/tcp_states.h */
	__u32 flags;
	__u32 srtt_us;
	__u8 saddr[16]; /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	__u64 tx_bytes; /* everyone's I/O on this socket */
	__u64 rx_bytes;
	__u64 own_tx; /* the owner's part: not in its tt_tcp_val, which user */
	__u64 own_rx; /* space adds it to (bpf/owner_bytes.h) */
	__u64 retransmits;
	__u64 syn_ns;	  /* when SYN_SENT was entered (ktime) */
	__u64 connect_ns; /* SYN_SENT to ESTABLISHED; 0 if unknown */
	char comm[TT_COMM_LEN];
	__u64 sk; /* the socket's address, for the sweep (tcp.bpf.c) */
};

/* Written when a process (or thread) exits; read once, then deleted. */
struct tt_exit_val {
	__u32 ppid;
	__u32 uid;
	__s32 exit_code;
	__u32 pad;
	__u64 exit_ns;
	char comm[TT_COMM_LEN];
};

/* Why an event was not counted; a per-CPU array of these counters. */
enum tt_drop {
	TT_DROP_SYSCALL_MAP,  /* syscall stats map full */
	TT_DROP_SCHED_MAP,    /* sched stats map full */
	TT_DROP_TCP_MAP,      /* tcp stats map full */
	TT_DROP_CONN_MAP,     /* connection map full */
	TT_DROP_EXIT_MAP,     /* exit records map full */
	TT_DROP_TASK_STORAGE, /* task storage could not be allocated */
	TT_DROP_MAX,
};

/*
 * Runs of each program, counted per CPU in the object's `runs` map: slot i
 * is the i-th program of the subsystem in the collector's table. With the
 * ns per run measured while BPF_ENABLE_STATS was on (the first seconds),
 * they give the programs' cost afterwards at a fraction of the stats' own
 * cost (two clock reads per run).
 */
#define TT_RUN_SLOTS 8
struct tt_runs {
	__u64 n[TT_RUN_SLOTS];
};

/* Default map sizes (user space may change them with set_max_entries). */
#define TT_MAX_SYSCALL_ENTRIES 16384
#define TT_MAX_PROCS	       8192
#define TT_MAX_CONNS	       32768
#define TT_MAX_EXITS	       8192

#ifndef __bpf__
_Static_assert(sizeof(struct tt_key) == 8, "tt_key ABI");
_Static_assert(sizeof(struct tt_sc_key) == 16, "tt_sc_key ABI");
_Static_assert(sizeof(struct tt_sc_val) == 24 + 8 * TT_HIST_BUCKETS,
	       "tt_sc_val ABI");
_Static_assert(sizeof(struct tt_sched_val) == 32 + 8 * TT_HIST_BUCKETS,
	       "tt_sched_val ABI");
_Static_assert(sizeof(struct tt_tcp_val) == 48, "tt_tcp_val ABI");
_Static_assert(sizeof(struct tt_conn_val) == 136, "tt_conn_val ABI");
_Static_assert(sizeof(struct tt_exit_val) == 40, "tt_exit_val ABI");
#endif

#endif /* TRACETOP_H */
