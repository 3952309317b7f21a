// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * event_json.c - one event as a JSON object and back: the items of a
 * snapshot's "events" array and the lines of `tracetop --trace -j`. The
 * fields are in model/snapshot.schema.json ($defs/event).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "model/event.h"
#include "model/event_json.h"
#include "model/json_field.h"
#include "model/syscall_names.h"

static void num(cJSON *o, const char *k, double v)
{
	cJSON_AddItemToObject(o, k, cJSON_CreateNumber(v));
}

static void error_name(cJSON *o, int e)
{
	const char *n = e > 0 ? strerrorname_np(e) : NULL;

	if (n)
		cJSON_AddStringToObject(o, "error", n);
}

static void signal_name(cJSON *o, const char *key, int s)
{
	const char *n = s > 0 && s < 65 ? sigabbrev_np(s) : NULL;
	char buf[24];

	if (!n)
		return;
	snprintf(buf, sizeof(buf), "SIG%s", n);
	cJSON_AddStringToObject(o, key, buf);
}

/* ISO 8601 UTC to the microsecond: events a few us apart stay ordered */
static void iso_time(char *buf, size_t len, double t)
{
	long long us = llround(t * 1e6);
	time_t sec = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (int)(us % 1000000));
}

static void tcp_fields(cJSON *o, const struct tt_event *ev)
{
	num(o, "family", ev->tcp.family);
	cJSON_AddStringToObject(o, "saddr", ev->tcp.saddr);
	num(o, "sport", ev->tcp.sport);
	cJSON_AddStringToObject(o, "daddr", ev->tcp.daddr);
	num(o, "dport", ev->tcp.dport);
	switch (ev->kind) {
	case TT_EV_CONNECT:
		cJSON_AddStringToObject(
			o, "result", tt_ev_connect_result_name(ev->tcp.result));
		error_name(o, ev->tcp.err);
		num(o, "latency_ns", (double)ev->tcp.ns);
		num(o, "retransmits", ev->tcp.retransmits);
		break;
	case TT_EV_CLOSE:
		num(o, "lifetime_ns", (double)ev->tcp.ns);
		num(o, "tx_bytes", (double)ev->tcp.tx_bytes);
		num(o, "rx_bytes", (double)ev->tcp.rx_bytes);
		num(o, "retransmits", ev->tcp.retransmits);
		num(o, "srtt_us", ev->tcp.srtt_us);
		cJSON_AddBoolToObject(o, "passive", ev->tcp.passive);
		break;
	case TT_EV_RESET:
		cJSON_AddStringToObject(o, "direction",
					ev->tcp.sent ? "sent" : "received");
		break;
	case TT_EV_RETRANS:
		cJSON_AddStringToObject(o, "state",
					tt_tcp_state_name(ev->tcp.state));
		num(o, "retransmits", ev->tcp.retransmits);
		break;
	default:
		break;
	}
}

cJSON *tt_json_event(const struct tt_event *ev)
{
	cJSON *o = cJSON_CreateObject(), *a;
	const char *s;
	char t[80];

	if (!o)
		return NULL;
	iso_time(t, sizeof(t), ev->time);
	cJSON_AddStringToObject(o, "time", t);
	cJSON_AddStringToObject(o, "kind", tt_ev_kind_name(ev->kind));
	num(o, "pid", ev->pid);
	num(o, "tid", ev->tid);
	num(o, "start_ticks", ev->gen);
	if (ev->uid >= 0)
		num(o, "uid", (double)ev->uid);
	cJSON_AddStringToObject(o, "comm", ev->comm);
	num(o, "mono_ns", (double)ev->mono_ns);
	switch (ev->kind) {
	case TT_EV_EXEC:
		num(o, "ppid", ev->ppid);
		cJSON_AddStringToObject(o, "path",
					ev->exec.path ? ev->exec.path : "");
		a = cJSON_AddArrayToObject(o, "args");
		s = ev->exec.argv;
		for (unsigned i = 0;
		     s && s < ev->exec.argv + ev->exec.argv_len &&
		     i < ev->exec.argc;
		     i++) {
			cJSON_AddItemToArray(a, cJSON_CreateString(s));
			s += strlen(s) + 1;
		}
		cJSON_AddBoolToObject(o, "args_truncated", ev->exec.cut);
		num(o, "ret", ev->exec.ret);
		error_name(o, -ev->exec.ret);
		break;
	case TT_EV_EXIT:
		num(o, "ppid", ev->ppid);
		num(o, "code", ev->exit.code);
		num(o, "signal", ev->exit.signal);
		signal_name(o, "signal_name", ev->exit.signal);
		cJSON_AddBoolToObject(o, "core_dumped", ev->exit.core);
		num(o, "lifetime_ns", (double)ev->exit.lifetime_ns);
		num(o, "cpu_ns", (double)ev->exit.cpu_ns);
		if (ev->exit.syscalls >= 0)
			num(o, "syscalls", (double)ev->exit.syscalls);
		break;
	case TT_EV_SLOW:
		s = tt_syscall_name(ev->slow.nr);
		cJSON_AddStringToObject(o, "syscall", s ? s : "?");
		num(o, "nr", ev->slow.nr);
		num(o, "duration_ns", (double)ev->slow.ns);
		num(o, "ret", (double)ev->slow.ret);
		if (ev->slow.ret < 0 && ev->slow.ret >= -4095)
			error_name(o, (int)-ev->slow.ret);
		num(o, "arg0", (double)ev->slow.arg0);
		break;
	case TT_EV_SIGNAL:
		num(o, "signal", ev->signal.sig);
		signal_name(o, "signal_name", ev->signal.sig);
		num(o, "target_pid", ev->signal.target_pid);
		num(o, "target_tid", ev->signal.target_tid);
		cJSON_AddStringToObject(o, "target_comm",
					ev->signal.target_comm);
		cJSON_AddStringToObject(
			o, "result",
			tt_ev_signal_result_name(ev->signal.result));
		break;
	case TT_EV_OOM:
		num(o, "trigger_pid", ev->oom.trigger_pid);
		cJSON_AddStringToObject(o, "trigger_comm",
					ev->oom.trigger_comm);
		num(o, "rss_bytes", (double)ev->oom.rss_bytes);
		num(o, "vm_bytes", (double)ev->oom.vm_bytes);
		cJSON_AddStringToObject(o, "cgroup",
					ev->oom.cgroup ? ev->oom.cgroup : "");
		num(o, "cgroup_id", (double)ev->oom.cgroup_id);
		break;
	case TT_EV_RUNQ:
		num(o, "delay_ns", (double)ev->runq.ns);
		num(o, "prev_pid", ev->runq.prev_pid);
		cJSON_AddStringToObject(o, "prev_comm", ev->runq.prev_comm);
		num(o, "cpu", ev->runq.cpu);
		break;
	default:
		tcp_fields(o, ev);
		break;
	}
	return o;
}

char *tt_json_event_line(const struct tt_event *ev)
{
	cJSON *o = tt_json_event(ev);
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	return s;
}

/* ---- parsing ------------------------------------------------------------- */

static double ptime(const char *t)
{
	struct tm tm = { 0 };
	const char *rest = strptime(t, "%Y-%m-%dT%H:%M:%S", &tm);

	if (!rest)
		return 0;
	return (double)timegm(&tm) + (*rest == '.' ? strtod(rest, NULL) : 0);
}

static uint32_t connect_result(const char *s)
{
	for (uint32_t r = 0; r < 4; r++)
		if (!strcmp(s, tt_ev_connect_result_name(r)))
			return r;
	return TT_EV_CONN_ERROR;
}

static int32_t signal_result(const char *s)
{
	for (int32_t r = 0; r < 5; r++)
		if (!strcmp(s, tt_ev_signal_result_name(r)))
			return r;
	return -1;
}

static void parse_exec(const cJSON *o, struct tt_arena *a, struct tt_event *ev)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(o, "args"), *x;
	size_t len = 0, off = 0;
	char *argv;

	cJSON_ArrayForEach(x, args) if (cJSON_IsString(x)) len +=
		strlen(x->valuestring) + 1;
	argv = tt_arena_alloc(a, len + 1);
	ev->exec.path = tt_arena_strdup(a, tt_json_str(o, "path"));
	ev->exec.argv = argv;
	ev->exec.cut = cJSON_IsTrue(
		cJSON_GetObjectItemCaseSensitive(o, "args_truncated"));
	ev->exec.ret = (int32_t)tt_json_i64(o, "ret");
	if (!argv)
		return;
	cJSON_ArrayForEach(x, args)
	{
		size_t l;

		if (!cJSON_IsString(x) || ev->exec.argc == UINT16_MAX)
			continue;
		l = strlen(x->valuestring) + 1;
		memcpy(argv + off, x->valuestring, l);
		off += l;
		ev->exec.argc++;
	}
	ev->exec.argv_len = (uint32_t)off;
}

static int kind_of(const char *name)
{
	return tt_ev_kind_find(name);
}

int tt_json_event_parse(const cJSON *o, struct tt_arena *a, struct tt_event *ev)
{
	int k = cJSON_IsObject(o) ? kind_of(tt_json_str(o, "kind")) : -1;
	const cJSON *uid;

	if (k < 0)
		return -EINVAL;
	memset(ev, 0, sizeof(*ev));
	ev->kind = (enum tt_ev_kind)k;
	ev->time = ptime(tt_json_str(o, "time"));
	ev->mono_ns = tt_json_u64(o, "mono_ns");
	ev->pid = (uint32_t)tt_json_u64(o, "pid");
	ev->tid = (uint32_t)tt_json_u64(o, "tid");
	ev->gen = (uint32_t)tt_json_u64(o, "start_ticks");
	uid = cJSON_GetObjectItemCaseSensitive(o, "uid");
	ev->uid = cJSON_IsNumber(uid) ? (int64_t)tt_json_u64(o, "uid") : -1;
	ev->ppid = (uint32_t)tt_json_u64(o, "ppid");
	tt_json_copy(ev->comm, sizeof(ev->comm), o, "comm");
	switch (ev->kind) {
	case TT_EV_EXEC:
		parse_exec(o, a, ev);
		break;
	case TT_EV_EXIT:
		ev->exit.code = (int32_t)tt_json_i64(o, "code");
		ev->exit.signal = (int32_t)tt_json_i64(o, "signal");
		ev->exit.core = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(o, "core_dumped"));
		ev->exit.lifetime_ns = tt_json_u64(o, "lifetime_ns");
		ev->exit.cpu_ns = tt_json_u64(o, "cpu_ns");
		ev->exit.syscalls =
			cJSON_GetObjectItemCaseSensitive(o, "syscalls")
				? (int64_t)tt_json_u64(o, "syscalls")
				: -1;
		break;
	case TT_EV_SLOW:
		ev->slow.nr = (uint32_t)tt_json_u64(o, "nr");
		ev->slow.ns = tt_json_u64(o, "duration_ns");
		ev->slow.ret = tt_json_i64(o, "ret");
		ev->slow.arg0 = tt_json_u64(o, "arg0");
		break;
	case TT_EV_SIGNAL:
		ev->signal.sig = (int32_t)tt_json_i64(o, "signal");
		ev->signal.target_pid = (uint32_t)tt_json_u64(o, "target_pid");
		ev->signal.target_tid = (uint32_t)tt_json_u64(o, "target_tid");
		tt_json_copy(ev->signal.target_comm,
			     sizeof(ev->signal.target_comm), o, "target_comm");
		ev->signal.result = signal_result(tt_json_str(o, "result"));
		break;
	case TT_EV_OOM:
		ev->oom.trigger_pid = (uint32_t)tt_json_u64(o, "trigger_pid");
		tt_json_copy(ev->oom.trigger_comm, sizeof(ev->oom.trigger_comm),
			     o, "trigger_comm");
		ev->oom.rss_bytes = tt_json_u64(o, "rss_bytes");
		ev->oom.vm_bytes = tt_json_u64(o, "vm_bytes");
		ev->oom.cgroup_id = tt_json_u64(o, "cgroup_id");
		ev->oom.cgroup = tt_arena_strdup(a, tt_json_str(o, "cgroup"));
		break;
	case TT_EV_RUNQ:
		ev->runq.ns = tt_json_u64(o, "delay_ns");
		ev->runq.prev_pid = (uint32_t)tt_json_u64(o, "prev_pid");
		tt_json_copy(ev->runq.prev_comm, sizeof(ev->runq.prev_comm), o,
			     "prev_comm");
		ev->runq.cpu = (uint32_t)tt_json_u64(o, "cpu");
		break;
	default:
		ev->tcp.family = (uint16_t)tt_json_u64(o, "family");
		tt_json_copy(ev->tcp.saddr, sizeof(ev->tcp.saddr), o, "saddr");
		tt_json_copy(ev->tcp.daddr, sizeof(ev->tcp.daddr), o, "daddr");
		ev->tcp.sport = (uint16_t)tt_json_u64(o, "sport");
		ev->tcp.dport = (uint16_t)tt_json_u64(o, "dport");
		ev->tcp.result = connect_result(tt_json_str(o, "result"));
		ev->tcp.ns = tt_json_u64(o, ev->kind == TT_EV_CONNECT
						    ? "latency_ns"
						    : "lifetime_ns");
		ev->tcp.tx_bytes = tt_json_u64(o, "tx_bytes");
		ev->tcp.rx_bytes = tt_json_u64(o, "rx_bytes");
		ev->tcp.retransmits = (uint32_t)tt_json_u64(o, "retransmits");
		ev->tcp.srtt_us = (uint32_t)tt_json_u64(o, "srtt_us");
		ev->tcp.sent = !strcmp(tt_json_str(o, "direction"), "sent");
		ev->tcp.passive = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(o, "passive"));
		break;
	}
	if (ev->kind == TT_EV_EXEC && (!ev->exec.path || !ev->exec.argv))
		return -ENOMEM;
	if (ev->kind == TT_EV_OOM && !ev->oom.cgroup)
		return -ENOMEM;
	return 0;
}
