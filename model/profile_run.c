// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile_run.c - the folded-stacks command line mode.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
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
	sigset_t stops, old;
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
	/* One sleep to the end, which a stopping signal cuts short: they are
	 * blocked but while ppoll waits (it unblocks them atomically), so one
	 * that comes between the test and the wait ends the wait at once.
	 * Each wakeup costs some 50 us of CPU on a VM: a sleep of 1 s at a
	 * time cost 0.04 ms a second, a fifth of the profile's own. */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigaddset(&stops, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &stops, &old);
	while (!*stop) {
		double left = end - mono();
		struct timespec ts;

		if (left <= 0)
			break;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		ppoll(NULL, 0, &ts, &old);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
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
