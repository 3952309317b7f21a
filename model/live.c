// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * live.c - the live source: read the maps, build the snapshot, stamp it
 * with what a reader needs to trust it (probe status, losses, our cost).
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include "bpf/faults.h"
#include "model/evbatch.h"
#include "model/live.h"
#include "model/model.h"
#include "model/profile_live.h"

#ifndef TT_VERSION
#define TT_VERSION "0.1"
#endif

struct live {
	struct tt_source src;
	struct tt_collector *col;
	struct tt_model *model;
	struct tt_prof_live *prof; /* NULL: profiling off, prof_off says why */
	char prof_off[256];
	struct tt_evbatch *batch; /* the step's events, while one is wanted */
	struct tt_cost prev_cost;
	double prev_mono, prev_cpu;
	uint64_t prev_dropped; /* the kernel's drops, summed, last read */
	char host[64], kernel[64];
	int cpus;
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* our own CPU seconds, user + system */
static double self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static uint64_t self_rss(void)
{
	unsigned long size, rss = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (f) {
		/* the kernel writes it: no overflow to catch */
		/* NOLINTNEXTLINE(cert-err34-c) */
		if (fscanf(f, "%lu %lu", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* Free heap above this goes back to the kernel, at most once a second. */
#define HEAP_SLACK ((size_t)1 << 20)

/*
 * A burst (thousands of short-lived processes in one interval) grows the
 * heap by tens of MiB for one snapshot. Once freed, glibc keeps those pages:
 * live blocks sit among them, so the top of the heap cannot shrink, and RSS
 * stays at the burst's peak for good (10 -> 63 MiB in the hardening soak).
 * malloc_trim() also returns whole free pages from the middle of the heap.
 * Not at every refresh: the next snapshot faults its pages in again (a
 * few hundred faults, well under a millisecond). Waiting until free
 * outweighed use, as before, left up to 4 MiB and as much as the heap
 * held in use resident (soak: 7.6 -> 10.0 MiB over the 10 minutes).
 */
static void heap_settle(void)
{
#ifdef __GLIBC__
	static double last;
	struct mallinfo2 mi = mallinfo2();
	double now = mono_now();

	if (mi.fordblks > HEAP_SLACK && now - last >= 1.0) {
		malloc_trim(0);
		last = now;
	}
#endif
}

static void forget_cb(void *ctx, const struct tt_key *k)
{
	tt_collector_forget(ctx, k);
}

/* Read the maps and close the interval: a snapshot, or an error. */
static void live_snapshot(struct live *l, struct tt_step *out)
{
	struct tt_snapshot *s;
	struct tt_cost cost;
	uint64_t drops[TT_DROP_MAX], dropped = 0;
	double now, cpu, dt;
	int e;

	heap_settle(); /* what the reader freed since the last snapshot */
	e = tt_collector_read(l->col, tt_model_sink(l->model));
	if (e) {
		/* the other maps were read: a snapshot still, and a warning */
		out->outcome = TT_STEP_WARNING;
		snprintf(out->msg, sizeof(out->msg), "reading BPF maps: %s",
			 strerror(-e));
	}
	/* a record lost may be a new process's only report */
	tt_collector_drops(l->col, drops);
	for (int i = 0; i < TT_DROP_MAX; i++)
		dropped += drops[i];
	if (dropped != l->prev_dropped)
		tt_model_list_all(l->model);
	l->prev_dropped = dropped;
	now = mono_now();
	s = tt_model_build(l->model, now, real_now(), forget_cb, l->col);
	if (!s) {
		out->outcome = TT_STEP_ERROR;
		snprintf(out->msg, sizeof(out->msg),
			 "building the snapshot: %s", strerror(ENOMEM));
		return;
	}
	snprintf(s->version, sizeof(s->version), "%s", TT_VERSION);
	memcpy(s->host, l->host, sizeof(s->host));
	memcpy(s->kernel, l->kernel, sizeof(s->kernel));
	s->cpus = l->cpus;
	snprintf(s->probes[TT_PROBE_SYSCALLS], sizeof(s->probes[0]), "%s",
		 tt_collector_status(l->col, TT_SYS_SYSCALLS));
	snprintf(s->probes[TT_PROBE_TCP], sizeof(s->probes[0]), "%s",
		 tt_collector_status(l->col, TT_SYS_TCP));
	snprintf(s->probes[TT_PROBE_SCHED], sizeof(s->probes[0]), "%s",
		 tt_collector_status(l->col, TT_SYS_SCHED));
	memcpy(s->lost, drops, sizeof(s->lost));
	tt_collector_events_lost(l->col, s->ev_lost_full, s->ev_lost_limited);
	s->events_on = tt_collector_events_fd(l->col) >= 0;
	tt_snapshot_sum_lost(s);

	tt_collector_cost(l->col, &cost);
	cpu = self_cpu();
	dt = now - l->prev_mono;
	if (dt > 0) {
		s->cost.bpf_ns_per_s =
			(double)(cost.run_ns - l->prev_cost.run_ns) / dt;
		s->cost.bpf_events_per_s =
			(double)(cost.run_cnt - l->prev_cost.run_cnt) / dt;
		s->cost.user_cpu_pct = 100.0 * (cpu - l->prev_cpu) / dt;
	}
	s->cost.map_bytes = cost.map_bytes;
	s->cost.bpf_estimated = cost.estimated;
	s->cost.rss_bytes = self_rss();
	if (l->prof)
		tt_prof_live_fill(l->prof, s, dt);
	else
		snprintf(s->prof.status, sizeof(s->prof.status), "%.*s",
			 (int)sizeof(s->prof.status) - 1, l->prof_off);
	s->cost.bpf_calls = cost.bpf_calls - l->prev_cost.bpf_calls;
	l->prev_cost = cost;
	l->prev_cpu = cpu;
	l->prev_mono = now;
	out->snap = s;
	out->has |= TT_REC_SNAPSHOT;
}

/* the model's hook: an event drained while a step wants a batch */
static void batch_event(void *ctx, const struct tt_event *ev)
{
	struct live *l = ctx;

	if (l->batch)
		tt_evbatch_add(l->batch, ev);
}

/* Take in the events that wait (into the snapshot being built). */
static void live_drain(struct live *l, struct tt_step *out)
{
	int e = tt_collector_drain(l->col, tt_model_sink(l->model));

	if (e < 0) {
		out->outcome = TT_STEP_WARNING;
		snprintf(out->msg, sizeof(out->msg), "reading events: %s",
			 strerror(-e));
	}
}

static void live_step(struct tt_source *src, unsigned want, struct tt_step *out)
{
	struct live *l = (struct live *)src;

	/* the events drained during this step, handed over as they came */
	if (want & TT_REC_EVENTS) {
		l->batch = tt_evbatch_new();
		if (!l->batch) {
			out->outcome = TT_STEP_ERROR;
			snprintf(out->msg, sizeof(out->msg),
				 "taking in events: %s", strerror(ENOMEM));
			return;
		}
	}
	if (want & TT_REC_SNAPSHOT)
		live_snapshot(l, out); /* drains first */
	else
		live_drain(l, out);
	if (l->batch) {
		if (out->outcome == TT_STEP_ERROR) {
			tt_evbatch_free(l->batch);
		} else {
			out->events = l->batch;
			out->has |= TT_REC_EVENTS;
		}
		l->batch = NULL;
	}
}

static int live_fd(const struct tt_source *src)
{
	return tt_collector_events_fd(((const struct live *)src)->col);
}

static void live_destroy(struct tt_source *src)
{
	struct live *l = (struct live *)src;

	tt_prof_live_free(l->prof); /* first: it reads the collector's maps */
	tt_model_free(l->model);
	tt_collector_free(l->col); /* detaches every program */
	free(l);
}

/* where the drilled-into process blocks: its off-CPU stacks */
static int live_watch(struct tt_source *src, uint32_t pid)
{
	struct live *l = (struct live *)src;

	return l->prof ? tt_prof_live_offcpu(l->prof, pid) : -ENOTSUP;
}

/*
 * Collection goes on while the screen is paused: the kernel counts on.
 * Events stream in between snapshots, through the ring buffer's fd.
 */
static const struct tt_source_ops live_ops = {
	.caps = TT_SRC_REALTIME | TT_SRC_STREAM | TT_SRC_WATCH,
	.step = live_step,
	.fd = live_fd,
	.watch = live_watch,
	.destroy = live_destroy,
};

struct tt_collector *tt_live_collector(struct tt_source *src)
{
	return ((struct live *)src)->col;
}

const char *tt_live_prof_status(struct tt_source *src, bool offcpu)
{
	struct live *l = (struct live *)src;

	return l->prof ? tt_prof_live_status(l->prof, offcpu) : l->prof_off;
}

/*
 * The profiler: its failure is not the source's, it shows in the
 * snapshot's profile status. Its object loads on a thread of its own
 * while the collector's load (the in-kernel unwinder alone keeps the
 * verifier some 65 ms): start-up is then the longest load, not the sum.
 */
static void prof_load(struct live *l, const struct tt_collector_opts *o)
{
	struct tt_prof_live_opts po = { 0 };

	if (!o->prof_hz && !o->offcpu_pid) {
		snprintf(l->prof_off, sizeof(l->prof_off), "off: by option");
		return;
	}
	po.hz = o->prof_hz;
	po.user_unwind = o->prof_user_unwind;
	memcpy(po.pids, o->pids, sizeof(po.pids));
	po.npids = o->npids;
	po.uid = o->uid;
	po.per_thread = o->per_thread;
	po.offcpu_pid = o->offcpu_pid;
	if (tt_prof_live_load(&po, &l->prof))
		snprintf(l->prof_off, sizeof(l->prof_off), "off: %s",
			 strerror(ENOMEM));
}

static void prof_start(struct live *l)
{
	char err[240];

	if (l->prof && tt_prof_live_start(l->prof, l->col, err, sizeof(err))) {
		tt_prof_live_free(l->prof);
		l->prof = NULL;
		snprintf(l->prof_off, sizeof(l->prof_off), "off: %.240s", err);
	}
}

int tt_live_new(const struct tt_collector_opts *o, unsigned ev_max,
		struct tt_source **out, char *err, size_t errlen)
{
	struct live *l = calloc(1, sizeof(*l));
	struct tt_model_opts mo = { 0 };
	struct utsname u;
	int e;

	*out = NULL;
	if (!l) {
		snprintf(err, errlen, "starting: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	l->prev_mono = mono_now();
	l->prev_cpu = self_cpu();
	prof_load(l, o);
	e = tt_collector_new(o, &l->col, err, errlen);
	if (!l->col) {
		tt_prof_live_free(l->prof);
		free(l);
		return e;
	}
	mo.per_thread = o->per_thread;
	memcpy(mo.pids, o->pids, sizeof(mo.pids));
	mo.npids = o->npids;
	mo.uid = o->uid;
	mo.ev_max = ev_max;
	mo.exits_max = tt_faults_exits_max(); /* 0: the model's own */
	mo.have_sched =
		!e && o->enable[TT_SYS_SCHED] &&
		!strcmp(tt_collector_status(l->col, TT_SYS_SCHED), "on");
	l->model = tt_model_new(&mo);
	if (!l->model) {
		tt_prof_live_free(l->prof);
		tt_collector_free(l->col);
		free(l);
		snprintf(err, errlen, "starting: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	prof_start(l);
	tt_model_set_event_hook(l->model, batch_event, l);
	gethostname(l->host, sizeof(l->host) - 1);
	if (!uname(&u))
		snprintf(l->kernel, sizeof(l->kernel), "%.63s", u.release);
	l->cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	l->src.ops = &live_ops;
	tt_collector_cost(l->col, &l->prev_cost);
	/* our cost counts from here: loading (the verifier, BTF) is a
	 * start-up cost, --check shows it, not the first interval's */
	l->prev_cpu = self_cpu();
	l->prev_mono = mono_now();
	*out = &l->src;
	return e;
}
