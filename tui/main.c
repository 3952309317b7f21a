// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * main.c - parse options, check what the kernel and our privileges allow,
 * build the source, and run one of the front ends: the screen, batch text,
 * JSON Lines, headless, or --check.
 */
#include <errno.h>
#include <signal.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include "model/event.h"
#include "model/event_json.h"
#include "model/evbatch.h"
#include "model/json.h"
#include "model/live.h"
#include "model/outfile.h"
#include "model/profile_run.h"
#include "model/recorder.h"
#include "model/replay.h"
#include "model/text.h"
#include "tui/caps.h"
#include "tui/exporter.h"
#include "tui/options.h"
#include "tui/ui.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Errors and warnings: one line; in JSON mode a JSON object, so consumers
 * can parse it ({"error": ...} or {"warning": ...}).
 */
static void report(const struct tt_options *o, const char *kind,
		   const char *msg)
{
	if (o && o->mode == TT_MODE_JSON) {
		fprintf(stderr, "{\"%s\":\"", kind);
		for (const char *p = msg; *p; p++)
			if (*p == '"' || *p == '\\')
				fprintf(stderr, "\\%c", *p);
			else if ((unsigned char)*p >= 0x20)
				fputc(*p, stderr);
		fputs("\"}\n", stderr);
	} else {
		fprintf(stderr, "tracetop: %s%s\n",
			strcmp(kind, "error") ? "warning: " : "", msg);
	}
}

static void fail(const struct tt_options *o, const char *msg)
{
	report(o, "error", msg);
}

/* Which of the capabilities BPF tracing needs do we lack? "" if none. */
static const char *missing_caps(char *buf, size_t len)
{
	static const struct {
		cap_value_t cap;
		const char *name;
	} need[] = { { CAP_BPF, "CAP_BPF" }, { CAP_PERFMON, "CAP_PERFMON" } };
	cap_t caps = cap_get_proc();
	cap_flag_value_t v;
	size_t off = 0;

	buf[0] = 0;
	if (!caps)
		return buf;
	cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
	if (v == CAP_SET) { /* older kernels: CAP_SYS_ADMIN covers both */
		cap_free(caps);
		return buf;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (cap_get_flag(caps, need[i].cap, CAP_EFFECTIVE, &v) ||
		    v != CAP_SET)
			off += snprintf(buf + off, len - off, "%s%s",
					off ? " and " : "", need[i].name);
	}
	cap_free(caps);
	return buf;
}

static int preflight(const struct tt_options *o)
{
	char buf[128], msg[512];
	struct stat st;

	if (*missing_caps(buf, sizeof(buf))) {
		snprintf(msg, sizeof(msg),
			 "loading BPF programs needs %s (missing here): run "
			 "it as root (sudo tracetop), or grant them once with "
			 "'setcap cap_bpf,cap_perfmon+ep tracetop'",
			 buf);
		fail(o, msg);
		return 1;
	}
	if (stat(BTF_PATH, &st)) {
		snprintf(msg, sizeof(msg),
			 "no kernel BTF at %s (%s): this kernel was built "
			 "without CONFIG_DEBUG_INFO_BTF, which tracetop needs",
			 BTF_PATH, strerror(errno));
		fail(o, msg);
		return 1;
	}
	for (unsigned i = 0; i < o->npids; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/proc/%u", o->pids[i]);
		if (access(path, F_OK))
			fprintf(stderr,
				"tracetop: no process %u now; watching for it "
				"anyway\n",
				o->pids[i]);
	}
	return 0;
}

static void collector_opts(const struct tt_options *o,
			   struct tt_collector_opts *co)
{
	memset(co, 0, sizeof(*co));
	co->enable[TT_SYS_SYSCALLS] = o->enable[TT_PROBE_SYSCALLS];
	co->enable[TT_SYS_TCP] = o->enable[TT_PROBE_TCP];
	co->enable[TT_SYS_SCHED] = o->enable[TT_PROBE_SCHED];
	co->enable[TT_SYS_PROC] = true;
	memcpy(co->pids, o->pids, sizeof(co->pids));
	co->npids = o->npids;
	co->uid = o->uid;
	co->per_thread = o->threads;
	co->prof_hz = o->prof_hz;
	co->prof_user_unwind = o->user_unwind;
	co->offcpu_pid = o->off_cpu ? o->pids[0] : 0;
	/* our own cost is shown in the header: the kernel must time us */
	co->bpf_stats = true;
	co->ev_kinds = o->ev_kinds;
	co->ev_rate = o->ev_rate;
	co->ev_buffer = o->ev_buffer;
	co->slow_ns = (uint64_t)(o->slow_ms * 1e6);
	memcpy(co->slow_skip, o->slow_skip, sizeof(co->slow_skip));
	co->runq_slow_ns = (uint64_t)(o->runq_slow_ms * 1e6);
	co->sig_skip = 1ULL << SIGCHLD;
}

static int run_check(struct tt_source *src, int err, double started)
{
	struct tt_collector *c = tt_live_collector(src);
	const struct tt_probe *p;
	size_t n, attached = 0;

	p = tt_collector_probes(c, &n);
	printf("%-9s %-28s %s\n", "SUBSYS", "TRACEPOINT", "STATUS");
	for (size_t i = 0; i < n; i++) {
		printf("%-9s %-28s %s%s%s\n", p[i].subsys, p[i].name,
		       p[i].attached ? "attached" : "not attached",
		       p[i].attached ? "" : ": ", p[i].reason);
		attached += p[i].attached;
	}
	/* the sampler is a perf event, not a tracepoint, but a probe all the
	 * same: alone it still tells where the CPUs go */
	{
		const char *ps = tt_live_prof_status(src, false);
		bool on = !strcmp(ps, "on");

		printf("%-9s %-28s %s%s\n", "profile", "perf:cpu-clock",
		       on ? "attached" : "not attached: ",
		       on ? "" : ps + (strncmp(ps, "off: ", 5) ? 0 : 5));
		attached += on;
	}
	printf("\nsyscalls: %s\ntcp: %s\nsched: %s\n",
	       tt_collector_status(c, TT_SYS_SYSCALLS),
	       tt_collector_status(c, TT_SYS_TCP),
	       tt_collector_status(c, TT_SYS_SCHED));
	printf("profile: %s\noff-cpu stacks: %s\n",
	       tt_live_prof_status(src, false), tt_live_prof_status(src, true));
	printf("start-up: %.0f ms from start to programs attached\n",
	       (mono() - started) * 1000);
	{
		char caps[256];

		tt_caps_drop_after_load(true);
		tt_caps_describe(caps, sizeof(caps));
		printf("capabilities kept after loading: %s\n", caps);
	}
	{
		struct tt_cost cost;

		tt_collector_cost(c, &cost);
		printf("BPF map memory: %.1f MiB\n",
		       (double)cost.map_bytes / (1024.0 * 1024.0));
	}
	return attached && !err ? 0 : 1;
}

/* What every snapshot feeds besides the screen: recorder and exporter. */
struct outputs {
	struct tt_recorder *rec;
	struct tt_exporter *exp;
	char msg[512]; /* the first problem, printed after the screen ends */
};

static int outputs_open(const struct tt_options *o, struct outputs *out)
{
	struct tt_metrics_opts mo = { .top = o->metrics_top,
				      .pids = o->metrics_pids };
	int e;

	memset(out, 0, sizeof(*out));
	if (o->record) {
		e = tt_recorder_open(o->record, o->record_max, &out->rec,
				     out->msg, sizeof(out->msg));
		if (e)
			return e;
	}
	if (o->listen) {
		e = tt_exporter_new(o->listen, &mo, &out->exp, out->msg,
				    sizeof(out->msg));
		if (e)
			return e;
	}
	return 0;
}

static void outputs_close(struct outputs *out)
{
	tt_recorder_close(out->rec);
	tt_exporter_free(out->exp);
}

static void outputs_snapshot(void *ctx, const struct tt_snapshot *cs)
{
	struct outputs *out = ctx;
	/* the exporter keeps a reference; snapshots are shared read-only */
	struct tt_snapshot *s = (struct tt_snapshot *)cs;
	char err[512];

	if (out->exp)
		tt_exporter_update(out->exp, s);
	if (out->rec && tt_recorder_write(out->rec, s, err, sizeof(err))) {
		/* keep running: the screen matters more than the file */
		if (!out->msg[0])
			snprintf(out->msg, sizeof(out->msg), "%s", err);
	}
}

static void outputs_ready(void *ctx)
{
	struct outputs *out = ctx;

	if (out->exp)
		tt_exporter_run(out->exp);
}

/*
 * --trace prints the events as they come: the source's stream is taken in
 * when its fd says a batch waits, or every TRACE_TICK_S.
 */
#define TRACE_TICK_S 0.1

struct tracer {
	const struct tt_options *o;
	uint64_t lost[TT_EV_KINDS][2]; /* printed so far */
};

static void trace_print(const struct tracer *t, const struct tt_event *ev)
{
	char line[1024];

	/* live, the kernel sent only these; a recording has every kind */
	if (!(t->o->ev_kinds & (1u << ev->kind)))
		return;
	if (t->o->trace_json) {
		char *j = tt_json_event_line(ev);

		if (j) {
			puts(j);
			free(j);
		}
	} else {
		puts(tt_event_line(ev, line, sizeof(line)));
	}
}

/* the events a step handed over: printed (--trace), then freed */
static void trace_batch(const struct tracer *t, struct tt_step *st)
{
	if (!(st->has & TT_REC_EVENTS))
		return;
	for (size_t i = 0; t && i < st->events->n; i++)
		trace_print(t, &st->events->v[i]);
	tt_evbatch_free(st->events);
	st->events = NULL;
}

/*
 * A step between snapshots: the source takes in what waits at its fd (so
 * that the kernel's ring buffer does not fill), handing the events over
 * to --trace.
 */
static void take_in(const struct tt_options *o, struct tt_source *src,
		    const struct tracer *tr)
{
	struct tt_step st;

	tt_source_step(src, tr ? TT_REC_EVENTS : 0, &st);
	if (st.outcome == TT_STEP_WARNING || st.outcome == TT_STEP_ERROR)
		report(o, "warning", st.msg);
	trace_batch(tr, &st);
	fflush(stdout);
}

/*
 * Wait until t (monotonic seconds), serving the exporter and taking in the
 * source's stream meanwhile (tr: printing it), unless a signal stops us.
 */
static void wait_until(const struct tt_options *o, double t,
		       struct outputs *out, struct tt_source *src,
		       const struct tracer *tr)
{
	struct pollfd p[2] = {
		{ out->exp ? tt_exporter_fd(out->exp) : -1, POLLIN, 0 },
		{ tt_source_fd(src), POLLIN, 0 },
	};

	while (!stop) {
		double left = t - mono();
		int n;

		if (left <= 0)
			break;
		if (tr && left > TRACE_TICK_S)
			left = TRACE_TICK_S;
		n = poll(p, 2, (int)(left * 1000) + 1);
		if (n > 0 && out->exp && p[0].revents)
			tt_exporter_run(out->exp);
		if ((n > 0 && p[1].revents) || (tr && p[1].fd >= 0))
			take_in(o, src, tr);
	}
	if (out->exp)
		tt_exporter_run(out->exp); /* timeouts of idle clients */
}

/* --trace: a line when events were lost since the last one */
static void trace_lost(struct tracer *t, const struct tt_snapshot *s)
{
	for (int k = 0; k < TT_EV_KINDS; k++) {
		unsigned long long full = s->ev_lost_full[k] - t->lost[k][0];
		unsigned long long lim = s->ev_lost_limited[k] - t->lost[k][1];

		if (!full && !lim)
			continue;
		if (t->o->trace_json)
			printf("{\"kind\":\"lost\",\"lost_kind\":\"%s\","
			       "\"buffer_full\":%llu,\"rate_limit\":%llu}\n",
			       tt_ev_kind_name(k), full, lim);
		else
			printf("lost %llu %s events: %llu to a full buffer, "
			       "%llu to the rate limit\n",
			       full + lim, tt_ev_kind_name(k), full, lim);
		t->lost[k][0] = s->ev_lost_full[k];
		t->lost[k][1] = s->ev_lost_limited[k];
	}
}

/* -b, -j and --headless: a snapshot every delay, on a fixed schedule. */
static int run_stream(const struct tt_options *o, struct tt_source *src,
		      struct outputs *out)
{
	struct tracer tr = { o, { { 0 } } };
	bool trace = o->mode == TT_MODE_TRACE;
	bool realtime = tt_source_can(src, TT_SRC_REALTIME);
	/* --trace: the events as they come, live or replayed */
	unsigned want = TT_REC_SNAPSHOT | (trace ? TT_REC_EVENTS : 0);
	double start = mono();
	int status = 0;

	/* a snapshot goes out as it is printed, flushed whole at its end:
	 * in 64 KiB writes, not a pipe's 4 KiB */
	if (o->mode == TT_MODE_JSON)
		setvbuf(stdout, NULL, _IOFBF, 64 << 10);
	for (long i = 0; !stop && (!o->iterations || i < o->iterations); i++) {
		struct tt_snapshot *s;
		struct tt_step st;

		/* a replay has no pace to keep: its records come at once */
		if (realtime)
			wait_until(o, start + (double)(i + 1) * o->delay, out,
				   src, trace ? &tr : NULL);
		if (stop)
			break;
		tt_source_step(src, want, &st);
		if (st.outcome == TT_STEP_END)
			break; /* a recording's end is no error */
		if (st.outcome == TT_STEP_ERROR) {
			fail(o, st.msg);
			status = 1;
			break;
		}
		if (st.outcome == TT_STEP_WARNING) {
			/* the snapshot comes all the same, and the exit
			 * status tells a script it is incomplete */
			report(o, "warning", st.msg);
			status = 1;
		}
		trace_batch(trace ? &tr : NULL, &st);
		if (!(st.has & TT_REC_SNAPSHOT))
			continue;
		s = st.snap;
		outputs_snapshot(out, s);
		if (trace) {
			trace_lost(&tr, s);
		} else if (o->mode == TT_MODE_JSON) {
			if (tt_json_write(stdout, s) && !ferror(stdout)) {
				report(o, "warning",
				       "JSON snapshot: out of memory, part of "
				       "it left out");
				status = 1;
			}
		} else if (o->mode == TT_MODE_BATCH) {
			tt_text_snapshot(
				stdout, s,
				o->sort_col >= 0 ? o->sort_col : TT_COL_CPU,
				o->sort_col >= 0
					? tt_columns[o->sort_col].desc !=
						  o->sort_asc
					: true);
		}
		tt_snapshot_unref(s);
		if (fflush(stdout) == EOF && errno == EPIPE)
			break; /* the reader went away: that is an end, too */
	}
	return status;
}

static void profile_attached(void)
{
	tt_caps_drop_after_load(true);
}

/* --profile: folded stacks on stdout, the rest on stderr */
static int run_profile(const struct tt_options *o)
{
	struct tt_profile_run_opts po = { 0 };
	char err[512] = "";

	if (preflight(o))
		return 1;
	po.seconds = o->profile_s;
	po.hz = o->prof_hz;
	po.user_unwind = o->user_unwind;
	po.off_cpu = o->off_cpu;
	memcpy(po.pids, o->pids, sizeof(po.pids));
	po.npids = o->npids;
	po.uid = o->uid;
	po.per_thread = o->threads;
	po.attached = profile_attached;
	if (tt_profile_run(&po, stdout, stderr, &stop, err, sizeof(err))) {
		fail(o, err);
		return 1;
	}
	return fflush(stdout) == EOF ? 1 : 0;
}

/* the screen: it takes over signals with its own signalfd */
static int run_screen(const struct tt_options *o, struct tt_source *src,
		      struct outputs *out)
{
	struct tt_ui_hook hook = {
		.fd = out->exp ? tt_exporter_fd(out->exp) : -1,
		.ready = outputs_ready,
		.ctx = out,
		.snapshot = outputs_snapshot,
	};
	char err[512] = "";
	int status = tt_ui_run(o, src, &hook, err, sizeof(err));

	if (status && *err)
		fail(o, err);
	return status;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * One way out: every step that fails says why and goes to cleanup, which
 * releases what was taken (the destroy functions accept NULL).
 */
int main(int argc, char **argv)
{
	double started = mono();
	struct tt_collector_opts co;
	struct tt_source *src = NULL;
	struct outputs out = { 0 };
	struct tt_options o;
	char err[512] = "";
	int status = 1, e;

	/*
	 * A freed large block raises glibc's mmap threshold to its size, and
	 * the next snapshot's big arrays (10,000 connections: 4 MB each) then
	 * come from the heap, which returns little: a fixed threshold keeps
	 * them mapped and given back. 7 MiB less peak RSS at 10,000
	 * connections.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	switch (tt_options_parse(argc, argv, &o, stdout, err, sizeof(err))) {
	case TT_PARSE_EXIT:
		return 0;
	case TT_PARSE_USAGE:
		fprintf(stderr, "tracetop: %s (see tracetop --help)\n", err);
		return 2;
	case TT_PARSE_OK:
		break;
	}
	catch_signals();
	if (o.mode == TT_MODE_PROFILE) {
		status = run_profile(&o);
		goto cleanup;
	}
	if (o.replay) {
		/* a file and nothing else: no BPF, no privileges needed */
		e = tt_replay_open(o.replay, &src, err, sizeof(err));
	} else {
		if (preflight(&o))
			goto cleanup;
		collector_opts(&o, &co);
		e = tt_live_new(&co, o.ev_history, &src, err, sizeof(err));
		if (o.mode == TT_MODE_CHECK) {
			/* the probes' list, even when none attached */
			if (src)
				status = run_check(src, e, started);
			else
				fail(&o, err);
			goto cleanup;
		}
	}
	if (e) {
		fail(&o, err);
		goto cleanup;
	}
	if (outputs_open(&o, &out)) {
		fail(&o, out.msg);
		goto cleanup;
	}
	/*
	 * Privileges were for loading BPF and binding the port; the rest of
	 * the run needs far less, and a replay nothing.
	 */
	if (o.replay)
		tt_caps_drop_all();
	else
		tt_caps_drop_after_load(o.prof_hz || o.off_cpu);
	if (o.mode == TT_MODE_TUI)
		status = run_screen(&o, src, &out);
	else
		status = run_stream(&o, src, &out);
	if (out.msg[0]) {
		/* the recording broke off: a runtime error, however well
		 * the rest went, so scripts learn the file is incomplete */
		fail(&o, out.msg);
		if (!status)
			status = 1;
	}
cleanup:
	outputs_close(&out);
	tt_source_destroy(src); /* detaches every BPF program */
	return status;
}
