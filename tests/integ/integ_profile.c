// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * integ_profile.c - the profiler against answers it cannot make up: the
 * CPU time a workload built without frame pointers measured in each of
 * its functions (wl-profile), the kernel's own run and run-queue times
 * (/proc/thread-self/schedstat) and the workload's clocks around each wait
 * (wl-blockstates), the kernel's symbol table, and `perf record -g` on the
 * same process. Shares must agree within 5 points; call chains exactly.
 */
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tests/integ/integ_harness.h"

#define POINTS 5.0 /* percentage points */
#define HZ     "999"

/* one folded line: frames and its count */
struct fline {
	char *frames[256];
	int n;
	double count;
};

/* "comm;a;b;c 123" -> frames and count; false for a malformed line */
static bool parse_folded(char *line, struct fline *f)
{
	char *sp = strrchr(line, ' '), *save, *tok;

	if (!sp)
		return false;
	*sp = 0;
	f->count = atof(sp + 1);
	f->n = 0;
	for (tok = strtok_r(line, ";", &save); tok && f->n < 256;
	     tok = strtok_r(NULL, ";", &save))
		f->frames[f->n++] = tok;
	return f->n > 0 && f->count > 0;
}

static bool is_kernel(const char *frame)
{
	size_t n = strlen(frame);

	return n > 4 && !strcmp(frame + n - 4, "_[k]");
}

/* index of the deepest user frame (the function the thread ran), or -1 */
static int user_leaf(const struct fline *f)
{
	for (int i = f->n; i-- > 1;)
		if (!is_kernel(f->frames[i]))
			return i;
	return -1;
}

/* frames[0..n) joined with ';' from index from: the user part */
static void user_chain(const struct fline *f, int from, int to, char *buf,
		       size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = from; i <= to && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i > from ? ";" : "", f->frames[i]);
}

/*
 * "tracetop: ... user stacks: K unwound in the kernel, C copied": true
 * with both when the summary says so
 */
static bool unwound(const char *err, double *k, double *c)
{
	const char *p = strstr(err, "user stacks: ");

	return p && sscanf(p,
			   "user stacks: %lf unwound in the kernel, %lf "
			   "copied",
			   k, c) == 2;
}

/* tracetop --profile SECONDS -p pids [extra or --profile-hz HZ] [more]:
 * the folded text; its summary line in *errp when errp */
static char *profile_run_err(const char *seconds, const char *pids,
			     const char *extra, const char *more, char **errp)
{
	char *argv[12], *out = NULL, *err = NULL;
	int argc = 0, code;

	argv[argc++] = (char *)ih_tracetop();
	argv[argc++] = "--profile";
	argv[argc++] = (char *)seconds;
	argv[argc++] = "-p";
	argv[argc++] = (char *)pids;
	if (extra)
		argv[argc++] = (char *)extra;
	else {
		argv[argc++] = "--profile-hz";
		argv[argc++] = HZ;
	}
	if (more)
		argv[argc++] = (char *)more;
	argv[argc] = NULL;
	code = ih_run(argv, ih_ms(60000), &out, &err);
	ck_assert_msg(code == 0, "tracetop --profile exited %d: %s", code, err);
	ck_assert_msg(strstr(err, " 0 samples or waits lost"),
		      "samples were lost: %s", err);
	if (errp)
		*errp = err;
	else
		free(err);
	return out;
}

static char *profile_run(const char *seconds, const char *pids,
			 const char *extra)
{
	return profile_run_err(seconds, pids, extra, NULL, NULL);
}

/* A: the shares and chains of wl-profile from folded stacks */
struct split {
	double a, b, other, total;
	int bad_chains;
	char bad[512];
};

static void tally(char *folded, struct split *s)
{
	char *save, *line;

	memset(s, 0, sizeof(*s));
	for (line = strtok_r(folded, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct fline f;
		int leaf, main_at = -1;
		char chain[1024];
		const char *want = NULL;

		if (!parse_folded(line, &f))
			continue;
		s->total += f.count;
		leaf = user_leaf(&f);
		if (leaf < 0) {
			s->other += f.count;
			continue;
		}
		if (!strcmp(f.frames[leaf], "spin_a")) {
			s->a += f.count;
			want = "main;work;spin_a";
		} else if (!strcmp(f.frames[leaf], "spin_b")) {
			s->b += f.count;
			want = "main;rest;spin_b";
		} else {
			s->other += f.count;
			continue;
		}
		/* exactly main -> work -> spin_a, under libc's start
		 * from _start: no frame lost, none invented */
		for (int i = 1; i <= leaf; i++)
			if (!strcmp(f.frames[i], "main"))
				main_at = i;
		user_chain(&f, main_at < 0 ? 1 : main_at, leaf, chain,
			   sizeof(chain));
		if (main_at < 0 || strcmp(chain, want) ||
		    strcmp(f.frames[1], "_start")) {
			user_chain(&f, 0, leaf, chain, sizeof(chain));
			s->bad_chains += (int)f.count;
			snprintf(s->bad, sizeof(s->bad), "%s", chain);
		}
	}
}

static void check_split(const struct split *s, const cJSON *res,
			const char *who)
{
	double want = ih_num(res, "spin_a_ns") /
		      (ih_num(res, "spin_a_ns") + ih_num(res, "spin_b_ns")) *
		      100;
	double got = s->a / (s->a + s->b) * 100;

	/* 600 samples: one standard deviation of a 75 % share is 1.8 points */
	ck_assert_msg(s->total > 600, "%s: only %.0f samples", who, s->total);
	ck_assert_msg(s->a + s->b > 0.9 * s->total,
		      "%s: spin_a and spin_b have %.0f of %.0f samples", who,
		      s->a + s->b, s->total);
	ck_assert_msg(fabs(got - want) <= POINTS,
		      "%s: spin_a has %.1f %% of the samples, the workload "
		      "measured %.1f %% of its CPU there",
		      who, got, want);
	ck_assert_msg(!s->bad_chains,
		      "%s: %d samples with a wrong chain, e.g. %s", who,
		      s->bad_chains, s->bad);
}

/*
 * The folded output read back (flamegraph.pl's input), with the user
 * stacks unwound where the option says: in the kernel from tables
 * (the default: most samples, all but the first before the tables were
 * made), or in user space from a copy of the stack (none in the kernel).
 */
static void folded_check(const char *where)
{
	struct ih_wl *wl = ih_wl_start("profile", "6", NULL);
	struct split s;
	char *folded, *err;
	const cJSON *res;
	double k, c;

	ih_wl_go(wl);
	usleep(300000);
	folded = profile_run_err("3", wl->pidlist, NULL, where, &err);
	res = ih_wl_finish(wl, NULL, 20000);
	tally(folded, &s);
	check_split(&s, res, where);
	ck_assert_msg(unwound(err, &k, &c), "no unwinding summary: %s", err);
	if (!strcmp(where, "--unwind=user"))
		ck_assert_msg(k == 0 && c == 0, "%s: %s", where, err);
	else
		ck_assert_msg(k >= 0.9 * s.total && k + c >= s.total - 2,
			      "%s: %.0f samples, %s", where, s.total, err);
	free(err);
	free(folded);
	ih_wl_free(wl);
}

START_TEST(test_folded_shares_and_chains)
{
	folded_check("--unwind=kernel");
}
END_TEST

START_TEST(test_folded_user_unwinding)
{
	folded_check("--unwind=user");
}
END_TEST

/*
 * A process whose tables the kernel has execs another program: the
 * tables of the image before must not be used for the new one (they are
 * bound to its address space), new ones are made, and every chain of the
 * new program is exact. sh spins first (its tables made), then execs.
 */
/*
 * Whether process pid holds a perf-event BPF link (its sampler attached),
 * read from its descriptors' fdinfo: the kernel's word, not tracetop's.
 */
static bool sampler_attached(pid_t pid)
{
	char dir[64], path[320], buf[512];
	struct dirent *d;
	bool found = false;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", (int)pid);
	dp = opendir(dir);
	while (dp && !found && (d = readdir(dp))) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		f = fopen(path, "r");
		while (f && !found && fgets(buf, sizeof(buf), f))
			found = !strcmp(buf, "link_type:\tperf\n");
		if (f)
			fclose(f);
	}
	if (dp)
		closedir(dp);
	return found;
}

/*
 * The sampler's load can take a second (the verifier on 6.18.44 needs
 * 0.9 s for it): sh spins only once it is attached, or its samples
 * before the exec would be none.
 */
static void wait_sampler(pid_t pid)
{
	long long end = ih_now_ms() + ih_ms(20000);

	while (!sampler_attached(pid) && ih_now_ms() < end)
		usleep(20000);
	ck_assert_msg(sampler_attached(pid),
		      "tracetop --profile: no perf-event link after 20 s");
}

START_TEST(test_exec_renews_tables)
{
	/* dd takes the first go byte: spin, once tracetop samples */
	char spin[] = "echo pid $$; dd bs=1 count=1 status=none >/dev/null; "
		      "i=0; while [ $i -lt 600000 ]; do "
		      "i=$((i+1)); done; exec \"$0\" 3";
	char wlpath[256];
	char *argv[] = { "sh", "-c", spin, wlpath, NULL };
	char *tt[12], *line, *folded = NULL, errbuf[4096] = "";
	struct ih_wl *wl;
	struct ih_proc *p;
	struct split s;
	size_t len = 0;
	ssize_t r;
	double k, c, shs = 0;
	int code;

	snprintf(wlpath, sizeof(wlpath), "%s/wl-profile",
		 ih_env("WL", "build"));
	wl = ih_wl_start_argv(argv);
	tt[0] = (char *)ih_tracetop();
	tt[1] = "--profile";
	tt[2] = "7";
	tt[3] = "-p";
	tt[4] = wl->pidlist;
	tt[5] = "--profile-hz";
	tt[6] = HZ;
	tt[7] = NULL;
	p = ih_spawn(tt, false, true, -1);
	wait_sampler(p->pid);
	ih_wl_go(wl);
	/* wl-profile, once sh execs it, says its pid (the same) again */
	line = ih_wl_line(wl, NULL, ih_ms(20000));
	ck_assert_msg(line && !strncmp(line, "pid ", 4), "no exec: %s", line);
	free(line);
	ih_wl_go(wl);
	ih_wl_finish(wl, NULL, 20000);
	while ((line = ih_readline(p, ih_ms(20000)))) {
		size_t l = strlen(line);

		folded = ih_xrealloc(folded, len + l + 2);
		memcpy(folded + len, line, l);
		len += l;
		folded[len++] = '\n';
		folded[len] = 0;
		/* the process keeps the name it had at its first sample */
		if (!strstr(line, ";spin_"))
			shs += atof(strrchr(line, ' ') + 1);
		free(line);
	}
	code = ih_wait(p, ih_ms(20000));
	r = read(p->err, errbuf, sizeof(errbuf) - 1);
	errbuf[r > 0 ? r : 0] = 0;
	ih_proc_free(p);
	ck_assert_msg(code == 0, "tracetop exited %d: %s", code, errbuf);
	ck_assert_msg(folded, "no stacks");
	ck_assert_msg(shs > 100, "only %.0f samples of sh before the exec",
		      shs);
	tally(folded, &s);
	ck_assert_msg(s.a + s.b > 1000, "only %.0f samples of wl-profile: %s",
		      s.a + s.b, errbuf);
	ck_assert_msg(!s.bad_chains,
		      "%d samples with a wrong chain after the exec, e.g. %s",
		      s.bad_chains, s.bad);
	ck_assert_msg(unwound(errbuf, &k, &c) && k >= 0.8 * (k + c),
		      "the kernel unwound too few: %s", errbuf);
	free(folded);
	ih_wl_free(wl);
}
END_TEST

/* the same from -j snapshots: each process's top stacks */
START_TEST(test_json_stacks)
{
	struct ih_wl *wl = ih_wl_start("profile", "4", NULL);
	struct ih_tt *tt = ih_tt_start(wl->pidlist, "--profile-hz", HZ, NULL);
	struct split s = { 0 };
	const cJSON *res;

	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 20000);
	ih_tt_wait_exited(tt, wl->pids, 1, 10000);
	ih_tt_stop(tt);
	/* each snapshot's stacks as folded lines, then as above */
	for (size_t i = 0; i < tt->n; i++) {
		const cJSON *p = ih_snap_proc(tt->snaps[i], wl->pids[0]);
		const cJSON *st, *e;
		char buf[8192];
		struct split one;

		st = p ? ih_path(p, "profile.stacks") : NULL;
		buf[0] = 0;
		cJSON_ArrayForEach(e, st)
		{
			const cJSON *fr = cJSON_GetObjectItem(e, "frames");
			const cJSON *mo = cJSON_GetObjectItem(e, "modules");
			int nk = (int)ih_num(e, "kernel_frames");
			int n = cJSON_GetArraySize(fr);
			size_t off = strlen(buf);

			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
						"wl-profile");
			for (int k = 0; k < n; k++) {
				const char *name =
					cJSON_GetArrayItem(fr, k)->valuestring;
				const char *mod =
					cJSON_GetArrayItem(mo, k)->valuestring;

				if (!strcmp(name, "spin_a"))
					ck_assert_str_eq(mod, "wl-profile");
				off += (size_t)snprintf(
					buf + off, sizeof(buf) - off, ";%s%s",
					name, k >= n - nk ? "_[k]" : "");
			}
			snprintf(buf + off, sizeof(buf) - off, " %.0f\n",
				 ih_num(e, "count"));
		}
		tally(buf, &one);
		s.a += one.a;
		s.b += one.b;
		s.other += one.other;
		s.total += one.total;
		s.bad_chains += one.bad_chains;
		if (one.bad_chains)
			memcpy(s.bad, one.bad, sizeof(s.bad));
	}
	check_split(&s, res, "-j");
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* perf's share of the top functions, from `perf report` */
static double perf_share(const char *report, const char *sym)
{
	const char *p = report;

	while ((p = strstr(p, sym))) {
		const char *l = p;

		while (l > report && l[-1] != '\n')
			l--;
		/* "    74.91%  wl-profile  wl-profile  [.] spin_a" */
		if (p[strlen(sym)] == '\n' || p[strlen(sym)] == ' ')
			return atof(l);
		p++;
	}
	return -1;
}

START_TEST(test_perf_agrees)
{
	struct ih_wl *wl = ih_wl_start("profile", "6", NULL);
	char data[64], *out = NULL, *err = NULL, *folded;
	char *rec[] = { "perf", "record", "-q", "-F", HZ,
			"-g",	"-o",	  data, "-p", wl->pidlist,
			"--",	"sleep",  "3",	NULL };
	char *rep[] = { "perf",		 "report", "-i",  data, "--stdio",
			"--no-children", "--sort", "sym", "-q", NULL };
	struct ih_proc *perf;
	struct split s;
	double pa, pb;
	int code;

	ck_assert_msg(access("/usr/bin/perf", X_OK) == 0,
		      "perf is not installed (Debian's linux-perf)");
	snprintf(data, sizeof(data), "/tmp/tt-perf-%d.data", getpid());
	ih_wl_go(wl);
	usleep(300000);
	perf = ih_spawn(rec, false, false, -1);
	folded = profile_run("3", wl->pidlist, NULL);
	ck_assert_msg(ih_wait(perf, ih_ms(20000)) == 0, "perf record failed");
	ih_proc_free(perf);
	ih_wl_finish(wl, NULL, 20000);
	code = ih_run(rep, ih_ms(60000), &out, &err);
	unlink(data);
	ck_assert_msg(code == 0, "perf report: %s", err);
	pa = perf_share(out, "spin_a");
	pb = perf_share(out, "spin_b");
	ck_assert_msg(pa > 0 && pb > 0, "perf report has no spin_a/spin_b:\n%s",
		      out);
	tally(folded, &s);
	/* the same two top functions, in the same order, the same shares */
	ck_assert_msg(pa > pb, "perf: spin_a %.1f %% < spin_b %.1f %%", pa, pb);
	ck_assert_msg(fabs(s.a / s.total * 100 - pa) <= POINTS &&
			      fabs(s.b / s.total * 100 - pb) <= POINTS,
		      "tracetop spin_a %.1f %%, spin_b %.1f %%; perf %.1f %%, "
		      "%.1f %%",
		      s.a / s.total * 100, s.b / s.total * 100, pa, pb);
	free(folded);
	free(out);
	free(err);
	ih_wl_free(wl);
}
END_TEST

/* does the kernel have a function of this name (its own symbol table) */
static bool kernel_has(const char *name)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "grep -q ' %s$' /proc/kallsyms", name);
	return system(cmd) == 0;
}

/* the chain through the kernel's read path, every name in kallsyms */
START_TEST(test_syscall_path_symbols)
{
	static const char *const want[] = { "do_syscall_64", "ksys_read",
					    "vfs_read", "read_zero" };
	struct ih_wl *wl = ih_wl_start("readzero", "5", NULL);
	char *folded, *save, *line;
	double with = 0, total = 0;

	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		ck_assert_msg(kernel_has(want[i]),
			      "this kernel has no %s: the test needs updating",
			      want[i]);
	ih_wl_go(wl);
	usleep(200000);
	folded = profile_run("2", wl->pidlist, NULL);
	for (line = strtok_r(folded, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct fline f;
		int u;

		if (!parse_folded(line, &f))
			continue;
		total += f.count;
		u = user_leaf(&f);
		/* main -> read (libc) -> entry_SYSCALL_64... -> ... */
		if (u < 2 || strcmp(f.frames[u], "read") ||
		    strcmp(f.frames[u - 1], "main") || u + 5 >= f.n ||
		    strncmp(f.frames[u + 1], "entry_SYSCALL_64", 16))
			continue;
		/* in this order from the entry; deeper frames may follow
		 * (an interrupt, a page fault) */
		for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++) {
			char k[64];

			snprintf(k, sizeof(k), "%s_[k]", want[i]);
			if (strcmp(f.frames[u + 2 + i], k))
				goto next;
		}
		with += f.count;
	next:;
	}
	/* a 1 MiB read is mostly zeroing; the rest: the call's way in and
	 * out, any tracer's programs on it, interrupts */
	ck_assert_msg(total > 200 && with > 0.5 * total,
		      "%.0f of %.0f samples in main -> read -> "
		      "entry_SYSCALL_64 -> do_syscall_64 -> ksys_read -> "
		      "vfs_read -> read_zero",
		      with, total);
	free(folded);
	ih_wl_finish(wl, NULL, 20000);
	ih_wl_free(wl);
}
END_TEST

/* B: thread states and off-CPU chains of wl-blockstates */
START_TEST(test_thread_state_shares)
{
	static const char *const st[] = { "running_ns", "runnable_ns",
					  "sleeping_ns", "blocked_ns" };
	struct ih_wl *wl = ih_wl_start("blockstates", "5", NULL);
	struct ih_tt *tt = ih_tt_start(wl->pidlist, NULL);
	const cJSON *res, *first, *last;
	double got[4], want[4], sum = 0, wall;

	first = ih_snap_proc(tt->snaps[0], wl->pids[0]);
	ck_assert_msg(first, "the workload is not in the first snapshot");
	ih_wl_go(wl);
	res = ih_wl_finish(wl, tt, 30000);
	ih_tt_wait_exited(tt, wl->pids, 1, 10000);
	ih_tt_stop(tt);
	last = ih_tt_exited(tt, wl->pids[0]);
	for (int i = 0; i < 4; i++) {
		char path[32];

		snprintf(path, sizeof(path), "sched.%s", st[i]);
		got[i] = ih_num(last, path) - ih_num(first, path);
		sum += got[i];
	}
	/* the kernel's own run and run-queue time, the workload's clock
	 * around its vforks; sleeping is the rest of its wall time */
	wall = ih_num(res, "wall_ns");
	want[0] = ih_num(res, "sched_run_ns") / wall * 100;
	want[1] = ih_num(res, "sched_wait_ns") / wall * 100;
	want[3] = ih_num(res, "vfork_ns") / wall * 100;
	want[2] = 100 - want[0] - want[1] - want[3];
	ck_assert_msg(fabs(sum - wall) < 0.1 * wall,
		      "states add up to %.0f ns, the workload ran %.0f ns", sum,
		      wall);
	for (int i = 0; i < 4; i++)
		ck_assert_msg(fabs(got[i] / sum * 100 - want[i]) <= POINTS,
			      "%s: %.1f %%, expected %.1f %% (running %.1f, "
			      "runnable %.1f, sleeping %.1f, blocked %.1f)",
			      st[i], got[i] / sum * 100, want[i],
			      got[0] / sum * 100, got[1] / sum * 100,
			      got[2] / sum * 100, got[3] / sum * 100);
	ih_tt_free(tt);
	ih_wl_free(wl);
}
END_TEST

/* kernel functions of the waits: names change between kernels (6.18's
 * pipe reads are anon_pipe_read), so any of these, as kallsyms has them */
static const char *any_kernel(const char *const *names)
{
	for (; *names; names++)
		if (kernel_has(*names))
			return *names;
	return NULL;
}

START_TEST(test_offcpu_chains)
{
	static const char *const sleeping[] = { "do_nanosleep", NULL };
	static const char *const reading[] = { "anon_pipe_read", "pipe_read",
					       NULL };
	static const char *const vforking[] = { "kernel_clone", "_do_fork",
						NULL };
	static const struct {
		const char *user, *const *kernel, *res;
	} waits[] = {
		{ "main;do_sleep;", sleeping, "sleep_ns" },
		{ "main;do_read;", reading, "read_ns" },
		{ "main;do_vfork;", vforking, "vfork_ns" },
	};
	struct ih_wl *wl = ih_wl_start("blockstates", "7", NULL);
	double got[3] = { 0 }, want_sum = 0, total = 0;
	bool kseen[3] = { false };
	const char *kname[3];
	char *folded, *save, *line;
	const cJSON *res;

	for (int i = 0; i < 3; i++)
		ck_assert_msg((kname[i] = any_kernel(waits[i].kernel)),
			      "this kernel has no %s", waits[i].kernel[0]);
	ih_wl_go(wl);
	usleep(300000);
	folded = profile_run("4", wl->pidlist, "--off-cpu");
	res = ih_wl_finish(wl, NULL, 30000);
	for (line = strtok_r(folded, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strrchr(line, ' '), k[96];
		double ns = sp ? atof(sp + 1) : 0;

		total += ns;
		/* complete chains, from _start */
		if (strncmp(line, "wl-blockstates;_start;", 22))
			continue;
		for (int i = 0; i < 3; i++) {
			if (!strstr(line, waits[i].user))
				continue;
			got[i] += ns;
			snprintf(k, sizeof(k), ";%s_[k];", kname[i]);
			kseen[i] = kseen[i] || strstr(line, k);
		}
	}
	for (int i = 0; i < 3; i++)
		want_sum += ih_num(res, waits[i].res);
	ck_assert_msg(total > 1e9, "only %.0f ns off the CPU in 4 s", total);
	for (int i = 0; i < 3; i++) {
		double want = ih_num(res, waits[i].res) / want_sum * 100;

		ck_assert_msg(kseen[i], "no %s chain through %s", waits[i].user,
			      kname[i]);
		ck_assert_msg(fabs(got[i] / total * 100 - want) <= POINTS,
			      "%s: %.1f %% of the time off the CPU, the "
			      "workload measured %.1f %%",
			      waits[i].user, got[i] / total * 100, want);
	}
	free(folded);
	ih_wl_free(wl);
}
END_TEST

Suite *integ_profile_suite(void)
{
	Suite *s = suite_create("integ_profile");
	TCase *tc = ih_tcase(s, "profile", 120);

	tcase_add_test(tc, test_folded_shares_and_chains);
	tcase_add_test(tc, test_folded_user_unwinding);
	tcase_add_test(tc, test_exec_renews_tables);
	tcase_add_test(tc, test_json_stacks);
	tcase_add_test(tc, test_perf_agrees);
	tcase_add_test(tc, test_syscall_path_symbols);
	tcase_add_test(tc, test_thread_state_shares);
	tcase_add_test(tc, test_offcpu_chains);
	return s;
}
