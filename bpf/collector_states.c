// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector_states.c - what every CPU runs at the time of reading
 * (sched.bpf.c's per-CPU cpu_slot), for thread states that count up to
 * now: a thread running or sleeping for a long time switches rarely, and
 * the counters move only when it does. The slots change under us; each
 * is one CPU's and a torn read costs at most one slice's accuracy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "bpf/collector_priv.h"

int tt_collector_read_running(struct tt_collector *c,
			      const struct tt_sink *sink)
{
	int fd = tt_collector_map_fd(c, TT_SYS_SCHED, "cpu_slot");
	int ncpu = libbpf_num_possible_cpus();
	struct tt_cpu_slot *v;
	__u32 zero = 0;
	int err = 0;

	if (fd < 0 || ncpu <= 0 || !sink->on_running)
		return 0;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &zero, v))
		err = -errno;
	for (int i = 0; !err && i < ncpu; i++)
		if (v[i].start)
			sink->on_running(sink->ctx, &v[i]);
	free(v);
	return err;
}
