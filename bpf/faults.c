// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * faults.c - TRACETOP_FAULTS (see faults.h): test-only damage, applied
 * between opening an object and loading it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bpf/faults.h"

#define FAULT_TINY_MAP	8
#define FAULT_FEW_EXITS 100
/*
 * A tracepoint whose one argument is an int: a program that takes a pointer
 * from its first argument (a task, a socket) and reads through it is
 * refused there by the verifier, as it would be on a kernel that changed
 * the argument's type.
 */
#define FAULT_INT_TP "sched_kthread_stop_ret"

/* the maps keyed by process: small ones are what "full" looks like */
static const char *const faults_proc_maps[] = {
	"sc_stats",
	"sched_stats",
	"tcp_stats",
	"conns",
};

/* does the comma list have "kind:prog" (or "kind" when prog is NULL)? */
static bool faults_has(const char *list, const char *kind, const char *prog)
{
	size_t kl = strlen(kind);

	for (const char *p = list; p && *p;
	     p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		size_t n = strcspn(p, ",");

		if (n < kl || strncmp(p, kind, kl))
			continue;
		if (!prog && n == kl)
			return true;
		if (prog && p[kl] == ':' && n - kl - 1 == strlen(prog) &&
		    !strncmp(p + kl + 1, prog, n - kl - 1))
			return true;
	}
	return false;
}

void tt_faults_apply(struct bpf_object *obj)
{
	const char *list = getenv("TRACETOP_FAULTS");
	struct bpf_program *p;

	if (!list || !*list)
		return;
	bpf_object__for_each_program(p, obj)
	{
		const char *name = bpf_program__name(p);

		if (faults_has(list, "missing", name))
			/* as on a kernel without it: libbpf finds no BTF
			 * type for the name and the load fails for this one
			 * program (an LSM hook of that name never exists) */
			bpf_program__set_expected_attach_type(p, BPF_LSM_MAC);
		if (faults_has(list, "reject", name))
			bpf_program__set_attach_target(p, 0, FAULT_INT_TP);
	}
	for (size_t i = 0;
	     i < sizeof(faults_proc_maps) / sizeof(*faults_proc_maps); i++) {
		struct bpf_map *m =
			bpf_object__find_map_by_name(obj, faults_proc_maps[i]);

		if (m && (faults_has(list, "tiny-maps", NULL) ||
			  faults_has(list, "tiny-maps", faults_proc_maps[i])))
			bpf_map__set_max_entries(m, FAULT_TINY_MAP);
	}
}

bool tt_faults_missing(const char *prog)
{
	const char *list = getenv("TRACETOP_FAULTS");

	return list && faults_has(list, "missing", prog);
}

int tt_faults_read(const char *map)
{
	const char *list = getenv("TRACETOP_FAULTS");

	return list && faults_has(list, "unreadable", map) ? -EIO : 0;
}

unsigned tt_faults_exits_max(void)
{
	const char *list = getenv("TRACETOP_FAULTS");

	return list && faults_has(list, "few-exits", NULL) ? FAULT_FEW_EXITS
							   : 0;
}
