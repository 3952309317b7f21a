/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * snapshot.h - one refresh worth of data, immutable once built. The screen,
 * the batch and JSON outputs, the recorder and the exporter all read the
 * same struct; a replayed recording produces the same struct too.
 *
 * Counters are cumulative since tracing began; rates are per second over
 * the interval the snapshot closes. Percentiles come from the cumulative
 * histograms. All memory hangs off the snapshot's arena and goes with it.
 */
#ifndef TT_SNAPSHOT_H
#define TT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/hist.h"
#include "prof/arena.h"
#include "bpf/event.h"

#define TT_SCHEMA 1

enum tt_probe_set {
	TT_PROBE_SYSCALLS,
	TT_PROBE_TCP,
	TT_PROBE_SCHED,
	TT_PROBE_MAX
};

/* One syscall: of one process, or summed over the system. */
struct tt_sysc {
	uint32_t nr;
	const char *name; /* "getppid", or "sys_123" when unknown */
	uint64_t count, errors, total_ns;
	double rate, err_rate; /* per second */
	double time_rate;      /* ns spent per second of interval */
	uint64_t p50_ns, p90_ns, p99_ns;
	struct tt_hist hist;
};

struct tt_tcp_counts {
	uint64_t tx_bytes, rx_bytes, connects, accepts, retransmits, resets;
};

/* Where a process's threads spent their time (model/states.c). */
enum tt_state {
	TT_ST_RUNNING,
	TT_ST_RUNNABLE,
	TT_ST_SLEEPING,
	TT_ST_BLOCKED,
	TT_ST_MAX
};

/* One frame of a call chain (prof/): kernel frames are the leaf end. */
struct tt_frame {
	const char *name; /* "spin_a", "libc.so.6+0x2724a", "[unknown]" */
	const char
		*module; /* "wl-profile", "libc.so.6", "[kernel]", "[vdso]" */
	bool kernel;
};

/* One call chain of a process in the interval. */
struct tt_stack {
	uint64_t weight; /* on-CPU: samples; off-CPU: ns off the CPU */
	uint64_t events; /* on-CPU: samples; off-CPU: waits */
	uint32_t nframes;
	bool truncated; /* the chain was cut: its root part is missing */
	const struct tt_frame *const *frames; /* root first */
};

/* A function over all processes, on-CPU, in the interval: samples with it
 * as the leaf (self) and anywhere in the chain (total). */
struct tt_pfunc {
	const char *name, *module;
	bool kernel;
	uint64_t self, total;
	double self_pct, total_pct; /* of the interval's samples */
};

#define TT_TOP_STACKS 32 /* per process and kind in a snapshot */
#define TT_TOP_FUNCS  200

struct tt_proc {
	uint32_t pid; /* tid with per-thread rows */
	uint32_t gen; /* start time in clock ticks: (pid, gen) is unique */
	uint32_t ppid, uid, threads;
	char comm[16];
	char user[32];
	char state; /* as /proc/PID/stat; 'X' once exited */
	bool exited;
	bool gone; /* not in /proc, its exit record not read yet: exiting,
		    * /proc's figures (state, RSS, threads) unknown */
	const char *cmdline; /* "" when unknown */
	const char *cgroup;  /* "/system.slice/ssh.service", "" unknown */
	uint64_t rss_bytes;
	uint64_t cpu_ticks; /* utime + stime, clock ticks, from /proc */
	double cpu_pct;	    /* of one CPU, like top */

	/* syscalls */
	uint64_t sc_count, sc_errors;
	double sc_rate, sc_err_rate;
	uint64_t sc_p99_ns; /* over all of its syscalls */
	const char *top_sc; /* most frequent in the interval, "" if none */
	uint32_t nsc;
	struct tt_sysc *sc; /* sorted by count, descending */

	/* TCP */
	struct tt_tcp_counts tcp;
	double tx_rate, rx_rate; /* bytes per second */
	uint32_t connections;	 /* open connections it owns */

	/* scheduler */
	uint64_t oncpu_ns, voluntary, involuntary, migrations;
	double oncpu_pct; /* on-CPU time over the interval, % of one CPU */
	double csw_rate;  /* context switches per second */
	uint64_t runq_p50_ns, runq_p99_ns;
	struct tt_hist runq;

	/* thread states: its threads' ns in each, cumulative (never
	 * decreasing), and each one's share of the interval in percent
	 * (all 0 when nothing is known) */
	uint64_t state_ns[TT_ST_MAX];
	double state_pct[TT_ST_MAX];
	uint32_t ghosts[2];   /* states.c's own: sleeps whose end was lost */
	uint64_t ghost_ts[2]; /* and when each was found, summed */

	/* profile of the interval (prof/): on-CPU samples and the heaviest
	 * call chains; off-CPU (the process drilled into only) the time
	 * off the CPU, the waits, and where */
	uint64_t prof_samples;
	uint32_t nstacks;
	const struct tt_stack *stacks; /* by weight, descending */
	uint64_t offcpu_ns, offcpu_waits;
	uint32_t noffcpu;
	const struct tt_stack *offcpu;
};

struct tt_conn {
	uint64_t id; /* the socket cookie: never reused until reboot */
	uint32_t pid;
	char comm[16];
	uint16_t family; /* 4 or 6 */
	uint16_t sport, dport;
	char saddr[48], daddr[48];
	const char *state; /* "ESTABLISHED", ... */
	bool closed;
	uint64_t tx_bytes, rx_bytes, retransmits;
	double tx_rate, rx_rate;
	uint32_t srtt_us;
	uint64_t connect_ns; /* 0 when unknown (not seen connecting) */
};

/*
 * Totals per cgroup (container, systemd service), cumulative since tracing
 * began, exited processes included: what the exporter publishes, since
 * per-PID series explode a time-series database.
 */
struct tt_group {
	const char *name; /* the cgroup path, "/" for the root */
	uint64_t sc_count, sc_errors, tx_bytes, rx_bytes, connects, retransmits,
		oncpu_ns, switches;
	uint64_t state_ns[TT_ST_MAX]; /* its threads' time in each state */
	double sc_rate, tx_rate, rx_rate, cpu_pct; /* over the interval */
	uint32_t procs; /* live processes in it now */
	/* events of the stream by kind and outcome, cumulative; an event
	 * goes to its process's cgroup, or its parent's when the process
	 * was gone before /proc was read */
	uint64_t ev_execs, ev_exec_failures;
	uint64_t ev_exits[3];	 /* code 0, another code, by a signal */
	uint64_t ev_connects[4]; /* by enum tt_ev_connect_result */
	uint64_t ev_ooms, ev_slow;
};

/* The profiler, for the whole snapshot. */
struct tt_profile_info {
	char status[128];	 /* "on", "off: <reason>" */
	char offcpu_status[128]; /* the same for off-CPU stacks */
	unsigned hz;		 /* samples a second per CPU */
	uint32_t offcpu_pid;	 /* whose waits are being captured, or 0 */
	uint64_t samples;	 /* on-CPU samples counted in the interval */
	uint64_t lost;		 /* cumulative: samples and waits lost */
	uint64_t truncated;	 /* cumulative: samples with a cut chain */
	/* cumulative: user stacks the kernel unwound, and those it handed
	 * over copied instead (no tables yet, JIT code, an exec) */
	uint64_t kunwound, kcopied;
	double cpu_pct; /* the unwinding and naming thread, of a CPU */
	size_t nfuncs;
	struct tt_pfunc *funcs; /* by total, descending (TT_TOP_FUNCS) */
};

/* What tracetop itself costs. */
struct tt_self_cost {
	double bpf_ns_per_s; /* kernel run time of our programs per second */
	double bpf_events_per_s;
	bool bpf_estimated;  /* runs x ns per run measured at start-up */
	double user_cpu_pct; /* our process, user + system */
	uint64_t map_bytes;  /* BPF map memory */
	uint64_t rss_bytes;
	uint64_t bpf_calls; /* bpf() calls of the refresh that made this */
};

struct tt_snapshot {
	int refs;
	struct tt_arena arena;

	int schema;
	char version[32];
	char host[64];
	char kernel[64];
	double time;	   /* UNIX seconds, UTC */
	double interval_s; /* seconds this snapshot closes */
	int cpus;
	bool per_thread;
	char probes[TT_PROBE_MAX]
		   [192];      /* "on[; partial, off: ...]" or "off: reason" */
	bool oncpu_pct_absent; /* read from a recording older than the field */
	uint64_t lost[TT_DROP_MAX]; /* cumulative, by enum tt_drop */
	uint64_t lost_total; /* lost[], the events and the profile lost */
	struct tt_self_cost cost;
	struct tt_profile_info prof;
	/* counters lower than in the snapshot before (a bug or a reset),
	 * since tracing began, and the last one: "" when none */
	uint64_t anomalies;
	char anomaly[128];

	size_t nprocs;
	struct tt_proc *procs; /* in pid order */
	size_t nconns;
	struct tt_conn *conns;
	size_t nsyscalls;
	struct tt_sysc *syscalls; /* system-wide, by count descending */
	size_t ngroups;
	struct tt_group *groups; /* by syscall count, descending */

	/* the event stream: this interval's events, in time order, at most
	 * the model's ev_max (the rest are counted in events_omitted); and
	 * the events lost in the kernel, cumulative, by kind */
	bool events_on;
	size_t nevents;
	struct tt_event *events;
	void *events_block; /* events, when malloc'd apart from the arena */
	void *procs_block;  /* procs, when malloc'd apart from the arena */
	uint64_t events_omitted;
	uint64_t ev_lost_full[TT_EV_KINDS];    /* ring buffer full */
	uint64_t ev_lost_limited[TT_EV_KINDS]; /* over the rate limit */

	/* system-wide totals */
	struct tt_hist runq; /* run-queue latency, cumulative */
	uint64_t runq_p50_ns, runq_p99_ns;
	uint64_t switches;
	double switch_rate, sc_rate, sc_err_rate, tx_rate, rx_rate;
	double cpu_pct; /* summed over processes, of one CPU */
};

const char *tt_probe_set_name(enum tt_probe_set p);

struct tt_snapshot *tt_snapshot_new(void);
struct tt_snapshot *tt_snapshot_ref(struct tt_snapshot *s);
void tt_snapshot_unref(struct tt_snapshot *s);

/* A deep copy with only what a heatmap reads: the system-wide syscalls
 * and run-queue histogram, and process keep_pid (0: none). NULL on ENOMEM. */
struct tt_snapshot *tt_snapshot_slim(const struct tt_snapshot *s,
				     uint32_t keep_pid);

/* Lookup by pid, the living instance first; NULL when absent. procs
 * must be in pid order. */
const struct tt_proc *tt_snapshot_find(const struct tt_snapshot *s,
				       uint32_t pid);
/* The process instance (pid, gen): an exited process and a new one may
 * share a pid within one snapshot. */
const struct tt_proc *tt_snapshot_find_gen(const struct tt_snapshot *s,
					   uint32_t pid, uint32_t gen);
/* The syscall entry of p named name, or NULL */
const struct tt_sysc *tt_proc_syscall(const struct tt_proc *p,
				      const char *name);

/* Is prev the snapshot right before s: does s's interval start at it? */
bool tt_snapshot_follows(const struct tt_snapshot *s,
			 const struct tt_snapshot *prev);

/*
 * Rates a recording older than them does not carry (oncpu_pct), from prev,
 * the record before s: only when prev is where s's interval starts, so
 * that they are the interval's; else they stay 0.
 */
void tt_snapshot_rates_from(struct tt_snapshot *s,
			    const struct tt_snapshot *prev);

/* Fill the derived fields (percentiles, totals) of a built snapshot. */
void tt_snapshot_finish(struct tt_snapshot *s);
/* lost_total: map losses and events lost, of every kind and cause */
void tt_snapshot_sum_lost(struct tt_snapshot *s);

/* Each function's self and total share of s->prof.samples, once its
 * functions are in (live or replayed). */
void tt_snapshot_prof_shares(struct tt_snapshot *s);

#endif
