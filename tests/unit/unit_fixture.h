/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * unit_fixture.h - what the unit tests that write files share: a private
 * temporary folder, files in it and commands run there (outfile,
 * recording, the profiler's ELF tests), a file's bytes, and a one-process
 * snapshot. Each fails the calling test when it cannot do its job.
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
/* Run a shell command made from fmt (the test fails if it fails). */
void uf_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write text to dir/name. */
void uf_put(const char *dir, const char *name, const char *text);
/* A file's bytes, malloc'ed, not NUL-terminated (the parsers under test
 * get none either); *len their count. */
char *uf_slurp(const char *path, size_t *len);
/* A finished snapshot at time t with one process, pid, named "x". */
struct tt_snapshot *uf_snap(double t, uint32_t pid);

#endif
