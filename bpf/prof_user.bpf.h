/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * prof_user.bpf.h - what the profiler's kernel programs share: a record's
 * header, and the thread's user side (registers and the top of its user
 * stack) for unwinding in user space. Included by profile.bpf.c (on-CPU)
 * and offcpu.bpf.h (off-CPU), after common.bpf.h.
 */
#ifndef TT_PROF_USER_BPF_H
#define TT_PROF_USER_BPF_H

#include "profile.h"

#define TT_PF_KTHREAD 0x00200000 /* include/linux/sched.h */
#define TT_PAGE	      4096

/*
 * Wake the reader only once the ring is a quarter full: it also reads
 * the ring when a refresh asks and at least once a second, and a wakeup
 * per record (a context switch of tracetop's thread each time) cost more
 * than reading the record.
 */
static __always_inline __u64 tt_rb_wakeup(void *rb)
{
	return bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA) >
			       bpf_ringbuf_query(rb, BPF_RB_RING_SIZE) / 4
		       ? BPF_RB_FORCE_WAKEUP
		       : BPF_RB_NO_WAKEUP;
}

/*
 * Count one lost record in a drop map: a per-CPU array of TT_PDROP_MAX
 * counters. Each object has its own (prof_drops in profile.bpf.c,
 * offcpu_drops in sched.bpf.c), so the map is an argument.
 */
static __always_inline void tt_prof_count_drop(void *drops, __u32 why)
{
	__u64 *c = bpf_map_lookup_elem(drops, &why);

	if (c)
		__sync_fetch_and_add(c, 1);
}

/* the header of a record about task t (the current task) */
static __always_inline void tt_prof_hdr_fill(struct tt_prof_hdr *h,
					     struct task_struct *t, __u32 kind)
{
	struct task_struct *leader = tt_task_ro(t)->group_leader;
	struct tt_key k;

	tt_task_key(t, &k);
	h->kind = kind;
	h->flags = 0;
	h->pid = t->tgid;
	h->tid = t->pid;
	h->id = k.id;
	h->gen = k.gen;
	h->pgen = leader->start_boottime / TT_NS_PER_TICK;
	h->ustack_len = 0;
	h->nkips = 0;
	h->nupcs = 0;
	h->seq = 0;
	h->evicted = 0;
	h->ns = 0;
	bpf_probe_read_kernel(h->comm, sizeof(h->comm), leader->comm);
}

/* pt_regs (x86-64) in DWARF register order: rax rdx rcx rbx rsi rdi rbp
 * rsp r8-r15 rip. Both a BTF pointer and the perf context's regs. */
#define TT_PROF_REGS(out, p)                                                   \
	do {                                                                   \
		(out)[0] = (p)->ax;                                            \
		(out)[1] = (p)->dx;                                            \
		(out)[2] = (p)->cx;                                            \
		(out)[3] = (p)->bx;                                            \
		(out)[4] = (p)->si;                                            \
		(out)[5] = (p)->di;                                            \
		(out)[6] = (p)->bp;                                            \
		(out)[7] = (p)->sp;                                            \
		(out)[8] = (p)->r8;                                            \
		(out)[9] = (p)->r9;                                            \
		(out)[10] = (p)->r10;                                          \
		(out)[11] = (p)->r11;                                          \
		(out)[12] = (p)->r12;                                          \
		(out)[13] = (p)->r13;                                          \
		(out)[14] = (p)->r14;                                          \
		(out)[15] = (p)->r15;                                          \
		(out)[16] = (p)->ip;                                           \
	} while (0)

/*
 * The top of the user stack, from sp up: first to the end of sp's page,
 * then page by page while pages can be read (faults are off here, so a
 * page swapped out or past the stack's top ends the copy). Between 12 KiB
 * and 16 KiB when the stack is that deep. Returns the bytes copied.
 */
static __always_inline __u32 tt_prof_copy_ustack(struct tt_prof_rec *r,
						 __u64 sp)
{
	__u32 first = TT_PAGE - (__u32)(sp & (TT_PAGE - 1));
	__u32 len;

	if (bpf_probe_read_user(r->ustack, first, (void *)sp))
		return 0;
	len = first;
#pragma unroll
	for (int i = 0; i < TT_PROF_STACK_BYTES / TT_PAGE - 1; i++) {
		__u32 off = first + (__u32)i * TT_PAGE;

		/* hidden from clang, which would fold the bound below into
		 * a form the verifier cannot follow */
		asm volatile("" : "+r"(off));
		if (off > TT_PROF_STACK_BYTES - TT_PAGE)
			break;
		if (bpf_probe_read_user(r->ustack + off, TT_PAGE,
					(void *)(sp + off)))
			break;
		len = off + TT_PAGE;
	}
	return len;
}

/* The user side of task t (current) at a point where it is in the kernel:
 * the registers it entered with. */
static __always_inline void tt_prof_user_from_task(struct tt_prof_rec *r,
						   struct task_struct *t)
{
	struct pt_regs *regs;

	if (t->flags & TT_PF_KTHREAD) {
		r->h.flags |= TT_PROF_F_KTHREAD;
		return;
	}
	regs = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!regs) {
		r->h.flags |= TT_PROF_F_NOUSER;
		return;
	}
	TT_PROF_REGS(r->regs, regs);
	r->h.flags |= TT_PROF_F_USER;
	r->h.ustack_len = tt_prof_copy_ustack(r, r->regs[7]);
}

#endif
