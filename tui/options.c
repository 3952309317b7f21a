// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * options.c - command-line parsing with getopt_long. Every bad value is a
 * usage error naming the option and the value; nothing here touches the
 * terminal or the kernel.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/types.h>
#include "bpf/profile.h"
#include "model/columns.h"
#include "model/event.h"
#include "tui/exporter.h"
#include "tui/options.h"

#ifndef TT_VERSION
#define TT_VERSION "0.1"
#endif

enum {
	OPT_THEME = 256,
	OPT_NO_COLOR,
	OPT_RECORD,
	OPT_REPLAY,
	OPT_LISTEN,
	OPT_HEADLESS,
	OPT_NO_SYSCALLS,
	OPT_NO_TCP,
	OPT_NO_SCHED,
	OPT_CHECK,
	OPT_EXPORT_DIR,
	OPT_RECORD_MAX,
	OPT_METRICS_TOP,
	OPT_METRICS_PIDS,
	OPT_PROFILE,
	OPT_PROFILE_HZ,
	OPT_NO_PROFILE,
	OPT_UNWIND,
	OPT_OFF_CPU,
	OPT_TRACE,
	OPT_EVENTS,
	OPT_NO_EVENTS,
	OPT_EVENTS_RATE,
	OPT_EVENTS_BUFFER,
	OPT_EVENTS_HISTORY,
	OPT_SLOW,
	OPT_SLOW_SKIP,
	OPT_RUNQ_SLOW,
};

static const struct option long_opts[] = {
	{ "delay", required_argument, NULL, 'd' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "batch", no_argument, NULL, 'b' },
	{ "json", no_argument, NULL, 'j' },
	{ "pid", required_argument, NULL, 'p' },
	{ "user", required_argument, NULL, 'u' },
	{ "sort", required_argument, NULL, 's' },
	{ "threads", no_argument, NULL, 'H' },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "headless", no_argument, NULL, OPT_HEADLESS },
	{ "no-syscalls", no_argument, NULL, OPT_NO_SYSCALLS },
	{ "no-tcp", no_argument, NULL, OPT_NO_TCP },
	{ "no-sched", no_argument, NULL, OPT_NO_SCHED },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "export-dir", required_argument, NULL, OPT_EXPORT_DIR },
	{ "record-max", required_argument, NULL, OPT_RECORD_MAX },
	{ "metrics-top", required_argument, NULL, OPT_METRICS_TOP },
	{ "metrics-pids", no_argument, NULL, OPT_METRICS_PIDS },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "profile-hz", required_argument, NULL, OPT_PROFILE_HZ },
	{ "no-profile", no_argument, NULL, OPT_NO_PROFILE },
	{ "unwind", required_argument, NULL, OPT_UNWIND },
	{ "off-cpu", no_argument, NULL, OPT_OFF_CPU },
	{ "trace", optional_argument, NULL, OPT_TRACE },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "no-events", no_argument, NULL, OPT_NO_EVENTS },
	{ "events-rate", required_argument, NULL, OPT_EVENTS_RATE },
	{ "events-buffer", required_argument, NULL, OPT_EVENTS_BUFFER },
	{ "events-history", required_argument, NULL, OPT_EVENTS_HISTORY },
	{ "slow", required_argument, NULL, OPT_SLOW },
	{ "slow-skip", required_argument, NULL, OPT_SLOW_SKIP },
	{ "runq-slow", required_argument, NULL, OPT_RUNQ_SLOW },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static const char usage[] =
	"Usage: tracetop [OPTION]...\n"
	"Top for syscalls, TCP and the scheduler, per process, from eBPF.\n"
	"\n"
	"  -d, --delay SECONDS      refresh interval (default 1)\n"
	"  -n, --iterations N       stop after N refreshes\n"
	"  -b, --batch              plain-text tables on stdout, like top -b\n"
	"  -j, --json               one JSON snapshot per refresh (JSON "
	"Lines)\n"
	"  -p, --pid PID[,PID...]   only these processes (filtered in the "
	"kernel)\n"
	"  -u, --user USER          only this user's processes\n"
	"  -s, --sort COLUMN        initial sort column (pid, cpu, sysc, err,\n"
	"                           scp99, tx, rx, conn, retr, runq, csw, "
	"...)\n"
	"  -H, --threads            one row per thread instead of per process\n"
	"      --theme NAME|FILE    colour theme\n"
	"      --no-color           no colours (also when NO_COLOR is set)\n"
	"      --record FILE        append every snapshot to FILE\n"
	"      --replay FILE        browse a recording (no BPF, no "
	"privileges)\n"
	"      --record-max SIZE    rotate the recording to FILE.1 past SIZE\n"
	"                           (bytes, or with K, M, G)\n"
	"      --listen [ADDR:]PORT serve OpenMetrics at /metrics\n"
	"      --metrics-top N      cgroups (and PIDs) on /metrics (default "
	"20)\n"
	"      --metrics-pids       per-PID series on /metrics too\n"
	"      --headless           no screen output (exporter or recorder)\n"
	"      --no-syscalls, --no-tcp, --no-sched\n"
	"                           leave that subsystem's probes out\n"
	"      --profile SECONDS    sample stacks for SECONDS, print them "
	"folded\n"
	"                           (flamegraph.pl, inferno, speedscope)\n"
	"      --profile-hz HZ      on-CPU samples a second per CPU (default "
	"49)\n"
	"      --no-profile         no stack sampling\n"
	"      --unwind WHERE       user stacks unwound in the kernel "
	"(default)\n"
	"                           or in user space from a copy: kernel, "
	"user\n"
	"      --off-cpu            where the one -p PID blocks (off-CPU "
	"stacks)\n"
	"      --check              which probes attach here, and why not\n"
	"      --trace [KINDS]      print events as they happen (-j: JSON "
	"Lines)\n"
	"      --events KINDS       events to trace: "
	"exec,exit,connect,accept,\n"
	"                           close,reset,retrans,slow,signal,oom,runq,\n"
	"                           tcp,all,default,none, -KIND takes one "
	"away\n"
	"                           (default: all but retrans and runq)\n"
	"      --no-events          no event stream\n"
	"      --events-rate N      events per second of each kind (default "
	"10000)\n"
	"      --events-buffer SIZE kernel ring buffer (default 1M)\n"
	"      --events-history N   events kept per snapshot (default 10000)\n"
	"      --slow MS            slow syscall threshold (default 100; 0: "
	"off)\n"
	"      --slow-skip LIST     syscalls never slow (default: those that\n"
	"                           wait by design; none for none)\n"
	"      --runq-slow MS       report waits for a CPU this long (turns\n"
	"                           runq on; default 10)\n"
	"      --export-dir DIR     where X writes snapshots (default .)\n"
	"  -V, --version            print the version\n"
	"  -h, --help               this help\n"
	"\n"
	"Needs root, or CAP_BPF and CAP_PERFMON, except with --replay.\n";

static bool parse_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno && isfinite(*v);
}

static bool parse_long(const char *s, long lo, long hi, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && !errno && *v >= lo && *v <= hi;
}

static bool parse_pids(const char *arg, struct tt_options *o, char *err,
		       size_t errlen)
{
	char buf[256], *tok, *save;

	if (strlen(arg) >= sizeof(buf) || !*arg) {
		snprintf(err, errlen, "-p: '%s' is not a list of PIDs", arg);
		return false;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		long pid;

		if (!parse_long(tok, 1, 4194304, &pid)) {
			snprintf(err, errlen, "-p: '%s' is not a PID", tok);
			return false;
		}
		if (o->npids == TT_MAX_FILTER_PIDS) {
			snprintf(err, errlen, "-p: at most %d PIDs",
				 TT_MAX_FILTER_PIDS);
			return false;
		}
		o->pids[o->npids++] = (uint32_t)pid;
	}
	return true;
}

static bool parse_user(const char *arg, struct tt_options *o, char *err,
		       size_t errlen)
{
	struct passwd *pw = getpwnam(arg);
	long uid;

	if (pw) {
		o->uid = pw->pw_uid;
		return true;
	}
	if (parse_long(arg, 0, UINT_MAX - 1L, &uid)) {
		o->uid = uid;
		return true;
	}
	snprintf(err, errlen, "-u: no user '%s'", arg);
	return false;
}

/* 100, 64K, 10M, 1G: binary multiples */
static bool parse_size(const char *s, uint64_t *v)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (!*s || errno || !(d > 0))
		return false;
	switch (*end) {
	case 'k':
	case 'K':
		d *= 1024;
		end++;
		break;
	case 'm':
	case 'M':
		d *= 1048576;
		end++;
		break;
	case 'g':
	case 'G':
		d *= 1073741824;
		end++;
		break;
	}
	if (*end || d < 4096 || d > 1e15)
		return false;
	*v = (uint64_t)d;
	return true;
}

static bool parse_kinds(const char *opt, const char *arg, struct tt_options *o,
			char *err, size_t errlen)
{
	char m[200];

	if (!tt_ev_kinds_parse(arg, &o->ev_kinds, m, sizeof(m)))
		return true;
	snprintf(err, errlen, "%s: %s", opt, m);
	return false;
}

/*
 * --trace=KINDS, and --trace KINDS too: getopt gives an optional
 * argument only after '=', so a next word that is a list of kinds is
 * taken here (and skipped).
 */
static bool trace_kinds(const char *arg, int argc, char **argv,
			struct tt_options *o, char *err, size_t errlen)
{
	if (arg)
		return parse_kinds("--trace", arg, o, err, errlen);
	if (optind < argc && argv[optind][0] != '-' &&
	    !tt_ev_kinds_parse(argv[optind], &o->ev_kinds, err, errlen))
		optind++;
	return true;
}

static void defaults(struct tt_options *o)
{
	const char *nc;

	memset(o, 0, sizeof(*o));
	o->mode = TT_MODE_TUI;
	o->delay = 1.0;
	o->uid = -1;
	o->sort_col = -1;
	o->enable[0] = o->enable[1] = o->enable[2] = true;
	o->export_dir = ".";
	o->metrics_top = 20;
	o->prof_hz = TT_PROF_DEFAULT_HZ;
	o->ev_kinds = TT_EV_DEFAULT;
	o->ev_rate = TT_EV_RATE;
	o->ev_buffer = TT_EV_BUFFER;
	o->ev_history = 10000;
	o->slow_ms = TT_EV_SLOW_MS;
	o->runq_slow_ms = 10;
	tt_slow_skip_parse(tt_slow_skip_default, o->slow_skip, NULL, 0);
	nc = getenv("NO_COLOR");
	if (nc && *nc)
		o->no_color = true;
}

enum tt_parse tt_options_parse(int argc, char **argv, struct tt_options *o,
			       FILE *out, char *err, size_t errlen)
{
	bool batch = false, json = false, headless = false, check = false;
	bool no_profile = false;
	bool trace = false, runq = false;
	int c;

	defaults(o);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:n:bjp:u:s:HVh", long_opts,
				NULL)) != -1) {
		long n;

		switch (c) {
		case 'd':
			if (!parse_double(optarg, &o->delay) ||
			    o->delay < 0.05 || o->delay > 3600) {
				snprintf(err, errlen,
					 "-d: '%s' is not a delay in seconds "
					 "(0.05 to 3600)",
					 optarg);
				return TT_PARSE_USAGE;
			}
			break;
		case 'n':
			if (!parse_long(optarg, 1, LONG_MAX, &n)) {
				snprintf(err, errlen,
					 "-n: '%s' is not a positive count",
					 optarg);
				return TT_PARSE_USAGE;
			}
			o->iterations = n;
			break;
		case 'b':
			batch = true;
			break;
		case 'j':
			json = true;
			break;
		case 'p':
			if (!parse_pids(optarg, o, err, errlen))
				return TT_PARSE_USAGE;
			break;
		case 'u':
			if (!parse_user(optarg, o, err, errlen))
				return TT_PARSE_USAGE;
			break;
		case 's':
			o->sort_col = tt_column_find(optarg);
			if (o->sort_col < 0) {
				snprintf(err, errlen,
					 "-s: no column '%s' (try pid, cpu, "
					 "sysc, err, runq, tx)",
					 optarg);
				return TT_PARSE_USAGE;
			}
			break;
		case 'H':
			o->threads = true;
			break;
		case OPT_THEME:
			o->theme = optarg;
			break;
		case OPT_NO_COLOR:
			o->no_color = true;
			break;
		case OPT_RECORD:
			o->record = optarg;
			break;
		case OPT_REPLAY:
			o->replay = optarg;
			break;
		case OPT_LISTEN:
			o->listen = optarg;
			break;
		case OPT_HEADLESS:
			headless = true;
			break;
		case OPT_NO_SYSCALLS:
			o->enable[0] = false;
			break;
		case OPT_NO_TCP:
			o->enable[1] = false;
			break;
		case OPT_NO_SCHED:
			o->enable[2] = false;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_EXPORT_DIR:
			o->export_dir = optarg;
			break;
		case OPT_RECORD_MAX:
			if (!parse_size(optarg, &o->record_max)) {
				snprintf(err, errlen,
					 "--record-max: '%s' is not a size "
					 "(4K or more, e.g. 100M)",
					 optarg);
				return TT_PARSE_USAGE;
			}
			break;
		case OPT_METRICS_TOP:
			if (!parse_long(optarg, 1, 10000, &n)) {
				snprintf(err, errlen,
					 "--metrics-top: '%s' is not a count "
					 "from 1 to 10000",
					 optarg);
				return TT_PARSE_USAGE;
			}
			o->metrics_top = (unsigned)n;
			break;
		case OPT_METRICS_PIDS:
			o->metrics_pids = true;
			break;
		case OPT_PROFILE:
			if (!parse_double(optarg, &o->profile_s) ||
			    o->profile_s < 0.1 || o->profile_s > 86400) {
				snprintf(err, errlen,
					 "--profile: '%s' is not a duration in "
					 "seconds (0.1 to 86400)",
					 optarg);
				return TT_PARSE_USAGE;
			}
			break;
		case OPT_PROFILE_HZ:
			if (!parse_long(optarg, 0, TT_PROF_MAX_HZ, &n)) {
				snprintf(
					err, errlen,
					"--profile-hz: '%s' is not a frequency "
					"from 0 to %d",
					optarg, TT_PROF_MAX_HZ);
				return TT_PARSE_USAGE;
			}
			o->prof_hz = (unsigned)n;
			break;
		case OPT_NO_PROFILE:
			no_profile = true;
			break;
		case OPT_UNWIND:
			if (strcmp(optarg, "kernel") &&
			    strcmp(optarg, "user")) {
				snprintf(err, errlen,
					 "--unwind: '%s' is neither kernel nor "
					 "user",
					 optarg);
				return TT_PARSE_USAGE;
			}
			o->user_unwind = !strcmp(optarg, "user");
			break;
		case OPT_OFF_CPU:
			o->off_cpu = true;
			break;
		case OPT_TRACE:
			trace = true;
			if (!trace_kinds(optarg, argc, argv, o, err, errlen))
				return TT_PARSE_USAGE;
			break;
		case OPT_EVENTS:
			if (!parse_kinds("--events", optarg, o, err, errlen))
				return TT_PARSE_USAGE;
			break;
		case OPT_NO_EVENTS:
			o->ev_kinds = 0;
			break;
		case OPT_EVENTS_RATE:
			if (!parse_long(optarg, 0, 10000000, &n)) {
				snprintf(err, errlen,
					 "--events-rate: '%s' is not a count "
					 "per second (0: no limit)",
					 optarg);
				return TT_PARSE_USAGE;
			}
			o->ev_rate = (uint32_t)n;
			break;
		case OPT_EVENTS_BUFFER: {
			uint64_t v;

			if (!parse_size(optarg, &v) || v > (1u << 30) ||
			    (v & (v - 1))) {
				snprintf(err, errlen,
					 "--events-buffer: '%s' is not a power "
					 "of 2 from 4K to 1G",
					 optarg);
				return TT_PARSE_USAGE;
			}
			o->ev_buffer = (uint32_t)v;
			break;
		}
		case OPT_EVENTS_HISTORY:
			if (!parse_long(optarg, 1, 1000000, &n)) {
				snprintf(
					err, errlen,
					"--events-history: '%s' is not a count "
					"from 1 to 1000000",
					optarg);
				return TT_PARSE_USAGE;
			}
			o->ev_history = (unsigned)n;
			break;
		case OPT_SLOW:
		case OPT_RUNQ_SLOW: {
			double ms;

			if (!parse_double(optarg, &ms) || ms < 0 ||
			    ms > 3.6e6 || (c == OPT_RUNQ_SLOW && ms <= 0)) {
				snprintf(err, errlen,
					 "%s: '%s' is not a time in ms",
					 c == OPT_SLOW ? "--slow"
						       : "--runq-slow",
					 optarg);
				return TT_PARSE_USAGE;
			}
			if (c == OPT_SLOW)
				o->slow_ms = ms;
			else
				o->runq_slow_ms = ms;
			if (c == OPT_RUNQ_SLOW)
				runq = true;
			break;
		}
		case OPT_SLOW_SKIP:
			if (tt_slow_skip_parse(optarg, o->slow_skip, err,
					       errlen)) {
				char m[128];

				snprintf(m, sizeof(m), "%s", err);
				snprintf(err, errlen, "--slow-skip: %s", m);
				return TT_PARSE_USAGE;
			}
			break;
		case 'V':
			fprintf(out, "tracetop %s\n", TT_VERSION);
			return TT_PARSE_EXIT;
		case 'h':
			fputs(usage, out);
			return TT_PARSE_EXIT;
		case ':':
			snprintf(err, errlen, "%s needs a value",
				 argv[optind - 1]);
			return TT_PARSE_USAGE;
		default:
			if (optopt)
				snprintf(err, errlen, "unknown option '-%c'",
					 optopt);
			else
				snprintf(err, errlen, "unknown option '%s'",
					 argv[optind - 1]);
			return TT_PARSE_USAGE;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return TT_PARSE_USAGE;
	}
	if (batch + json + headless + check + (o->profile_s > 0) > 1 ||
	    trace + batch + headless + check + (o->profile_s > 0) > 1) {
		snprintf(err, errlen,
			 "choose one of -b, -j, --headless, --check, --profile"
			 " (--trace takes -j)");
		return TT_PARSE_USAGE;
	}
	if (no_profile)
		o->prof_hz = 0;
	if (o->off_cpu && o->npids != 1) {
		snprintf(err, errlen,
			 "--off-cpu watches one process: give "
			 "it with -p PID");
		return TT_PARSE_USAGE;
	}
	if (o->profile_s > 0 && !o->prof_hz && !o->off_cpu) {
		snprintf(err, errlen,
			 "--profile with no sampling "
			 "(--no-profile or --profile-hz 0) "
			 "would print nothing");
		return TT_PARSE_USAGE;
	}
	if (o->profile_s > 0 && (o->record || o->listen)) {
		snprintf(err, errlen,
			 "--profile prints stacks and exits: it "
			 "takes no --record or --listen");
		return TT_PARSE_USAGE;
	}
	if (runq)
		o->ev_kinds |= 1u << TT_EV_RUNQ;
	if (!o->slow_ms)
		o->ev_kinds &= ~(1u << TT_EV_SLOW);
	if (trace && !o->ev_kinds) {
		snprintf(err, errlen, "--trace with no kind of event to show");
		return TT_PARSE_USAGE;
	}
	if (!o->enable[0] && !o->enable[1] && !o->enable[2] && !o->ev_kinds) {
		snprintf(err, errlen,
			 "--no-syscalls, --no-tcp, --no-sched and "
			 "--no-events together leave nothing to trace");
		return TT_PARSE_USAGE;
	}
	if (headless && !o->listen && !o->record) {
		snprintf(err, errlen,
			 "--headless needs --listen or --record: "
			 "otherwise nothing would come out");
		return TT_PARSE_USAGE;
	}
	if (o->replay &&
	    (o->record || o->listen || check || headless || o->npids ||
	     o->uid >= 0 || o->threads || o->profile_s > 0 || o->off_cpu)) {
		snprintf(err, errlen,
			 "--replay browses a recording: it takes "
			 "no tracing options");
		return TT_PARSE_USAGE;
	}
	if (o->listen) {
		struct sockaddr_storage ss;

		if (tt_exporter_parse_listen(o->listen, &ss, err, errlen))
			return TT_PARSE_USAGE;
	}
	o->trace_json = trace && json;
	o->mode = trace		     ? TT_MODE_TRACE
		  : batch	     ? TT_MODE_BATCH
		  : json	     ? TT_MODE_JSON
		  : headless	     ? TT_MODE_HEADLESS
		  : check	     ? TT_MODE_CHECK
		  : o->profile_s > 0 ? TT_MODE_PROFILE
				     : TT_MODE_TUI;
	return TT_PARSE_OK;
}
