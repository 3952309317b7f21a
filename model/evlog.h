/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * evlog.h - the events kept in memory: the newest cap events of the
 * snapshots added (live or replayed), oldest first, each a deep copy, so
 * the Events view and the PID view can scroll back past one snapshot and
 * the X export can carry them ("recent_events"). Bounded: the oldest go.
 */
#ifndef TT_EVLOG_H
#define TT_EVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

struct tt_evlog;
struct cJSON;

struct tt_evlog *tt_evlog_new(size_t cap);
void tt_evlog_free(struct tt_evlog *l);
/* Keep s's events (its interval's); -ENOMEM leaves the log as it was
 * before the event that failed. */
int tt_evlog_add(struct tt_evlog *l, const struct tt_snapshot *s);
void tt_evlog_clear(struct tt_evlog *l);
/*
 * Back to the snapshot of this time, added before: the events added after
 * its own go. False (the log as it was) when no snapshot of that time is
 * in the log any more (the last 4096 added are remembered).
 */
bool tt_evlog_rewind(struct tt_evlog *l, double time);
size_t tt_evlog_count(const struct tt_evlog *l);
/* The i-th event kept, 0 the oldest; NULL past the end. */
const struct tt_event *tt_evlog_get(const struct tt_evlog *l, size_t i);
/* Events that fell out of the log (or a snapshot's omitted ones). */
uint64_t tt_evlog_dropped(const struct tt_evlog *l);
/* Events added since the log began or was cleared, those that fell out
 * included: the kept event i is number total - count + i of them. */
uint64_t tt_evlog_total(const struct tt_evlog *l);
/* Does ev concern pid: its own, or a child's exec or exit (ppid)? */
bool tt_event_of_pid(const struct tt_event *ev, uint32_t pid);
/* The oldest n of the events kept (all, if fewer), as a JSON array (for
 * the X export's recent_events). */
struct cJSON *tt_evlog_json(const struct tt_evlog *l, size_t n);

#endif
