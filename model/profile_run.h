/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profile_run.h - `tracetop --profile SECONDS`: sample for that long, then
 * print every stack counted, folded (prof/profile.h), on out: what
 * flamegraph.pl, inferno and speedscope read. On-CPU from the sampler
 * alone (no other probe is loaded); off-CPU (--off-cpu -p PID) with the
 * scheduler probes only.
 */
#ifndef TT_PROFILE_RUN_H
#define TT_PROFILE_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include "bpf/tracetop.h"

struct tt_profile_run_opts {
	double seconds;
	unsigned hz;
	bool off_cpu; /* stacks where pids[0] blocks, in ns */
	uint32_t pids[TT_MAX_FILTER_PIDS];
	unsigned npids;
	int64_t uid;
	bool per_thread;
	bool user_unwind; /* copy stacks, never unwind in the kernel */
	/* called once the programs are attached (drop privileges) */
	void (*attached)(void);
};

/*
 * 0, or a negative errno with a message in err. A summary (samples, lost,
 * truncated) goes to diag when it is not NULL. Stops early when *stop
 * becomes non-zero.
 */
int tt_profile_run(const struct tt_profile_run_opts *o, FILE *out, FILE *diag,
		   const volatile sig_atomic_t *stop, char *err, size_t errlen);

#endif
