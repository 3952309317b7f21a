/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ksym.h - kernel symbols from /proc/kallsyms: the text symbols (about
 * 64,000 here, padding symbols left out) with their names, read in one
 * pass on the first kernel address to name (about 50 ms and 2.5 MB). Naming
 * later in batches, one more pass each, cost more: the kernel formats all of
 * kallsyms for every read, tens of ms of system time each time.
 */
#ifndef TT_KSYM_H
#define TT_KSYM_H

#include <stddef.h>
#include <stdint.h>

struct tt_ksyms;

/*
 * From fd, open on /proc/kallsyms (or a copy): the kernel decides at open
 * time, by the opener's privileges, whether it shows the addresses, so the
 * caller opens it before dropping them and keeps it; the file is read
 * from its start. NULL with a negative errno in *err when it cannot be.
 */
struct tt_ksyms *tt_ksyms_load(int fd, int *err);
void tt_ksyms_free(struct tt_ksyms *k);

/* Functions known (0 when kallsyms hides addresses: kptr_restrict). */
size_t tt_ksyms_count(const struct tt_ksyms *k);
size_t tt_ksyms_bytes(const struct tt_ksyms *k);

/*
 * The function holding addr (until the next function, at most 1 MiB) and
 * its module ("[kernel]", "[ext4]", "[bpf]"); NULL when none.
 */
const char *tt_ksyms_find(const struct tt_ksyms *k, uint64_t addr,
			  const char **module);

#endif
