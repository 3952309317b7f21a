/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_priv.h - the model's state, shared by the files that make one
 * refresh: model.c (the kernel's records in, the snapshot out),
 * model_join.c (the /proc side) and model_tables.c (the kernel's figures
 * as tables, with rates). Only model/model*.c include it.
 */
#ifndef TT_MODEL_PRIV_H
#define TT_MODEL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/model.h"
#include "model/procfs.h"

#define MAX_NR 1024 /* syscall numbers kept system-wide (x86: ~460) */

/* What the kernel said about one process during this read. */
struct work {
	struct tt_key key;
	bool has_exit, has_sched, has_tcp, matched;
	struct tt_exit_val exit;
	struct tt_sysc *sc; /* grows in the snapshot arena */
	uint32_t nsc, capsc;
	struct tt_sched_val sched; /* hist left unused: see runq */
	struct tt_hist runq;
	struct tt_tcp_counts tcp;
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

/* connections: kept raw in a list until build */
struct rawconn {
	uint64_t cookie; /* the socket cookie: unique for the boot */
	struct tt_conn_val v;
	struct rawconn *next;
};

/* a task /proc lists; cmp_listed() sorts them by pid */
struct listed {
	uint32_t tgid, pid;
};

struct tt_model {
	struct tt_model_opts o;
	struct tt_sink sink;
	struct tt_snapshot *cur;  /* being built */
	struct tt_snapshot *prev; /* last one built, for rates */
	double prev_mono, start_mono;
	uint64_t prev_boot_ticks; /* CLOCK_BOOTTIME at the last build, ticks */
	uint64_t seq;

	struct work **tab; /* open addressing on (pid, gen) */
	size_t tabcap, nwork;

	struct pcache *cache;
	size_t ncache;
	struct listed *listed;
	size_t nlisted, caplisted;

	struct sysacc *sys; /* by syscall number */
	uint64_t runq[TT_HIST_BUCKETS];
	uint64_t switches;

	struct rawconn *rawconns; /* this read's, in the snapshot arena */
	struct tt_key *keys;	  /* the work table's keys, sorted */
	size_t nkeys, capkeys;
	struct groupacc *groups; /* open addressing on the name */
	size_t ngroups, capgroups;
	struct tt_key *dead; /* reported exited; zombies stay hidden */
	size_t ndead;
	struct tt_key *pending; /* gone from /proc, their exit record due */
	size_t npending;

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
 * Shared between the model's files; everything else in them is static.
 * They work on m->cur, the snapshot being built, against m->prev.
 */

/* model.c: the work table; hist_copy copies into m->cur's arena */
struct work *tt_model_work_find(struct tt_model *m, uint32_t pid, uint32_t gen);
void tt_model_hist_copy(struct tt_model *m, struct tt_hist *h,
			const uint64_t *dense);

/* model_events.c: the sink's on_event, the events into m->cur, and the
 * command line and parent an exec left (NULL when none) */
struct tt_execs;
struct tt_execs *tt_model_execs_new(void);
void tt_model_execs_free(struct tt_execs *x);
void tt_model_on_event(void *ctx, const struct tt_event *ev);
void tt_model_build_events(struct tt_model *m);
const char *tt_model_exec_cmdline(struct tt_model *m, uint32_t pid,
				  uint32_t gen, uint32_t *ppid);

/* model_join.c: /proc, and the sorted key sets (m->dead, m->pending) */
void tt_model_refresh_cache(struct tt_model *m, double now);
void tt_model_fill_procfs(struct tt_model *m, struct tt_proc *p,
			  struct pcache *c, double now);
bool tt_model_pid_wanted(const struct tt_model *m, uint32_t tgid, uint32_t pid);
int tt_model_cmp_key(const void *a, const void *b);
bool tt_model_key_in(const struct tt_key *v, size_t n, const struct tt_key *k);
bool tt_model_is_dead(const struct tt_model *m, uint32_t pid, uint32_t gen);

/*
 * model_tables.c: the kernel's figures, with rates. fill_kernel also adds
 * the process's growth to the system-wide sums, so it runs once per
 * process and refresh, before build_syscalls; build_groups reads the
 * finished m->cur->procs; build_conns uses up m->rawconns.
 */
double tt_model_per_s(uint64_t cur, uint64_t prev, double dt);
const struct tt_proc *tt_model_prev_of(const struct tt_model *m, uint32_t pid,
				       uint32_t gen);
void tt_model_fill_kernel(struct tt_model *m, struct tt_proc *p, struct work *w,
			  double dt);
void tt_model_build_conns(struct tt_model *m, double dt);
void tt_model_build_syscalls(struct tt_model *m, double dt);
void tt_model_build_groups(struct tt_model *m, double dt);

#endif
