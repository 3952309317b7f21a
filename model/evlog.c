// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * evlog.c - a ring of deep-copied events. Each entry owns one block for
 * its strings (an exec's path and arguments, an OOM kill's cgroup), freed
 * when the entry is overwritten. A second ring marks where each snapshot's
 * events end, so the log can be cut back to one of them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "model/event_json.h"
#include "model/evlog.h"

/* the snapshots added last: one's time, and the total after its events */
#define MARKS 4096

struct mark {
	double time;
	uint64_t end;
};

struct tt_evlog {
	struct tt_event *ev;
	char **strs; /* the block each entry's strings live in, or NULL */
	size_t cap, n, head; /* head: index of the oldest */
	uint64_t dropped, total;
	struct mark marks[MARKS];
	size_t nmarks, mhead; /* mhead: index of the oldest */
};

struct tt_evlog *tt_evlog_new(size_t cap)
{
	struct tt_evlog *l = calloc(1, sizeof(*l));

	if (!l || !cap)
		goto fail;
	l->cap = cap;
	l->ev = calloc(cap, sizeof(*l->ev));
	l->strs = calloc(cap, sizeof(*l->strs));
	if (l->ev && l->strs)
		return l;
fail:
	tt_evlog_free(l);
	return NULL;
}

void tt_evlog_clear(struct tt_evlog *l)
{
	for (size_t i = 0; i < l->cap; i++) {
		free(l->strs[i]);
		l->strs[i] = NULL;
	}
	l->n = l->head = 0;
	l->dropped = l->total = 0;
	l->nmarks = l->mhead = 0;
}

void tt_evlog_free(struct tt_evlog *l)
{
	if (!l)
		return;
	if (l->strs)
		tt_evlog_clear(l);
	free(l->ev);
	free(l->strs);
	free(l);
}

/* ev into slot i, its strings in a block of their own */
static int put(struct tt_evlog *l, size_t i, const struct tt_event *ev)
{
	struct tt_event *d = &l->ev[i];
	char *b = NULL;

	free(l->strs[i]);
	l->strs[i] = NULL;
	*d = *ev;
	if (ev->kind == TT_EV_EXEC) {
		size_t pl = strlen(ev->exec.path ? ev->exec.path : "") + 1;

		b = malloc(pl + ev->exec.argv_len + 1);
		if (!b)
			return -ENOMEM;
		memcpy(b, ev->exec.path ? ev->exec.path : "", pl);
		if (ev->exec.argv_len)
			memcpy(b + pl, ev->exec.argv, ev->exec.argv_len);
		b[pl + ev->exec.argv_len] = 0;
		d->exec.path = b;
		d->exec.argv = b + pl;
	} else if (ev->kind == TT_EV_OOM) {
		b = strdup(ev->oom.cgroup ? ev->oom.cgroup : "");
		if (!b)
			return -ENOMEM;
		d->oom.cgroup = b;
	}
	l->strs[i] = b;
	return 0;
}

int tt_evlog_add(struct tt_evlog *l, const struct tt_snapshot *s)
{
	l->dropped += s->events_omitted;
	for (size_t k = 0; k < s->nevents; k++) {
		size_t i = (l->head + l->n) % l->cap;

		if (l->n == l->cap) { /* full: the oldest goes */
			l->head = (l->head + 1) % l->cap;
			l->dropped++;
		} else {
			l->n++;
		}
		if (put(l, i, &s->events[k])) {
			/* the slot is empty now: take it out again */
			l->n--;
			return -ENOMEM;
		}
		l->total++;
	}
	if (l->nmarks == MARKS)
		l->mhead = (l->mhead + 1) % MARKS;
	else
		l->nmarks++;
	l->marks[(l->mhead + l->nmarks - 1) % MARKS] =
		(struct mark){ s->time, l->total };
	return 0;
}

bool tt_evlog_rewind(struct tt_evlog *l, double time)
{
	for (size_t k = l->nmarks; k-- > 0;) {
		const struct mark *m = &l->marks[(l->mhead + k) % MARKS];

		if (m->time != time)
			continue;
		/* its events, or some of them, must still be kept */
		if (m->end + l->n <= l->total)
			return false;
		while (l->total > m->end) {
			size_t i = (l->head + l->n - 1) % l->cap;

			free(l->strs[i]);
			l->strs[i] = NULL;
			l->n--;
			l->total--;
		}
		l->nmarks = k + 1;
		return true;
	}
	return false;
}

size_t tt_evlog_count(const struct tt_evlog *l)
{
	return l->n;
}

const struct tt_event *tt_evlog_get(const struct tt_evlog *l, size_t i)
{
	return i < l->n ? &l->ev[(l->head + i) % l->cap] : NULL;
}

uint64_t tt_evlog_dropped(const struct tt_evlog *l)
{
	return l->dropped;
}

uint64_t tt_evlog_total(const struct tt_evlog *l)
{
	return l->total;
}

bool tt_event_of_pid(const struct tt_event *ev, uint32_t pid)
{
	if (ev->pid == pid)
		return true;
	if ((ev->kind == TT_EV_EXEC || ev->kind == TT_EV_EXIT) &&
	    ev->ppid == pid)
		return true;
	return ev->kind == TT_EV_SIGNAL && ev->signal.target_pid == pid;
}

cJSON *tt_evlog_json(const struct tt_evlog *l, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < l->n && i < n; i++)
		cJSON_AddItemToArray(a, tt_json_event(tt_evlog_get(l, i)));
	return a;
}
