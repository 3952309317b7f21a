// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile.bpf.c - on-CPU sampling: a cpu-clock perf event on every CPU
 * (a software clock: no hardware counters needed) runs this at the chosen
 * frequency. Each sample of a watched task goes to user space as its
 * kernel stack and its user stack's addresses, unwound here with the
 * process's tables (prof_unwind.bpf.h); a process without tables (its
 * first samples, JIT code, an exec since) has its user registers and up
 * to 16 KiB of its stack copied instead, for user space to unwind as
 * `perf --call-graph dwarf` does (profile.h). Naming happens in user
 * space.
 *
 * The cost per sample is timed here (prof_cost, one run in TIME_EVERY),
 * so tracetop can show it without the kernel's run-time statistics.
 */
#include "common.bpf.h"
#include "prof_user.bpf.h"

const volatile __u32 self_tgid = 0; /* tracetop: its own work is not shown */
const volatile bool unw_on = false; /* walk user stacks here (unw_procs) */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20); /* user space sets it by CPU count */
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TT_PDROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} prof_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_prof_cost);
} prof_cost SEC(".maps");

#include "prof_unwind.bpf.h"

/* a function of its own: inlined, clang merges it with the copy from a
 * task's pt_regs below into loads through one pointer, and the verifier
 * refuses a context pointer that may be another */
static __noinline void ctx_regs(struct bpf_perf_event_data *ctx, __u64 *regs)
{
	TT_PROF_REGS(regs, &ctx->regs);
}

enum { NO_USER, IN_USER, IN_KERNEL };

/* the sample's user registers: its own when it hit user mode (IN_USER),
 * else those its thread entered the kernel with (IN_KERNEL); NO_USER for
 * a kernel thread */
static __always_inline int user_regs(struct bpf_perf_event_data *ctx,
				     struct task_struct *t, __u64 *regs)
{
	struct pt_regs *kr;
	/* the context gives regs in whole words only: cs is in the low bits */
	__u64 cs = *(const __u64 *)((const char *)&ctx->regs +
				    __builtin_offsetof(struct pt_regs, cs));

	if ((cs & 3) == 3) {
		ctx_regs(ctx, regs);
		return IN_USER;
	}
	if (t->flags & TT_PF_KTHREAD)
		return NO_USER;
	kr = (struct pt_regs *)bpf_task_pt_regs(t);
	if (!kr)
		return NO_USER;
	TT_PROF_REGS(regs, kr);
	return IN_KERNEL;
}

static __always_inline void kernel_stack(struct bpf_perf_event_data *ctx,
					 struct tt_prof_hdr *h, __u64 *kips)
{
	/* empty when the sample hit user mode */
	long kb = bpf_get_stack(ctx, kips, TT_PROF_KFRAMES * 8, 0);

	if (kb > 0) {
		h->nkips = (__u32)kb / 8;
		if (kb >= TT_PROF_KFRAMES * 8)
			h->flags |= TT_PROF_F_KTRUNC;
	}
}

/*
 * A sample's record asks whether to wake the reader only one run in this
 * many on its CPU: the ring's two fill-level queries cost ~90 ns, a tenth
 * of an unwound sample, and in 16 runs a CPU adds at most 16 records of a
 * few hundred bytes to a ring that wakes the reader a quarter full.
 */
#define WAKE_CHECK_EVERY 16

/* a sample the kernel unwound (or with no user side): addresses only,
 * the user ones already in r (w->r.n of them); check: whether to look if
 * the reader should be woken */
static __always_inline void send_unwound(struct bpf_perf_event_data *ctx,
					 struct task_struct *t,
					 struct tt_prof_urec *r,
					 const struct unw_walk *w, int where,
					 bool check)
{
	bool user = where != NO_USER;
	__u32 n = user ? w->r.n : 0, size;
	long kb = 0;

	tt_prof_hdr_fill(&r->h, t, TT_REC_USAMPLE);
	if (!user)
		r->h.flags |= t->flags & TT_PF_KTHREAD ? TT_PROF_F_KTHREAD
						       : TT_PROF_F_NOUSER;
	else
		r->h.flags |= TT_PROF_F_USER |
			      (w->r.end == UNW_CUT ? TT_PROF_F_UCUT : 0);
	/* hidden from clang, which would fold the bound */
	asm volatile("" : "+r"(n));
	if (n > TT_UNW_FRAMES)
		n = TT_UNW_FRAMES;
	r->h.nupcs = n;
	/* the kernel stack right after the user addresses; none when the
	 * sample hit user mode (the helper's set-up alone costs ~100 ns) */
	if (where != IN_USER)
		kb = bpf_get_stack(ctx, &r->ips[n], TT_PROF_KFRAMES * 8, 0);
	if (kb > 0) {
		r->h.nkips = (__u32)kb / 8;
		if (kb >= TT_PROF_KFRAMES * 8)
			r->h.flags |= TT_PROF_F_KTRUNC;
	}
	size = sizeof(r->h) + (n + r->h.nkips) * 8;
	asm volatile("" : "+r"(size));
	if (size > sizeof(*r))
		size = sizeof(*r);
	if (bpf_ringbuf_output(&samples, r, size,
			       check ? tt_rb_wakeup(&samples)
				     : BPF_RB_NO_WAKEUP))
		tt_prof_count_drop(&prof_drops, TT_PDROP_RING);
}

/* a sample for user space to unwind: its stack copied; why not here */
static __always_inline void send_copy(struct bpf_perf_event_data *ctx,
				      struct task_struct *t, const __u64 *regs,
				      bool user, __u32 why)
{
	struct tt_prof_rec *r;

	r = bpf_ringbuf_reserve(&samples, sizeof(*r), 0);
	if (!r) {
		tt_prof_count_drop(&prof_drops, TT_PDROP_RING);
		return;
	}
	tt_prof_hdr_fill(&r->h, t, TT_REC_SAMPLE);
	r->h.flags |= why << TT_PROF_F_WHY_SHIFT;
	kernel_stack(ctx, &r->h, r->kips);
	if (user) {
		for (int i = 0; i < TT_PROF_UREGS; i++)
			r->regs[i] = regs[i];
		r->h.flags |= TT_PROF_F_USER;
		r->h.ustack_len = tt_prof_copy_ustack(r, regs[7]);
	} else {
		r->h.flags |= t->flags & TT_PF_KTHREAD ? TT_PROF_F_KTHREAD
						       : TT_PROF_F_NOUSER;
	}
	bpf_ringbuf_submit(r, tt_rb_wakeup(&samples));
}

/* One run in this many is timed (its time counted that many times): two
 * clock reads cost 60 ns a run on this VM, a tenth of the run. */
#define TIME_EVERY 8

SEC("perf_event")
int tt_prof_sample(struct bpf_perf_event_data *ctx)
{
	__u64 t0 = 0;
	struct task_struct *t = bpf_get_current_task_btf();
	struct unw_walk w = { 0 };
	struct tt_prof_cost *cost;
	__u64 regs[TT_PROF_UREGS];
	__u32 zero = 0, why = 0;
	int where;
	bool user;

	cost = bpf_map_lookup_elem(&prof_cost, &zero);
	if (!cost)
		return 0;
	if (!(cost->runs & (TIME_EVERY - 1)))
		t0 = bpf_ktime_get_ns();
	cost->taken[0]++;
	/* the idle task (pid 0 on every CPU) and tracetop itself */
	if (!t->pid || t->tgid == self_tgid || !tt_task_watched(t))
		goto out;
	cost->taken[1]++;
	where = user_regs(ctx, t, regs);
	user = where != NO_USER;
	if (!unw_on) {
		send_copy(ctx, t, regs, user, 0);
		goto out;
	}
	w.rec = bpf_map_lookup_elem(&unw_scratch, &zero);
	if (!w.rec)
		goto out;
	if (user && tt_unw_walk(t, regs, &w) == UNW_BACK) {
		why = w.r.stat;
		unw_count(why);
		send_copy(ctx, t, regs, user, why);
		goto out;
	}
	if (user)
		unw_count(TT_UNW_WALKED);
	send_unwound(ctx, t, w.rec, &w, where,
		     !(cost->runs & (WAKE_CHECK_EVERY - 1)));
out:
	cost->runs++;
	if (t0)
		cost->ns += (bpf_ktime_get_ns() - t0) * TIME_EVERY;
	return 0;
}
