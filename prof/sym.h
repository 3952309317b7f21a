/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * sym.h - addresses to names, in user space: the kernel's from
 * /proc/kallsyms (ksym.h), a process's from the ELF files it maps
 * (/proc/PID/maps, read through /proc/PID/root so that a container's files
 * are its own), its separate debug files (symfile.h), the vDSO, and the
 * perf map a JIT writes. C++ names are demangled.
 *
 * Never a wrong name: an address no symbol covers is "module+0xADDR" (the
 * link-time address in that file, what addr2line -e takes), one outside
 * any mapping "[unknown]". A file replaced since it was mapped (its inode
 * differs) is read through /proc/PID/map_files when allowed, else left
 * unnamed. Stripped, deleted, truncated or corrupt files end the same way.
 *
 * One thread at a time (the profiler's). Bounded: the symbol cache by
 * bytes, the processes by count (least recently used go first).
 */
#ifndef TT_SYM_H
#define TT_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "prof/procmaps.h"

struct tt_sym_opts {
	const char *proc;      /* "/proc" */
	const char *debug_dir; /* "/usr/lib/debug" */
	const char *kallsyms;  /* "/proc/kallsyms" */
	size_t max_bytes;      /* symbol cache (default 16 MiB) */
	unsigned max_procs;    /* processes whose mappings are kept (256) */
	/*
	 * A number that changes when the kernel may have new text: the
	 * newest BPF program's id. kallsyms is read again only when it or
	 * /proc/modules changed (NULL: whenever an address falls outside
	 * the kernel's own text, at most every 30 s).
	 */
	uint64_t (*kernel_gen)(void *ctx);
	void *kernel_gen_ctx;
	double ksym_reload_s; /* kallsyms read at most this often (30) */
};

#define TT_SYM_NAME_MAX 512
#define TT_SYM_MOD_MAX	128

struct tt_sym_res {
	char name[TT_SYM_NAME_MAX];  /* "spin_a", "libc.so.6+0x2724a" */
	char module[TT_SYM_MOD_MAX]; /* "wl-profile", "[kernel]", "[vdso]" */
	bool resolved;		     /* name is a symbol's */
};

struct tt_sym;

struct tt_sym *tt_sym_new(const struct tt_sym_opts *o);
void tt_sym_free(struct tt_sym *s);

/*
 * Address addr in process pid started at gen (clock ticks after boot, as
 * /proc/PID/stat's starttime; 0: do not check). A process that is not
 * (pid, gen) any more gives "[unknown]".
 */
void tt_sym_user(struct tt_sym *s, uint32_t pid, uint64_t gen, uint64_t addr,
		 struct tt_sym_res *out);

/*
 * A kernel address. kallsyms is read again, at most every 30 s, when an
 * address falls outside the kernel's own text (a module or BPF program may
 * have come since) and, with kernel_gen, the kernel's text changed; names
 * handed out before may then be stale: see tt_sym_kernel_gen().
 */
void tt_sym_kernel(struct tt_sym *s, uint64_t addr, struct tt_sym_res *out);
/* Changes whenever kallsyms was read again. */
unsigned tt_sym_kernel_gen(const struct tt_sym *s);

/* The process's executable mappings (valid until the next tt_sym call)
 * and a number that changes whenever they were read again. */
const struct tt_map *tt_sym_maps(struct tt_sym *s, uint32_t pid, uint64_t gen,
				 size_t *n, unsigned *version);
/* A file descriptor for the file (or vDSO image) behind mapping m of pid,
 * which the caller closes; a negative errno when it cannot be had. */
int tt_sym_open_map(struct tt_sym *s, uint32_t pid, const struct tt_map *m);
/* Load bias of mapping m (its file read as needed); false if unknown. */
bool tt_sym_map_bias(struct tt_sym *s, uint32_t pid, const struct tt_map *m,
		     uint64_t *bias);
/* Does pid's perf map name addr (JIT code)? */
bool tt_sym_jit(struct tt_sym *s, uint32_t pid, uint64_t gen, uint64_t addr);

/* Forget pid's mappings now (it exited). */
void tt_sym_proc_gone(struct tt_sym *s, uint32_t pid);

/* Bytes held by the caches; files read so far. */
size_t tt_sym_bytes(const struct tt_sym *s);
unsigned long tt_sym_files_read(const struct tt_sym *s);

#endif
