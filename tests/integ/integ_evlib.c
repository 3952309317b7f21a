// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_evlib.c - finding events in the snapshots; see integ_evlib.h.
 */
#include <stdlib.h>
#include <string.h>
#include "tests/integ/integ_evlib.h"

const char *ev_str(const cJSON *ev, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, k);

	return cJSON_IsString(v) ? v->valuestring : "";
}

double ev_num(const cJSON *ev, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, k);

	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

bool is_kind(const cJSON *ev, const char *kind)
{
	return !strcmp(ev_str(ev, "kind"), kind);
}

/* the events of every snapshot read so far that pred takes; n set */
const cJSON **ev_find(const struct ih_tt *tt, ev_pred pred, const void *arg,
		      size_t *n)
{
	const cJSON **v = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *ev;

		cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(
					       tt->snaps[i], "events"))
		{
			if (!pred(ev, arg))
				continue;
			if (*n == cap) {
				cap = cap * 2 + 16;
				v = ih_xrealloc(v, cap * sizeof(*v));
			}
			v[(*n)++] = ev;
		}
	}
	return v;
}

bool by_kind_pid(const cJSON *ev, const void *arg)
{
	const struct kp *k = arg;

	return is_kind(ev, k->kind) && ev_num(ev, "pid") == k->pid;
}

bool by_kind_ppid(const cJSON *ev, const void *arg)
{
	const struct kp *k = arg;

	return is_kind(ev, k->kind) && ev_num(ev, "ppid") == k->pid;
}

/* The one event of kind for pid: fails unless there is exactly one. */
const cJSON *ev_one(const struct ih_tt *tt, const char *kind, int pid)
{
	struct kp k = { kind, pid };
	size_t n;
	const cJSON **v = ev_find(tt, by_kind_pid, &k, &n);
	const cJSON *e = n ? v[0] : NULL;

	free(v);
	ck_assert_msg(n == 1, "%zu %s events of pid %d, not 1", n, kind, pid);
	return e;
}

/* Read snapshots until pred has matched want events (or time is up). */
void ev_wait(struct ih_tt *tt, ev_pred pred, const void *arg, size_t want,
	     int timeout_ms)
{
	long long deadline = ih_now_ms() + ih_ms(timeout_ms);
	size_t n;

	for (;;) {
		free(ev_find(tt, pred, arg, &n));
		if (n >= want || ih_now_ms() >= deadline)
			return;
		ih_tt_wait_snaps(tt, 1, 5000);
	}
}

const cJSON *last_lost(const struct ih_tt *tt, const char *kind)
{
	const cJSON *l = ih_path(tt->snaps[tt->n - 1], "events_lost");

	return cJSON_GetObjectItemCaseSensitive(l, kind);
}

double arg_count(const cJSON *ev)
{
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(ev, "args"));
}

const char *arg_at(const cJSON *ev, int i)
{
	const cJSON *a = cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(ev, "args"), i);

	return cJSON_IsString(a) ? a->valuestring : "";
}

bool by_kind(const cJSON *ev, const void *arg)
{
	return is_kind(ev, arg);
}

bool by_tuple(const cJSON *ev, const void *arg)
{
	const struct tcpk *k = arg;

	return is_kind(ev, k->kind) &&
	       (!k->sport || ev_num(ev, "sport") == k->sport) &&
	       ev_num(ev, "dport") == k->dport;
}

const cJSON *tcp_one(const struct ih_tt *tt, const char *kind, int sport,
		     int dport)
{
	struct tcpk k = { kind, sport, dport };
	size_t n;
	const cJSON **v = ev_find(tt, by_tuple, &k, &n);
	const cJSON *e = n ? v[0] : NULL;

	free(v);
	ck_assert_msg(n == 1, "%zu %s events %d -> %d, not 1", n, kind, sport,
		      dport);
	return e;
}

static bool by_kpg(const cJSON *ev, const void *arg)
{
	const struct kpg *k = arg;

	return is_kind(ev, k->kind) && ev_num(ev, "pid") == k->pid &&
	       (k->gen < 0 || ev_num(ev, "start_ticks") == k->gen) &&
	       (!k->ppid || ev_num(ev, "ppid") == k->ppid);
}

size_t ev_count_of(const struct ih_tt *tt, const struct kpg *k)
{
	size_t n;

	free(ev_find(tt, by_kpg, k, &n));
	return n;
}

const cJSON *ev_one_of(const struct ih_tt *tt, const struct kpg *k)
{
	size_t n;
	const cJSON **v = ev_find(tt, by_kpg, k, &n);
	const cJSON *e = n ? v[0] : NULL;

	free(v);
	ck_assert_msg(n == 1, "%zu %s events of pid %d, not 1", n, k->kind,
		      k->pid);
	return e;
}
