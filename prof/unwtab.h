/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * unwtab.h - the rows the kernel unwinds user stacks with (the ABI is in
 * bpf/profile.h): a module's .eh_frame read with elfutils' libdw, its
 * rules reduced to rows of "CFA = rsp or rbp + n; the return address at
 * CFA - 8; rbp saved at CFA + m" (unwplace.h puts them in the kernel).
 *
 * The file is never trusted: a truncated or corrupt one gives an error or
 * fewer rows, never a read out of bounds (tests/fuzz/fuzz_elf.c).
 * What the rows cannot say (a CFA computed by an expression other than the
 * PLT's, a register restored from elsewhere) is a TT_UNW_NONE row: the
 * kernel stops there and the sample is unwound the old way, in user space
 * (unwind.h), from a copy of its stack.
 */
#ifndef TT_UNWTAB_H
#define TT_UNWTAB_H

#include <stdint.h>
#include <linux/types.h>
#include <libelf.h>
#include "bpf/profile.h"

#define TT_UNWTAB_MAX_FILE_ROWS (1u << 21) /* rows of one file, at most */

/*
 * The rows of one ELF file's .eh_frame, found through its search table
 * (PT_GNU_EH_FRAME), by address, at most max. *out is malloc'ed. 0, or a
 * negative errno: -ENOENT no CFI or no search table, -ENOTSUP a table
 * encoding other than the usual, -ERANGE code above 4 GiB, -E2BIG more
 * than max rows, -ENOMEM.
 */
int tt_unwtab_build(Elf *elf, struct tt_unw_row **out, uint32_t *n,
		    uint32_t max);
/* The same from a file's bytes (tests, the fuzzer). */
int tt_unwtab_build_mem(const void *data, size_t len, struct tt_unw_row **out,
			uint32_t *n, uint32_t max);

/* The row in force at vaddr (rows by pc), or NULL before the first. */
const struct tt_unw_row *tt_unwtab_find(const struct tt_unw_row *rows,
					uint32_t n, uint64_t vaddr);

#endif
