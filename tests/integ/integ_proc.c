// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_proc.c - child processes for the integration tests: spawn with
 * pipes, read lines and wait, each with a deadline. See integ_proc.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <check.h>
#include "tests/integ/integ_proc.h"

#define IH_MAX_PROCS 32

/* Everything still running, for the cleanup of a failed test. */
static struct ih_proc *live[IH_MAX_PROCS];
static bool atexit_done;

long long ih_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int ih_left_ms(long long deadline)
{
	long long d = deadline - ih_now_ms();

	return d < 0 ? 0 : d > 1000000 ? 1000000 : (int)d;
}

const char *ih_env(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

int ih_ms(int ms)
{
	long f = strtol(ih_env("TT_SLOW", "1"), NULL, 10);

	return f > 1 && f < 1000 ? ms * (int)f : ms;
}

void *ih_xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	ck_assert_msg(p != NULL, "out of memory");
	return p;
}

static void track(struct ih_proc *p)
{
	for (int i = 0; i < IH_MAX_PROCS; i++)
		if (!live[i]) {
			live[i] = p;
			return;
		}
	ck_abort_msg("harness: more than %d processes", IH_MAX_PROCS);
}

static void untrack(struct ih_proc *p)
{
	for (int i = 0; i < IH_MAX_PROCS; i++)
		if (live[i] == p)
			live[i] = NULL;
}

/*
 * Check ends a forked test with exit() when an assertion fails: kill and
 * reap what is still running so no tracetop keeps its programs attached.
 */
void ih_proc_kill_all(void)
{
	for (int i = 0; i < IH_MAX_PROCS; i++) {
		struct ih_proc *p = live[i];

		if (!p)
			continue;
		if (!p->reaped) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, NULL, 0);
			p->reaped = true;
		}
		live[i] = NULL;
	}
}

/* ---- processes ----------------------------------------------------------- */

struct ih_proc *ih_spawn(char *const argv[], bool pipe_in, bool pipe_err,
			 int in_fd)
{
	int in[2] = { -1, -1 }, out[2], err[2] = { -1, -1 };
	pid_t parent = getpid();
	struct ih_proc *p;

	if (!atexit_done) {
		atexit(ih_proc_kill_all);
		atexit_done = true;
	}
	p = calloc(1, sizeof(*p));
	ck_assert_msg(p != NULL, "out of memory");
	ck_assert_msg(pipe2(out, O_CLOEXEC) == 0, "pipe: %s", strerror(errno));
	if (pipe_in)
		ck_assert_msg(pipe2(in, O_CLOEXEC) == 0, "pipe: %s",
			      strerror(errno));
	if (pipe_err)
		ck_assert_msg(pipe2(err, O_CLOEXEC) == 0, "pipe: %s",
			      strerror(errno));

	fflush(NULL);
	p->pid = fork();
	ck_assert_msg(p->pid >= 0, "fork: %s", strerror(errno));
	if (p->pid == 0) {
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

		/* die with the test, whatever way it ends */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		if (pipe_in)
			dup2(in[0], STDIN_FILENO);
		else
			dup2(in_fd >= 0 ? in_fd : devnull, STDIN_FILENO);
		if (in_fd >= 0)
			lseek(STDIN_FILENO, 0, SEEK_SET);
		dup2(out[1], STDOUT_FILENO);
		if (pipe_err)
			dup2(err[1], STDERR_FILENO);
		/* SIGINT may be ignored by whoever ran the tests (nohup, &) */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], argv); /* PATH for curl, promtool, setpriv */
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	p->out = out[0];
	p->in = -1;
	p->err = -1;
	if (pipe_in) {
		close(in[0]);
		p->in = in[1];
	}
	if (pipe_err) {
		close(err[1]);
		p->err = err[0];
	}
	track(p);
	return p;
}

/* Read once from fd into *buf; 0 at EOF. */
static ssize_t slurp(int fd, char **buf, size_t *len, size_t *cap)
{
	ssize_t r;

	if (*cap - *len < 65536) {
		*cap = *cap * 2 + 65536;
		*buf = ih_xrealloc(*buf, *cap + 1);
	}
	do
		r = read(fd, *buf + *len, *cap - *len);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		*len += r;
	(*buf)[*len] = '\0';
	return r;
}

static void fill(struct ih_proc *p)
{
	/* drop what was taken before the buffer grows again */
	if (p->start && p->start == p->len) {
		p->start = p->len = 0;
	} else if (p->start > p->cap / 2) {
		memmove(p->buf, p->buf + p->start, p->len - p->start);
		p->len -= p->start;
		p->start = 0;
	}
	if (slurp(p->out, &p->buf, &p->len, &p->cap) <= 0)
		p->eof = true;
}

/* A complete line from what was read, without its newline; NULL if none. */
char *ih_proc_take_line(struct ih_proc *p)
{
	char *nl, *line;
	size_t n;

	if (!p->buf || p->start == p->len)
		return NULL;
	nl = memchr(p->buf + p->start, '\n', p->len - p->start);
	if (!nl) {
		if (!p->eof)
			return NULL;
		nl = p->buf + p->len; /* last line without newline */
	}
	n = nl - (p->buf + p->start);
	line = ih_xrealloc(NULL, n + 1);
	memcpy(line, p->buf + p->start, n);
	line[n] = '\0';
	p->start += n + (nl < p->buf + p->len);
	return line;
}

/* Wait up to timeout_ms for any of ps to have output, and read it. */
void ih_proc_poll(struct ih_proc **ps, int n, int timeout_ms)
{
	struct pollfd pfd[4];
	int k = 0;

	for (int i = 0; i < n && k < 4; i++)
		if (ps[i] && !ps[i]->eof)
			pfd[k++] = (struct pollfd){ .fd = ps[i]->out,
						    .events = POLLIN };
	if (!k) {
		if (timeout_ms > 0)
			usleep(timeout_ms * 1000);
		return;
	}
	if (poll(pfd, k, timeout_ms) <= 0)
		return;
	for (int i = 0, j = 0; i < n && j < k; i++) {
		if (!ps[i] || ps[i]->out != pfd[j].fd)
			continue;
		if (pfd[j].revents)
			fill(ps[i]);
		j++;
	}
}

char *ih_readline(struct ih_proc *p, int timeout_ms)
{
	long long deadline = ih_now_ms() + timeout_ms;
	char *line;

	while (!(line = ih_proc_take_line(p))) {
		if (p->eof || ih_now_ms() >= deadline)
			return NULL;
		ih_proc_poll(&p, 1, ih_left_ms(deadline));
	}
	return line;
}

bool ih_proc_reaped(struct ih_proc *p)
{
	if (!p->reaped && waitpid(p->pid, &p->status, WNOHANG) == p->pid)
		p->reaped = true;
	return p->reaped;
}

int ih_exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int ih_wait(struct ih_proc *p, int timeout_ms)
{
	long long deadline = ih_now_ms() + timeout_ms;

	while (!ih_proc_reaped(p)) {
		if (ih_now_ms() >= deadline) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &p->status, 0);
			p->reaped = true;
			ck_abort_msg("pid %d still running after %d ms: killed",
				     p->pid, timeout_ms);
		}
		usleep(10000);
	}
	return ih_exit_code(p->status);
}

void ih_proc_free(struct ih_proc *p)
{
	if (!p)
		return;
	if (!p->reaped) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &p->status, 0);
		p->reaped = true;
	}
	untrack(p);
	if (p->in >= 0)
		close(p->in);
	if (p->err >= 0)
		close(p->err);
	close(p->out);
	free(p->buf);
	free(p);
}

/* Run argv (stdin from in_fd, or /dev/null) to its end, output collected. */
int ih_run_fd(char *const argv[], int in_fd, int timeout_ms, char **out,
	      char **err)
{
	int bound = ih_ms(timeout_ms);
	long long deadline = ih_now_ms() + bound;
	struct ih_proc *p = ih_spawn(argv, false, true, in_fd);
	char *ebuf = NULL;
	size_t elen = 0, ecap = 0;
	bool eeof = false;
	int code;

	while ((!p->eof || !eeof) && ih_now_ms() < deadline) {
		struct pollfd pfd[2];
		int k = 0;

		if (!p->eof)
			pfd[k++] = (struct pollfd){ .fd = p->out,
						    .events = POLLIN };
		if (!eeof)
			pfd[k++] = (struct pollfd){ .fd = p->err,
						    .events = POLLIN };
		if (poll(pfd, k, ih_left_ms(deadline)) <= 0)
			continue;
		for (int i = 0; i < k; i++) {
			if (!pfd[i].revents)
				continue;
			if (pfd[i].fd == p->out)
				fill(p);
			else if (slurp(p->err, &ebuf, &elen, &ecap) <= 0)
				eeof = true;
		}
	}
	if (!p->eof || !eeof) {
		ih_proc_free(p);
		free(ebuf);
		ck_abort_msg("%s %s: still running after %d ms: killed",
			     argv[0], argv[1] ? argv[1] : "", bound);
	}
	code = ih_wait(p, ih_left_ms(deadline) + 1000);
	if (out) {
		*out = strdup(p->buf ? p->buf + p->start : "");
		ck_assert_msg(*out != NULL, "out of memory");
	}
	if (err) {
		*err = ebuf ? ebuf : strdup("");
		ck_assert_msg(*err != NULL, "out of memory");
	} else {
		free(ebuf);
	}
	ih_proc_free(p);
	return code;
}

int ih_run(char *const argv[], int timeout_ms, char **out, char **err)
{
	return ih_run_fd(argv, -1, timeout_ms, out, err);
}
