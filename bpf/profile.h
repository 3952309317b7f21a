/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile.h - the ABI of the profiler's records: on-CPU samples
 * (profile.bpf.c, a cpu-clock perf event per CPU) and off-CPU captures and
 * waits (offcpu.bpf.h, in sched.bpf.c's sched_switch), read from ring
 * buffers by user space (bpf/profiler.c). Fixed-width types, explicit
 * padding, sizes checked: the kernel writes these byte for byte.
 *
 * A sample carries its kernel stack as instruction pointers
 * (bpf_get_stack, leaf first), so there is no stack-id map to fill,
 * collide or clear, and its user stack either unwound in the kernel
 * (struct tt_prof_urec, from tables user space made: see tt_unw_row) or,
 * where the kernel could not, what user space needs to unwind it without
 * frame pointers, as `perf --call-graph dwarf` does: the thread's user
 * registers and a copy of the top TT_PROF_STACK_BYTES of its user stack
 * from sp (struct tt_prof_rec).
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
	TT_REC_USAMPLE = 4, /* on-CPU, unwound in the kernel: tt_prof_urec */
};

#define TT_PROF_F_USER	  1  /* regs and ustack are the thread's user side */
#define TT_PROF_F_KTHREAD 2  /* a kernel thread: no user side */
#define TT_PROF_F_KTRUNC  4  /* the kernel stack filled kips: maybe cut */
#define TT_PROF_F_NOUSER  8  /* a user thread whose user side was not had */
#define TT_PROF_F_UCUT	  16 /* urec: the kernel's walk stopped short */
/* a sample (TT_REC_SAMPLE) the kernel did not unwind: why (enum
 * tt_unw_stat) in bits 8-15; 0 when it was not asked to */
#define TT_PROF_F_WHY_SHIFT 8

struct tt_prof_hdr {
	__u32 kind;  /* enum tt_prof_rec_kind */
	__u32 flags; /* TT_PROF_F_* */
	__u32 pid;   /* process (tgid) */
	__u32 tid;
	__u32 id, gen; /* the key it counts under (struct tt_key) */
	__u32 pgen;    /* the process's start, clock ticks */
	__u32 ustack_len;
	__u32 nkips;
	__u32 nupcs;   /* urec: user frames */
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

/*
 * In-kernel unwinding (prof_unwind.bpf.h). User space turns each module's
 * call frame information (.eh_frame) into rows, one per address range
 * where the rule to find the caller is the same, sorted by address, in
 * one big array (`unw_rows`, a module's rows side by side); per process
 * (`unw_procs`, by tgid) its executable mappings, each with the load bias
 * and the span of its module's rows. The kernel then walks the user stack
 * itself and hands over addresses, not 16 KiB of stack: a sample costs
 * a few reads of the stack instead of a copy and a walk in user space.
 *
 * A row says how to find the canonical frame address (CFA, the caller's
 * sp): rsp or rbp plus cfa words, or the PLT's rule; the return address
 * is at CFA - 8 (x86-64 code has no other rule in practice: any other is
 * TT_UNW_NONE); rbp was saved at CFA + rbp words (0: not saved here).
 */
enum tt_unw_kind {
	TT_UNW_NONE = 0, /* no rule the kernel follows: stop there */
	TT_UNW_RSP = 1,	 /* CFA = rsp + cfa * 8 */
	TT_UNW_RBP = 2,	 /* CFA = rbp + cfa * 8 */
	TT_UNW_PLT = 3,	 /* CFA = rsp + 8, + 8 when (rip & 15) >= 11 */
	TT_UNW_LAST = 4, /* no caller: the outermost frame (_start, clone) */
};

struct tt_unw_row {
	__u32 pc; /* first address, as linked (the ELF's vaddr) */
	__u8 kind;
	__s8 rbp;
	__s16 cfa;
};

#define TT_UNW_MAPS   64  /* executable mappings with rows, per process */
#define TT_UNW_FRAMES 128 /* user frames walked in the kernel (2^n) */

struct tt_unw_map {
	__u64 start, end; /* the mapping's addresses */
	__u64 bias;	  /* address - bias = the ELF's vaddr */
	__u32 lo, hi;	  /* its module's rows: unw_rows[lo, hi) */
};

struct tt_unw_proc {
	__u64 mm; /* the address space the maps are of (0: the first that
		   * uses them); any other is an exec since: not walked */
	__u32 n;  /* maps, by start */
	__u32 pad;
	struct tt_unw_map m[TT_UNW_MAPS];
};

/* Why the kernel did not unwind a sample (per-CPU counters, unw_stats):
 * the sample then went the old way, with its stack copied. */
enum tt_unw_stat {
	TT_UNW_WALKED,	/* unwound in the kernel */
	TT_UNW_NOPROC,	/* no tables for the process (yet) */
	TT_UNW_EXECED,	/* tables of the image before an exec */
	TT_UNW_OUTSIDE, /* an address in no mapping with rows (JIT, a
			 * library loaded since) */
	TT_UNW_NORULE,	/* a row without a rule the kernel follows */
	TT_UNW_STAT_MAX,
};

/*
 * An on-CPU sample unwound in the kernel, as long as it needs to be: the
 * header, then h.nupcs user addresses (the ip, then return addresses),
 * then h.nkips kernel ones. A few hundred bytes, where a copied stack is
 * 17 KiB: a ring holds a hundred times more of them.
 */
struct tt_prof_urec {
	struct tt_prof_hdr h;
	__u64 ips[TT_UNW_FRAMES + TT_PROF_KFRAMES];
};

/* Why a profiler record was lost; per-CPU counters in `prof_drops`. */
enum tt_prof_drop {
	TT_PDROP_RING,	   /* on-CPU sample: ring buffer full */
	TT_PDROP_OFF_RING, /* off-CPU capture or wait: ring buffer full */
	TT_PDROP_OFF_TASK, /* off-CPU: task storage not allocated */
	TT_PDROP_MAX,
};

/* Per CPU, the sampler's own cost (runs, ns: it times one run in 8), and the
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
_Static_assert(sizeof(struct tt_unw_row) == 8, "tt_unw_row ABI");
_Static_assert(sizeof(struct tt_unw_map) == 32, "tt_unw_map ABI");
_Static_assert(sizeof(struct tt_unw_proc) == 16 + 32 * TT_UNW_MAPS,
	       "tt_unw_proc ABI");
#endif

#endif
