/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * integ_evlib.h - finding events in the snapshots a test read: by kind,
 * process, parent or TCP tuple, for the event suites (integ_events.c,
 * integ_events_tcp.c, integ_anchors.c).
 */
#ifndef TT_INTEG_EVLIB_H
#define TT_INTEG_EVLIB_H

#include <stdbool.h>
#include <stddef.h>
#include "tests/integ/integ_harness.h"

typedef bool (*ev_pred)(const cJSON *ev, const void *arg);

/* a kind and a pid (by_kind_pid) or a parent (by_kind_ppid) */
struct kp {
	const char *kind;
	int pid;
};

/* a TCP kind and ports (sport 0: any) */
struct tcpk {
	const char *kind;
	int sport, dport;
};

/* a kind, a pid, its start_ticks (-1: any) and its parent (0: any): a
 * process, when pids are reused (pid_max may be 32768) */
struct kpg {
	const char *kind;
	int pid;
	double gen;
	int ppid;
};

const char *ev_str(const cJSON *ev, const char *k); /* "" when absent */
double ev_num(const cJSON *ev, const char *k);	    /* -1 when absent */
bool is_kind(const cJSON *ev, const char *kind);
bool by_kind(const cJSON *ev, const void *kind);
bool by_kind_pid(const cJSON *ev, const void *kp);
bool by_kind_ppid(const cJSON *ev, const void *kp);
bool by_tuple(const cJSON *ev, const void *tcpk);

/* The events of every snapshot read so far that pred takes (malloc'd
 * array of n). */
const cJSON **ev_find(const struct ih_tt *tt, ev_pred pred, const void *arg,
		      size_t *n);
/* The one event of kind for pid; fails the test unless exactly one. */
const cJSON *ev_one(const struct ih_tt *tt, const char *kind, int pid);
/* how many events match k */
size_t ev_count_of(const struct ih_tt *tt, const struct kpg *k);
const cJSON *ev_one_of(const struct ih_tt *tt, const struct kpg *k);
const cJSON *tcp_one(const struct ih_tt *tt, const char *kind, int sport,
		     int dport);
/* Read snapshots until pred has matched want events, or time is up. */
void ev_wait(struct ih_tt *tt, ev_pred pred, const void *arg, size_t want,
	     int timeout_ms);
/* events_lost.KIND of the last snapshot */
const cJSON *last_lost(const struct ih_tt *tt, const char *kind);
double arg_count(const cJSON *ev);
const char *arg_at(const cJSON *ev, int i);

#endif
