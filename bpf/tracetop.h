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
	/*
	 * Thread states (model/states.c). runq_ns: run-queue waits that
	 * ended. Sleeps by kind (TT_SLEEP_*): the sum of the times they
	 * began (switch-out) and of the times they ended (wakeup), and how
	 * many did each, so user space has their total up to now without a
	 * per-task write at switch-out:
	 *   in - out + (began - ended) * now   (mod 2^64, exact)
	 * A reader copies the fields in address order while they change: a
	 * start adds to sleep_out before sleeps, an end to wakes before
	 * sleep_in, and this order of the fields makes a copy that falls in
	 * between short by about now, never long (states.c drops it).
	 */
	__u64 runq_ns;
	__u64 sleeps[2], sleep_out[2];
	__u64 sleep_in[2], wakes[2];
};

#define TT_SLEEP_S 0 /* interruptible: waiting for an event */
#define TT_SLEEP_D 1 /* uninterruptible, counted in the load average */

/*
 * What each CPU runs now (sched.bpf.c's per-CPU `cpu_slot`,
 * cpu_slot.bpf.h), read by user space to count the running slices and the
 * sleeps that ended but are still pending (they land when the task
 * switches out), and by proc.bpf.c for an exiting task's exact on-CPU time.
 */
struct tt_cpu_slot {
	__u64 start;	   /* when it switched in; 0: not watched or unknown */
	__u32 tid;	   /* to check the slot is prev's */
	__u32 runq_bucket; /* pending run-queue sample, or TT_HIST_BUCKETS */
	__u64 runq_ns;	   /* that wait, pending */
	__u64 wake_ts;	   /* the counted sleep it woke from ended then, or 0 */
	__u32 wake_kind;   /* TT_SLEEP_* of that sleep */
	__u32 seen;	   /* its task storage existed at switch-in */
	__u32 id, gen;	   /* its key */
	__u64 base;	   /* its se.sum_exec_runtime when it switched in */
	__u64 stolen;	   /* the CPU's stolen time then (sched.bpf.c) */
	/* written at exit for proc.bpf.c's exit event: base and the slice */
	__u64 exit_cpu;
	__u32 exit_tid;
	__u32 pad;
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

/* Per TCP socket, keyed by its socket cookie (tcp.bpf.c). */
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
	__u64 est_ns;	  /* when it became ESTABLISHED (ktime); 0 never */
	char comm[TT_COMM_LEN];
	__u64 sk;    /* the socket's address, for the sweep (tcp.bpf.c) */
	__u32 epoch; /* the last interval it changed in (tt_conn_ctl) */
	__u32 pad;
};

/*
 * The connections that changed: each change marks its connection once per
 * interval, putting its key in the changed set of the interval's parity,
 * so a refresh reads those and keeps the rest (bpf/collector_conns.c).
 * User space maps this (one entry) and moves epoch on at each read; a
 * program that could not mark a connection (the set full) sets full, and
 * the next read reads them all.
 */
struct tt_conn_ctl {
	__u32 epoch;
	__u32 full;
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

/*
 * The event stream: one BPF ring buffer shared by every object, records of
 * the kinds below, each starting with tt_ev_hdr. Kinds are bits of the
 * ev_kinds mask user space sets before load; a kind that is off costs
 * nothing (the verifier drops its code, or its program is not loaded).
 */
enum tt_ev_kind {
	TT_EV_EXEC,    /* execve/execveat, succeeded or failed */
	TT_EV_EXIT,    /* a process ended (its last thread) */
	TT_EV_CONNECT, /* an active TCP open ended: established or failed */
	TT_EV_ACCEPT,  /* a passive TCP open taken by a process */
	TT_EV_CLOSE,   /* an established TCP connection closed */
	TT_EV_RESET,   /* a TCP reset sent or received */
	TT_EV_RETRANS, /* a TCP segment retransmitted (off by default) */
	TT_EV_SLOW,    /* a syscall slower than the threshold */
	TT_EV_SIGNAL,  /* a signal generated (not SIGCHLD by default) */
	TT_EV_OOM,     /* the OOM killer chose a victim */
	TT_EV_RUNQ,    /* a task waited long for a CPU (off by default) */
	TT_EV_KINDS,
};

#define TT_EV_DEFAULT                                                          \
	(((1u << TT_EV_KINDS) - 1) & ~(1u << TT_EV_RETRANS) &                  \
	 ~(1u << TT_EV_RUNQ))

#define TT_EV_PATH_LEN	   256
#define TT_EV_ARGS_LEN	   256 /* argument bytes, NUL-separated */
#define TT_EV_MAX_ARGS	   20
#define TT_EV_CGROUP_LEN   128
#define TT_EV_CGROUP_DEPTH 6 /* path components read, leaf upwards */

/* Every record starts so. pid/gen are the process (tgid and the group
 * leader's start in ticks, as tt_key), tid the thread. */
struct tt_ev_hdr {
	__u64 ts; /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 kind;
	__u32 pid;
	__u32 tid;
	__u32 gen;
	__u32 uid; /* (u32)-1: unknown (softirq context) */
	__u32 pad;
	char comm[TT_COMM_LEN];
};

#define TT_EV_CUT_ARGS 1 /* more argument bytes than TT_EV_ARGS_LEN */
#define TT_EV_CUT_PATH 2

struct tt_ev_exec {
	struct tt_ev_hdr h;
	__u32 ppid;
	__s32 ret;	/* 0, or -errno of a failed exec */
	__u16 argc;	/* the program's argc (may be more than args holds) */
	__u16 flags;	/* TT_EV_CUT_* */
	__u16 args_len; /* bytes used in args */
	__u16 pad;
	/* args before path: a string read into args at a variable offset
	 * may, for the verifier, run on into path (it never does) */
	char args[TT_EV_ARGS_LEN];
	char path[TT_EV_PATH_LEN];
};

struct tt_ev_exit {
	struct tt_ev_hdr h;
	__u32 ppid;
	__s32 code; /* wait status: code << 8, or signal | 0x80 core */
	__u64 lifetime_ns;
	__u64 cpu_ns;	/* the kernel's on-CPU time of all its threads */
	__u64 syscalls; /* counted by tracetop; (u64)-1 unknown */
};

/* tcp result of a connect */
enum tt_ev_connect_result {
	TT_EV_ESTABLISHED,
	TT_EV_REFUSED,
	TT_EV_TIMEDOUT,
	TT_EV_CONN_ERROR, /* err says which */
};

#define TT_EV_RESET_SENT 1 /* flags of a reset: else received */

struct tt_ev_tcp {
	struct tt_ev_hdr h;
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u16 state; /* TCP state when it happened */
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 result; /* connect: enum tt_ev_connect_result */
	__s32 err;    /* connect: sk_err when it failed */
	__u64 ns;     /* connect: latency; close: lifetime (from established) */
	__u64 tx_bytes; /* close: payload bytes the peer acked (tcp_sock) */
	__u64 rx_bytes; /* close: payload bytes received (tcp_sock) */
	__u32 retransmits;
	__u32 srtt_us;
	__u32 flags;
	__u32 pad;
};

struct tt_ev_slow {
	struct tt_ev_hdr h;
	__u32 nr;
	__u32 pad;
	__s64 ret;
	__u64 arg0;
	__u64 ns;
};

struct tt_ev_signal {
	struct tt_ev_hdr h; /* the sender */
	__u32 target_pid;
	__u32 target_tid;
	__s32 sig;
	__s32 result; /* TRACE_SIGNAL_DELIVERED (0), _IGNORED, ... */
	char target_comm[TT_COMM_LEN];
};

struct tt_ev_oom {
	struct tt_ev_hdr h; /* the victim */
	__u32 trigger_pid;  /* the task whose allocation failed */
	__u32 depth;	    /* cgroup components read */
	char trigger_comm[TT_COMM_LEN];
	__u64 rss_bytes;
	__u64 vm_bytes;
	__u64 cgroup_id;
	/* the memory cgroup's path components, leaf first */
	char cgroup[TT_EV_CGROUP_DEPTH][32];
};

struct tt_ev_runq {
	struct tt_ev_hdr h; /* the task that waited */
	__u64 ns;
	__u32 prev_pid; /* the task it waited behind */
	__u32 cpu;
	char prev_comm[TT_COMM_LEN];
};

/* per kind, per CPU: events not sent */
struct tt_ev_lost {
	__u64 full;    /* the ring buffer had no room */
	__u64 limited; /* over the kind's rate limit */
};

/* per kind: the rate limit's current one-second window */
struct tt_ev_window {
	__u64 window; /* ktime / 1 s */
	__u64 count;
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
#define TT_MAX_SYSCALL_ENTRIES 65536
#define TT_MAX_PROCS	       8192
#define TT_MAX_CONNS	       32768
/* keys in each of the two changed sets: more connections moving in one
 * interval are read whole, which is then the cheaper way */
#define TT_CONN_CHANGED 4096
/* exit records wait here until the next read: two fork storms beside
 * make harden's soak filled 8,192 within a second (0.11 KiB each, and
 * not preallocated, so the room costs nothing until used) */
#define TT_MAX_EXITS  32768
#define TT_EV_BUFFER  (1u << 20) /* ring buffer bytes */
#define TT_EV_RATE    10000	 /* events per second, per kind */
#define TT_EV_SLOW_MS 100

#ifndef __bpf__
_Static_assert(sizeof(struct tt_key) == 8, "tt_key ABI");
_Static_assert(sizeof(struct tt_sc_key) == 16, "tt_sc_key ABI");
_Static_assert(sizeof(struct tt_sc_val) == 24 + 8 * TT_HIST_BUCKETS,
	       "tt_sc_val ABI");
_Static_assert(sizeof(struct tt_sched_val) == 104 + 8 * TT_HIST_BUCKETS,
	       "tt_sched_val ABI");
_Static_assert(sizeof(struct tt_cpu_slot) == 80, "tt_cpu_slot ABI");
_Static_assert(sizeof(struct tt_tcp_val) == 48, "tt_tcp_val ABI");
_Static_assert(sizeof(struct tt_conn_val) == 152, "tt_conn_val ABI");
_Static_assert(sizeof(struct tt_exit_val) == 40, "tt_exit_val ABI");
_Static_assert(sizeof(struct tt_ev_hdr) == 48, "tt_ev_hdr ABI");
_Static_assert(sizeof(struct tt_ev_exec) == 64 + 2 * 256, "tt_ev_exec ABI");
_Static_assert(sizeof(struct tt_ev_exit) == 80, "tt_ev_exit ABI");
_Static_assert(sizeof(struct tt_ev_tcp) == 136, "tt_ev_tcp ABI");
_Static_assert(sizeof(struct tt_ev_slow) == 80, "tt_ev_slow ABI");
_Static_assert(sizeof(struct tt_ev_signal) == 80, "tt_ev_signal ABI");
_Static_assert(sizeof(struct tt_ev_oom) == 96 + 6 * 32, "tt_ev_oom ABI");
_Static_assert(sizeof(struct tt_ev_runq) == 80, "tt_ev_runq ABI");
_Static_assert(sizeof(struct tt_ev_lost) == 16, "tt_ev_lost ABI");
_Static_assert(TT_EV_KINDS <= 32, "ev_kinds is a 32-bit mask");
#endif

#endif /* TRACETOP_H */
