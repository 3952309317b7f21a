/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * options.h - the command line (names are stable, see DESIGN.md). Parsing
 * is pure: no terminal, no BPF, unit-tested.
 */
#ifndef TT_OPTIONS_H
#define TT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/tracetop.h"

enum tt_mode {
	TT_MODE_TUI,
	TT_MODE_BATCH,
	TT_MODE_JSON,
	TT_MODE_HEADLESS,
	TT_MODE_CHECK,
	TT_MODE_TRACE,
	TT_MODE_PROFILE
};

struct tt_options {
	enum tt_mode mode;
	double delay;	 /* seconds between refreshes */
	long iterations; /* 0: until stopped */
	uint32_t pids[TT_MAX_FILTER_PIDS];
	unsigned npids;
	int64_t uid;	/* -1: every user */
	int sort_col;	/* enum tt_col, -1: default (CPU%) */
	bool sort_asc;	/* ascending instead of the column's default */
	bool threads;	/* -H */
	bool no_color;	/* --no-color or NO_COLOR set */
	bool enable[3]; /* syscalls, tcp, sched (enum tt_probe_set) */
	const char *theme;
	const char *record;
	const char *replay;
	const char *listen;
	const char *export_dir;
	uint64_t record_max;  /* bytes, 0: no rotation */
	unsigned metrics_top; /* cgroups (and PIDs) on /metrics */
	bool metrics_pids;
	unsigned prof_hz; /* on-CPU samples a second per CPU, 0: none */
	bool user_unwind; /* --unwind user: stacks copied, unwound here */
	double profile_s; /* --profile: seconds, then folded stacks */
	bool off_cpu;	  /* where the one -p PID blocks */
	/* the event stream; --trace prints it (TT_MODE_TRACE, with -j as
	 * JSON Lines) */
	uint32_t ev_kinds;     /* bit (1 << enum tt_ev_kind) */
	uint32_t ev_rate;      /* --events-rate: per kind and second */
	uint32_t ev_buffer;    /* --events-buffer: ring buffer bytes */
	unsigned ev_history;   /* --events-history: kept per snapshot */
	double slow_ms;	       /* --slow; 0: no slow-syscall events */
	double runq_slow_ms;   /* --runq-slow */
	uint64_t slow_skip[8]; /* --slow-skip, by syscall number */
	bool trace_json;       /* --trace -j */
};

enum tt_parse {
	TT_PARSE_OK,	/* run */
	TT_PARSE_EXIT,	/* --help or --version printed: exit 0 */
	TT_PARSE_USAGE, /* bad command line: message in err, exit 2 */
};

/*
 * Parse argv into o. Help and version text go to out. User names are
 * resolved here (-u root), so err names the user when there is none.
 */
enum tt_parse tt_options_parse(int argc, char **argv, struct tt_options *o,
			       FILE *out, char *err, size_t errlen);

#endif
