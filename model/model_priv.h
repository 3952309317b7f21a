/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_priv.h - the model's state, and the floor every part of a refresh
 * stands on (model_priv.c): the work table of what the kernel said, the
 * snapshot being built, and small helpers on keys, rates and histograms.
 * The parts above it, each with its own header: model_join.h (/proc),
 * model_tables.h (the kernel's figures as tables), model_events.h (the
 * event stream), model_exits.h (the processes that end), and model.c on
 * top. Only model/model*.c include it.
 */
#ifndef TT_MODEL_PRIV_H
#define TT_MODEL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bpf/collector.h"
#include "model/keysort.h"
#include "model/model_opts.h"
#include "model/procfs.h"
#include "model/snapshot.h"
#include "model/states.h"

#define MAX_NR 1024 /* syscall numbers kept system-wide (x86: ~460) */

/* One (process, syscall) entry as read; a row's become tt_sysc. */
struct work_sc {
	uint32_t nr;
	uint64_t count, errors, total_ns;
	struct tt_hist hist;
};

/* What the kernel said about a process besides its syscalls. */
struct work_more {
	struct tt_exit_val exit;
	struct { /* tt_sched_val without its histogram (1 KiB: see runq) */
		uint64_t voluntary, involuntary, migrations;
		struct tt_state_sums st; /* on-CPU time and thread states */
	} sched;
	struct tt_hist runq;
	struct tt_tcp_counts tcp;
	struct tt_open_slice open; /* its threads running now */
};

/*
 * What the kernel said about one process during this read, in the work
 * arena. Small: in a storm most keys are processes with a few syscalls
 * and nothing else (the syscall map holds 65,536 keys, the others 8,192),
 * so the rest is apart, made when a figure comes (tt_model_work_more).
 */
struct work {
	struct tt_key key;
	bool has_exit, has_sched, has_tcp, matched;
	uint32_t nsc, capsc;
	struct work_sc *sc;
	struct work_more *x; /* NULL until one of has_* is set */
};

/* /proc facts kept between refreshes, sorted by pid */
struct pcache {
	uint32_t pid, tgid;
	struct tt_procinfo info;
	char *cmdline, *cgroup;
	uint64_t activity; /* kernel counters' sum when last read */
	bool fresh;	   /* read during this refresh */
	uint64_t prev_ticks;
	double prev_time;
};

/* a cgroup's running totals; the name is malloc'ed */
struct groupacc {
	char *name;
	struct tt_group g;
};

struct sysacc {
	uint64_t count, errors, total_ns;
	uint64_t hist[TT_HIST_BUCKETS];
	bool seen;
};

/* connections: kept raw until build */
struct rawconn {
	uint64_t cookie; /* the socket cookie: unique for the boot */
	struct tt_conn_val v;
};

/* a task /proc lists; cmp_listed() sorts them by pid */
struct listed {
	uint32_t tgid, pid;
};

/* a growing list of process keys, sorted once complete */
struct keylist {
	struct tt_key *v;
	size_t n, cap;
};

struct tt_model {
	struct tt_model_opts o;
	struct tt_sink sink;
	struct tt_snapshot *cur;  /* being built */
	struct tt_snapshot *prev; /* last one built, for rates */
	double prev_mono, start_mono;
	uint64_t now_ns;	  /* the build's time, CLOCK_MONOTONIC ns */
	uint64_t prev_boot_ticks; /* CLOCK_BOOTTIME at the last build, ticks */
	uint64_t seq;
	bool list_due; /* list /proc in full at the next refresh */

	struct work **tab; /* open addressing on (pid, gen) */
	size_t tabcap, nwork;
	size_t exits_taken; /* exit records taken in this read */
	/* the work records themselves: freed once the snapshot is built,
	 * not kept in it (a storm's 65,536 syscall keys are as many records,
	 * 16 MB, and the previous snapshot's would stay besides) */
	struct tt_arena works;

	struct pcache *cache;
	size_t ncache;
	struct listed *listed;
	size_t nlisted, caplisted;

	struct sysacc *sys; /* by syscall number */
	uint64_t runq[TT_HIST_BUCKETS];
	uint64_t switches;

	/* this read's connections, raw, and their (cookie, record) pairs for
	 * sorting: not kept with the snapshot (10,000 connections: 3.4 MB a
	 * snapshot, the previous one's too), but kept from one read to the
	 * next, since allocating them afresh faulted in 4 MB a refresh; given
	 * back once mostly unused (model_tables.c) */
	struct rawconn *raw;
	size_t nraw, capraw;
	struct tt_keyed *rawkeys; /* 2 * capraw: pairs and sort scratch */
	struct tt_key *keys;	  /* the work table's keys, sorted */
	size_t nkeys, capkeys;
	struct groupacc *groups; /* open addressing on the name */
	size_t ngroups, capgroups;

	/* model_exits.c's: reported exited (zombies stay hidden), and gone
	 * from /proc with their exit record due; each refresh builds the
	 * next lists while it reads the last ones */
	struct keylist dead, pending, next_dead, next_pending;

	uint64_t anomalies; /* model_anomaly.c's */
	char anomaly[128];

	/* this interval's events (strings in cur's arena), and the execs
	 * remembered for the command lines of the gone (model_events.c) */
	struct tt_event *evs;
	size_t nev, capev;
	uint64_t ev_omitted;
	struct tt_execs *execs;
	void (*ev_hook)(void *ctx, const struct tt_event *ev);
	void *ev_hook_ctx;

	uint64_t dense[TT_HIST_BUCKETS]; /* scratch */
	struct tt_hbin bins[TT_HIST_BUCKETS];
};

/*
 * The snapshot being built (started on first use), or NULL on ENOMEM.
 * Everything below works on it, against m->prev.
 */
struct tt_snapshot *tt_model_cur(struct tt_model *m);

/* The work record of k, made on first use (NULL on ENOMEM). */
struct work *tt_model_work_get(struct tt_model *m, const struct tt_key *k);
/* The work record of (pid, gen) if the kernel reported it, or NULL. */
struct work *tt_model_work_find(struct tt_model *m, uint32_t pid, uint32_t gen);
/* w's figures besides syscalls, made zeroed on first use; NULL: no memory */
struct work_more *tt_model_work_more(struct tt_model *m, struct work *w);
/* Dense kernel histogram into a sparse copy in m->cur's arena. */
void tt_model_hist_copy(struct tt_model *m, struct tt_hist *h,
			const uint64_t *dense);

/* (cur - prev) / dt, 0 when the counter did not grow or dt is 0 */
double tt_model_per_s(uint64_t cur, uint64_t prev, double dt);
/* The process (pid, gen) in the previous snapshot, or NULL. */
const struct tt_proc *tt_model_prev_of(const struct tt_model *m, uint32_t pid,
				       uint32_t gen);
/* Does -p want this task (tgid 0: pid is a process)? */
bool tt_model_pid_wanted(const struct tt_model *m, uint32_t tgid, uint32_t pid);

/* Key order: by id, then gen (a qsort() and bsearch() comparator). */
int tt_model_cmp_key(const void *a, const void *b);
void tt_model_keys_add(struct keylist *l, uint32_t pid, uint32_t gen);
/* is k in l, which is sorted? */
bool tt_model_keys_has(const struct keylist *l, const struct tt_key *k);

#endif
