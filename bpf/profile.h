/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile.h - the ABI of the profiler's records: on-CPU samples
 * (profile.bpf.c, a cpu-clock perf event per CPU) and off-CPU captures and
 * waits (offcpu.bpf.h, in sched.bpf.c's sched_switch), read from ring
 * buffers by user space (bpf/profiler.c). Fixed-width types, explicit
 * padding, sizes checked: the kernel writes these byte for byte.
 *
 * A sample carries what user space needs to unwind without frame
 * pointers, as `perf --call-graph dwarf` does: the thread's user registers
 * and a copy of the top TT_PROF_STACK_BYTES of its user stack from sp;
 * and its kernel stack as instruction pointers (bpf_get_stack, leaf
 * first), so there is no stack-id map to fill, collide or clear.
 */
#ifndef TT_PROFILE_ABI_H
#define TT_PROFILE_ABI_H

#define TT_PROF_STACK_BYTES 16384
#define TT_PROF_KFRAMES	    127 /* the kernel's perf_event_max_stack */
#define TT_PROF_UREGS	    17	/* x86-64 DWARF numbering, rip last */
#define TT_PROF_DEFAULT_HZ  49
#define TT_PROF_MAX_HZ	    10000

enum tt_prof_rec_kind {
	TT_REC_SAMPLE = 1,  /* on-CPU: struct tt_prof_rec */
	TT_REC_CAPTURE = 2, /* off-CPU stack: struct tt_prof_rec */
	TT_REC_BLOCK = 3,   /* off-CPU wait: struct tt_prof_hdr alone */
};

#define TT_PROF_F_USER	  1 /* regs and ustack are the thread's user side */
#define TT_PROF_F_KTHREAD 2 /* a kernel thread: no user side */
#define TT_PROF_F_KTRUNC  4 /* the kernel stack filled kips: maybe cut */
#define TT_PROF_F_NOUSER  8 /* a user thread whose user side was not had */

struct tt_prof_hdr {
	__u32 kind;  /* enum tt_prof_rec_kind */
	__u32 flags; /* TT_PROF_F_* */
	__u32 pid;   /* process (tgid) */
	__u32 tid;
	__u32 id, gen; /* the key it counts under (struct tt_key) */
	__u32 pgen;    /* the process's start, clock ticks */
	__u32 ustack_len;
	__u32 nkips;
	__u32 pad;
	__u64 seq;     /* capture: its number; block: the capture's */
	__u64 evicted; /* capture: the number it replaced (never used again) */
	__u64 ns;      /* block: time off-CPU */
	char comm[16]; /* the process's (group leader's) name */
};

struct tt_prof_rec {
	struct tt_prof_hdr h;
	__u64 regs[TT_PROF_UREGS];
	__u64 kips[TT_PROF_KFRAMES];
	__u8 ustack[TT_PROF_STACK_BYTES];
};

/* Why a profiler record was lost; per-CPU counters in `prof_drops`. */
enum tt_prof_drop {
	TT_PDROP_RING,	   /* on-CPU sample: ring buffer full */
	TT_PDROP_OFF_RING, /* off-CPU capture or wait: ring buffer full */
	TT_PDROP_OFF_TASK, /* off-CPU: task storage not allocated */
	TT_PDROP_MAX,
};

/* Per CPU, the sampler's own cost (runs, ns: it times itself), and the
 * samples taken: [0] all (idle CPUs' included), [1] of watched tasks. */
struct tt_prof_cost {
	__u64 runs, ns;
	__u64 taken[2];
};

#ifndef __bpf__
_Static_assert(sizeof(struct tt_prof_hdr) == 80, "tt_prof_hdr ABI");
_Static_assert(sizeof(struct tt_prof_rec) ==
		       80 + 8 * (TT_PROF_UREGS + TT_PROF_KFRAMES) +
			       TT_PROF_STACK_BYTES,
	       "tt_prof_rec ABI");
#endif

#endif
