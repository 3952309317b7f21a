/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * symfile.h - the symbol cache: one entry per file, keyed by the device
 * and inode that /proc/PID/maps shows, so a shared library mapped by a
 * hundred processes is read once. With each file its separate debug file's
 * symbols when the file has no .symtab of its own: found by build-id
 * (DEBUG/.build-id/ab/cdef.debug) or by .gnu_debuglink (next to the file,
 * in its .debug/, or under DEBUG/ with the file's directory), and accepted
 * only if its build-id (or, without one, the link's CRC) matches.
 *
 * Bounded by the bytes held; entries still referenced by a process are
 * never evicted, so the names they hand out stay valid.
 */
#ifndef TT_SYMFILE_H
#define TT_SYMFILE_H

#include <stddef.h>
#include <stdint.h>
#include "prof/elfsym.h"

struct tt_symfile {
	uint64_t dev, ino;
	struct tt_elfsym *elf; /* NULL: unreadable, err says why */
	struct tt_elfsym *dbg; /* the debug file's symbols, or NULL */
	bool symbols;	       /* elf has its symbols (not only headers) */
	int err;	       /* negative errno */
	unsigned refs;
	uint64_t used;	/* LRU clock */
	double used_at; /* CLOCK_MONOTONIC s, for the idle bound */
	struct tt_symfile *next;
};

struct tt_symcache;

/* debug_dir: "/usr/lib/debug" unless testing */
struct tt_symcache *tt_symcache_new(size_t max_bytes, const char *debug_dir);
void tt_symcache_free(struct tt_symcache *c);
/* drop a file no process has held for this long (default 60 s; tests) */
void tt_symcache_set_idle(struct tt_symcache *c, double seconds);

/*
 * A reference to file (dev, ino). On a miss, open_fn(ctx) gives a file
 * descriptor for it (or a negative errno), which is read and closed; root
 * ("/proc/PID/root", or "" for ours) and path (as the process sees it)
 * place the debug files. With symbols, the symbols too (and the debug
 * file's), read now if the entry had only the headers. NULL only when out
 * of memory.
 */
struct tt_symfile *tt_symcache_get(struct tt_symcache *c, uint64_t dev,
				   uint64_t ino, int (*open_fn)(void *ctx),
				   void *ctx, const char *root,
				   const char *path, bool symbols);
void tt_symcache_put(struct tt_symcache *c, struct tt_symfile *f);
/* Read the symbols of f (held) if only its headers were read so far. */
void tt_symcache_symbols(struct tt_symcache *c, struct tt_symfile *f,
			 int (*open_fn)(void *ctx), void *ctx, const char *root,
			 const char *path);

/* Symbol of vaddr in f (the debug file's first), or NULL. */
const char *tt_symfile_lookup(const struct tt_symfile *f, uint64_t vaddr);

/* Bytes held now, and files read since the start (for tests and cost). */
size_t tt_symcache_bytes(const struct tt_symcache *c);
unsigned long tt_symcache_loads(const struct tt_symcache *c);

#endif
