// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * json.c - snapshot to JSON with libcjson. Field names are the contract of
 * DESIGN.md (schema 1): adding is fine, renaming bumps the schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "model/event.h"
#include "model/event_json.h"
#include "model/json.h"
#include "model/json_prof.h"
#include "model/measured.h"

/*
 * cJSON keeps numbers as doubles: exact for integers below 2^53. It prints
 * each with "%1.15g" and reads it back to check, which was half of
 * tracetop's own CPU time per refresh (perf: printf_fp, strtod and the
 * multi-precision code under them): most of a snapshot's numbers are
 * counters, so those go in as their decimal digits.
 */
static cJSON *number(double v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u;

	if (!(v >= 0 && v < 9007199254740992.0) || v != (double)(uint64_t)v)
		return cJSON_CreateNumber(v);
	u = (uint64_t)v;
	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	return cJSON_CreateRaw(p);
}

static void num(cJSON *o, const char *k, double v)
{
	cJSON_AddItemToObject(o, k, number(v));
}

cJSON *tt_json_hist(const struct tt_hist *h)
{
	cJSON *a = cJSON_CreateArray();

	for (uint32_t i = 0; a && i < h->n; i++) {
		cJSON *b = cJSON_CreateArray();

		cJSON_AddItemToArray(
			b, number((double)tt_hist_low(h->bins[i].idx)));
		cJSON_AddItemToArray(
			b, number((double)tt_hist_high(h->bins[i].idx)));
		cJSON_AddItemToArray(b, number((double)h->bins[i].count));
		cJSON_AddItemToArray(a, b);
	}
	return a;
}

/* v, or null when s did not measure figure f: never a 0 that reads as
 * measured */
static void fig_num(cJSON *o, const char *k, double v,
		    const struct tt_snapshot *s, enum tt_fig f)
{
	if (tt_fig_measured(s, f))
		num(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static cJSON *sysc_obj(const struct tt_snapshot *s, const struct tt_sysc *c,
		       bool with_name)
{
	cJSON *o = cJSON_CreateObject();
	bool lat = tt_fig_measured(s, TT_FIG_SC_LAT);

	if (with_name) {
		cJSON_AddStringToObject(o, "name", c->name);
		num(o, "nr", c->nr);
	}
	num(o, "count", (double)c->count);
	num(o, "errors", (double)c->errors);
	fig_num(o, "total_ns", (double)c->total_ns, s, TT_FIG_SC_LAT);
	num(o, "rate", c->rate);
	fig_num(o, "p50_ns", (double)c->p50_ns, s, TT_FIG_SC_LAT);
	fig_num(o, "p90_ns", (double)c->p90_ns, s, TT_FIG_SC_LAT);
	fig_num(o, "p99_ns", (double)c->p99_ns, s, TT_FIG_SC_LAT);
	cJSON_AddItemToObject(
		o, "hist", lat ? tt_json_hist(&c->hist) : cJSON_CreateNull());
	return o;
}

static cJSON *proc_obj(const struct tt_snapshot *s, const struct tt_proc *p)
{
	cJSON *o = cJSON_CreateObject(), *sc, *by, *tcp, *sch;
	char st[2] = { (char)(p->state ? p->state : '?'), 0 };

	num(o, "pid", p->pid);
	num(o, "ppid", p->ppid);
	cJSON_AddStringToObject(o, "comm", p->comm);
	cJSON_AddStringToObject(o, "cmdline", p->cmdline ? p->cmdline : "");
	cJSON_AddStringToObject(o, "user", p->user);
	num(o, "uid", p->uid);
	cJSON_AddStringToObject(o, "cgroup", p->cgroup ? p->cgroup : "");
	if (p->gone) /* /proc's figures: unknown, not 0 */
		cJSON_AddNullToObject(o, "threads");
	else
		num(o, "threads", p->threads);
	cJSON_AddStringToObject(o, "state", st);
	if (p->gone)
		cJSON_AddNullToObject(o, "rss_bytes");
	else
		num(o, "rss_bytes", (double)p->rss_bytes);
	cJSON_AddBoolToObject(o, "exited", p->exited);
	num(o, "cpu_pct", p->cpu_pct);
	num(o, "start_ticks", p->gen);

	if (!tt_probe_set_measured(s, TT_PROBE_SYSCALLS)) {
		cJSON_AddNullToObject(o, "syscalls");
		goto tcp;
	}
	sc = cJSON_AddObjectToObject(o, "syscalls");
	num(sc, "count", (double)p->sc_count);
	num(sc, "errors", (double)p->sc_errors);
	num(sc, "rate", p->sc_rate);
	num(sc, "error_rate", p->sc_err_rate);
	by = cJSON_AddObjectToObject(sc, "by_name");
	for (uint32_t i = 0; i < p->nsc; i++)
		cJSON_AddItemToObject(by, p->sc[i].name,
				      sysc_obj(s, &p->sc[i], false));
tcp:
	if (!tt_probe_set_measured(s, TT_PROBE_TCP)) {
		cJSON_AddNullToObject(o, "tcp");
		goto sched;
	}
	tcp = cJSON_AddObjectToObject(o, "tcp");
	fig_num(tcp, "tx_bytes", (double)p->tcp.tx_bytes, s, TT_FIG_TCP_TX);
	fig_num(tcp, "rx_bytes", (double)p->tcp.rx_bytes, s, TT_FIG_TCP_RX);
	fig_num(tcp, "tx_rate", p->tx_rate, s, TT_FIG_TCP_TX);
	fig_num(tcp, "rx_rate", p->rx_rate, s, TT_FIG_TCP_RX);
	fig_num(tcp, "connections", p->connections, s, TT_FIG_TCP_STATE);
	fig_num(tcp, "connects", (double)p->tcp.connects, s, TT_FIG_TCP_STATE);
	fig_num(tcp, "accepts", (double)p->tcp.accepts, s, TT_FIG_TCP_STATE);
	fig_num(tcp, "retransmits", (double)p->tcp.retransmits, s,
		TT_FIG_TCP_RETR);
	fig_num(tcp, "resets", (double)p->tcp.resets, s, TT_FIG_TCP_RST);
sched:
	tt_json_proc_profile(o, p); /* its own probe: not the scheduler's */
	if (!tt_probe_set_measured(s, TT_PROBE_SCHED)) {
		cJSON_AddNullToObject(o, "sched");
		return o;
	}
	sch = cJSON_AddObjectToObject(o, "sched");
	fig_num(sch, "oncpu_ns", (double)p->oncpu_ns, s, TT_FIG_SCHED_CPU);
	fig_num(sch, "oncpu_pct", p->oncpu_pct, s, TT_FIG_SCHED_CPU);
	fig_num(sch, "runq_p50_ns", (double)p->runq_p50_ns, s, TT_FIG_SCHED_RQ);
	fig_num(sch, "runq_p99_ns", (double)p->runq_p99_ns, s, TT_FIG_SCHED_RQ);
	cJSON_AddItemToObject(sch, "runq_hist",
			      tt_fig_measured(s, TT_FIG_SCHED_RQ)
				      ? tt_json_hist(&p->runq)
				      : cJSON_CreateNull());
	fig_num(sch, "voluntary_switches", (double)p->voluntary, s,
		TT_FIG_SCHED_CPU);
	fig_num(sch, "involuntary_switches", (double)p->involuntary, s,
		TT_FIG_SCHED_CPU);
	fig_num(sch, "migrations", (double)p->migrations, s, TT_FIG_SCHED_MIG);
	fig_num(sch, "switch_rate", p->csw_rate, s, TT_FIG_SCHED_CPU);
	tt_json_proc_states(sch, p);
	return o;
}

static cJSON *conn_obj(const struct tt_snapshot *s, const struct tt_conn *c)
{
	cJSON *o = cJSON_CreateObject();

	num(o, "pid", c->pid);
	cJSON_AddStringToObject(o, "comm", c->comm);
	num(o, "family", c->family);
	cJSON_AddStringToObject(o, "saddr", c->saddr);
	num(o, "sport", c->sport);
	cJSON_AddStringToObject(o, "daddr", c->daddr);
	num(o, "dport", c->dport);
	cJSON_AddStringToObject(o, "state", c->state);
	fig_num(o, "tx_bytes", (double)c->tx_bytes, s, TT_FIG_TCP_TX);
	fig_num(o, "rx_bytes", (double)c->rx_bytes, s, TT_FIG_TCP_RX);
	fig_num(o, "tx_rate", c->tx_rate, s, TT_FIG_TCP_TX);
	fig_num(o, "rx_rate", c->rx_rate, s, TT_FIG_TCP_RX);
	fig_num(o, "retransmits", (double)c->retransmits, s, TT_FIG_TCP_RETR);
	num(o, "srtt_us", c->srtt_us);
	num(o, "connect_ns", (double)c->connect_ns);
	return o;
}

static const char *const drop_names[TT_DROP_MAX] = {
	[TT_DROP_SYSCALL_MAP] = "syscall_map_full",
	[TT_DROP_SCHED_MAP] = "sched_map_full",
	[TT_DROP_TCP_MAP] = "tcp_map_full",
	[TT_DROP_CONN_MAP] = "conn_map_full",
	[TT_DROP_EXIT_MAP] = "exit_map_full",
	[TT_DROP_TASK_STORAGE] = "task_storage_full",
};

const char *tt_json_drop_name(int why)
{
	return why >= 0 && why < TT_DROP_MAX ? drop_names[why] : "other";
}

/* the snapshot, with its process and connection lists only when lists */
static cJSON *snapshot_obj(const struct tt_snapshot *s, bool lists)
{
	cJSON *o = cJSON_CreateObject(), *pr, *a, *lost, *cost, *sch, *ev_lost;
	uint64_t full = 0, limited = 0;
	char when[64];
	/* rounded, not truncated: a time read back from a recording
	 * (x.837 parsed as x.83699...) must print the same */
	long long ms = llround(s->time * 1000);
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!o)
		return NULL;
	gmtime_r(&t, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(ms % 1000));
	num(o, "schema", s->schema);
	cJSON_AddStringToObject(o, "version", s->version);
	cJSON_AddStringToObject(o, "host", s->host);
	cJSON_AddStringToObject(o, "kernel", s->kernel);
	cJSON_AddStringToObject(o, "time", when);
	num(o, "interval_s", s->interval_s);
	num(o, "cpus", s->cpus);
	cJSON_AddStringToObject(o, "mode",
				s->per_thread ? "threads" : "processes");
	pr = cJSON_AddObjectToObject(o, "probes");
	for (int i = 0; i < TT_PROBE_MAX; i++)
		cJSON_AddStringToObject(pr, tt_probe_set_name(i), s->probes[i]);
	lost = cJSON_AddObjectToObject(o, "lost");
	for (int i = 0; i < TT_DROP_MAX; i++)
		num(lost, drop_names[i], (double)s->lost[i]);
	num(lost, "profile", (double)s->prof.lost);
	for (int k = 0; k < TT_EV_KINDS; k++) {
		full += s->ev_lost_full[k];
		limited += s->ev_lost_limited[k];
	}
	/* by kind in events_lost */
	num(lost, "events_buffer_full", (double)full);
	num(lost, "events_rate_limit", (double)limited);
	num(lost, "total", (double)s->lost_total);
	cost = cJSON_AddObjectToObject(o, "cost");
	num(cost, "bpf_ns_per_s", s->cost.bpf_ns_per_s);
	num(cost, "bpf_events_per_s", s->cost.bpf_events_per_s);
	cJSON_AddBoolToObject(cost, "bpf_estimated", s->cost.bpf_estimated);
	num(cost, "user_cpu_pct", s->cost.user_cpu_pct);
	num(cost, "map_bytes", (double)s->cost.map_bytes);
	num(cost, "rss_bytes", (double)s->cost.rss_bytes);
	num(cost, "bpf_calls", (double)s->cost.bpf_calls);

	a = cJSON_AddObjectToObject(o, "anomalies");
	num(a, "counters_down", (double)s->anomalies);
	if (s->anomalies)
		cJSON_AddStringToObject(a, "last", s->anomaly);
	a = cJSON_AddArrayToObject(o, "processes");
	for (size_t i = 0; lists && i < s->nprocs; i++)
		cJSON_AddItemToArray(a, proc_obj(s, &s->procs[i]));
	if (tt_fig_measured(s, TT_FIG_TCP_STATE)) {
		a = cJSON_AddArrayToObject(o, "connections");
		for (size_t i = 0; lists && i < s->nconns; i++)
			cJSON_AddItemToArray(a, conn_obj(s, &s->conns[i]));
	} else {
		cJSON_AddNullToObject(o, "connections");
	}
	a = cJSON_AddArrayToObject(o, "events");
	for (size_t i = 0; lists && i < s->nevents; i++)
		cJSON_AddItemToArray(a, tt_json_event(&s->events[i]));
	num(o, "events_omitted", (double)s->events_omitted);
	ev_lost = cJSON_AddObjectToObject(o, "events_lost");
	for (int k = 0; k < TT_EV_KINDS; k++) {
		cJSON *l = cJSON_AddObjectToObject(ev_lost, tt_ev_kind_name(k));

		num(l, "buffer_full", (double)s->ev_lost_full[k]);
		num(l, "rate_limit", (double)s->ev_lost_limited[k]);
	}
	if (tt_probe_set_measured(s, TT_PROBE_SYSCALLS)) {
		a = cJSON_AddArrayToObject(o, "syscalls");
		for (size_t i = 0; i < s->nsyscalls; i++)
			cJSON_AddItemToArray(
				a, sysc_obj(s, &s->syscalls[i], true));
	} else {
		cJSON_AddNullToObject(o, "syscalls");
	}
	tt_json_profile(o, s); /* its own probe: not the scheduler's */
	if (!tt_probe_set_measured(s, TT_PROBE_SCHED)) {
		cJSON_AddNullToObject(o, "sched");
		return o;
	}
	sch = cJSON_AddObjectToObject(o, "sched");
	cJSON_AddItemToObject(sch, "runq_hist", tt_json_hist(&s->runq));
	num(sch, "runq_p50_ns", (double)s->runq_p50_ns);
	num(sch, "runq_p99_ns", (double)s->runq_p99_ns);
	num(sch, "switches", (double)s->switches);
	num(sch, "switch_rate", s->switch_rate);
	return o;
}

cJSON *tt_json_snapshot(const struct tt_snapshot *s)
{
	return snapshot_obj(s, true);
}

/*
 * A string that grows, or with out set, text that goes straight to a
 * stream; oom once an allocation or a write failed.
 */
struct sbuf {
	char *p;
	size_t n, cap;
	FILE *out;
	size_t left_out; /* items without memory to print (out only) */
	bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t len)
{
	if (b->oom)
		return;
	if (b->out) {
		b->oom = fwrite(s, 1, len, b->out) != len;
		b->n += len;
		return;
	}
	if (!b->p || b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		char *p;

		while (cap < b->n + len + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

enum list { L_PROCS, L_CONNS, L_EVENTS };

/* the processes' (connections', events') objects, printed one at a time */
static void sb_items(struct sbuf *b, const struct tt_snapshot *s,
		     enum list which)
{
	size_t n = which == L_PROCS   ? s->nprocs
		   : which == L_CONNS ? s->nconns
				      : s->nevents;

	for (size_t i = 0, k = 0; i < n && !b->oom; i++) {
		cJSON *o = which == L_PROCS   ? proc_obj(s, &s->procs[i])
			   : which == L_CONNS ? conn_obj(s, &s->conns[i])
					      : tt_json_event(&s->events[i]);
		char *t = o ? cJSON_PrintUnformatted(o) : NULL;

		cJSON_Delete(o);
		if (!t && b->out) {
			/* half a line is sent: leave this one out and
			 * keep the line whole, with a count of those */
			b->left_out++;
			continue;
		}
		if (!t) {
			b->oom = true;
			break;
		}
		if (k++)
			sb_add(b, ",", 1);
		sb_add(b, t, strlen(t));
		free(t);
	}
}

/*
 * The same text as printing tt_json_snapshot(), but the process,
 * connection and event lists, most of a snapshot, never stand as one
 * cJSON tree: in
 * a fork storm (8,000 processes a snapshot) that tree alone doubled
 * tracetop's memory. The rest is printed with empty lists, and each
 * list's objects go in between its brackets one by one. No string value
 * can hold the markers: cJSON escapes the quotes in them.
 */
static void json_emit(struct sbuf *b, const struct tt_snapshot *s)
{
	static const char *const keys[] = { "\"processes\":[",
					    "\"connections\":[",
					    "\"events\":[" };
	cJSON *o = snapshot_obj(s, false);
	char *head = o ? cJSON_PrintUnformatted(o) : NULL;
	const char *from, *at[3];

	cJSON_Delete(o);
	if (!head) {
		b->oom = true;
		return;
	}
	/* each list is empty in head, and in this order; connections are
	 * null when they were not measured */
	from = head;
	for (int i = 0; i < 3; i++) {
		char empty[32];

		snprintf(empty, sizeof(empty), "%s]", keys[i]);
		at[i] = strstr(from, empty);
		if (!at[i] && i == L_CONNS)
			continue;
		if (!at[i]) { /* cannot be: every snapshot has them */
			free(head);
			b->oom = true;
			return;
		}
		at[i] += strlen(keys[i]);
		from = at[i];
	}
	from = head;
	for (int i = 0; i < 3; i++) {
		if (!at[i])
			continue;
		sb_add(b, from, (size_t)(at[i] - from));
		sb_items(b, s, (enum list)i);
		from = at[i];
	}
	sb_add(b, from, strlen(from));
	free(head);
}

char *tt_json_line(const struct tt_snapshot *s)
{
	struct sbuf b = { 0 };

	json_emit(&b, s);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/*
 * -j: the line written as it is made. At 8,000 processes a snapshot the
 * whole line is 8 MB, a third of what tracetop holds at its peak, held
 * only to be copied into stdout's buffer.
 */
int tt_json_write(FILE *f, const struct tt_snapshot *s)
{
	struct sbuf b = { .out = f };

	json_emit(&b, s);
	if (b.n && fputc('\n', f) == EOF) /* nothing at all: no line */
		b.oom = true;
	return b.oom || b.left_out ? -1 : 0;
}
