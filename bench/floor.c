// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * floor - load floor.bpf.c's empty programs for some groups and hold them
 * attached until SIGINT or SIGTERM.
 *
 *   floor [--raw] GROUP...     GROUP: sys, tcp, sched, proc, all
 *
 *   floor --obj FILE.bpf.o [PROG...]
 *                              any object (a variant of a tracetop program
 *                              for bench/progcost): every program, or those
 *                              named, attached with their default rodata
 *
 * Prints "attached N" on stdout once every program is attached, so the
 * benchmark knows when to start the workload. tp_btf by default (what
 * tracetop uses); --raw for raw_tp.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/* does program name "btf_sched_sched_switch" belong to one of groups? */
static int wanted(const char *name, const char *family, char **groups, int n)
{
	size_t fl = strlen(family);

	if (strncmp(name, family, fl) || name[fl] != '_')
		return 0;
	name += fl + 1;
	for (int i = 0; i < n; i++) {
		size_t gl = strlen(groups[i]);

		if (!strcmp(groups[i], "all"))
			return 1;
		if (!strncmp(name, groups[i], gl) && name[gl] == '_')
			return 1;
	}
	return 0;
}

static int named(const char *name, char **names, int n)
{
	if (!n)
		return 1;
	for (int i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

static int hold(struct bpf_object *obj)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog))
			continue;
		if (!bpf_program__attach(prog)) {
			fprintf(stderr, "floor: attach %s: %s\n",
				bpf_program__name(prog), strerror(errno));
			return 1;
		}
		n++; /* links are freed with the process */
	}
	printf("attached %d\n", n);
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}

/* fill a "cpu_clock" perf event array with one cpu-clock event per CPU */
static int open_cpu_clock(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "cpu_clock");
	struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE,
				     .size = sizeof(a),
				     .config = PERF_COUNT_SW_CPU_CLOCK };
	int ncpu = libbpf_num_possible_cpus();

	if (!map)
		return 0;
	for (int cpu = 0; cpu < ncpu; cpu++) {
		int fd = syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0);

		if (fd < 0 || bpf_map_update_elem(bpf_map__fd(map), &cpu, &fd,
						  BPF_ANY)) {
			fprintf(stderr, "floor: cpu-clock on CPU %d: %s\n",
				cpu, strerror(errno));
			return 1;
		}
	}
	return 0;
}

static int hold_file(const char *path, char **names, int n)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	int err;

	if (!obj) {
		fprintf(stderr, "floor: open %s: %s\n", path, strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(
			prog, named(bpf_program__name(prog), names, n));
	if (bpf_object__load(obj)) {
		fprintf(stderr, "floor: load %s: %s\n", path, strerror(errno));
		bpf_object__close(obj);
		return 1;
	}
	err = open_cpu_clock(obj) || hold(obj);
	bpf_object__close(obj);
	return err;
}

int main(int argc, char **argv)
{
	const char *family = "btf";
	struct floor_bpf *skel = NULL;
	struct bpf_program *prog;
	int err = 1;

	if (argc > 1 && !strcmp(argv[1], "--raw")) {
		family = "raw";
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: floor [--raw] sys|tcp|sched|proc|all...\n"
				"       floor --obj FILE.bpf.o [PROG...]\n");
		return 2;
	}
	libbpf_set_print(quiet);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!strcmp(argv[1], "--obj") && argc > 2)
		return hold_file(argv[2], argv + 3, argc - 3);

	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: open: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, wanted(bpf_program__name(prog),
						       family, argv + 1,
						       argc - 1));
	if (floor_bpf__load(skel)) {
		fprintf(stderr, "floor: load: %s\n", strerror(errno));
		goto cleanup;
	}
	err = hold(skel->obj);
cleanup:
	floor_bpf__destroy(skel);
	return err;
}
