// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * openmetrics.c - render metrics text. Counters come from the snapshot's
 * cumulative figures, which only grow (system-wide and per-cgroup totals
 * keep what exited processes did), as Prometheus requires.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/measured.h"
#include "model/event.h"
#include "model/openmetrics.h"
#include "model/states.h"

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

__attribute__((format(printf, 2, 3))) static void put(struct buf *b,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL,
			      b->p ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0 || b->oom)
			return;
		if (b->p && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = (b->cap ? b->cap * 2 : 65536) + (size_t)n;
		char *p = realloc(b->p, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
}

/* a label value with \, " and newline escaped */
static const char *esc(const char *s, char *out, size_t len)
{
	size_t j = 0;

	for (; *s && j + 3 < len; s++) {
		if (*s == '\\' || *s == '"') {
			out[j++] = '\\';
			out[j++] = *s;
		} else if (*s == '\n') {
			out[j++] = '\\';
			out[j++] = 'n';
		} else {
			out[j++] = *s;
		}
	}
	out[j] = 0;
	return out;
}

/*
 * Family header. OpenMetrics names a counter family without _total and
 * gives its samples the suffix; the Prometheus format names both the same.
 */
static void family(struct buf *b, const struct tt_metrics_opts *o,
		   const char *name, const char *type, const char *help)
{
	char fam[128];
	size_t n = strlen(name);

	snprintf(fam, sizeof(fam), "%s", name);
	if (o->openmetrics && !strcmp(type, "counter") && n > 6 &&
	    !strcmp(name + n - 6, "_total"))
		fam[n - 6] = 0;
	if (o->openmetrics && !strcmp(type, "info") && n > 5)
		fam[n - 5] = 0; /* tracetop_build_info -> tracetop_build */
	put(b, "# TYPE %s %s\n# HELP %s %s\n", fam,
	    !o->openmetrics && !strcmp(type, "info") ? "gauge" : type, fam,
	    help);
}

/* ns as seconds, exactly: at most 9 decimals, no trailing zeros */
static const char *seconds(char *out, size_t len, uint64_t ns)
{
	size_t n = (size_t)snprintf(out, len, "%llu.%09llu",
				    (unsigned long long)(ns / 1000000000),
				    (unsigned long long)(ns % 1000000000));

	while (n > 2 && out[n - 1] == '0' && out[n - 2] != '.')
		out[--n] = '\0';
	return out;
}

/* le bounds: every second power of two of the bucket layout (x4 apart) */
static void histogram(struct buf *b, const char *name, const char *labels,
		      const struct tt_hist *h, double sum_s)
{
	uint64_t dense[TT_HIST_BUCKETS] = { 0 }, cum = 0;
	const char *sep = *labels ? "," : "";
	const char *lb = *labels ? "{" : "", *rb = *labels ? "}" : "";
	char le[32];

	tt_hist_add_to_dense(dense, h);
	for (uint32_t i = 0; i < TT_HIST_BUCKETS; i++) {
		cum += dense[i];
		if ((i + 1) % (TT_HIST_SUB * 2) == 0 && i + 1 < TT_HIST_BUCKETS)
			put(b, "%s_bucket{%s%sle=\"%s\"} %llu\n", name, labels,
			    sep, seconds(le, sizeof(le), tt_hist_high(i)),
			    (unsigned long long)cum);
	}
	put(b, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, sep,
	    (unsigned long long)cum);
	put(b, "%s_count%s%s%s %llu\n", name, lb, labels, rb,
	    (unsigned long long)cum);
	put(b, "%s_sum%s%s%s %.9f\n", name, lb, labels, rb, sum_s);
}

/* a histogram's sum when only buckets are known: midpoints */
static double est_sum(const struct tt_hist *h)
{
	double s = 0;

	for (uint32_t i = 0; i < h->n; i++)
		s += (double)(tt_hist_low(h->bins[i].idx) +
			      tt_hist_high(h->bins[i].idx)) /
		     2e9 * (double)h->bins[i].count;
	return s;
}

static void self_metrics(struct buf *b, const struct tt_snapshot *s,
			 const struct tt_metrics_opts *o)
{
	char e[256];

	family(b, o, "tracetop_build_info", "info", "tracetop version.");
	put(b, "tracetop_build_info{version=\"%s\"} 1\n",
	    esc(s->version, e, sizeof(e)));
	family(b, o, "tracetop_probe_up", "gauge",
	       "1 when the subsystem's probes are attached.");
	for (int i = 0; i < TT_PROBE_MAX; i++)
		put(b, "tracetop_probe_up{subsystem=\"%s\"} %d\n",
		    tt_probe_set_name(i), !strncmp(s->probes[i], "on", 2));
	family(b, o, "tracetop_lost_events_total", "counter",
	       "Events not counted because a kernel map was full, and "
	       "events of the stream lost.");
	put(b, "tracetop_lost_events_total %llu\n",
	    (unsigned long long)s->lost_total);
	family(b, o, "tracetop_profile_samples_lost_total", "counter",
	       "Stack samples and off-CPU waits not counted: a ring buffer "
	       "or table was full (also in tracetop_lost_events_total).");
	put(b, "tracetop_profile_samples_lost_total %llu\n",
	    (unsigned long long)s->prof.lost);
	family(b, o, "tracetop_profile_cpu_ratio", "gauge",
	       "CPU time of tracetop's unwinding and naming thread per "
	       "second.");
	put(b, "tracetop_profile_cpu_ratio %.6f\n", s->prof.cpu_pct / 100);
	family(b, o, "tracetop_bpf_cpu_ratio", "gauge",
	       "CPU time of tracetop's BPF programs per second.");
	put(b, "tracetop_bpf_cpu_ratio %.6f\n", s->cost.bpf_ns_per_s / 1e9);
	family(b, o, "tracetop_cpu_ratio", "gauge",
	       "CPU time of the tracetop process per second.");
	put(b, "tracetop_cpu_ratio %.6f\n", s->cost.user_cpu_pct / 100);
	family(b, o, "tracetop_bpf_map_bytes", "gauge",
	       "Memory of tracetop's BPF maps.");
	put(b, "tracetop_bpf_map_bytes %llu\n",
	    (unsigned long long)s->cost.map_bytes);
	family(b, o, "tracetop_resident_memory_bytes", "gauge",
	       "Resident memory of the tracetop process.");
	put(b, "tracetop_resident_memory_bytes %llu\n",
	    (unsigned long long)s->cost.rss_bytes);
}

static void syscall_metrics(struct buf *b, const struct tt_snapshot *s,
			    const struct tt_metrics_opts *o)
{
	char e[128], l[160];

	if (!tt_fig_measured(s, TT_FIG_SC))
		return; /* no series rather than zeros: nothing was measured */
	family(b, o, "tracetop_syscalls_total", "counter",
	       "Syscalls completed, by syscall, all processes.");
	for (size_t i = 0; i < s->nsyscalls; i++)
		put(b, "tracetop_syscalls_total{syscall=\"%s\"} %llu\n",
		    esc(s->syscalls[i].name, e, sizeof(e)),
		    (unsigned long long)s->syscalls[i].count);
	family(b, o, "tracetop_syscall_errors_total", "counter",
	       "Syscalls that returned an error, by syscall.");
	for (size_t i = 0; i < s->nsyscalls; i++)
		put(b, "tracetop_syscall_errors_total{syscall=\"%s\"} %llu\n",
		    esc(s->syscalls[i].name, e, sizeof(e)),
		    (unsigned long long)s->syscalls[i].errors);
	if (!tt_fig_measured(s, TT_FIG_SC_LAT))
		return;
	family(b, o, "tracetop_syscall_duration_seconds", "histogram",
	       "Syscall latency, entry to exit, by syscall.");
	for (size_t i = 0; i < s->nsyscalls; i++) {
		snprintf(l, sizeof(l), "syscall=\"%s\"",
			 esc(s->syscalls[i].name, e, sizeof(e)));
		histogram(b, "tracetop_syscall_duration_seconds", l,
			  &s->syscalls[i].hist,
			  (double)s->syscalls[i].total_ns / 1e9);
	}
}

static void sched_tcp_metrics(struct buf *b, const struct tt_snapshot *s,
			      const struct tt_metrics_opts *o)
{
	uint64_t tx = 0, rx = 0, con = 0, ret = 0;

	/* a figure not measured has no series, rather than zeros */
	if (tt_fig_measured(s, TT_FIG_SCHED_RQ)) {
		family(b, o, "tracetop_runqueue_latency_seconds", "histogram",
		       "Time from wakeup (or preemption) to running, all "
		       "tasks.");
		histogram(b, "tracetop_runqueue_latency_seconds", "", &s->runq,
			  est_sum(&s->runq));
	}
	if (tt_fig_measured(s, TT_FIG_SCHED_CPU)) {
		family(b, o, "tracetop_context_switches_total", "counter",
		       "Context switches of traced tasks.");
		put(b, "tracetop_context_switches_total %llu\n",
		    (unsigned long long)s->switches);
	}
	/* TCP system-wide: the per-cgroup totals add up to it */
	for (size_t i = 0; i < s->ngroups; i++) {
		tx += s->groups[i].tx_bytes;
		rx += s->groups[i].rx_bytes;
		con += s->groups[i].connects;
		ret += s->groups[i].retransmits;
	}
	const struct {
		enum tt_fig fig;
		const char *name, *help;
		uint64_t v;
	} tcp[] = {
		{ TT_FIG_TCP_TX, "tracetop_tcp_sent_bytes_total",
		  "TCP payload bytes sent (sock_send_length).", tx },
		{ TT_FIG_TCP_RX, "tracetop_tcp_received_bytes_total",
		  "TCP payload bytes received (sock_recv_length).", rx },
		{ TT_FIG_TCP_STATE, "tracetop_tcp_connects_total",
		  "TCP connect() attempts.", con },
		{ TT_FIG_TCP_RETR, "tracetop_tcp_retransmits_total",
		  "TCP segments retransmitted.", ret },
	};
	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++) {
		if (!tt_fig_measured(s, tcp[i].fig))
			continue;
		family(b, o, tcp[i].name, "counter", tcp[i].help);
		put(b, "%s %llu\n", tcp[i].name, (unsigned long long)tcp[i].v);
	}
}

/* one per-cgroup counter family over the top groups */
#define GROUP_FAMILY(FIG, NAME, HELP, FIELD)                                   \
	do {                                                                   \
		if (!tt_fig_measured(s, FIG))                                  \
			break;                                                 \
		family(b, o, NAME, "counter", HELP);                           \
		for (size_t i = 0; i < n; i++)                                 \
			put(b, NAME "{cgroup=\"%s\"} %llu\n",                  \
			    esc(s->groups[i].name, e, sizeof(e)),              \
			    (unsigned long long)(FIELD));                      \
	} while (0)

/*
 * The per-cgroup event counters with a second label, the outcome: each
 * label value reads its own counter of struct tt_group.
 */
#define OUTCOMES 4 /* connect results */

struct outcome {
	const char *value;
	size_t off; /* of a uint64_t in struct tt_group */
};

struct outcome_family {
	const char *name, *help, *label;
	struct outcome out[OUTCOMES]; /* up to the first .value NULL */
};

static const struct outcome_family outcome_families[] = {
	{ "tracetop_cgroup_execs_total",
	  "execs by cgroup, result=ok or failed (event stream).",
	  "result",
	  { { "ok", offsetof(struct tt_group, ev_execs) },
	    { "failed", offsetof(struct tt_group, ev_exec_failures) } } },
	{ "tracetop_cgroup_exits_total",
	  "process exits by cgroup, code=0, nonzero or signal.",
	  "code",
	  { { "0", offsetof(struct tt_group, ev_exits[0]) },
	    { "nonzero", offsetof(struct tt_group, ev_exits[1]) },
	    { "signal", offsetof(struct tt_group, ev_exits[2]) } } },
	{ "tracetop_cgroup_tcp_connect_results_total",
	  "TCP connects by cgroup and result (event stream).",
	  "result",
	  { { "established",
	      offsetof(struct tt_group, ev_connects[TT_EV_ESTABLISHED]) },
	    { "refused",
	      offsetof(struct tt_group, ev_connects[TT_EV_REFUSED]) },
	    { "timed_out",
	      offsetof(struct tt_group, ev_connects[TT_EV_TIMEDOUT]) },
	    { "error",
	      offsetof(struct tt_group, ev_connects[TT_EV_CONN_ERROR]) } } },
};

/* the event stream by cgroup (labelled by outcome), and what was lost */
static void event_metrics(struct buf *b, const struct tt_snapshot *s,
			  const struct tt_metrics_opts *o, size_t n)
{
	char e[512];

	for (size_t f = 0;
	     f < sizeof(outcome_families) / sizeof(*outcome_families); f++) {
		const struct outcome_family *of = &outcome_families[f];

		family(b, o, of->name, "counter", of->help);
		for (size_t i = 0; i < n; i++) {
			const char *g = (const char *)&s->groups[i];

			esc(s->groups[i].name, e, sizeof(e));
			for (int k = 0; k < OUTCOMES && of->out[k].value; k++) {
				uint64_t v;

				memcpy(&v, g + of->out[k].off, sizeof(v));
				put(b, "%s{cgroup=\"%s\",%s=\"%s\"} %llu\n",
				    of->name, e, of->label, of->out[k].value,
				    (unsigned long long)v);
			}
		}
	}
	GROUP_FAMILY(TT_FIG_ALWAYS, "tracetop_cgroup_oom_kills_total",
		     "Processes the OOM killer chose, by cgroup.",
		     s->groups[i].ev_ooms);
	GROUP_FAMILY(TT_FIG_ALWAYS, "tracetop_cgroup_slow_syscalls_total",
		     "Syscalls slower than --slow, by cgroup.",
		     s->groups[i].ev_slow);
	family(b, o, "tracetop_events_lost_total", "counter",
	       "Events lost in the kernel by kind, cause=buffer_full or "
	       "rate_limit.");
	for (int k = 0; k < TT_EV_KINDS; k++) {
		put(b,
		    "tracetop_events_lost_total{kind=\"%s\",cause=\"buffer_"
		    "full\"} %llu\n",
		    tt_ev_kind_name(k), (unsigned long long)s->ev_lost_full[k]);
		put(b,
		    "tracetop_events_lost_total{kind=\"%s\",cause=\"rate_"
		    "limit\"} %llu\n",
		    tt_ev_kind_name(k),
		    (unsigned long long)s->ev_lost_limited[k]);
	}
}

static void group_metrics(struct buf *b, const struct tt_snapshot *s,
			  const struct tt_metrics_opts *o)
{
	size_t n = s->ngroups < o->top ? s->ngroups : o->top;
	char e[512];

	GROUP_FAMILY(TT_FIG_SC, "tracetop_cgroup_syscalls_total",
		     "Syscalls by cgroup (busiest --metrics-top).",
		     s->groups[i].sc_count);
	GROUP_FAMILY(TT_FIG_SC, "tracetop_cgroup_syscall_errors_total",
		     "Failed syscalls by cgroup.", s->groups[i].sc_errors);
	GROUP_FAMILY(TT_FIG_TCP_TX, "tracetop_cgroup_tcp_sent_bytes_total",
		     "TCP bytes sent by cgroup.", s->groups[i].tx_bytes);
	GROUP_FAMILY(TT_FIG_TCP_RX, "tracetop_cgroup_tcp_received_bytes_total",
		     "TCP bytes received by cgroup.", s->groups[i].rx_bytes);
	GROUP_FAMILY(TT_FIG_TCP_RETR, "tracetop_cgroup_tcp_retransmits_total",
		     "TCP retransmits by cgroup.", s->groups[i].retransmits);
	GROUP_FAMILY(TT_FIG_SCHED_CPU, "tracetop_cgroup_context_switches_total",
		     "Context switches by cgroup.", s->groups[i].switches);
	if (s->events_on) /* --no-events: absent, not 0 */
		event_metrics(b, s, o, n);
	if (!tt_fig_measured(s, TT_FIG_SCHED_CPU))
		return;
	family(b, o, "tracetop_cgroup_cpu_seconds_total", "counter",
	       "On-CPU time by cgroup (sched_switch).");
	for (size_t i = 0; i < n; i++)
		put(b,
		    "tracetop_cgroup_cpu_seconds_total{cgroup=\"%s\"} %.9f\n",
		    esc(s->groups[i].name, e, sizeof(e)),
		    (double)s->groups[i].oncpu_ns / 1e9);
	family(b, o, "tracetop_cgroup_thread_state_seconds_total", "counter",
	       "Time of the cgroup's threads in each state: running, "
	       "runnable, sleeping, blocked.");
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < TT_ST_MAX; k++)
			put(b,
			    "tracetop_cgroup_thread_state_seconds_total{cgroup="
			    "\"%s\",state=\"%s\"} %.9f\n",
			    esc(s->groups[i].name, e, sizeof(e)),
			    tt_state_name(k),
			    (double)s->groups[i].state_ns[k] / 1e9);
}

static int cmp_busy(const void *a, const void *b)
{
	const struct tt_proc *x = *(const struct tt_proc *const *)a;
	const struct tt_proc *y = *(const struct tt_proc *const *)b;

	if (x->sc_count != y->sc_count)
		return x->sc_count > y->sc_count ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void pid_metrics(struct buf *b, const struct tt_snapshot *s,
			const struct tt_metrics_opts *o)
{
	const struct tt_proc **v = malloc((s->nprocs + 1) * sizeof(*v));
	size_t n = 0;
	char e[64];

	if (!v) {
		b->oom = true;
		return;
	}
	for (size_t i = 0; i < s->nprocs; i++)
		if (!s->procs[i].exited)
			v[n++] = &s->procs[i];
	qsort(v, n, sizeof(*v), cmp_busy);
	if (n > o->top)
		n = o->top;
#define PID_FAMILY(FIG, NAME, HELP, FMT, EXPR)                                 \
	if (tt_fig_measured(s, FIG)) {                                         \
		family(b, o, NAME, "counter", HELP);                           \
		for (size_t i = 0; i < n; i++)                                 \
			put(b, NAME "{pid=\"%u\",comm=\"%s\"} " FMT "\n",      \
			    v[i]->pid, esc(v[i]->comm, e, sizeof(e)), EXPR);   \
	}
	PID_FAMILY(TT_FIG_SC, "tracetop_process_syscalls_total",
		   "Syscalls by process (--metrics-pids).", "%llu",
		   (unsigned long long)v[i]->sc_count)
	PID_FAMILY(TT_FIG_SC, "tracetop_process_syscall_errors_total",
		   "Failed syscalls by process.", "%llu",
		   (unsigned long long)v[i]->sc_errors)
	PID_FAMILY(TT_FIG_TCP_TX, "tracetop_process_tcp_sent_bytes_total",
		   "TCP bytes sent by process.", "%llu",
		   (unsigned long long)v[i]->tcp.tx_bytes)
	PID_FAMILY(TT_FIG_TCP_RX, "tracetop_process_tcp_received_bytes_total",
		   "TCP bytes received by process.", "%llu",
		   (unsigned long long)v[i]->tcp.rx_bytes)
	PID_FAMILY(TT_FIG_SCHED_CPU, "tracetop_process_cpu_seconds_total",
		   "On-CPU time by process since tracing began.", "%.9f",
		   (double)v[i]->oncpu_ns / 1e9)
#undef PID_FAMILY
	if (tt_fig_measured(s, TT_FIG_SCHED_CPU))
		family(b, o, "tracetop_process_thread_state_seconds_total",
		       "counter",
		       "Time of the process's threads in each state.");
	for (size_t i = 0; tt_fig_measured(s, TT_FIG_SCHED_CPU) && i < n; i++)
		for (int k = 0; k < TT_ST_MAX; k++)
			put(b,
			    "tracetop_process_thread_state_seconds_total{pid="
			    "\"%u\",comm=\"%s\",state=\"%s\"} %.9f\n",
			    v[i]->pid, esc(v[i]->comm, e, sizeof(e)),
			    tt_state_name(k), (double)v[i]->state_ns[k] / 1e9);
	free(v);
}

int tt_metrics_render(const struct tt_snapshot *s,
		      const struct tt_metrics_opts *o, char **out, size_t *len)
{
	struct buf b = { 0 };

	self_metrics(&b, s, o);
	syscall_metrics(&b, s, o);
	sched_tcp_metrics(&b, s, o);
	group_metrics(&b, s, o);
	if (o->pids)
		pid_metrics(&b, s, o);
	if (o->openmetrics)
		put(&b, "# EOF\n");
	if (b.oom || !b.p) {
		free(b.p);
		return -ENOMEM;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}
