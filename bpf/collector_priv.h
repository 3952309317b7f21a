/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * collector_priv.h - the collector's state, shared by its parts:
 * collector.c (load, attach), collector_cost.c (what the programs cost),
 * collector_read.c (the maps, each refresh), collector_conns.c (the
 * connections in it), collector_events.c,
 * collector_states.c and collector_warm.c. Nothing outside bpf/ includes
 * this.
 */
#ifndef TT_COLLECTOR_PRIV_H
#define TT_COLLECTOR_PRIV_H

#include <time.h>
#include <bpf/libbpf.h>
#include "bpf/collector.h"
#include "bpf/conn_cache.h"
#include "bpf/maps.h"
#include "bpf/owner_bytes.h"

#define MAX_PROGS 8

/* tcp.bpf.c's program that takes each connection's state from its socket */
#define TT_CONN_SWEEP  "tt_conn_sweep"
#define TT_SWEEP_EVERY 16 /* reads between sweeps of idle connections */

struct subsys {
	const char *name;
	void *skel;
	struct bpf_object *obj;
	void (*destroy)(void *skel);
	struct bpf_link *links[MAX_PROGS];
	size_t nlinks;
	bool on;
	bool loaded;
	int load_err;	  /* why it did not load: -errno */
	char status[192]; /* "on" or "off: reason" */
	/* programs the kernel refused while loading, and why: made probes
	 * after the loads, which run on two threads (collector.c) */
	struct {
		char prog[64];
		char reason[160];
	} refused[MAX_PROGS];
	size_t nrefused;
};

struct tt_collector {
	struct subsys sub[TT_SYS_MAX];
	struct tt_probe probes[TT_SYS_MAX * MAX_PROGS];
	size_t nprobes;
	struct tt_keyset exited; /* reported as exited; drop their entries */
	struct tt_keyset forget; /* from the model: gone without a record */
	struct tt_keyset later;	 /* exit record left for the next read */
	/* owners' connection bytes (owner_bytes.h): in the conns read now,
	 * of conns deleted before, of conns closing now; owners seen alive */
	struct tt_ownb own_live, own_retired, own_closing;
	struct tt_keyset tcp_alive;
	/* the connection sweep (collector_read.c): due after a read that saw
	 * a connection between states; else once in TT_SWEEP_EVERY reads */
	bool sweep_due;
	unsigned sweep_skipped;
	/* the connections as last read, and the programs' changed marks
	 * (collector_conns.c); conn_ctl is mapped from the tcp object */
	struct tt_conn_cache conns;
	struct tt_conn_ctl *conn_ctl;
	bool conn_ctl_failed; /* no marks: every read walks the map */
	struct tt_map_reader reader;
	int stats_fd;
	/* the cost model (tt_collector_cost): ns per run of each program,
	 * measured while stats_fd held the kernel's run-time stats on */
	double t0; /* CLOCK_MONOTONIC at start */
	bool calibrated;
	/* the maps' memory, read again every MAP_BYTES_S: reading 40
	 * fdinfo files was a twentieth of a refresh's CPU */
	uint64_t map_bytes;
	double map_bytes_at;
	double ns_per_run[TT_SYS_MAX][MAX_PROGS];
	uint64_t prev_runs[TT_SYS_MAX]
			  [MAX_PROGS]; /* counted at the last read */
	struct tt_cost kernel; /* the kernel's figures at the last read */
	struct tt_cost total;  /* handed out: only grows */
	bool estimated;	       /* the last interval's cost was */
	/* the event stream's maps, shared by every object (events.bpf.h) */
	int ev_fd, ev_lost_fd, ev_limit_fd;
	struct ring_buffer *rb;
	double mono_to_real; /* CLOCK_REALTIME - CLOCK_MONOTONIC, seconds */
	const struct tt_sink *drain_sink; /* during tt_collector_drain */
	int drained;
};

/* collector_events.c */
int tt_events_create(struct tt_collector *c, const struct tt_collector_opts *o,
		     char *err, size_t errlen);
int tt_events_share(struct tt_collector *c, struct bpf_object *obj);
int tt_events_start(struct tt_collector *c);
void tt_events_free(struct tt_collector *c);

/* slot of program prog in subsystem s's table (= its tt_run() slot), or -1 */
int tt_collector_run_slot(int s, const char *prog);

static inline double tt_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* collector_warm.c: the growing hashes' element caches, before attach */
void tt_collector_warm(struct tt_collector *c);

int tt_collector_map_fd(struct tt_collector *c, int s, const char *name);
/* collector_conns.c: the connections into sink (before the processes'
 * TCP entries: their owners' bytes go with them); free its state */
int tt_collector_read_conns(struct tt_collector *c, const struct tt_sink *sink);
void tt_collector_conns_free(struct tt_collector *c);
/* collector_states.c: each CPU's running task to sink->on_running */
int tt_collector_read_running(struct tt_collector *c,
			      const struct tt_sink *sink);

#endif
