/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * integ_proc.h - child processes for the integration tests, with every wait
 * bounded: a test that goes wrong fails, it never hangs.
 *
 * Every process started here dies with the test: PR_SET_PDEATHSIG covers a
 * test killed by Check's timeout, an atexit handler covers a failed
 * assertion (Check ends a forked test with exit()), and ih_proc_kill_all()
 * is the teardown. So a failed test never leaves a tracetop behind with its
 * programs attached.
 */
#ifndef TT_INTEG_PROC_H
#define TT_INTEG_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A child process with its stdout (and optionally stdin/stderr) piped. */
struct ih_proc {
	pid_t pid;
	int in;	 /* write end of its stdin, -1 if not piped */
	int out; /* read end of its stdout */
	int err; /* read end of its stderr, -1 if inherited */
	bool eof;
	bool reaped;
	int status; /* wait status, once reaped */
	char *buf;  /* stdout read but not yet taken as lines */
	size_t start, len, cap;
};

/*
 * Start argv[0] (a path, or a name looked up in PATH). Its stdin is a pipe (pipe_in), else in_fd read
 * from its start (in_fd >= 0), else /dev/null; stderr is a pipe (pipe_err)
 * or the test's own.
 */
struct ih_proc *ih_spawn(char *const argv[], bool pipe_in, bool pipe_err,
			 int in_fd);
/* The next line of its stdout without newline (malloc'd); NULL at timeout
 * or EOF. */
char *ih_readline(struct ih_proc *p, int timeout_ms);
/* A line already read, or NULL: never blocks. */
char *ih_proc_take_line(struct ih_proc *p);
/* Wait up to timeout_ms for output from any of ps (NULLs allowed), read it. */
void ih_proc_poll(struct ih_proc **ps, int n, int timeout_ms);
/* Reap it if it ended; never blocks. */
bool ih_proc_reaped(struct ih_proc *p);
/* Its exit code (128 + signal if killed); killed and failed at timeout. */
int ih_wait(struct ih_proc *p, int timeout_ms);
int ih_exit_code(int status);
/* Kill if still running, reap, free. NULL is fine. */
void ih_proc_free(struct ih_proc *p);
void ih_proc_kill_all(void);

/* Run to completion; out and err (if non-NULL) get all it printed. */
int ih_run(char *const argv[], int timeout_ms, char **out, char **err);
/* Same with stdin read from in_fd (-1: /dev/null). */
int ih_run_fd(char *const argv[], int in_fd, int timeout_ms, char **out,
	      char **err);

long long ih_now_ms(void); /* CLOCK_MONOTONIC */
int ih_left_ms(long long deadline);
const char *ih_env(const char *name, const char *dflt);
/*
 * A bound of ms stretched by TT_SLOW (an integer factor, default 1): under
 * valgrind tracetop runs 20-50 times slower, and a bound is never a goal.
 */
int ih_ms(int ms);
void *ih_xrealloc(void *p, size_t n); /* fails the test when out of memory */

#endif
