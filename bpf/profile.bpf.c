// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile.bpf.c - on-CPU sampling: a cpu-clock perf event on every CPU
 * (a software clock: no hardware counters needed) runs this at the chosen
 * frequency. Each sample of a watched task goes to user space whole
 * (profile.h): unwinding and naming happen there.
 *
 * The cost per sample is the record: a ring buffer reservation, the
 * kernel stack, and up to 16 KiB of user stack copied. It is timed here
 * (prof_cost), so tracetop can show it without the kernel's run-time
 * statistics.
 */
#include "common.bpf.h"
#include "prof_user.bpf.h"

const volatile __u32 self_tgid = 0; /* tracetop: its own work is not shown */

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

SEC("perf_event")
int tt_prof_sample(struct bpf_perf_event_data *ctx)
{
	__u64 t0 = bpf_ktime_get_ns();
	struct task_struct *t = bpf_get_current_task_btf();
	struct tt_prof_cost *cost;
	struct tt_prof_rec *r;
	__u32 zero = 0;
	__u64 cs;
	long kb;

	cost = bpf_map_lookup_elem(&prof_cost, &zero);
	if (!cost)
		return 0;
	cost->taken[0]++;
	/* the idle task (pid 0 on every CPU) and tracetop itself */
	if (!t->pid || t->tgid == self_tgid || !tt_task_watched(t))
		goto out;
	cost->taken[1]++;
	r = bpf_ringbuf_reserve(&samples, sizeof(*r), 0);
	if (!r) {
		tt_prof_count_drop(&prof_drops, TT_PDROP_RING);
		goto out;
	}
	tt_prof_hdr_fill(&r->h, t, TT_REC_SAMPLE);
	/* empty when the sample hit user mode */
	kb = bpf_get_stack(ctx, r->kips, sizeof(r->kips), 0);
	if (kb > 0) {
		r->h.nkips = (__u32)kb / 8;
		if (kb >= (long)sizeof(r->kips))
			r->h.flags |= TT_PROF_F_KTRUNC;
	}
	/* the context gives regs in whole words only: cs is in the low bits */
	cs = *(const __u64 *)((const char *)&ctx->regs +
			      __builtin_offsetof(struct pt_regs, cs));
	if ((cs & 3) == 3) { /* user mode: the sample's own regs */
		TT_PROF_REGS(r->regs, &ctx->regs);
		r->h.flags |= TT_PROF_F_USER;
		r->h.ustack_len = tt_prof_copy_ustack(r, r->regs[7]);
	} else {
		tt_prof_user_from_task(r, t);
	}
	bpf_ringbuf_submit(r, tt_rb_wakeup(&samples));
out:
	cost->runs++;
	cost->ns += bpf_ktime_get_ns() - t0;
	return 0;
}
