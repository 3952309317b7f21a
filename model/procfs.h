/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * procfs.h - what /proc says about a process: the names and numbers BPF
 * does not carry (ppid, user, cmdline, cgroup, threads, state, RSS, CPU
 * ticks). A process that vanishes between the map read and the /proc read
 * is simply absent: no error.
 */
#ifndef TT_PROCFS_H
#define TT_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tt_procinfo {
	uint32_t pid, ppid, uid, threads;
	uint32_t starttime; /* clock ticks since boot: the key's gen */
	char state;
	char comm[16];
	uint64_t rss_bytes;
	uint64_t cpu_ticks; /* utime + stime */
};

/*
 * Read /proc/<pid>/stat and status (or /proc/<tgid>/task/<pid> when tgid
 * is non-zero). root is "/proc" except in tests. Returns false when gone.
 */
bool tt_procfs_read(const char *root, uint32_t tgid, uint32_t pid,
		    struct tt_procinfo *out);

/* The same from stat alone: uid is left 0 (status is not read). */
bool tt_procfs_read_stat(const char *root, uint32_t tgid, uint32_t pid,
			 struct tt_procinfo *out);

/* NUL-separated cmdline as one line with spaces; "" for kernel threads. */
bool tt_procfs_cmdline(const char *root, uint32_t pid, char *buf, size_t len);
/* the cgroup v2 path ("0::/x" -> "/x"), or the first v1 line's path */
bool tt_procfs_cgroup(const char *root, uint32_t pid, char *buf, size_t len);

/*
 * Call cb for every numeric entry of root (processes), or of
 * root/<tgid>/task when threads. Returns the count or -errno.
 */
int tt_procfs_list(const char *root, bool threads,
		   void (*cb)(void *ctx, uint32_t tgid, uint32_t pid),
		   void *ctx);

/* user name for uid, cached; the number as text when there is none */
const char *tt_procfs_user(uint32_t uid);

#endif
