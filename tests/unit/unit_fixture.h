/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * unit_fixture.h - what the file-writing unit tests (outfile, recording)
 * share: a private temporary folder and a one-process snapshot.
 */
#ifndef TT_UNIT_FIXTURE_H
#define TT_UNIT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include "model/snapshot.h"

/* Make a fresh folder /tmp/PREFIX-XXXXXX in dir (fails the test if not). */
void uf_tmpdir(char *dir, size_t len, const char *prefix);
/* Remove it and all in it. */
void uf_tmpdir_remove(const char *dir);
/* A finished snapshot at time t with one process, pid, named "x". */
struct tt_snapshot *uf_snap(double t, uint32_t pid);

#endif
