// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * main.c - parse options, check what the kernel and our privileges allow,
 * build the source, and run one of the front ends: the screen, batch text,
 * JSON Lines, headless, or --check.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include "model/json.h"
#include "model/live.h"
#include "model/text.h"
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

/* Errors: one line; in JSON mode a JSON object, so consumers can parse it */
static void fail(const struct tt_options *o, const char *msg)
{
	if (o && o->mode == TT_MODE_JSON) {
		fputs("{\"error\":\"", stderr);
		for (const char *p = msg; *p; p++)
			if (*p == '"' || *p == '\\')
				fprintf(stderr, "\\%c", *p);
			else if ((unsigned char)*p >= 0x20)
				fputc(*p, stderr);
		fputs("\"}\n", stderr);
	} else {
		fprintf(stderr, "tracetop: %s\n", msg);
	}
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
	/* our own cost is shown in the header: the kernel must time us */
	co->bpf_stats = true;
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
	printf("\nsyscalls: %s\ntcp: %s\nsched: %s\n",
	       tt_collector_status(c, TT_SYS_SYSCALLS),
	       tt_collector_status(c, TT_SYS_TCP),
	       tt_collector_status(c, TT_SYS_SCHED));
	printf("start-up: %.0f ms from start to programs attached\n",
	       (mono() - started) * 1000);
	{
		struct tt_cost cost;

		tt_collector_cost(c, &cost);
		printf("BPF map memory: %.1f MiB\n",
		       (double)cost.map_bytes / (1024.0 * 1024.0));
	}
	return attached && !err ? 0 : 1;
}

/* Sleep until t (monotonic seconds) unless a signal stops us. */
static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
					NULL) == EINTR)
		;
}

/* -b, -j and --headless: a snapshot every delay, on a fixed schedule. */
static int run_stream(const struct tt_options *o, struct tt_source *src)
{
	double start = mono();
	char err[256] = "";
	int status = 0;

	for (long i = 0; !stop && (!o->iterations || i < o->iterations); i++) {
		struct tt_snapshot *s;

		sleep_until(start + (double)(i + 1) * o->delay);
		if (stop)
			break;
		s = src->next(src, err, sizeof(err));
		if (!s) {
			fail(o, err);
			status = 1;
			break;
		}
		if (o->mode == TT_MODE_JSON) {
			char *line = tt_json_line(s);

			if (line) {
				fputs(line, stdout);
				fputc('\n', stdout);
				free(line);
			}
		} else if (o->mode == TT_MODE_BATCH) {
			tt_text_snapshot(stdout, s,
					 o->sort_col >= 0 ? o->sort_col
							  : TT_COL_CPU,
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

int main(int argc, char **argv)
{
	double started = mono();
	struct tt_collector_opts co;
	struct tt_source *src = NULL;
	struct tt_options o;
	struct sigaction sa;
	char err[512] = "";
	int status, e;

	switch (tt_options_parse(argc, argv, &o, stdout, err, sizeof(err))) {
	case TT_PARSE_EXIT:
		return 0;
	case TT_PARSE_USAGE:
		fprintf(stderr, "tracetop: %s (see tracetop --help)\n", err);
		return 2;
	case TT_PARSE_OK:
		break;
	}
	if (o.replay) {
		fail(&o, "--replay: not available in this build yet");
		return 1;
	}
	if (preflight(&o))
		return 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	collector_opts(&o, &co);
	e = tt_live_new(&co, &src, err, sizeof(err));
	if (o.mode == TT_MODE_CHECK) {
		status = src ? run_check(src, e, started) : 1;
		if (!src)
			fail(&o, err);
		tt_source_destroy(src);
		return status;
	}
	if (e) {
		fail(&o, err);
		tt_source_destroy(src);
		return 1;
	}
	if (o.mode == TT_MODE_TUI) {
		/* the screen takes over signals with its own signalfd */
		status = tt_ui_run(&o, src, NULL, err, sizeof(err));
		if (status && *err)
			fail(&o, err);
	} else {
		status = run_stream(&o, src);
	}
	tt_source_destroy(src); /* detaches every BPF program */
	return status;
}

/* TEMPORARY until the screen lands: overridden by tui/ui*.c */
__attribute__((weak)) int tt_ui_run(const struct tt_options *o,
				    struct tt_source *src,
				    const struct tt_ui_hook *hook, char *err,
				    size_t errlen)
{
	snprintf(err, errlen, "the interactive screen is not built yet");
	return 1;
}
