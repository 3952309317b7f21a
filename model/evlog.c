// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * evlog.c - a ring of deep-copied events. Each entry owns one block for
 * its strings (an exec's path and arguments, an OOM kill's cgroup), freed
 * when the entry is overwritten.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "model/event_json.h"
#include "model/evlog.h"

struct tt_evlog {
	struct tt_event *ev;
	char **strs; /* the block each entry's strings live in, or NULL */
	size_t cap, n, head; /* head: index of the oldest */
	uint64_t dropped;
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
	l->dropped = 0;
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
	}
	return 0;
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

bool tt_event_of_pid(const struct tt_event *ev, uint32_t pid)
{
	if (ev->pid == pid)
		return true;
	if ((ev->kind == TT_EV_EXEC || ev->kind == TT_EV_EXIT) &&
	    ev->ppid == pid)
		return true;
	return ev->kind == TT_EV_SIGNAL && ev->signal.target_pid == pid;
}

cJSON *tt_evlog_json(const struct tt_evlog *l)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < l->n; i++)
		cJSON_AddItemToArray(a, tt_json_event(tt_evlog_get(l, i)));
	return a;
}
