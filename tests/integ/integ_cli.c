// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_cli.c - the command line as scripts see it: exit codes, one-line
 * errors, --check, -n, signals, and no BPF program left behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/integ/integ_harness.h"

#define RUN_MS 20000

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static int run(char **out, char **err, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)ih_tracetop();
	va_start(ap, err);
	while (argc < 15 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	argv[argc] = NULL;
	return ih_run(argv, RUN_MS, out, err);
}

static void expect_usage_error(char *out, char *err, int code, const char *what)
{
	ck_assert_msg(code == 2, "%s: exit %d, want 2", what, code);
	ck_assert_msg(count_lines(err) == 1 && strlen(err) > 1,
		      "%s: want one line on stderr, got \"%s\"", what, err);
	ck_assert_msg(!*out, "%s: printed on stdout: \"%s\"", what, out);
	free(out);
	free(err);
}

START_TEST(test_usage_errors)
{
	char *out, *err;
	int code;

	code = run(&out, &err, "--no-such-option", NULL);
	expect_usage_error(out, err, code, "unknown option");
	code = run(&out, &err, "-j", "-n", "1", "-d", "abc", NULL);
	expect_usage_error(out, err, code, "-d abc");
	code = run(&out, &err, "-b", "-n", "1", "-d", "0.2", "-s",
		   "nosuchcolumn", NULL);
	expect_usage_error(out, err, code, "-s nosuchcolumn");
}
END_TEST

START_TEST(test_version_help)
{
	char *out, *err;
	int code;

	code = run(&out, &err, "-V", NULL);
	ck_assert_msg(code == 0, "-V: exit %d", code);
	ck_assert_msg(count_lines(out) >= 1 && strpbrk(out, "0123456789"),
		      "-V printed no version: \"%s\"", out);
	free(out);
	free(err);

	code = run(&out, &err, "-h", NULL);
	ck_assert_msg(code == 0, "-h: exit %d", code);
	ck_assert_msg(strstr(out, "--json") || strstr(out, "-j"),
		      "-h does not list -j/--json: \"%s\"", out);
	free(out);
	free(err);
}
END_TEST

START_TEST(test_check_lists_probes)
{
	static const char *const probes[] = { "raw_syscalls:sys_enter",
					      "sock:sock_send_length",
					      "sched:sched_switch" };
	char *out, *err;
	int code = run(&out, &err, "--check", NULL);

	ck_assert_msg(code == 0, "--check: exit %d\n%s%s", code, out, err);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		ck_assert_msg(strstr(out, probes[i]) || strstr(err, probes[i]),
			      "--check does not list %s:\n%s%s", probes[i], out,
			      err);
	free(out);
	free(err);
}
END_TEST

/*
 * Every program of every subsystem missing (as on a kernel without their
 * tracepoints): --check says each is not attached and exits 1. The names
 * are the programs of the bpf/ objects; one added there and not here attaches,
 * and this test says which.
 */
START_TEST(test_check_nothing_attaches)
{
	static const char *const progs[] = {
		"tt_sys_enter",		"tt_sys_exit",
		"tt_sys_switch",	"tt_sys_task_exit",
		"tt_sock_send",		"tt_sock_recv",
		"tt_sock_state",	"tt_sock_state_again",
		"tt_tcp_retransmit",	"tt_tcp_send_reset",
		"tt_tcp_receive_reset", "tt_sched_wakeup",
		"tt_sched_wakeup_new",	"tt_sched_switch",
		"tt_sched_migrate",	"tt_sched_exit",
		"tt_proc_exit",		"tt_proc_exec",
		"tt_proc_signal",	"tt_proc_oom",
		"tt_prof_sample",
	};
	char faults[1024] = "", *out, *err, *l, *save;
	size_t k = 0;
	int code, rows = 0;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		k += (size_t)snprintf(faults + k, sizeof(faults) - k,
				      "%smissing:%s", i ? "," : "", progs[i]);
	setenv("TRACETOP_FAULTS", faults, 1);
	code = run(&out, &err, "--check", NULL);
	unsetenv("TRACETOP_FAULTS");
	ck_assert_msg(code == 1,
		      "--check with no probe attached: exit %d\n%s%s", code,
		      out, err);
	for (l = strtok_r(out, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (strstr(l, "  attached"))
			ck_abort_msg("--check: still attached: %s", l);
		rows += strstr(l, "not attached") != NULL;
	}
	ck_assert_msg(rows >= 3, "--check listed %d probes not attached", rows);
	free(out);
	free(err);
}
END_TEST

START_TEST(test_missing_pid)
{
	char pid[16], *out, *err;
	cJSON *snap;
	int p = 999999, code;

	/* 999999 can exist where pid_max is large: take the first free one */
	while (kill(p, 0) == 0 || errno != ESRCH)
		p++;
	snprintf(pid, sizeof(pid), "%d", p);
	code = run(&out, &err, "-j", "-n", "1", "-d", "0.2", "-p", pid, NULL);
	ck_assert_msg(code == 0, "-p %s: exit %d: %s", pid, code, err);
	ck_assert_msg(count_lines(out) == 1, "-p %s -n 1: %d lines", pid,
		      count_lines(out));
	ck_assert_msg(*err, "-p %s: no notice on stderr", pid);
	snap = cJSON_Parse(out);
	ck_assert_msg(snap != NULL, "-p %s: not JSON: %s", pid, out);
	ck_assert_int_eq(cJSON_GetArraySize(ih_path(snap, "processes")), 0);
	cJSON_Delete(snap);
	free(out);
	free(err);
}
END_TEST

START_TEST(test_iterations)
{
	char *out, *err, *line, *save, *lines[3], *msg;
	int code, n = 0;

	code = run(&out, &err, "-j", "-n", "3", "-d", "0.2", NULL);
	ck_assert_msg(code == 0, "-j -n 3: exit %d: %s", code, err);
	ck_assert_msg(count_lines(out) == 3, "-j -n 3 printed %d lines",
		      count_lines(out));
	for (line = strtok_r(out, "\n", &save); line && n < 3;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *snap = cJSON_Parse(line);

		ck_assert_msg(snap != NULL, "line %d is not JSON", n + 1);
		ck_assert_double_eq(ih_num(snap, "schema"), 1);
		cJSON_Delete(snap);
		lines[n++] = line;
	}
	ck_assert_int_eq(n, 3);
	msg = ih_schema_check(lines, n);
	ck_assert_msg(msg == NULL, "schema: %s", msg);
	free(out);
	free(err);
}
END_TEST

/* Each --no-X turns X off, visibly, and leaves the others on. */
START_TEST(test_probe_switches)
{
	static const char *const subsys[] = { "syscalls", "tcp", "sched" };
	char opt[32], *out, *err;

	for (int i = 0; i < 3; i++) {
		cJSON *snap;
		int code;

		snprintf(opt, sizeof(opt), "--no-%s", subsys[i]);
		code = run(&out, &err, "-j", "-n", "1", "-d", "0.2", opt, NULL);
		ck_assert_msg(code == 0, "%s: exit %d: %s", opt, code, err);
		snap = cJSON_Parse(out);
		ck_assert_msg(snap != NULL, "%s: not JSON", opt);
		for (int k = 0; k < 3; k++) {
			char path[64];
			const cJSON *st;

			snprintf(path, sizeof(path), "probes.%s", subsys[k]);
			st = ih_path(snap, path);
			ck_assert_msg(cJSON_IsString(st), "%s: no %s", opt,
				      path);
			if (k == i)
				ck_assert_msg(
					!strncmp(st->valuestring, "off", 3),
					"%s: %s is \"%s\"", opt, path,
					st->valuestring);
			else
				ck_assert_msg(!strcmp(st->valuestring, "on"),
					      "%s: %s is \"%s\"", opt, path,
					      st->valuestring);
		}
		cJSON_Delete(snap);
		free(out);
		free(err);
	}
}
END_TEST

/* The cell of row under the right-aligned title t of the header line. */
static void batch_cell(const char *hdr, const char *row, const char *t,
		       char *out, size_t n)
{
	const char *h = strstr(hdr, t);
	size_t end, b;

	ck_assert_msg(h != NULL, "-b: no column %s in \"%s\"", t, hdr);
	end = (size_t)(h - hdr) + strlen(t);
	ck_assert_msg(strlen(row) >= end, "-b: row too short: \"%s\"", row);
	for (b = end; b > 0 && row[b - 1] != ' ';)
		b--;
	snprintf(out, n, "%.*s", (int)(end - b), row + b);
}

/* The line of the text table whose first field is pid, or NULL. */
static char *batch_row(char *block, int pid)
{
	for (char *l = block; l && *l;
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (atoi(l) == pid && l[strspn(l, " ")] != '\n')
			return l;
	return NULL;
}

#define BATCH_CONNS 20

/*
 * -b as top -b: a known workload's rows with their exact figures. tcpmany
 * holds BATCH_CONNS connections open, client ends in the parent, accepted
 * ends in its child: each row's CONN must say so, under -p nothing else.
 */
START_TEST(test_batch)
{
	struct ih_wl *wl = ih_wl_start("tcpmany", "20", "1", NULL);
	char *argv[] = { (char *)ih_tracetop(), "-b", "-d", "0.3", "-p",
			 wl->pidlist,		NULL };
	struct ih_proc *tt = ih_spawn(argv, false, false, -1);
	long long deadline = ih_now_ms() + ih_ms(15000);
	char *line, *block = NULL, *hdr, *row, c[32];
	size_t len = 0, blocks = 0;
	bool table = false, done = false;
	int code;

	ck_assert_int_eq(wl->npids, 2);
	/* the first header: attached */
	line = ih_readline(tt, ih_ms(15000));
	ck_assert_msg(line && !strncmp(line, "tracetop ", 9),
		      "-b: first line \"%s\"", line ? line : "(none)");
	free(line);
	ih_wl_go(wl);
	line = ih_readline(wl->p, ih_ms(10000));
	ck_assert_msg(line && !strcmp(line, "open 20"), "tcpmany: %s",
		      line ? line : "(nothing)");
	free(line);
	/* two whole tables after the connections opened: the second one */
	while (!done && (line = ih_readline(tt, ih_left_ms(deadline)))) {
		if (!strncmp(line, "tracetop ", 9)) {
			blocks++;
			len = 0;
			table = false;
		}
		table = table || strstr(line, "    PID USER ") == line;
		done = blocks == 3 && table && !*line;
		block = ih_xrealloc(block, len + strlen(line) + 2);
		len += sprintf(block + len, "%s\n", line);
		free(line);
	}
	ck_assert_msg(done, "-b: %zu tables within 15 s", blocks);
	ck_assert_msg(strstr(block, " 2 processes\n"), "-b: %s", block);
	hdr = strstr(block, "    PID USER ");
	ck_assert_msg(hdr != NULL, "-b: no table header in\n%s", block);
	for (int i = 0; i < 2; i++) {
		row = batch_row(hdr, wl->pids[i]);
		ck_assert_msg(row != NULL, "-b: no row of pid %d in\n%s",
			      wl->pids[i], block);
		batch_cell(hdr, row, "CONN", c, sizeof(c));
		ck_assert_msg(atoi(c) == BATCH_CONNS,
			      "-b: pid %d shows CONN %s, it holds %d:\n%s",
			      wl->pids[i], c, BATCH_CONNS, block);
		ck_assert_msg(strstr(row, " root ") &&
				      strstr(row, "wl-tcpmany"),
			      "-b: row of pid %d: %s", wl->pids[i], row);
	}
	ih_wl_go(wl);
	ih_wl_finish(wl, NULL, 10000);
	kill(tt->pid, SIGINT);
	code = ih_wait(tt, ih_ms(5000));
	ck_assert_msg(code == 0, "-b: exit %d after SIGINT", code);
	free(block);
	ih_proc_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* ---- signals and clean-up ------------------------------------------------ */

#define MAX_PROGS 256

static const char *bpftool(void)
{
	static const char *const where[] = { "/usr/sbin/bpftool",
					     "/usr/bin/bpftool",
					     "/usr/local/sbin/bpftool" };
	const char *env = getenv("BPFTOOL");

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	ck_abort_msg("bpftool not found (set BPFTOOL=)");
	return NULL;
}

/* ids of the loaded BPF programs named tt_*; returns how many */
static int tt_progs(int *ids)
{
	char *argv[] = { (char *)bpftool(), "-j", "prog", "show", NULL };
	char *out, *err;
	const cJSON *p;
	cJSON *all;
	int n = 0, code = ih_run(argv, RUN_MS, &out, &err);

	ck_assert_msg(code == 0, "bpftool prog show: exit %d: %s", code, err);
	all = cJSON_Parse(out);
	ck_assert_msg(cJSON_IsArray(all), "bpftool -j prog show: not a list");
	cJSON_ArrayForEach(p, all)
	{
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(p, "name");

		if (cJSON_IsString(name) &&
		    !strncmp(name->valuestring, "tt_", 3) && n < MAX_PROGS)
			ids[n++] = (int)ih_num(p, "id");
	}
	cJSON_Delete(all);
	free(out);
	free(err);
	return n;
}

/* ids of the BPF programs process pid holds (its fds, links included) */
static int held_progs(int pid, int *ids)
{
	char cmd[200], *out, *err, *l, *save;
	char *argv[] = { "sh", "-c", cmd, NULL };
	int n = 0, code;

	snprintf(cmd, sizeof(cmd),
		 "sed -n 's/^prog_id:[[:space:]]*//p' /proc/%d/fdinfo/* "
		 "2>/dev/null | sort -un",
		 pid);
	code = ih_run(argv, RUN_MS, &out, &err);
	ck_assert_msg(code == 0, "fdinfo of %d: %s", pid, err);
	for (l = strtok_r(out, "\n", &save); l && n < MAX_PROGS;
	     l = strtok_r(NULL, "\n", &save))
		ids[n++] = atoi(l);
	free(out);
	free(err);
	return n;
}

/* how many of mine are among the loaded ids */
static int still_loaded(const int *mine, int nmine, const int *ids, int n)
{
	int left = 0;

	for (int i = 0; i < nmine; i++)
		for (int k = 0; k < n; k++)
			if (mine[i] == ids[k]) {
				left++;
				break;
			}
	return left;
}

/*
 * The programs this tracetop holds (from its fdinfo, not by name: other
 * tracetops come and go on this machine meanwhile) are all gone after it
 * ended by sig.
 */
static void stop_by(int sig)
{
	int mine[MAX_PROGS], now[MAX_PROGS], nmine, n, left = 0;
	struct ih_tt *tt;

	tt = ih_tt_start(NULL, NULL);
	nmine = held_progs(tt->p->pid, mine);
	n = tt_progs(now);
	ck_assert_msg(nmine > 0 && still_loaded(mine, nmine, now, n) == nmine,
		      "tracetop holds %d programs, %d of them tt_* loaded: "
		      "the clean-up check below would prove nothing",
		      nmine, still_loaded(mine, nmine, now, n));
	ih_tt_stop_sig(tt, sig);
	/* programs are freed when their last fd and link close, a little
	 * after exit (RCU): give the kernel a moment */
	for (int tries = 0; tries < 30; tries++) {
		n = tt_progs(now);
		left = still_loaded(mine, nmine, now, n);
		if (!left)
			break;
		usleep(100000);
	}
	ck_assert_msg(left == 0, "%d of its %d programs still loaded after %s",
		      left, nmine, strsignal(sig));
	ih_tt_free(tt);
}

START_TEST(test_sigint_cleans_up)
{
	stop_by(SIGINT);
}
END_TEST

START_TEST(test_sigterm_cleans_up)
{
	stop_by(SIGTERM);
}
END_TEST

Suite *integ_cli_suite(void)
{
	Suite *s = suite_create("integ_cli");
	TCase *tc = ih_tcase(s, "cli", 60);
	/*
	 * `make test-valgrind` runs these too: the exits before any BPF, the
	 * text output and --check, under a minute there
	 */
	TCase *vg = ih_tcase(s, "cli_valgrind", 60);

	tcase_set_tags(vg, "valgrind");
	tcase_add_test(vg, test_usage_errors);
	tcase_add_test(vg, test_version_help);
	tcase_add_test(vg, test_check_lists_probes);
	tcase_add_test(tc, test_check_nothing_attaches);
	tcase_add_test(tc, test_missing_pid);
	tcase_add_test(tc, test_iterations);
	tcase_add_test(tc, test_probe_switches);
	tcase_add_test(vg, test_batch);
	tcase_add_test(tc, test_sigint_cleans_up);
	tcase_add_test(tc, test_sigterm_cleans_up);
	return s;
}
