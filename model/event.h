/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * event.h - events of the stream (bpf/event.h) for people and programs:
 * names of kinds and results, the kind lists of --events and --trace, the
 * syscalls never reported slow, one event as a line of text, and a copy
 * of an event whose strings go to an arena.
 */
#ifndef TT_MODEL_EVENT_H
#define TT_MODEL_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include "bpf/event.h"
#include "prof/arena.h"

/* "exec", "exit", "connect", ...; NULL out of range */
const char *tt_ev_kind_name(enum tt_ev_kind k);
/* the kind named name, or -1 */
int tt_ev_kind_find(const char *name);

/*
 * A list of kinds into *mask: names, "all", "default", "none", "tcp"
 * (connect, accept, close, reset), and "-NAME" to take one away, applied
 * left to right from an empty set ("default,-signal"). -EINVAL with a
 * message naming the bad word.
 */
int tt_ev_kinds_parse(const char *list, uint32_t *mask, char *err,
		      size_t errlen);

/* The kinds of mask as a list tt_ev_kinds_parse reads back: "exec,exit",
 * "all", "none". */
char *tt_ev_kinds_str(uint32_t mask, char *buf, size_t len);

/* "established", "refused", "timed out", "error" */
const char *tt_ev_connect_result_name(uint32_t r);
/* a signal_generate result: "delivered", "ignored", ... */
const char *tt_ev_signal_result_name(int32_t r);
/* "ESTABLISHED", ... for a TCP state number */
const char *tt_tcp_state_name(unsigned state);

/* The syscalls that wait by design, never reported slow by default. */
extern const char *const tt_slow_skip_default;
/* A list of syscall names (or "none") into a bitmap by number. */
int tt_slow_skip_parse(const char *list, uint64_t skip[8], char *err,
		       size_t errlen);

/* What happened, without time, pid and command: "code 1  lived 85 ms ..." */
char *tt_event_detail(const struct tt_event *ev, char *buf, size_t len);
/* The detail without the outcome tt_event_result() gives apart: "lived
 * 85 ms  cpu 12 ms ..." for an exit, the detail itself for the kinds that
 * have none. */
char *tt_event_what(const struct tt_event *ev, char *buf, size_t len);
/* How long it took, ns: a connect's latency, a life (exit, close), a slow
 * syscall, a wait for a CPU; 0 for the kinds without one. */
uint64_t tt_event_ns(const struct tt_event *ev);
/* Its outcome in a word or two: "ok", "ENOENT", "code 1", "SIGKILL",
 * "refused", "delivered", "= 4096"...; "" for the kinds without one. */
char *tt_event_result(const struct tt_event *ev, char *buf, size_t len);
/* The whole line of `tracetop --trace`: local time, pid, comm, kind,
 * detail (no newline). */
char *tt_event_line(const struct tt_event *ev, char *buf, size_t len);
/* The arguments joined by spaces, with " ..." when cut. */
char *tt_event_args(const struct tt_event *ev, char *buf, size_t len);

/* *dst = *src with its strings copied into a; -ENOMEM. */
int tt_event_copy(struct tt_arena *a, struct tt_event *dst,
		  const struct tt_event *src);

#endif
