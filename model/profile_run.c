// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile_run.c - the folded-stacks command line mode.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "bpf/collector.h"
#include "model/profile_live.h"
#include "model/profile_run.h"
#include "prof/profile.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the scheduler probes alone: off-CPU stacks live in their sched_switch */
static int sched_only(const struct tt_profile_run_opts *o,
		      struct tt_collector **c, char *err, size_t errlen)
{
	struct tt_collector_opts co = { 0 };
	int e;

	co.enable[TT_SYS_SCHED] = true;
	co.enable[TT_SYS_PROC] = true;
	memcpy(co.pids, o->pids, sizeof(co.pids));
	co.npids = o->npids;
	co.uid = o->uid;
	co.per_thread = o->per_thread;
	e = tt_collector_new(&co, c, err, errlen);
	if (!e && strcmp(tt_collector_status(*c, TT_SYS_SCHED), "on")) {
		snprintf(err, errlen, "off-CPU stacks need sched_switch: %s",
			 tt_collector_status(*c, TT_SYS_SCHED));
		e = -ENOENT;
	}
	return e;
}

int tt_profile_run(const struct tt_profile_run_opts *o, FILE *out, FILE *diag,
		   const volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct tt_prof_live_opts po = { 0 };
	struct tt_collector *c = NULL;
	struct tt_prof_live *pl = NULL;
	double end;
	long lines;
	int e = 0;

	if (o->off_cpu && (e = sched_only(o, &c, err, errlen)))
		goto out;
	po.hz = o->off_cpu ? 0 : o->hz;
	memcpy(po.pids, o->pids, sizeof(po.pids));
	po.npids = o->npids;
	po.uid = o->uid;
	po.per_thread = o->per_thread;
	po.user_unwind = o->user_unwind;
	po.offcpu_pid = o->off_cpu ? o->pids[0] : 0;
	e = tt_prof_live_new(&po, c, &pl, err, errlen);
	if (e)
		goto out;
	if (o->attached)
		o->attached();
	end = mono() + o->seconds;
	/* a signal ends the sleep (nanosleep is never restarted); the cap
	 * bounds the wait of one that comes between the test and the sleep,
	 * and costs one wakeup a second (ten cost 0.4 ms of CPU a second) */
	while (!*stop) {
		double left = end - mono();
		struct timespec ts;

		if (left <= 0)
			break;
		if (left > 1)
			left = 1;
		ts.tv_sec = (time_t)left; /* 1 at most: tv_nsec stays < 1e9 */
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
	}
	/* what the kernel wrote until now, counted */
	tt_prof_live_sync(pl, 2000);
	lines = tt_prof_live_folded(
		pl, o->off_cpu ? TT_PROF_OFFCPU : TT_PROF_ONCPU, out);
	if (lines < 0) {
		snprintf(err, errlen, "folding the stacks: %s",
			 strerror(ENOMEM));
		e = -ENOMEM;
	} else if (diag) {
		uint64_t ku, kc;

		tt_prof_live_unwound(pl, &ku, &kc);
		fprintf(diag,
			"tracetop: %ld stacks; %llu samples or waits lost; "
			"user stacks: %llu unwound in the kernel, %llu "
			"copied\n",
			lines, (unsigned long long)tt_prof_live_lost(pl),
			(unsigned long long)ku, (unsigned long long)kc);
	}
out:
	tt_prof_live_free(pl);
	tt_collector_free(c);
	return e;
}
