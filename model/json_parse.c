// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * json_parse.c - the inverse of json.c. Rates are taken as recorded, so a
 * replay shows exactly what was seen live.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "model/json.h"
#include "model/event.h"
#include "model/event_json.h"
#include "model/json_field.h"
#include "model/json_parse.h"
#include "model/json_prof.h"

static void hist(struct tt_snapshot *s, struct tt_hist *h, const cJSON *a)
{
	uint64_t dense[TT_HIST_BUCKETS] = { 0 };
	struct tt_hbin bins[TT_HIST_BUCKETS];
	const cJSON *b;
	uint32_t n;

	cJSON_ArrayForEach(b, a)
	{
		const cJSON *lo = cJSON_GetArrayItem(b, 0);
		const cJSON *c = cJSON_GetArrayItem(b, 2);

		if (!cJSON_IsNumber(lo) || !cJSON_IsNumber(c) ||
		    !(lo->valuedouble >= 0) || !(c->valuedouble >= 0) ||
		    lo->valuedouble > 1.8e19 || c->valuedouble > 1.8e19)
			continue;
		dense[tt_hist_index((uint64_t)lo->valuedouble)] +=
			(uint64_t)c->valuedouble;
	}
	n = tt_dense_to_bins(dense, bins);
	h->bins = tt_arena_alloc(&s->arena, n * sizeof(*bins) + 1);
	h->n = h->bins ? n : 0;
	if (h->bins)
		memcpy(h->bins, bins, n * sizeof(*bins));
}

static void sysc(struct tt_snapshot *s, struct tt_sysc *c, const cJSON *o,
		 const char *name)
{
	c->name = name ? tt_arena_strdup(&s->arena, name)
		       : tt_json_strdup(s, o, "name");
	c->nr = (uint32_t)tt_json_u64(o, "nr");
	c->count = tt_json_u64(o, "count");
	c->errors = tt_json_u64(o, "errors");
	c->total_ns = tt_json_u64(o, "total_ns");
	c->rate = tt_json_num(o, "rate");
	c->err_rate = tt_json_num(o, "error_rate");
	c->time_rate = tt_json_num(o, "time_rate");
	hist(s, &c->hist, cJSON_GetObjectItemCaseSensitive(o, "hist"));
}

static void proc(struct tt_snapshot *s, struct tt_proc *p, const cJSON *o)
{
	const cJSON *sc = cJSON_GetObjectItemCaseSensitive(o, "syscalls");
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(sc, "by_name");
	const cJSON *tcp = cJSON_GetObjectItemCaseSensitive(o, "tcp");
	const cJSON *sch = cJSON_GetObjectItemCaseSensitive(o, "sched");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "state");
	const cJSON *e;
	uint64_t best = 0;
	int n = cJSON_GetArraySize(by);

	p->pid = (uint32_t)tt_json_u64(o, "pid");
	p->gen = (uint32_t)tt_json_u64(o, "start_ticks");
	p->ppid = (uint32_t)tt_json_u64(o, "ppid");
	p->uid = (uint32_t)tt_json_u64(o, "uid");
	p->threads = (uint32_t)tt_json_u64(o, "threads");
	tt_json_copy(p->comm, sizeof(p->comm), o, "comm");
	tt_json_copy(p->user, sizeof(p->user), o, "user");
	p->state = (char)(cJSON_IsString(st) && st->valuestring[0]
				  ? st->valuestring[0]
				  : '?');
	p->exited = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "exited"));
	/* gone from /proc, its exit record awaited: no RSS to say */
	p->gone =
		!p->exited &&
		cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "rss_bytes"));
	p->cmdline = tt_json_strdup(s, o, "cmdline");
	p->cgroup = tt_json_strdup(s, o, "cgroup");
	p->rss_bytes = tt_json_u64(o, "rss_bytes");
	p->cpu_pct = tt_json_num(o, "cpu_pct");

	p->sc_count = tt_json_u64(sc, "count");
	p->sc_errors = tt_json_u64(sc, "errors");
	p->sc_rate = tt_json_num(sc, "rate");
	p->sc_err_rate = tt_json_num(sc, "error_rate");
	p->top_sc = "";
	p->sc = tt_arena_alloc(&s->arena,
			       (size_t)(n > 0 ? n : 0) * sizeof(*p->sc) + 1);
	if (p->sc) {
		uint64_t dense[TT_HIST_BUCKETS] = { 0 };

		cJSON_ArrayForEach(e, by)
		{
			struct tt_sysc *c = &p->sc[p->nsc++];

			sysc(s, c, e, e->string);
			if (c->rate > (double)best) {
				best = (uint64_t)c->rate;
				p->top_sc = c->name;
			}
			tt_hist_add_to_dense(dense, &c->hist);
		}
		p->sc_p99_ns = tt_dense_quantile(dense, 0.99);
	}
	p->tcp.tx_bytes = tt_json_u64(tcp, "tx_bytes");
	p->tcp.rx_bytes = tt_json_u64(tcp, "rx_bytes");
	p->tcp.connects = tt_json_u64(tcp, "connects");
	p->tcp.accepts = tt_json_u64(tcp, "accepts");
	p->tcp.retransmits = tt_json_u64(tcp, "retransmits");
	p->tcp.resets = tt_json_u64(tcp, "resets");
	p->tx_rate = tt_json_num(tcp, "tx_rate");
	p->rx_rate = tt_json_num(tcp, "rx_rate");
	p->connections = (uint32_t)tt_json_u64(tcp, "connections");
	p->oncpu_ns = tt_json_u64(sch, "oncpu_ns");
	p->oncpu_pct = tt_json_num(sch, "oncpu_pct");
	if (cJSON_IsObject(sch) &&
	    !cJSON_GetObjectItemCaseSensitive(sch, "oncpu_pct"))
		s->oncpu_pct_absent = true; /* replay.c derives it */
	p->voluntary = tt_json_u64(sch, "voluntary_switches");
	p->involuntary = tt_json_u64(sch, "involuntary_switches");
	p->migrations = tt_json_u64(sch, "migrations");
	p->csw_rate = tt_json_num(sch, "switch_rate");
	hist(s, &p->runq, cJSON_GetObjectItemCaseSensitive(sch, "runq_hist"));
	tt_json_parse_states(sch, p);
	tt_json_parse_proc_profile(s, o, p);
}

static void conn(struct tt_snapshot *s, struct tt_conn *c, const cJSON *o)
{
	const char *state = tt_json_strdup(s, o, "state");

	c->pid = (uint32_t)tt_json_u64(o, "pid");
	tt_json_copy(c->comm, sizeof(c->comm), o, "comm");
	c->family = (uint16_t)tt_json_u64(o, "family");
	tt_json_copy(c->saddr, sizeof(c->saddr), o, "saddr");
	tt_json_copy(c->daddr, sizeof(c->daddr), o, "daddr");
	c->sport = (uint16_t)tt_json_u64(o, "sport");
	c->dport = (uint16_t)tt_json_u64(o, "dport");
	c->state = state;
	c->closed = !strcmp(state, "CLOSE");
	c->tx_bytes = tt_json_u64(o, "tx_bytes");
	c->rx_bytes = tt_json_u64(o, "rx_bytes");
	c->tx_rate = tt_json_num(o, "tx_rate");
	c->rx_rate = tt_json_num(o, "rx_rate");
	c->retransmits = tt_json_u64(o, "retransmits");
	c->srtt_us = (uint32_t)tt_json_u64(o, "srtt_us");
	c->connect_ns = tt_json_u64(o, "connect_ns");
	/* no socket address in a recording: pid and ports identify it */
	c->id = (uint64_t)c->pid << 32 ^ (uint64_t)c->sport << 16 ^ c->dport;
}

static double parse_time(const char *t)
{
	struct tm tm = { 0 };
	double frac = 0;
	const char *rest = strptime(t, "%Y-%m-%dT%H:%M:%S", &tm);

	if (!rest)
		return 0;
	if (*rest == '.')
		frac = strtod(rest, NULL);
	return (double)timegm(&tm) + frac;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct tt_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

struct tt_snapshot *tt_json_parse(const char *line, size_t len, char *err,
				  size_t errlen)
{
	cJSON *o = cJSON_ParseWithLength(line, len), *a, *e, *pr, *sch, *lost,
	      *cost;
	struct tt_snapshot *s;
	size_t i;
	int schema;

	if (!cJSON_IsObject(o)) {
		snprintf(err, errlen, "not a JSON object");
		cJSON_Delete(o);
		return NULL;
	}
	schema = tt_json_int(o, "schema");
	if (schema != TT_SCHEMA) {
		snprintf(err, errlen, "schema %d, this build reads %d", schema,
			 TT_SCHEMA);
		cJSON_Delete(o);
		return NULL;
	}
	s = tt_snapshot_new();
	if (!s) {
		cJSON_Delete(o);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tt_json_copy(s->version, sizeof(s->version), o, "version");
	tt_json_copy(s->host, sizeof(s->host), o, "host");
	tt_json_copy(s->kernel, sizeof(s->kernel), o, "kernel");
	e = cJSON_GetObjectItemCaseSensitive(o, "time");
	s->time = cJSON_IsString(e) ? parse_time(e->valuestring) : 0;
	s->interval_s = tt_json_num(o, "interval_s");
	s->cpus = tt_json_int(o, "cpus");
	e = cJSON_GetObjectItemCaseSensitive(o, "mode");
	s->per_thread = cJSON_IsString(e) && !strcmp(e->valuestring, "threads");
	pr = cJSON_GetObjectItemCaseSensitive(o, "probes");
	for (i = 0; i < TT_PROBE_MAX; i++)
		tt_json_copy(s->probes[i], sizeof(s->probes[i]), pr,
			     tt_probe_set_name(i));
	lost = cJSON_GetObjectItemCaseSensitive(o, "lost");
	for (i = 0; i < TT_DROP_MAX; i++)
		s->lost[i] = tt_json_u64(lost, tt_json_drop_name((int)i));
	s->lost_total = tt_json_u64(lost, "total");
	cost = cJSON_GetObjectItemCaseSensitive(o, "cost");
	s->cost.bpf_ns_per_s = tt_json_num(cost, "bpf_ns_per_s");
	s->cost.bpf_events_per_s = tt_json_num(cost, "bpf_events_per_s");
	s->cost.bpf_estimated = cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(cost, "bpf_estimated"));
	s->cost.user_cpu_pct = tt_json_num(cost, "user_cpu_pct");
	s->cost.map_bytes = tt_json_u64(cost, "map_bytes");
	s->cost.rss_bytes = tt_json_u64(cost, "rss_bytes");
	e = cJSON_GetObjectItemCaseSensitive(o, "anomalies");
	s->anomalies = tt_json_u64(e, "counters_down");
	tt_json_copy(s->anomaly, sizeof(s->anomaly), e, "last");
	s->cost.bpf_calls = tt_json_u64(cost, "bpf_calls");

	a = cJSON_GetObjectItemCaseSensitive(o, "processes");
	s->procs = tt_arena_alloc(
		&s->arena,
		(size_t)cJSON_GetArraySize(a) * sizeof(*s->procs) + 1);
	cJSON_ArrayForEach(e, a) if (s->procs && cJSON_IsObject(e))
		proc(s, &s->procs[s->nprocs++], e);
	if (s->procs)
		qsort(s->procs, s->nprocs, sizeof(*s->procs), cmp_pid);
	a = cJSON_GetObjectItemCaseSensitive(o, "connections");
	s->conns = tt_arena_alloc(
		&s->arena,
		(size_t)cJSON_GetArraySize(a) * sizeof(*s->conns) + 1);
	cJSON_ArrayForEach(e, a) if (s->conns && cJSON_IsObject(e))
		conn(s, &s->conns[s->nconns++], e);
	a = cJSON_GetObjectItemCaseSensitive(o, "events");
	s->events = tt_arena_alloc(
		&s->arena,
		(size_t)cJSON_GetArraySize(a) * sizeof(*s->events) + 1);
	cJSON_ArrayForEach(e,
			   a) if (s->events &&
				  !tt_json_event_parse(e, &s->arena,
						       &s->events[s->nevents]))
		s->nevents++;
	s->events_omitted = tt_json_u64(o, "events_omitted");
	e = cJSON_GetObjectItemCaseSensitive(o, "events_lost");
	s->events_on = cJSON_IsArray(a);
	for (i = 0; i < TT_EV_KINDS; i++) {
		const cJSON *l = cJSON_GetObjectItemCaseSensitive(
			e, tt_ev_kind_name((enum tt_ev_kind)i));

		s->ev_lost_full[i] = tt_json_u64(l, "buffer_full");
		s->ev_lost_limited[i] = tt_json_u64(l, "rate_limit");
	}
	a = cJSON_GetObjectItemCaseSensitive(o, "syscalls");
	s->syscalls = tt_arena_alloc(
		&s->arena,
		(size_t)cJSON_GetArraySize(a) * sizeof(*s->syscalls) + 1);
	cJSON_ArrayForEach(e, a) if (s->syscalls && cJSON_IsObject(e))
		sysc(s, &s->syscalls[s->nsyscalls++], e, NULL);
	sch = cJSON_GetObjectItemCaseSensitive(o, "sched");
	hist(s, &s->runq, cJSON_GetObjectItemCaseSensitive(sch, "runq_hist"));
	s->switches = tt_json_u64(sch, "switches");
	s->switch_rate = tt_json_num(sch, "switch_rate");
	tt_json_parse_profile(s, o);
	{
		/* finish recomputes totals from the rows: keep the recorded */
		uint64_t lost_total = tt_json_u64(lost, "total");

		cJSON_Delete(o);
		tt_snapshot_finish(s);
		s->lost_total = lost_total;
	}
	return s;
}
