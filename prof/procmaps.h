/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * procmaps.h - a process's executable mappings from /proc/PID/maps, and
 * the symbols a JIT wrote to /tmp/perf-PID.map (Node --perf-basic-prof,
 * Java agents, Python 3.12 -X perf). Parsers of text only: the caller
 * reads the files, so tests and the fuzzer feed them directly.
 */
#ifndef TT_PROCMAPS_H
#define TT_PROCMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tt_map_kind {
	TT_MAP_FILE,  /* a file: symbols from its ELF */
	TT_MAP_VDSO,  /* [vdso]: the kernel's image, the same for all */
	TT_MAP_ANON,  /* anonymous: JIT code, named by the perf map if any */
	TT_MAP_OTHER, /* [vsyscall] and other pseudo-files */
};

struct tt_symfile;

struct tt_map {
	uint64_t start, end, off;
	uint64_t dev, ino; /* dev as makedev(major, minor) */
	uint8_t kind;	   /* enum tt_map_kind */
	bool deleted;	   /* the file was deleted or replaced */
	char *path;	   /* as the process sees it, without " (deleted)" */
	struct tt_symfile *file; /* sym.c's, loaded on first use */
};

/*
 * The executable mappings in maps text, by address; each path malloc'ed.
 * 0, or -ENOMEM. Lines that do not parse are skipped.
 */
int tt_maps_parse(const char *text, struct tt_map **out, size_t *n);
void tt_maps_free(struct tt_map *v, size_t n);
/* The mapping holding addr, or NULL. */
struct tt_map *tt_maps_find(struct tt_map *v, size_t n, uint64_t addr);

/* A perf map: "START SIZE name" lines, hex, by address. */
struct tt_perfmap;

#define TT_PERFMAP_MAX_ENTRIES (1u << 18)

int tt_perfmap_parse(const char *text, struct tt_perfmap **out);
void tt_perfmap_free(struct tt_perfmap *m);
const char *tt_perfmap_find(const struct tt_perfmap *m, uint64_t addr);
size_t tt_perfmap_bytes(const struct tt_perfmap *m);

#endif
