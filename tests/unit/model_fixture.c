// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * model_fixture.c - a model over a fake /proc, fed as the collector feeds
 * it: what the snapshot tests share (model_fixture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <check.h>
#include "model_fixture.h"

char mf_root[64];
struct tt_model *mf_model;
const struct tt_sink *mf_sink;
struct tt_key mf_forgotten[16];
int mf_nforgotten;

void mf_fake_proc(uint32_t pid, const char *comm, char state,
		  uint32_t starttime, unsigned utime, uint32_t uid)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u", mf_root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%u/stat", mf_root, pid);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"%u (%s) %c 1 %u %u 0 -1 4194304 0 0 0 0 %u 0 0 0 20 0 1 0 "
		"%u 1000 25 0 0 0 0\n",
		pid, comm, state, pid, pid, utime, starttime);
	fclose(f);
	snprintf(path, sizeof(path), "%s/%u/status", mf_root, pid);
	f = fopen(path, "w");
	fprintf(f, "Name:\t%s\nUid:\t%u\t%u\t%u\t%u\n", comm, uid, uid, uid,
		uid);
	fclose(f);
	snprintf(path, sizeof(path), "%s/%u/cmdline", mf_root, pid);
	f = fopen(path, "w");
	fprintf(f, "%s%c--flag%c", comm, 0, 0);
	fclose(f);
	snprintf(path, sizeof(path), "%s/%u/cgroup", mf_root, pid);
	f = fopen(path, "w");
	fprintf(f, "0::/system.slice/%s.service\n", comm);
	fclose(f);
}

void mf_rm_proc(uint32_t pid)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/%u", mf_root, pid);
	ck_assert_int_eq(system(cmd), 0);
}

static void mf_forget(void *ctx, const struct tt_key *k)
{
	if (mf_nforgotten < 16)
		mf_forgotten[mf_nforgotten++] = *k;
}

void mf_feed_sc(uint32_t pid, uint32_t gen, uint32_t nr, uint64_t count,
		uint64_t errors, uint64_t lat_ns)
{
	static struct tt_sc_val v;
	struct tt_sc_key k = { pid, gen, nr, 0 };

	memset(&v, 0, sizeof(v));
	v.count = count;
	v.errors = errors;
	v.total_ns = count * lat_ns;
	v.hist[tt_hist_bucket(lat_ns)] = count;
	mf_sink->on_syscall(mf_sink->ctx, &k, &v);
}

/* the record as the collector offers it: true, taken in this read */
bool mf_offer_exit(uint32_t pid, uint32_t gen, const char *comm, bool may_wait)
{
	struct tt_exit_val e = { .ppid = 1, .uid = 0 };
	struct tt_key k = { pid, gen };

	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	return mf_sink->on_exit(mf_sink->ctx, &k, &e, may_wait);
}

void mf_feed_exit(uint32_t pid, uint32_t gen, const char *comm)
{
	ck_assert(mf_offer_exit(pid, gen, comm, true));
}

struct tt_snapshot *mf_build(double t)
{
	return tt_model_build(mf_model, t, 1700000000.0 + t, mf_forget, NULL);
}

void mf_setup_with(const struct tt_model_opts *extra)
{
	struct tt_model_opts o = { .uid = -1,
				   .have_sched = true,
				   .start_mono = 100.0 };

	if (extra)
		o = *extra;
	snprintf(mf_root, sizeof(mf_root), "/tmp/tt-proc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(mf_root));
	o.proc_root = mf_root;
	o.start_mono = 100.0;
	mf_model = tt_model_new(&o);
	ck_assert_ptr_nonnull(mf_model);
	mf_sink = tt_model_sink(mf_model);
	mf_nforgotten = 0;
}

void mf_setup(void)
{
	mf_setup_with(NULL);
}

void mf_teardown(void)
{
	char cmd[96];

	tt_model_free(mf_model);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", mf_root);
	ck_assert_int_eq(system(cmd), 0);
}
