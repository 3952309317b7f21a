/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * integ_harness.h - run real workloads under the real tracetop binary and
 * read its JSON snapshots back, for the integration suites (root, real BPF).
 *
 * Waits are bounded and children die with the test (see integ_proc.h).
 *
 * Environment: TRACETOP (the binary, default ./tracetop), WL (folder of the
 * wl-NAME workload binaries, default build), TT_SRCDIR (source tree for the
 * schema and its validator, default .), TT_SLOW (factor for every time
 * bound, see ih_ms()), TT_SETUP_TRACETOP (the binary ih_setup() probes with
 * --check, default TRACETOP: `make test-valgrind` names the plain one so
 * that each test does not pay for a second BPF load under valgrind).
 */
#ifndef TT_INTEG_HARNESS_H
#define TT_INTEG_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <check.h>
#include <cjson/cJSON.h>
#include "tests/integ/integ_proc.h"

/*
 * A workload (tests/workloads/NAME.c) after its "pid ..."/"pids ..." line:
 * pids[] as printed, pidlist the same joined with commas (for -p).
 */
struct ih_wl {
	struct ih_proc *p;
	int pids[4];
	int npids;
	char pidlist[64];
	cJSON *result; /* its result line, after ih_wl_finish */
};

/* A running `tracetop -j` and every snapshot it printed so far. */
struct ih_tt {
	struct ih_proc *p;
	char **lines;
	cJSON **snaps;
	size_t n, cap;
};

/* Checked setup for every integ test: root, binaries present, BPF loads. */
void ih_setup(void);
/* Checked teardown: kill whatever a test left running. */
void ih_teardown(void);
/* Add a TCase with ih_setup/ih_teardown and a timeout fit for real BPF. */
TCase *ih_tcase(Suite *s, const char *name, int timeout_s);

const char *ih_tracetop(void);

/* Workloads */
struct ih_wl *ih_wl_start(const char *name, ...); /* args, NULL-terminated */
/* The same with a whole command line (ip netns exec NS build/wl-...) */
struct ih_wl *ih_wl_start_argv(char *const argv[]);
/* The same as user uid (setpriv, no capabilities): its pid is the
 * workload's, setpriv execs it. */
struct ih_wl *ih_wl_start_as(int uid, const char *name, ...);
void ih_wl_go(struct ih_wl *wl);
/* Its next stdout line (malloc'd), reading tt's output meanwhile. */
char *ih_wl_line(struct ih_wl *wl, struct ih_tt *tt, int timeout_ms);
/* Wait for the result line and exit 0, reading tt's output meanwhile. */
cJSON *ih_wl_finish(struct ih_wl *wl, struct ih_tt *tt, int timeout_ms);
void ih_wl_free(struct ih_wl *wl);

/* tracetop: -j -d 0.2 [-p pids] [extra...]; returns after its first line */
struct ih_tt *ih_tt_start(const char *pids, ...); /* extra, NULL-terminated */
/* Read snapshots until every pid appeared with "exited": true. */
void ih_tt_wait_exited(struct ih_tt *tt, const int *pids, int n,
		       int timeout_ms);
/* Read until `more` further snapshots have come. */
void ih_tt_wait_snaps(struct ih_tt *tt, size_t more, int timeout_ms);
/* SIGINT, read the rest, expect exit 0; validate every line's schema. */
void ih_tt_stop(struct ih_tt *tt);
/* Same with another signal. */
void ih_tt_stop_sig(struct ih_tt *tt, int sig);
void ih_tt_free(struct ih_tt *tt);
/*
 * The common run: `tracetop -p` the workload's pids, let it go, wait
 * timeout_ms for its result (then in wl->result) and for every pid's
 * "exited" snapshot, stop tracetop. Returns tracetop with all it printed.
 */
struct ih_tt *ih_tt_run(struct ih_wl *wl, int timeout_ms);

/* The process object of pid in snap, or NULL. */
const cJSON *ih_snap_proc(const cJSON *snap, int pid);
/* pid's object from the snapshot that reports it exited (NULL if none). */
const cJSON *ih_tt_exited(const struct ih_tt *tt, int pid);
/*
 * The contract for a process that ends: reported exited exactly once, never
 * again afterwards, and its counters never go down while it is reported.
 */
void ih_tt_check_lifecycle(const struct ih_tt *tt, int pid);

/* "a.b.c" under obj, NULL when missing (names may not contain dots) */
const cJSON *ih_path(const cJSON *obj, const char *path);
/* The number at path, failing the test if it is missing or not a number. */
double ih_num(const cJSON *obj, const char *path);
/* Sum of the counts of a [[low, high, count], ...] histogram at path. */
double ih_hist_sum(const cJSON *obj, const char *path);

/* Validate JSON lines against model/snapshot.schema.json; NULL when valid,
 * else the validator's message (malloc'd). */
char *ih_schema_check(char *const *lines, size_t n);

#endif
