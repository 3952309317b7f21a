/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * states.h - where a process's threads spent their time: running,
 * runnable (waiting for a CPU), sleeping (interruptibly: waiting for an
 * event, a timer, input) and blocked (uninterruptibly: usually disk or a
 * lock, what the load average counts). From sched.bpf.c's counters
 * (struct tt_sched_val) and what each CPU runs right now (struct
 * tt_cpu_slot), so a thread that has been running or sleeping for a long
 * time counts up to the moment of reading, not only when it switches.
 */
#ifndef TT_STATES_H
#define TT_STATES_H

#include <stdint.h>
#include <linux/types.h>
#include "bpf/tracetop.h"
#include "model/snapshot.h"

/*
 * What states.c reads of a struct tt_sched_val: all but its run-queue
 * histogram. A process's work record keeps only this (model_priv.h): a
 * fork storm makes thousands of them, and the histogram is 1 KiB.
 */
struct tt_state_sums {
	uint64_t oncpu_ns, runq_ns;
	uint64_t sleeps[2], sleep_out[2], sleep_in[2], wakes[2];
};

void tt_state_sums_of(struct tt_state_sums *s, const struct tt_sched_val *v);

/* What the CPUs running a process's threads add at the time of reading. */
struct tt_open_slice {
	uint32_t running;    /* threads running now */
	uint64_t run_ns;     /* running since their switch-in */
	uint64_t runq_ns;    /* their last run-queue wait, not yet counted */
	uint64_t wake_in[2]; /* ends of sleeps, not yet counted */
	uint64_t wakes[2];
};

/* Add CPU slot s (its task running at now_ns) to o. */
void tt_states_open_add(struct tt_open_slice *o, const struct tt_cpu_slot *s,
			uint64_t now_ns);

/*
 * p->state_ns and p->state_pct from v, the open slices o (NULL: none) at
 * now_ns (CLOCK_MONOTONIC ns, the BPF clock), and the previous snapshot's
 * pp (NULL: none). state_ns never decreases: a correction that would take
 * some time back (a thread counted asleep until now, found since to have
 * woken earlier) is absorbed by the next intervals.
 *
 * A wakeup the kernel never reports (now and then; states.c) would
 * leave a sleep open for ever: more open sleeps than the process
 * has threads not running (p->threads, from /proc) are ghosts, and from
 * the snapshot they are found in on they stop counting; dt_ns, the
 * interval, finds those of a thread never seen running: its threads
 * cannot spend more than threads x dt_ns.
 */
void tt_states_fill(struct tt_proc *p, const struct tt_state_sums *v,
		    const struct tt_open_slice *o, uint64_t now_ns,
		    uint64_t dt_ns, const struct tt_proc *pp);

const char *tt_state_name(enum tt_state s);

#endif
