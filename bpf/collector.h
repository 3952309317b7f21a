/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * collector.h - the kernel side as seen from user space: load and attach
 * the BPF programs, read their maps once per refresh, drop what is done.
 * Plain C: no libbpf type leaks out of bpf/, so model/ and tui/ never
 * include libbpf.
 *
 * Contract of tt_collector_read(): every entry is handed to the sink once
 * per call, with cumulative counters. Exit records are read first, so the
 * stats of a process reported as exited are final. After the call, the
 * entries of exited processes (and closed connections) are gone from the
 * kernel maps: the sink sees them exactly once more after they end.
 */
#ifndef TT_COLLECTOR_H
#define TT_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/tracetop.h"
#include "bpf/event.h"

enum tt_subsys {
	TT_SYS_SYSCALLS,
	TT_SYS_TCP,
	TT_SYS_SCHED,
	TT_SYS_PROC,
	TT_SYS_MAX
};

struct tt_collector_opts {
	bool enable[TT_SYS_MAX]; /* TT_SYS_PROC is always on */
	uint32_t pids[TT_MAX_FILTER_PIDS];
	unsigned npids;
	int64_t uid; /* -1: any user */
	bool per_thread;
	bool bpf_stats; /* enable the kernel's run-time stats while running */
	/* the profiler (bpf/profiler.h), started by the live source */
	unsigned prof_hz;      /* on-CPU samples a second per CPU; 0: off */
	bool prof_user_unwind; /* copy stacks, never unwind in the kernel */
	uint32_t offcpu_pid;   /* where it blocks, from the start; 0: none */
	/* the event stream (tt_collector_drain); all zero: no events */
	uint32_t ev_kinds;     /* bit (1 << enum tt_ev_kind) */
	uint32_t ev_rate;      /* per kind and second, 0: no limit */
	uint32_t ev_buffer;    /* ring buffer bytes, a power of 2 >= 4096 */
	uint64_t slow_ns;      /* TT_EV_SLOW threshold */
	uint64_t slow_skip[8]; /* syscall numbers never reported slow */
	uint64_t runq_slow_ns; /* TT_EV_RUNQ threshold */
	uint64_t sig_skip;     /* bit (1 << signal): no TT_EV_SIGNAL */
};

/* A probe (one attach point) and what became of it. */
struct tt_probe {
	const char *subsys; /* "syscalls", "tcp", "sched", "proc" */
	const char *name;   /* the tracepoint, "raw_syscalls:sys_enter" */
	bool attached;
	char reason[160]; /* why not, when !attached */
};

/* What the kernel programs cost: summed run time and runs of all programs */
struct tt_cost {
	uint64_t run_ns;
	uint64_t run_cnt;
	uint64_t map_bytes; /* memory the maps may use at their sizes */
	bool estimated;	    /* run_ns from runs x calibrated ns per run */
	uint64_t bpf_calls; /* bpf() calls made reading maps and costs */
};

struct tt_sink {
	void *ctx;
	/* false (only when may_wait): not in this read. The record stays
	 * in the map for the next, and the process's entries in the other
	 * maps are left unread with it: its figures come whole, with its
	 * record, in a later read. */
	bool (*on_exit)(void *ctx, const struct tt_key *k,
			const struct tt_exit_val *v, bool may_wait);
	void (*on_syscall)(void *ctx, const struct tt_sc_key *k,
			   const struct tt_sc_val *v);
	void (*on_sched)(void *ctx, const struct tt_key *k,
			 const struct tt_sched_val *v);
	void (*on_tcp)(void *ctx, const struct tt_key *k,
		       const struct tt_tcp_val *v);
	void (*on_conn)(void *ctx, uint64_t cookie,
			const struct tt_conn_val *v);
	/* what a CPU runs now (a watched task), after the sched stats */
	void (*on_running)(void *ctx, const struct tt_cpu_slot *s);
	/* an event of the stream; its strings live during the call only */
	void (*on_event)(void *ctx, const struct tt_event *ev);
};

struct tt_collector;

/*
 * Open, load and attach. On success *out is set and 0 returned, even when
 * some probes failed (see tt_collector_probes); a negative errno when
 * nothing could be loaded, with a message in err.
 */
int tt_collector_new(const struct tt_collector_opts *opts,
		     struct tt_collector **out, char *err, size_t errlen);
void tt_collector_free(struct tt_collector *c);

/* The probes tried, in a fixed order; *n is set to their number. */
const struct tt_probe *tt_collector_probes(const struct tt_collector *c,
					   size_t *n);
/* "on", or "off: <reason>" for a subsystem */
const char *tt_collector_status(const struct tt_collector *c, enum tt_subsys s);

/* Drains the event stream first (tt_collector_drain), then the maps. */
int tt_collector_read(struct tt_collector *c, const struct tt_sink *sink);

/*
 * The event stream: the fd to poll (readable once a batch waits in the
 * ring buffer; -1 when events are off), and the drain that hands every
 * waiting event to sink->on_event. Returns the number drained or a
 * negative errno.
 */
int tt_collector_events_fd(const struct tt_collector *c);
int tt_collector_drain(struct tt_collector *c, const struct tt_sink *sink);
/* Cumulative events lost per kind: to a full ring buffer, to the limit. */
void tt_collector_events_lost(struct tt_collector *c,
			      uint64_t full[TT_EV_KINDS],
			      uint64_t limited[TT_EV_KINDS]);

/* Forget a process the model found gone without an exit record. */
void tt_collector_forget(struct tt_collector *c, const struct tt_key *k);

/* Cumulative loss counters, indexed by enum tt_drop. */
void tt_collector_drops(struct tt_collector *c, uint64_t out[TT_DROP_MAX]);
void tt_collector_cost(struct tt_collector *c, struct tt_cost *out);

/* libbpf's messages go here instead of the terminal (it may be ncurses'). */
typedef void (*tt_log_fn)(const char *line);
void tt_collector_set_log(tt_log_fn fn);

#endif
