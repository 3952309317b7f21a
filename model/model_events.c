// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model_events.c - the event stream in the model: the events the
 * collector drains land in the snapshot being built (at most ev_max, the
 * rest counted), in time order; and every exec is remembered, by process
 * instance, so that a process gone from /proc before we read it (or a
 * zombie, whose cmdline /proc no longer shows) keeps its command line and
 * parent.
 */
#include <stdlib.h>
#include <string.h>
#include "model/event.h"
#include "model/model_events.h"

/* ---- remembered execs ---------------------------------------------------- */

/*
 * A ring of the last EXEC_KEEP execs with a chained hash on (pid, gen):
 * the oldest entry is overwritten, unlinked from its chain first. A
 * process needs its entry for the few refreshes until its exit is
 * reported, so a few thousand are plenty even in a fork storm.
 */
#define EXEC_KEEP 4096
#define NIL	  UINT32_MAX

struct tt_execs {
	struct execent {
		uint32_t pid, gen, ppid, next;
		char *cmdline;
	} e[EXEC_KEEP];
	uint32_t head[EXEC_KEEP]; /* bucket -> first entry */
	uint32_t n, pos;
};

static uint32_t bucket(uint32_t pid, uint32_t gen)
{
	return (uint32_t)(((uint64_t)pid << 32 | gen) * 0x9e3779b97f4a7c15ULL >>
			  52) &
	       (EXEC_KEEP - 1);
}

static struct execent *execs_find(struct tt_execs *x, uint32_t pid,
				  uint32_t gen)
{
	for (uint32_t i = x->head[bucket(pid, gen)]; i != NIL; i = x->e[i].next)
		if (x->e[i].pid == pid && x->e[i].gen == gen)
			return &x->e[i];
	return NULL;
}

static void execs_unlink(struct tt_execs *x, uint32_t i)
{
	uint32_t *p = &x->head[bucket(x->e[i].pid, x->e[i].gen)];

	while (*p != NIL && *p != i)
		p = &x->e[*p].next;
	if (*p == i)
		*p = x->e[i].next;
	free(x->e[i].cmdline);
	x->e[i].cmdline = NULL;
}

static void execs_add(struct tt_execs *x, const struct tt_event *ev)
{
	struct execent *e = execs_find(x, ev->pid, ev->gen);
	char buf[TT_EV_ARGS_LEN + 16];
	char *cmd;
	uint32_t i, b;

	tt_event_args(ev, buf, sizeof(buf));
	cmd = strdup(buf[0] ? buf : ev->exec.path);
	if (!cmd)
		return;
	if (e) { /* it exec'ed again: the latest command counts */
		free(e->cmdline);
		e->cmdline = cmd;
		e->ppid = ev->ppid;
		return;
	}
	i = x->pos;
	x->pos = (x->pos + 1) % EXEC_KEEP;
	if (x->n == EXEC_KEEP)
		execs_unlink(x, i);
	else
		x->n++;
	b = bucket(ev->pid, ev->gen);
	x->e[i] =
		(struct execent){ ev->pid, ev->gen, ev->ppid, x->head[b], cmd };
	x->head[b] = i;
}

struct tt_execs *tt_model_execs_new(void)
{
	struct tt_execs *x = calloc(1, sizeof(*x));

	if (x)
		memset(x->head, 0xff, sizeof(x->head));
	return x;
}

void tt_model_execs_free(struct tt_execs *x)
{
	if (!x)
		return;
	for (uint32_t i = 0; i < EXEC_KEEP; i++)
		free(x->e[i].cmdline);
	free(x);
}

const char *tt_model_exec_cmdline(struct tt_model *m, uint32_t pid,
				  uint32_t gen, uint32_t *ppid)
{
	struct execent *e = m->execs ? execs_find(m->execs, pid, gen) : NULL;

	if (!e)
		return "";
	if (ppid && !*ppid)
		*ppid = e->ppid;
	return e->cmdline;
}

/* ---- this interval's events ---------------------------------------------- */

void tt_model_on_event(void *ctx, const struct tt_event *ev)
{
	struct tt_model *m = ctx;
	struct tt_event *v;

	if (m->ev_hook)
		m->ev_hook(m->ev_hook_ctx, ev);
	if (ev->kind == TT_EV_EXEC && !ev->exec.ret && m->execs)
		execs_add(m->execs, ev);
	if (m->nev >= m->o.ev_max) {
		m->ev_omitted++;
		return;
	}
	if (!tt_model_cur(m)) {
		m->ev_omitted++;
		return;
	}
	if (m->nev == m->capev) {
		size_t cap = m->capev ? m->capev * 2 : 64;

		v = realloc(m->evs, cap * sizeof(*v));
		if (!v) {
			m->ev_omitted++;
			return;
		}
		m->evs = v;
		m->capev = cap;
	}
	if (tt_event_copy(&m->cur->arena, &m->evs[m->nev], ev))
		m->ev_omitted++;
	else
		m->nev++;
}

static int cmp_ev_time(const void *a, const void *b)
{
	const struct tt_event *x = a, *y = b;

	return x->mono_ns < y->mono_ns ? -1 : x->mono_ns > y->mono_ns;
}

/*
 * The interval's events into m->cur, by time; their strings are there
 * already. The array itself goes with the snapshot, not a copy: at 10,000
 * events an interval it is 2 MB, and the model would keep its largest
 * ever besides.
 */
void tt_model_build_events(struct tt_model *m)
{
	struct tt_snapshot *s = m->cur;

	s->events_omitted = m->ev_omitted;
	s->nevents = 0;
	if (m->nev) {
		s->events = s->events_block = m->evs;
		s->nevents = m->nev;
		m->evs = NULL;
		m->capev = 0;
		/* the ring buffer is in reservation order, not quite time */
		qsort(s->events, s->nevents, sizeof(*s->events), cmp_ev_time);
	} else {
		s->events = tt_arena_alloc(&s->arena, 1);
	}
	m->nev = 0;
	m->ev_omitted = 0;
}

void tt_model_events_drop(struct tt_model *m)
{
	m->nev = 0;
	m->ev_omitted = 0;
}
