/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ksym.h - kernel symbols from /proc/kallsyms, in two passes to keep
 * memory low: the first keeps only each function's address, its line in
 * the file and its module (1.5 MB for 120,000 symbols instead of 4.5 MB
 * with their names); names are fetched later, for the symbols a profile
 * actually hit, in one more pass for all of them at once.
 */
#ifndef TT_KSYM_H
#define TT_KSYM_H

#include <stddef.h>
#include <stdint.h>

struct tt_ksyms;

/* NULL with a negative errno in *err when the file cannot be read. */
struct tt_ksyms *tt_ksyms_load(const char *path, int *err);
void tt_ksyms_free(struct tt_ksyms *k);

/* Functions known (0 when kallsyms hides addresses: kptr_restrict). */
size_t tt_ksyms_count(const struct tt_ksyms *k);

/*
 * The index of the function holding addr (until the next function), or
 * -1; *module is "[kernel]" or the module's "[name]".
 */
long tt_ksyms_find(const struct tt_ksyms *k, uint64_t addr,
		   const char **module);
uint64_t tt_ksyms_addr(const struct tt_ksyms *k, long idx);

/*
 * One pass over the file: cb(ctx, idx[i], name) for each index, with the
 * name on its line (or NULL when the file changed under us: a module
 * loaded or unloaded). Returns 0 or a negative errno.
 */
int tt_ksyms_names(const struct tt_ksyms *k, const long *idx, size_t n,
		   void (*cb)(void *ctx, long idx, const char *name),
		   void *ctx);

#endif
