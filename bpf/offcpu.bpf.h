/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * offcpu.bpf.h - where one process's threads block, weighted by the time
 * they stay off the CPU (switch-out to switch-in, as offcputime measures).
 * Part of sched.bpf.c's sched_switch: the process is set in offcpu_cfg by
 * user space when someone drills into it (or --off-cpu -p PID); every
 * other switch pays one array load and a compare.
 *
 * A stack is 17 KiB to copy and unwind, and a thread may block 100,000
 * times a second. So each thread remembers its last OFFCPU_SLOTS blocking
 * points (a hash of its kernel stack, user ip and sp, and the top 64 bytes
 * of its user stack) with a capture number; blocking again at one of them
 * sends only the number and the time (a TT_REC_BLOCK header), and only a
 * new point sends the whole stack (TT_REC_CAPTURE, profile.h). Two call
 * paths that agree on all of that would share a capture: it takes the
 * same kernel path, the same syscall site, the same stack depth and the
 * same caller frames.
 */
#ifndef TT_OFFCPU_BPF_H
#define TT_OFFCPU_BPF_H

#include "prof_user.bpf.h"

#define OFFCPU_SLOTS 4

struct offcpu_cfg {
	__u32 tgid; /* 0: nobody */
	__u32 gen;  /* new with every target: stale waits are ignored */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct offcpu_cfg);
} offcpu_cfg SEC(".maps");

/* captures are rare (a new blocking point); waits are 80 bytes, and the
 * reader is woken at a quarter full. Mapped twice into tracetop's RSS. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 << 10);
} offcpu_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TT_PDROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} offcpu_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} offcpu_seq SEC(".maps");

struct offcpu_slot {
	__u64 key, seq;
};

struct offcpu_task {
	__u64 start; /* when it blocked; 0: not blocked */
	__u64 seq;   /* where */
	__u32 gen;   /* offcpu_cfg's when it blocked */
	__u32 next;  /* slot to replace next */
	struct offcpu_slot slot[OFFCPU_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct offcpu_task);
} offcpu_task SEC(".maps");

struct offcpu_scratch {
	__u64 kips[TT_PROF_KFRAMES];
	__u64 words[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct offcpu_scratch);
} offcpu_scratch SEC(".maps");

static __always_inline __u64 fnv(__u64 h, __u64 v)
{
	return (h ^ v) * 0x100000001b3ULL;
}

/* next switches in: the wait it ends */
static __always_inline void offcpu_in(struct task_struct *next,
				      const struct offcpu_cfg *cfg, __u64 now)
{
	struct offcpu_task *ot = bpf_task_storage_get(&offcpu_task, next, 0, 0);
	struct tt_prof_hdr *h;

	if (!ot || !ot->start || ot->gen != cfg->gen)
		return;
	h = bpf_ringbuf_reserve(&offcpu_rb, sizeof(*h), 0);
	if (h) {
		tt_prof_hdr_fill(h, next, TT_REC_BLOCK);
		h->seq = ot->seq;
		h->ns = now - ot->start;
		bpf_ringbuf_submit(h, tt_rb_wakeup(&offcpu_rb));
	} else {
		tt_prof_count_drop(&offcpu_drops, TT_PDROP_OFF_RING);
	}
	ot->start = 0;
}

/* the whole stack of a new blocking point */
static __always_inline void offcpu_capture(struct task_struct *prev,
					   struct offcpu_scratch *sc, __u32 nk,
					   __u64 seq, __u64 evicted)
{
	struct tt_prof_rec *r = bpf_ringbuf_reserve(&offcpu_rb, sizeof(*r), 0);

	if (!r) {
		tt_prof_count_drop(&offcpu_drops, TT_PDROP_OFF_RING);
		return;
	}
	tt_prof_hdr_fill(&r->h, prev, TT_REC_CAPTURE);
	r->h.seq = seq;
	r->h.evicted = evicted;
	r->h.nkips = nk;
	if (nk >= TT_PROF_KFRAMES)
		r->h.flags |= TT_PROF_F_KTRUNC;
	bpf_probe_read_kernel(r->kips, sizeof(r->kips), sc->kips);
	tt_prof_user_from_task(r, prev);
	bpf_ringbuf_submit(r, tt_rb_wakeup(&offcpu_rb));
}

/* prev blocks: find (or capture) where, and note when */
static __always_inline void offcpu_out(void *ctx, struct task_struct *prev,
				       const struct offcpu_cfg *cfg, __u64 now)
{
	struct offcpu_scratch *sc;
	struct offcpu_task *ot;
	struct pt_regs *regs;
	__u64 key = 0xcbf29ce484222325ULL, seq = 0, evicted = 0, *next_seq;
	__u32 zero = 0, nk = 0, s;
	long kb;

	ot = bpf_task_storage_get(&offcpu_task, prev, 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	sc = bpf_map_lookup_elem(&offcpu_scratch, &zero);
	next_seq = bpf_map_lookup_elem(&offcpu_seq, &zero);
	if (!ot) {
		tt_prof_count_drop(&offcpu_drops, TT_PDROP_OFF_TASK);
		return;
	}
	if (!sc || !next_seq)
		return;
	if (ot->gen != cfg->gen) { /* a new target: forget the old points */
		__builtin_memset(ot->slot, 0, sizeof(ot->slot));
		ot->gen = cfg->gen;
	}
	kb = bpf_get_stack(ctx, sc->kips, sizeof(sc->kips), 0);
	if (kb > 0)
		nk = (__u32)kb / 8;
	for (int i = 0; i < TT_PROF_KFRAMES; i++) {
		if (i >= nk)
			break;
		key = fnv(key, sc->kips[i]);
	}
	regs = (struct pt_regs *)bpf_task_pt_regs(prev);
	if (regs) {
		__builtin_memset(sc->words, 0, sizeof(sc->words));
		bpf_probe_read_user(sc->words, sizeof(sc->words),
				    (void *)regs->sp);
		key = fnv(fnv(key, regs->ip), regs->sp);
		for (int i = 0; i < 8; i++)
			key = fnv(key, sc->words[i]);
	}
	for (int i = 0; i < OFFCPU_SLOTS; i++)
		if (ot->slot[i].seq && ot->slot[i].key == key)
			seq = ot->slot[i].seq;
	if (!seq) {
		seq = __sync_fetch_and_add(next_seq, 1) + 1;
		s = ot->next++ % OFFCPU_SLOTS;
		evicted = ot->slot[s].seq;
		ot->slot[s].key = key;
		ot->slot[s].seq = seq;
		offcpu_capture(prev, sc, nk, seq, evicted);
	}
	ot->seq = seq;
	ot->start = now;
}

static __always_inline void tt_offcpu_switch(void *ctx,
					     struct task_struct *prev,
					     struct task_struct *next,
					     bool blocked, __u64 now)
{
	__u32 zero = 0;
	struct offcpu_cfg *cfg = bpf_map_lookup_elem(&offcpu_cfg, &zero);

	if (!cfg || !cfg->tgid)
		return;
	if (next->tgid == cfg->tgid)
		offcpu_in(next, cfg, now);
	if (blocked && prev->tgid == cfg->tgid)
		offcpu_out(ctx, prev, cfg, now);
}

#endif
