/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * prof_unwind.bpf.h - unwinding user stacks in the kernel, with the rows
 * user space built from each module's .eh_frame (profile.h explains
 * them; prof/unwtab.c builds them). Per frame: find the mapping of the
 * address (binary search over the process's at most TT_UNW_MAPS), then
 * its row (binary search over the module's), then read the return
 * address, and rbp when the frame saved it: two user reads at most.
 *
 * Frames run in a bpf_loop callback, so the verifier checks one step,
 * not TT_UNW_FRAMES of them, and the step is a global function, checked
 * once on its own (tt_unw_frame). A walk that meets what it cannot follow
 * (an address outside every mapping with rows, a row without a rule)
 * gives up, and the sample takes the old way: its stack copied for user
 * space to unwind. A walk that cannot read the stack, or reaches the
 * frame limit, keeps what it has, marked cut.
 * Included by profile.bpf.c after common.bpf.h and prof_user.bpf.h.
 */
#ifndef TT_PROF_UNWIND_BPF_H
#define TT_PROF_UNWIND_BPF_H

#include "profile.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE); /* user space writes the rows */
	__uint(max_entries, 1);		   /* user space sets it */
	__type(key, __u32);
	__type(value, struct tt_unw_row);
} unw_rows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* 2 KiB each, as used */
	__uint(max_entries, 1024);
	__type(key, __u32); /* tgid */
	__type(value, struct tt_unw_proc);
} unw_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TT_UNW_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} unw_stats SEC(".maps");

/* the record being made on this CPU: the walk writes its addresses there,
 * and it goes to the ring as long as it came out (profile.bpf.c) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_prof_urec);
} unw_scratch SEC(".maps");

enum unw_end {
	UNW_GOING,
	UNW_DONE, /* the outermost frame */
	UNW_CUT,  /* the stack could not be read, or the frame limit */
	UNW_BACK, /* given up: why in unw_walk.stat */
};

/* a walk's registers and progress: scalars only, as a global function's
 * pointer arguments must be */
struct unw_regs {
	__u64 pc, sp, bp;
	__u32 n;
	__u32 end;  /* enum unw_end */
	__u32 stat; /* enum tt_unw_stat, when UNW_BACK */
	__u32 pad;
};

struct unw_walk {
	struct tt_unw_proc *proc;
	struct tt_prof_urec *rec;
	struct unw_regs r;
};

static __always_inline long unw_back(struct unw_regs *w, __u32 why)
{
	w->end = UNW_BACK;
	w->stat = why;
	return 1;
}

/*
 * One frame: 1 when the walk ends. A global function, which the verifier
 * checks once, on its own, with its arguments as any values: inside the
 * bpf_loop callback the two binary searches were checked path by path
 * on kernels that verify a callback as a loop (6.18.44: 270,000
 * instructions, 0.9 s to load; 1,000-odd here).
 */
__noinline int tt_unw_frame(struct unw_regs *w, struct tt_unw_proc *p,
			    struct tt_prof_urec *rec, __u32 i)
{
	struct tt_unw_map *m;
	struct tt_unw_row *row;
	__u64 look, rel, cfa, ra, bp;
	__u32 lo = 0, hi, k, mid, rlo, rhi;

	if (!w || !p || !rec)
		return 1;
	/* a return address is after its call: look the call itself up,
	 * which may be a function's last instruction (a noreturn call) */
	look = i ? w->pc - 1 : w->pc;
	hi = p->n;
	for (k = 0; k < 7 && lo < hi; k++) { /* log2(TT_UNW_MAPS) + 1 */
		mid = (lo + hi) / 2;
		if (p->m[mid & (TT_UNW_MAPS - 1)].start <= look)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || lo > TT_UNW_MAPS)
		return unw_back(w, TT_UNW_OUTSIDE);
	m = &p->m[(lo - 1) & (TT_UNW_MAPS - 1)];
	if (look >= m->end || look - m->bias > 0xffffffffULL)
		return unw_back(w, TT_UNW_OUTSIDE);
	rel = look - m->bias;
	rlo = m->lo;
	rhi = m->hi;
	for (k = 0; k < 24 && rlo < rhi; k++) { /* up to 16M rows */
		mid = rlo + (rhi - rlo) / 2;
		row = bpf_map_lookup_elem(&unw_rows, &mid);
		if (!row)
			return unw_back(w, TT_UNW_NORULE);
		if (row->pc <= rel)
			rlo = mid + 1;
		else
			rhi = mid;
	}
	if (rlo == m->lo || rlo < rhi)
		return unw_back(w, TT_UNW_NORULE);
	mid = rlo - 1;
	row = bpf_map_lookup_elem(&unw_rows, &mid);
	if (!row)
		return unw_back(w, TT_UNW_NORULE);
	switch (row->kind) {
	case TT_UNW_LAST:
		w->end = UNW_DONE;
		return 1;
	case TT_UNW_RSP:
		cfa = w->sp + (__s64)row->cfa * 8;
		break;
	case TT_UNW_RBP:
		cfa = w->bp + (__s64)row->cfa * 8;
		break;
	case TT_UNW_PLT:
		cfa = w->sp + 8 + ((w->pc & 15) >= 11 ? 8 : 0);
		break;
	default:
		return unw_back(w, TT_UNW_NORULE);
	}
	if (bpf_probe_read_user(&ra, sizeof(ra), (void *)(cfa - 8))) {
		w->end = UNW_CUT;
		return 1;
	}
	if (row->rbp) {
		if (bpf_probe_read_user(&bp, sizeof(bp),
					(void *)(cfa + (__s64)row->rbp * 8))) {
			w->end = UNW_CUT;
			return 1;
		}
		w->bp = bp;
	}
	w->sp = cfa;
	w->pc = ra;
	if (!ra) { /* how some runtimes end the chain */
		w->end = UNW_DONE;
		return 1;
	}
	if (w->n >= TT_UNW_FRAMES) {
		w->end = UNW_CUT;
		return 1;
	}
	rec->ips[w->n & (TT_UNW_FRAMES - 1)] = ra;
	w->n++;
	return 0;
}

static long unw_step(__u32 i, void *arg)
{
	struct unw_walk *w = arg;

	return tt_unw_frame(&w->r, w->proc, w->rec, i) ? 1 : 0;
}

static __always_inline void unw_count(__u32 why)
{
	__u64 *c = bpf_map_lookup_elem(&unw_stats, &why);

	if (c)
		*c += 1; /* per CPU: no other writer */
}

/*
 * Walk task t's user stack from regs (DWARF order, profile.h) into
 * w->rec's ips (w->rec set); the walk's end. The process's tables must be
 * of its present image: the first walk binds them to its address space,
 * an exec since is refused.
 */
static __always_inline __u32 tt_unw_walk(struct task_struct *t,
					 const __u64 *regs, struct unw_walk *w)
{
	__u32 tgid = t->tgid;
	__u64 mm = 0;

	w->r.end = UNW_BACK;
	w->proc = bpf_map_lookup_elem(&unw_procs, &tgid);
	if (!w->proc) {
		w->r.stat = TT_UNW_NOPROC;
		return UNW_BACK;
	}
	bpf_probe_read_kernel(&mm, sizeof(mm), &t->mm);
	if (!w->proc->mm) {
		w->proc->mm = mm;
	} else if (w->proc->mm != mm) {
		w->r.stat = TT_UNW_EXECED;
		return UNW_BACK;
	}
	w->r.pc = regs[16];
	w->r.sp = regs[7];
	w->r.bp = regs[6];
	w->rec->ips[0] = w->r.pc;
	w->r.n = 1;
	w->r.end = UNW_GOING;
	w->r.stat = TT_UNW_WALKED;
	bpf_loop(TT_UNW_FRAMES, unw_step, w, 0);
	if (w->r.end == UNW_GOING)
		w->r.end = UNW_CUT;
	return w->r.end;
}

#endif
