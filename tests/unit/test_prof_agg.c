// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_prof_agg.c - counting and reporting in prof/profile.c, the thread
 * states of model/states.c, and their JSON both ways. Samples are made
 * up here with kernel stacks only, named from a kallsyms file written by
 * the test, so every count and line is known in advance.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <cjson/cJSON.h>
#include "model/json.h"
#include "model/json_parse.h"
#include "model/proftree.h"
#include "model/states.h"
#include "prof/profile.h"

static char ksyms[64];

/* three kernel functions, 0x100 bytes each */
#define K_ENTRY 0xffffffff81000010ULL
#define K_READ	0xffffffff81000110ULL
#define K_WAIT	0xffffffff81000210ULL
#define K_SCHED 0xffffffff81000310ULL

static void setup(void)
{
	FILE *f;

	snprintf(ksyms, sizeof(ksyms), "/tmp/tt-ksyms-%d", getpid());
	f = fopen(ksyms, "w");
	ck_assert_ptr_nonnull(f);
	fputs("ffffffff81000000 T entry_SYSCALL_64\n"
	      "ffffffff81000100 T ksys_read\n"
	      "ffffffff81000200 t pipe_wait\n"
	      "ffffffff81000300 T __schedule\n"
	      "ffffffff81000400 T _etext\n",
	      f);
	fclose(f);
}

static void teardown(void)
{
	unlink(ksyms);
}

static struct tt_prof *new_prof(uint32_t max_counts)
{
	struct tt_prof_opts o = { 0 };
	struct tt_prof *p;

	o.sym.kallsyms = ksyms;
	o.max_counts = max_counts;
	o.top_stacks = 2;
	p = tt_prof_new(&o);
	ck_assert_ptr_nonnull(p);
	return p;
}

/* a kernel-thread sample of process (pid, gen) with kernel ips leaf first */
static void sample(struct tt_prof *p, uint32_t pid, const char *comm,
		   const uint64_t *kips, unsigned n)
{
	struct tt_prof_in in = { .pid = pid,
				 .tid = pid,
				 .id = pid,
				 .gen = 7,
				 .comm = comm,
				 .kips = kips,
				 .nkips = n };

	tt_prof_sample(p, &in);
}

static char *folded(struct tt_prof *p, int kind)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_ge(tt_prof_folded(p, kind, f), 0);
	fclose(f);
	return buf;
}

START_TEST(folded_lines_and_counts)
{
	struct tt_prof *p = new_prof(0);
	const uint64_t a[] = { K_READ, K_ENTRY }, b[] = { K_ENTRY };
	char *out;

	for (int i = 0; i < 3; i++)
		sample(p, 10, "cat", a, 2);
	sample(p, 10, "cat", b, 1);
	sample(p, 11, "my;proc x", b, 1);
	out = folded(p, TT_PROF_ONCPU);
	/* heaviest first per process; ';' and ' ' kept out of the root */
	ck_assert_str_eq(out, "cat;entry_SYSCALL_64_[k];ksys_read_[k] 3\n"
			      "cat;entry_SYSCALL_64_[k] 1\n"
			      "my:proc_x;entry_SYSCALL_64_[k] 1\n");
	free(out);
	out = folded(p, TT_PROF_OFFCPU);
	ck_assert_str_eq(out, "");
	free(out);
	tt_prof_free(p);
}
END_TEST

START_TEST(result_top_stacks_and_functions)
{
	struct tt_prof *p = new_prof(0);
	const uint64_t a[] = { K_READ, K_ENTRY }, b[] = { K_ENTRY },
		       c[] = { K_WAIT, K_ENTRY };
	const struct tt_prof_result *r;

	for (int i = 0; i < 5; i++)
		sample(p, 10, "cat", a, 2);
	for (int i = 0; i < 3; i++)
		sample(p, 10, "cat", c, 2);
	sample(p, 10, "cat", b, 1);
	r = tt_prof_take(p);
	ck_assert_uint_eq(r->samples, 9);
	ck_assert_uint_eq(r->nprocs, 1);
	/* all 9 in the total, the top 2 stacks listed */
	ck_assert_uint_eq(r->procs[0].weight[TT_PROF_ONCPU], 9);
	ck_assert_uint_eq(r->procs[0].nstacks[TT_PROF_ONCPU], 2);
	ck_assert_uint_eq(r->procs[0].stacks[TT_PROF_ONCPU][0].weight, 5);
	ck_assert_str_eq(r->procs[0].stacks[TT_PROF_ONCPU][0].frames[1]->name,
			 "ksys_read");
	ck_assert(r->procs[0].stacks[TT_PROF_ONCPU][0].frames[1]->kernel);
	/* entry is in every chain (total 9) and the leaf of one (self 1) */
	ck_assert_str_eq(r->funcs[0].name, "entry_SYSCALL_64");
	ck_assert_uint_eq(r->funcs[0].total, 9);
	ck_assert_uint_eq(r->funcs[0].self, 1);
	ck_assert_str_eq(r->funcs[1].name, "ksys_read");
	ck_assert_uint_eq(r->funcs[1].self, 5);
	/* the interval is closed: the next one starts empty */
	r = tt_prof_take(p);
	ck_assert_uint_eq(r->samples, 0);
	ck_assert_uint_eq(r->nprocs, 0);
	ck_assert_uint_eq(r->stats.samples, 9);
	tt_prof_free(p);
}
END_TEST

START_TEST(full_table_counted_lost)
{
	struct tt_prof *p = new_prof(2);
	const uint64_t a[] = { K_READ }, b[] = { K_WAIT }, c[] = { K_ENTRY };
	const struct tt_prof_result *r;

	sample(p, 10, "x", a, 1);
	sample(p, 10, "x", b, 1);
	sample(p, 10, "x", c, 1); /* a third (process, stack): no room */
	sample(p, 10, "x", a, 1);
	r = tt_prof_take(p);
	ck_assert_uint_eq(r->stats.lost, 1);
	/* the process's total still has it */
	ck_assert_uint_eq(r->procs[0].weight[TT_PROF_ONCPU], 4);
	tt_prof_free(p);
}
END_TEST

START_TEST(offcpu_captures_and_waits)
{
	struct tt_prof *p = new_prof(0);
	/* leaf first: the tracepoint glue above __schedule is cut off */
	const uint64_t s1[] = { K_SCHED, K_WAIT, K_READ, K_ENTRY };
	const uint64_t s2[] = { K_SCHED, K_READ, K_ENTRY };
	struct tt_prof_in in = { .pid = 20,
				 .tid = 21,
				 .id = 20,
				 .gen = 3,
				 .comm = "srv",
				 .kips = s1,
				 .nkips = 4 };
	char *out;

	tt_prof_capture(p, 1, 0, &in);
	in.kips = s2;
	in.nkips = 3;
	tt_prof_capture(p, 2, 0, &in);
	tt_prof_block(p, 1, 20, 3, 20, "srv", 1000);
	tt_prof_block(p, 1, 20, 3, 20, "srv", 500);
	tt_prof_block(p, 2, 20, 3, 20, "srv", 200);
	/* capture 3 replaces 1: 1 is gone; a wait for it is a lost stack */
	tt_prof_capture(p, 3, 1, &in);
	tt_prof_block(p, 1, 20, 3, 20, "srv", 7);
	out = folded(p, TT_PROF_OFFCPU);
	ck_assert_str_eq(
		out,
		"srv;entry_SYSCALL_64_[k];ksys_read_[k];pipe_wait_[k] 1500\n"
		"srv;entry_SYSCALL_64_[k];ksys_read_[k] 200\n"
		"srv;[truncated];[lost stack] 7\n");
	free(out);
	tt_prof_free(p);
}
END_TEST

/* sched.bpf.c's sums into shares: a thread that ran 1 s, waited 0.5 s
 * for a CPU, slept 2 s (one sleep ended, one open since 9 s) and was
 * blocked 0.5 s */
START_TEST(states_from_sums)
{
	struct tt_state_sums v = { 0 };
	struct tt_proc p = { 0 }, q = { 0 };
	const uint64_t s = 1000000000ULL;

	v.oncpu_ns = 1 * s;
	v.runq_ns = s / 2;
	/* a sleep 5 s -> 6 s (ended), one from 9 s still open at 10 s */
	v.sleep_out[TT_SLEEP_S] = 5 * s + 9 * s;
	v.sleep_in[TT_SLEEP_S] = 6 * s;
	v.sleeps[TT_SLEEP_S] = 2;
	v.wakes[TT_SLEEP_S] = 1;
	/* blocked 3 s -> 3.5 s */
	v.sleep_out[TT_SLEEP_D] = 3 * s;
	v.sleep_in[TT_SLEEP_D] = 3 * s + s / 2;
	v.sleeps[TT_SLEEP_D] = v.wakes[TT_SLEEP_D] = 1;
	tt_states_fill(&p, &v, NULL, 10 * s, 10 * s, NULL);
	ck_assert_uint_eq(p.state_ns[TT_ST_RUNNING], s);
	ck_assert_uint_eq(p.state_ns[TT_ST_RUNNABLE], s / 2);
	ck_assert_uint_eq(p.state_ns[TT_ST_SLEEPING], 2 * s);
	ck_assert_uint_eq(p.state_ns[TT_ST_BLOCKED], s / 2);
	ck_assert_double_eq_tol(p.state_pct[TT_ST_SLEEPING], 50.0, 1e-9);
	/* one second on: the open sleep grows; nothing else moved */
	tt_states_fill(&q, &v, NULL, 11 * s, s, &p);
	ck_assert_uint_eq(q.state_ns[TT_ST_SLEEPING], 3 * s);
	ck_assert_double_eq_tol(q.state_pct[TT_ST_SLEEPING], 100.0, 1e-9);
	/* a CPU says the sleeper woke at 10.5 s and runs since 10.6 s:
	 * sleep 2.5 s, not 3; running 1.4 s; never less than before */
	{
		struct tt_cpu_slot slot = { .start = 10 * s + 6 * s / 10,
					    .runq_bucket = 0,
					    .runq_ns = s / 10,
					    .wake_ts = 10 * s + s / 2,
					    .wake_kind = TT_SLEEP_S };
		struct tt_open_slice o = { 0 };
		struct tt_proc r = { 0 };

		tt_states_open_add(&o, &slot, 11 * s);
		tt_states_fill(&r, &v, &o, 11 * s, s, &p);
		ck_assert_uint_eq(r.state_ns[TT_ST_SLEEPING], 2 * s + s / 2);
		ck_assert_uint_eq(r.state_ns[TT_ST_RUNNING], s + 4 * s / 10);
		ck_assert_uint_eq(r.state_ns[TT_ST_RUNNABLE], s / 2 + s / 10);
		tt_states_fill(&q, &v, NULL, 11 * s, s, &r);
		ck_assert_uint_ge(q.state_ns[TT_ST_RUNNING],
				  r.state_ns[TT_ST_RUNNING]);
	}
}
END_TEST

/* a sleep whose wakeup was lost: found while its only thread runs, it
 * counts no more from then on */
START_TEST(states_ghost_sleep)
{
	const uint64_t s = 1000000000ULL;
	struct tt_state_sums v = { 0 };
	struct tt_cpu_slot slot = { .start = 10 * s, .runq_bucket = 128 };
	struct tt_open_slice o = { 0 };
	struct tt_proc a = { .threads = 1 }, b = { .threads = 1 };

	v.sleeps[TT_SLEEP_S] = 1; /* began at 2 s, its end never came */
	v.sleep_out[TT_SLEEP_S] = 2 * s;
	tt_states_open_add(&o, &slot, 12 * s);
	tt_states_fill(&a, &v, &o, 12 * s, 2 * s, NULL);
	ck_assert_uint_eq(a.ghosts[TT_SLEEP_S], 1);
	ck_assert_uint_eq(a.state_ns[TT_ST_SLEEPING], 10 * s);
	memset(&o, 0, sizeof(o));
	tt_states_open_add(&o, &slot, 20 * s);
	tt_states_fill(&b, &v, &o, 20 * s, 8 * s, &a);
	ck_assert_uint_eq(b.state_ns[TT_ST_SLEEPING], 10 * s);
	ck_assert_uint_eq(b.state_ns[TT_ST_RUNNING], 10 * s);
	ck_assert_double_eq_tol(b.state_pct[TT_ST_RUNNING], 100, 1e-9);
}
END_TEST

START_TEST(json_round_trip)
{
	struct tt_snapshot *s = tt_snapshot_new(), *b;
	struct tt_frame f[3] = { { "main", "app", false },
				 { "read", "libc.so.6", false },
				 { "ksys_read", "[kernel]", true } };
	const struct tt_frame *fv[3] = { &f[0], &f[1], &f[2] };
	struct tt_stack st = { 42, 42, 3, true, fv };
	struct tt_stack off = { 5000, 3, 2, false, fv };
	struct tt_pfunc fn = { "read", "libc.so.6", false, 10, 42, 0, 0 };
	struct tt_proc *p;
	char *line, err[128];

	s->schema = TT_SCHEMA;
	s->procs = tt_arena_alloc(&s->arena, sizeof(*s->procs));
	s->nprocs = 1;
	p = &s->procs[0];
	memset(p, 0, sizeof(*p));
	p->pid = 5;
	p->cmdline = p->cgroup = p->top_sc = "";
	p->state_ns[TT_ST_SLEEPING] = 123;
	p->state_pct[TT_ST_SLEEPING] = 75.5;
	p->prof_samples = 42;
	p->stacks = &st;
	p->nstacks = 1;
	p->offcpu_ns = 5000;
	p->offcpu_waits = 3;
	p->offcpu = &off;
	p->noffcpu = 1;
	snprintf(s->prof.status, sizeof(s->prof.status), "on");
	/* thread states are the scheduler's figures: null without it */
	snprintf(s->probes[TT_PROBE_SCHED], sizeof(s->probes[TT_PROBE_SCHED]),
		 "on");
	s->prof.hz = 49;
	s->prof.funcs = &fn;
	s->prof.nfuncs = 1;
	/* losses by cause come back too (replay printed them all 0) */
	s->lost[TT_DROP_TASK_STORAGE] = 1;
	s->lost_total = 1;
	line = tt_json_line(s);
	ck_assert_ptr_nonnull(line);
	b = tt_json_parse(line, strlen(line), err, sizeof(err));
	ck_assert_msg(b, "%s", err);
	p = &b->procs[0];
	ck_assert_uint_eq(p->state_ns[TT_ST_SLEEPING], 123);
	ck_assert_double_eq_tol(p->state_pct[TT_ST_SLEEPING], 75.5, 1e-9);
	ck_assert_uint_eq(p->nstacks, 1);
	ck_assert_uint_eq(p->stacks[0].weight, 42);
	ck_assert(p->stacks[0].truncated);
	ck_assert_str_eq(p->stacks[0].frames[2]->name, "ksys_read");
	ck_assert(p->stacks[0].frames[2]->kernel);
	ck_assert(!p->stacks[0].frames[1]->kernel);
	ck_assert_uint_eq(p->noffcpu, 1);
	ck_assert_uint_eq(p->offcpu[0].events, 3);
	ck_assert_uint_eq(p->offcpu[0].nframes, 2);
	ck_assert_uint_eq(b->prof.nfuncs, 1);
	ck_assert_uint_eq(b->prof.funcs[0].total, 42);
	ck_assert_uint_eq(b->prof.hz, 49);
	{
		char *again = tt_json_line(b);

		/* what a replay shows is what was recorded */
		ck_assert_str_eq(again, line);
		free(again);
	}
	free(line);
	tt_snapshot_unref(b);
	tt_snapshot_unref(s);
}
END_TEST

/* main->work->a (5), main->work->b (3), main->c (2): a flame graph's boxes */
START_TEST(tree_and_neighbours)
{
	struct tt_frame f[5] = { { "main", "app", false },
				 { "work", "app", false },
				 { "a", "app", false },
				 { "b", "app", false },
				 { "c", "app", false } };
	const struct tt_frame *s1[] = { &f[0], &f[1], &f[2] };
	const struct tt_frame *s2[] = { &f[0], &f[1], &f[3] };
	const struct tt_frame *s3[] = { &f[0], &f[4] };
	struct tt_stack st[3] = { { 5, 5, 3, false, s1 },
				  { 3, 3, 3, false, s2 },
				  { 2, 2, 2, true, s3 } };
	struct tt_snapshot *snap = tt_snapshot_new();
	struct tt_pedge *up, *down;
	size_t nup, ndown;
	struct tt_ptree t;
	uint32_t m, w;

	ck_assert_int_eq(tt_ptree_build(st, 3, &t), 0);
	ck_assert_uint_eq(t.n, 6);
	ck_assert_uint_eq(t.v[0].total, 10);
	m = t.v[0].child;
	ck_assert_str_eq(t.v[m].frame->name, "main");
	ck_assert_uint_eq(t.v[m].total, 10);
	ck_assert_uint_eq(t.v[m].self, 0);
	ck_assert(t.v[m].truncated);
	w = t.v[m].child; /* heaviest first */
	ck_assert_str_eq(t.v[w].frame->name, "work");
	ck_assert_uint_eq(t.v[w].total, 8);
	ck_assert_str_eq(t.v[t.v[w].next].frame->name, "c");
	ck_assert_str_eq(t.v[t.v[w].child].frame->name, "a");
	ck_assert_uint_eq(t.v[t.v[w].child].self, 5);
	ck_assert_uint_eq(t.v[t.v[w].child].depth, 3);
	tt_ptree_free(&t);

	snap->procs = tt_arena_alloc(&snap->arena, sizeof(*snap->procs));
	memset(snap->procs, 0, sizeof(*snap->procs));
	snap->nprocs = 1;
	snap->procs[0].stacks = st;
	snap->procs[0].nstacks = 3;
	ck_assert_int_eq(tt_prof_neighbours(snap, "work", "app", &up, &nup,
					    &down, &ndown),
			 0);
	ck_assert_uint_eq(nup, 1);
	ck_assert_str_eq(up[0].name, "main");
	ck_assert_uint_eq(up[0].samples, 8);
	ck_assert_uint_eq(ndown, 2);
	ck_assert_str_eq(down[0].name, "a");
	ck_assert_uint_eq(down[1].samples, 3);
	free(up);
	free(down);
	tt_snapshot_unref(snap);
}
END_TEST

Suite *prof_agg_suite(void)
{
	Suite *s = suite_create("prof_agg");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, folded_lines_and_counts);
	tcase_add_test(tc, result_top_stacks_and_functions);
	tcase_add_test(tc, full_table_counted_lost);
	tcase_add_test(tc, offcpu_captures_and_waits);
	tcase_add_test(tc, states_from_sums);
	tcase_add_test(tc, states_ghost_sleep);
	tcase_add_test(tc, json_round_trip);
	tcase_add_test(tc, tree_and_neighbours);
	suite_add_tcase(s, tc);
	return s;
}
