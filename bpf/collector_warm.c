// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector_warm.c - fill the kernel's element caches of the growing hash
 * maps on every CPU before the programs attach.
 *
 * A hash map made with BPF_F_NO_PREALLOC takes each new element from a
 * per-CPU cache that the kernel refills from an irq_work whenever it runs
 * low. A new map's cache holds one element of a size above 256 bytes (a
 * syscall entry is 1.1 KiB), and a program that runs with interrupts off
 * (sched_switch folds up to four pending syscall tallies) cannot wait
 * for the refill: on a busy machine the first switches after attaching
 * found it empty and lost a tally (ENOMEM, counted as a full map) about
 * one start in four. Taking a few elements on each CPU from user space,
 * where interrupts are on, runs the refill to the cache's high mark; the
 * elements given back stay in the cache for the first bursts.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/collector_priv.h"

#define WARM_KEYS                                                              \
	16 /* above the largest high mark (22 for 1.1 KiB) less                \
	    * what the kernel refills at a time */

/* keys no program makes: every byte 0xff but the last, the key's index */
static int warm_map(int fd, __u32 key_sz, __u32 val_sz)
{
	unsigned char *key = malloc(key_sz), *val = calloc(1, val_sz);
	int n = 0;

	if (!key || !val) {
		free(key);
		free(val);
		return -ENOMEM;
	}
	memset(key, 0xff, key_sz);
	for (int i = 0; i < WARM_KEYS; i++) {
		key[key_sz - 1] = (unsigned char)i;
		if (!bpf_map_update_elem(fd, key, val, BPF_NOEXIST))
			n++;
	}
	for (int i = 0; i < WARM_KEYS; i++) {
		key[key_sz - 1] = (unsigned char)i;
		bpf_map_delete_elem(fd, key);
	}
	free(key);
	free(val);
	return n;
}

static bool grows(const struct bpf_map *m)
{
	return bpf_map__type(m) == BPF_MAP_TYPE_HASH &&
	       (bpf_map__map_flags(m) & BPF_F_NO_PREALLOC) &&
	       bpf_map__fd(m) >= 0;
}

/*
 * Every loaded object's growing hashes, on every CPU this thread may run
 * on. Best effort: a CPU it cannot move to, or a map full already, only
 * leaves that cache as the kernel made it.
 */
void tt_collector_warm(struct tt_collector *c)
{
	cpu_set_t old, one;

	if (sched_getaffinity(0, sizeof(old), &old))
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &old))
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			continue;
		for (int s = 0; s < TT_SYS_MAX; s++) {
			const struct bpf_map *m;

			if (!c->sub[s].loaded || !c->sub[s].obj)
				continue;
			bpf_object__for_each_map(m, c->sub[s].obj)
			{
				if (grows(m))
					warm_map(bpf_map__fd(m),
						 bpf_map__key_size(m),
						 bpf_map__value_size(m));
			}
		}
	}
	sched_setaffinity(0, sizeof(old), &old);
}
