// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector_cost.c - what tracetop's BPF programs cost: the kernel's
 * run-time statistics while they are on (the first seconds), a cost per
 * run of each program measured then, and after that an estimate from the
 * runs the programs count themselves (tt_run()); the memory of the maps
 * as the kernel accounts it; the bpf() calls of the last read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/collector_priv.h"

/* A map's memory as the kernel accounts it (fdinfo "memlock:"). */
static uint64_t map_memlock(int fd)
{
	char path[64], line[128];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		/* the kernel writes it: no overflow to catch */
		/* NOLINTNEXTLINE(cert-err34-c) */
		if (sscanf(line, "memlock: %lu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* Is this the first time the map behind fd is seen (by its kernel id)? */
static bool map_first_seen(int fd, __u32 *seen, size_t *n)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return true;
	for (size_t i = 0; i < *n; i++)
		if (seen[i] == info.id)
			return false;
	if (*n < (size_t)TT_SYS_MAX * 16)
		seen[(*n)++] = info.id;
	return true;
}

/* the runs each program of subsystem s counted, summed over CPUs */
static void read_runs(struct subsys *ss, uint64_t runs[MAX_PROGS],
		      uint64_t *calls)
{
	struct bpf_map *m = bpf_object__find_map_by_name(ss->obj, "runs");
	int ncpu = libbpf_num_possible_cpus(), fd;
	struct tt_runs *v;
	uint32_t zero = 0;

	memset(runs, 0, sizeof(runs[0]) * MAX_PROGS);
	fd = m ? bpf_map__fd(m) : -1;
	if (fd < 0 || ncpu <= 0 || !(v = calloc((size_t)ncpu, sizeof(*v))))
		return;
	(*calls)++;
	if (!bpf_map_lookup_elem(fd, &zero, v))
		for (int cpu = 0; cpu < ncpu; cpu++)
			for (int i = 0; i < MAX_PROGS && i < TT_RUN_SLOTS; i++)
				runs[i] += v[cpu].n[i];
	free(v);
}

/*
 * The kernel's run-time stats cost two clock reads per program run (about
 * 90 ns here, more than some programs themselves), so they stay on only
 * for the first CALIBRATE_S seconds: long enough to measure each
 * program's ns per run. From then on each interval's cost is that figure
 * times the runs each program counted itself in it (tt_run(), a per-CPU
 * increment), and says it is an estimate. An interval in which the
 * kernel's own figures counted (nearly) every one of those runs, because
 * someone else holds the stats on (sysctl kernel.bpf_stats_enabled,
 * another tool), takes the kernel's figures as measured instead. The
 * totals handed out only grow, whichever way each interval was counted.
 *
 * The window closes on time even if nothing ran (a TCP-only tracetop on a
 * quiet machine): the stats slow every BPF program on the system, not only
 * ours. A program that did not run in it is estimated at the mean of those
 * that did, or at FALLBACK_NS_PER_RUN (a typical figure of ours measured
 * by make bench) when none did; so is every program when the stats could
 * not be switched on at all.
 */
#define CALIBRATE_S	    2.0
#define MAP_BYTES_S	    10.0
#define FALLBACK_NS_PER_RUN 150.0

/* our programs' run time and runs by the kernel's stats, our own run
 * counts in runs, and the memory of our maps */
static void cost_read(struct tt_collector *c,
		      struct bpf_prog_info info[TT_SYS_MAX][MAX_PROGS],
		      uint64_t runs[TT_SYS_MAX][MAX_PROGS], struct tt_cost *k)
{
	__u32 seen[(size_t)TT_SYS_MAX * 16];
	size_t nseen = 0;
	double now = tt_mono_s();
	/* a hash's memory grows with its elements (kernel 6.4 on), slowly */
	bool maps = !c->map_bytes_at || now - c->map_bytes_at >= MAP_BYTES_S;

	memset(info, 0, sizeof(info[0]) * TT_SYS_MAX);
	memset(runs, 0, sizeof(runs[0]) * TT_SYS_MAX);
	memset(k, 0, sizeof(*k));
	for (int s = 0; s < TT_SYS_MAX; s++) {
		struct subsys *ss = &c->sub[s];
		struct bpf_program *p;
		struct bpf_map *m;
		uint64_t r[MAX_PROGS];

		if (!ss->on)
			continue;
		read_runs(ss, r, &c->reader.calls);
		bpf_object__for_each_program(p, ss->obj)
		{
			__u32 len = sizeof(info[0][0]);
			int fd = bpf_program__fd(p),
			    i = tt_collector_run_slot(s, bpf_program__name(p));

			if (fd < 0 || i < 0)
				continue;
			c->reader.calls++;
			if (bpf_obj_get_info_by_fd(fd, &info[s][i], &len))
				continue;
			k->run_ns += info[s][i].run_time_ns;
			k->run_cnt += info[s][i].run_cnt;
			runs[s][i] = r[i];
		}
		bpf_object__for_each_map(m, ss->obj)
		{
			/* maps shared between objects count once */
			if (maps && bpf_map__fd(m) >= 0 &&
			    map_first_seen(bpf_map__fd(m), seen, &nseen))
				k->map_bytes += map_memlock(bpf_map__fd(m));
		}
	}
	if (maps) {
		c->map_bytes = k->map_bytes;
		c->map_bytes_at = now;
	}
	k->map_bytes = c->map_bytes;
}

static void
cost_calibrate(struct tt_collector *c, const struct tt_cost *k,
	       const struct bpf_prog_info info[TT_SYS_MAX][MAX_PROGS])
{
	double mean = k->run_cnt ? (double)k->run_ns / (double)k->run_cnt
				 : FALLBACK_NS_PER_RUN;

	for (int s = 0; s < TT_SYS_MAX; s++)
		for (int i = 0; i < MAX_PROGS; i++)
			c->ns_per_run[s][i] =
				info[s][i].run_cnt
					? (double)info[s][i].run_time_ns /
						  (double)info[s][i].run_cnt
					: mean;
	c->calibrated = true;
	if (c->stats_fd >= 0)
		close(c->stats_fd);
	c->stats_fd = -1;
}

/* b - a, 0 when it went down (a program reloaded) */
static uint64_t cost_delta(uint64_t b, uint64_t a)
{
	return b > a ? b - a : 0;
}

void tt_collector_cost(struct tt_collector *c, struct tt_cost *out)
{
	static struct bpf_prog_info info[TT_SYS_MAX][MAX_PROGS];
	uint64_t runs[TT_SYS_MAX][MAX_PROGS];
	uint64_t est_cnt = 0, kd_cnt;
	double est_ns = 0;
	struct tt_cost k;

	cost_read(c, info, runs, &k);
	if (!c->calibrated &&
	    (c->stats_fd < 0 || tt_mono_s() - c->t0 >= CALIBRATE_S)) {
		cost_calibrate(c, &k, (const void *)info);
		/* the stats are off now: the kernel's figures end here, and
		 * the estimate counts from here */
		cost_read(c, info, runs, &k);
		c->total.run_ns = k.run_ns;
		c->total.run_cnt = k.run_cnt;
	} else if (!c->calibrated) {
		c->total.run_ns = k.run_ns; /* measured by the kernel */
		c->total.run_cnt = k.run_cnt;
	} else {
		for (int s = 0; s < TT_SYS_MAX; s++)
			for (int i = 0; i < MAX_PROGS; i++) {
				uint64_t d = cost_delta(runs[s][i],
							c->prev_runs[s][i]);

				est_ns += c->ns_per_run[s][i] * (double)d;
				est_cnt += d;
			}
		kd_cnt = cost_delta(k.run_cnt, c->kernel.run_cnt);
		c->estimated = !est_cnt || kd_cnt < est_cnt - est_cnt / 100;
		if (c->estimated) {
			c->total.run_ns += (uint64_t)est_ns;
			c->total.run_cnt += est_cnt;
		} else {
			c->total.run_ns +=
				cost_delta(k.run_ns, c->kernel.run_ns);
			c->total.run_cnt += kd_cnt;
		}
	}
	c->kernel = k;
	memcpy(c->prev_runs, runs, sizeof(runs));
	*out = c->total;
	out->map_bytes = k.map_bytes;
	out->estimated = c->estimated;
	out->bpf_calls = c->reader.calls;
}
