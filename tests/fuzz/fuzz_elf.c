// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * fuzz_elf.c - libFuzzer target: any bytes as an ELF file for the
 * profiler's symbol reader (prof/elfsym.c) and its unwinding rows
 * (prof/unwtab.c) must load or be refused, and a loaded one must answer
 * lookups, never crash, read out of bounds or leak.
 * `make fuzz` runs it; tests/unit/test_fuzz_inputs.c replays its corpus
 * and crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "prof/elfsym.h"
#include "prof/unwtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_elfsym *e = NULL;
	struct tt_unw_row *rows;
	uint32_t n;
	uint64_t v, off;

	if (!tt_unwtab_build_mem(data, size, &rows, &n, 1u << 20)) {
		tt_unwtab_find(rows, n, 0);
		tt_unwtab_find(rows, n, rows[n - 1].pc);
		free(rows);
	}
	if (tt_elfsym_load_mem(data, size, &e))
		return 0;
	for (uint32_t i = 0; i < e->nsyms && i < 64; i++) {
		tt_elfsym_lookup(e, e->syms[i].addr, &off);
		tt_elfsym_lookup(e, e->syms[i].addr + e->syms[i].size, &off);
	}
	for (uint32_t i = 0; i < e->nseg; i++) {
		tt_elfsym_off_to_vaddr(e, e->seg[i].offset, &v);
		tt_elfsym_bias(e, 0x7f0000000000, e->seg[i].offset & ~0xfffULL,
			       &v);
	}
	tt_elfsym_lookup(e, 0, &off);
	tt_elfsym_lookup(e, UINT64_MAX, &off);
	tt_elfsym_free(e);
	return 0;
}
