/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * events.bpf.h - the event stream's kernel half, included by every object
 * that sends events. The three maps are created once by the collector and
 * shared by all objects (bpf_map__reuse_fd), so there is one ring buffer,
 * one rate limit per kind and one set of loss counters.
 *
 * Cost: a kind that is off is a constant false for the verifier, which
 * removes its code. An event costs a rate-limit check (one atomic add), a
 * ring buffer reservation and its fields; the reader is woken only once a
 * batch is waiting (ev_wakeup_bytes), otherwise it drains on its own
 * timer, so a busy stream does not cost a wakeup per event.
 */
#ifndef TRACETOP_EVENTS_BPF_H
#define TRACETOP_EVENTS_BPF_H

#include "common.bpf.h"

const volatile __u32 ev_kinds = 0;	  /* bit (1 << enum tt_ev_kind) */
const volatile __u32 ev_rate = 0;	  /* per kind and second; 0: none */
const volatile __u64 ev_wakeup_bytes = 0; /* wake the reader past this */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096); /* the collector's map replaces it */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TT_EV_KINDS);
	__type(key, __u32);
	__type(value, struct tt_ev_lost);
} ev_lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TT_EV_KINDS);
	__type(key, __u32);
	__type(value, struct tt_ev_window);
} ev_limit SEC(".maps");

#define tt_ev_on(k) (ev_kinds & (1u << (k)))

static __always_inline void tt_ev_lose(__u32 kind, bool limited)
{
	struct tt_ev_lost *l = bpf_map_lookup_elem(&ev_lost, &kind);

	/* per-CPU, but preemptible programs may interleave: atomic */
	if (l && limited)
		__sync_fetch_and_add(&l->limited, 1);
	else if (l)
		__sync_fetch_and_add(&l->full, 1);
}

/*
 * At most ev_rate events of a kind per one-second window, for all CPUs.
 * Opening a new window races with others' adds to the old one: a window
 * may let through a few more, never silently fewer (every refusal is
 * counted).
 */
static __always_inline bool tt_ev_admit(__u32 kind, __u64 now)
{
	__u64 sec = now / 1000000000ULL, old;
	struct tt_ev_window *w;

	if (!ev_rate)
		return true;
	w = bpf_map_lookup_elem(&ev_limit, &kind);
	if (!w)
		return true;
	old = w->window;
	if (old != sec &&
	    __sync_val_compare_and_swap(&w->window, old, sec) == old)
		w->count = 0;
	if (__sync_fetch_and_add(&w->count, 1) >= ev_rate) {
		tt_ev_lose(kind, true);
		return false;
	}
	return true;
}

/* A record of kind with its header's clock set, or NULL (counted). size
 * must be a constant. */
#define tt_ev_reserve(k_, size_, now_)                                         \
	({                                                                     \
		struct tt_ev_hdr *h_ = NULL;                                   \
		if (tt_ev_admit(k_, now_)) {                                   \
			h_ = bpf_ringbuf_reserve(&events, size_, 0);           \
			if (!h_)                                               \
				tt_ev_lose(k_, false);                         \
		}                                                              \
		if (h_) {                                                      \
			h_->ts = now_;                                         \
			h_->kind = k_;                                         \
			h_->pad = 0;                                           \
		}                                                              \
		(void *)h_;                                                    \
	})

/* pid, tid, gen, uid and comm of task t */
static __always_inline void tt_ev_task(struct tt_ev_hdr *h,
				       struct task_struct *t)
{
	struct task_struct *ro = tt_task_ro(t);

	h->pid = t->tgid;
	h->tid = t->pid;
	h->gen = ro->group_leader->start_boottime / TT_NS_PER_TICK;
	h->uid = ro->real_cred->uid.val;
	bpf_probe_read_kernel(h->comm, TT_COMM_LEN, t->comm);
}

/*
 * Wake the reader once, when the data waiting crosses ev_wakeup_bytes;
 * otherwise it drains on its own timer. Not at every event past the
 * mark: a reader that does not listen (or not yet) would make each one
 * pay for a wakeup. The reservation counts in AVAIL_DATA already.
 */
#define tt_ev_submit(e)                                                        \
	do {                                                                   \
		__u64 a_ = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);      \
		bool w_ = a_ >= ev_wakeup_bytes &&                             \
			  a_ - sizeof(*(e)) < ev_wakeup_bytes;                 \
		bpf_ringbuf_submit(e, w_ ? BPF_RB_FORCE_WAKEUP                 \
					 : BPF_RB_NO_WAKEUP);                  \
	} while (0)

#endif /* TRACETOP_EVENTS_BPF_H */
