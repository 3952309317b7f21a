/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * tui_lib.h - the real ./tracetop in a real terminal, for the TUI suites:
 * tmux on a socket of this run's own, keys with send-keys, the screen with
 * capture-pane, workloads to find on it.
 *
 * Needs root (BPF), tmux, $TRACETOP and $WL/wl-tui_busy: tui_setup(), the
 * checked fixture of every TUI test, fails the test with one line naming
 * what is missing. Fail, never skip: a TUI test that cannot run proved
 * nothing.
 */
#ifndef TT_TUI_LIB_H
#define TT_TUI_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <check.h>

#define TMUX "tmux -L tt-tui-test "

/* this run's folder, /tmp/tt-tui-PID (tmux's socket lives under it) */
extern char tui_base[64];

/* The checked fixture: root, tmux, the binary, the workload. */
void tui_setup(void);
/* Kill the tmux server and the workloads a failed test left. */
void tui_teardown(void);
/* A TCase with both, and a timeout fit for tmux and BPF. */
TCase *tui_tcase(Suite *s, const char *name, int timeout_s);

int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* sh() whose stdout's first line is returned (static buffer; "" if none) */
const char *sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *tracetop(void);
void nap(double s);

/* the pane as text (static buffer); with escapes (colours) when esc */
const char *capture(void);
const char *capture_esc(void);
/* wait until the screen shows text; true if it did within secs */
bool wait_for(const char *text, double secs);
void show_screen(void);
void keys(const char *k);
/* the first line of the table after the title line holding hdr */
const char *row_after(const char *hdr, char *out, size_t len);

#define ck_screen(text, secs)                                                  \
	do {                                                                   \
		bool seen_ = wait_for(text, secs);                             \
		if (!seen_)                                                    \
			show_screen();                                         \
		ck_assert_msg(seen_, "'%s' not on screen", text);              \
	} while (0)

#define ck_first_row(hdr, text)                                                \
	do {                                                                   \
		char row_[512];                                                \
		bool ok_ = strstr(row_after(hdr, row_, sizeof(row_)), text);   \
		if (!ok_)                                                      \
			show_screen();                                         \
		ck_assert_msg(ok_, "first row under %s lacks %s: %.200s", hdr, \
			      text, row_);                                     \
	} while (0)

/*
 * X: the screen says it exported to dir, and the file there (the only
 * one) is valid by the schema and jq's filter (printf format) holds on it.
 */
void export_check(const char *dir, const char *jq, ...)
	__attribute__((format(printf, 2, 3)));

/* tracetop with args in a 120x40 pane, its own $HOME, env before it */
void start_env(const char *env, const char *args);
void start(const char *args);
/* the pid of tracetop in the pane */
int tracetop_pid(void);
void stop(void);

struct workload {
	pid_t pid;
	int go;	   /* its stdin */
	FILE *out; /* its stdout, after the pid line */
};

/* $WL/wl-NAME ARG (protocol of tests/workloads/wl.h), started and going */
struct workload wl_start(const char *name, const char *arg);
/* wl-tui_busy MODE, started and going */
struct workload busy(const char *mode);
/* The workload's JSON line of its own measurements, once it exits ("" if
 * it wrote none); a static buffer. */
const char *wl_result(struct workload *w);
/* The number after "key": in json, or -1. */
double json_num(const char *json, const char *key);
/* Kill it (if still running) and reap it. */
void busy_end(struct workload *w);

#endif
