/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * model_fixture.h - a model over a fake /proc in a temporary folder, fed
 * through its sink as the collector feeds it: the snapshot tests'
 * fixture (test_snapshot.c, test_snapshot_exits.c). One model at a time:
 * mf_setup() or mf_setup_with() makes it, mf_teardown() frees it and the
 * folder.
 */
#ifndef TT_MODEL_FIXTURE_H
#define TT_MODEL_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include "model/model.h"

extern char mf_root[64]; /* the fake /proc */
extern struct tt_model *mf_model;
extern const struct tt_sink *mf_sink;
/* keys the model told the collector to forget, the first 16 */
extern struct tt_key mf_forgotten[16];
extern int mf_nforgotten;

/* /proc/PID/{stat,status,cmdline,cgroup} of a process */
void mf_fake_proc(uint32_t pid, const char *comm, char state,
		  uint32_t starttime, unsigned utime, uint32_t uid);
void mf_rm_proc(uint32_t pid);
/* count calls of syscall nr, errors of them failed, each lat_ns long */
void mf_feed_sc(uint32_t pid, uint32_t gen, uint32_t nr, uint64_t count,
		uint64_t errors, uint64_t lat_ns);
/* the exit record as the collector offers it: true, taken in this read */
bool mf_offer_exit(uint32_t pid, uint32_t gen, const char *comm, bool may_wait);
/* the same, and it must be taken */
void mf_feed_exit(uint32_t pid, uint32_t gen, const char *comm);
/* the snapshot at monotonic time t */
struct tt_snapshot *mf_build(double t);

/* a model with opts extra (NULL: every user, scheduler probes on) */
void mf_setup_with(const struct tt_model_opts *extra);
void mf_setup(void);
void mf_teardown(void);

#endif
