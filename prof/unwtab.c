// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * unwtab.c - .eh_frame to rows (libdw interprets the CFI, this file only
 * classifies each address range's rule), and their placement per module.
 */
#include <dwarf.h>
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <elfutils/libdw.h>
#include "prof/unwtab.h"

#define DW_RSP 7
#define DW_RBP 6
#define DW_RIP 16

/* ---- one file's rows -------------------------------------------------------
 */

struct rowbuf {
	struct tt_unw_row *v;
	uint32_t n, cap, max;
	int err;
};

static bool row_same(const struct tt_unw_row *a, const struct tt_unw_row *b)
{
	return a->kind == b->kind && a->cfa == b->cfa && a->rbp == b->rbp;
}

/* a row from pc on; merged into the one before when the rule is the same */
static void emit(struct rowbuf *b, uint64_t pc, struct tt_unw_row r)
{
	struct tt_unw_row *last = b->n ? &b->v[b->n - 1] : NULL;

	if (b->err)
		return;
	if (pc > UINT32_MAX) {
		b->err = -ERANGE;
		return;
	}
	r.pc = (uint32_t)pc;
	if (last && pc < last->pc) /* overlapping entries: keep the first */
		return;
	if (last && row_same(last, &r))
		return;
	if (last && last->pc == pc) {
		*last = r;
		return;
	}
	if (b->n == b->max) {
		b->err = -E2BIG;
		return;
	}
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 1024;
		void *v = reallocarray(b->v, cap, sizeof(*b->v));

		if (!v) {
			b->err = -ENOMEM;
			return;
		}
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = r;
}

/* ops is "CFA + off" (how libdw gives an offset(N) rule) */
static bool cfa_plus(const Dwarf_Op *ops, size_t nops, int64_t *off)
{
	if (nops == 1 && ops[0].atom == DW_OP_call_frame_cfa) {
		*off = 0;
		return true;
	}
	if (nops == 2 && ops[0].atom == DW_OP_call_frame_cfa &&
	    ops[1].atom == DW_OP_plus_uconst) {
		*off = (int64_t)ops[1].number;
		return true;
	}
	return false;
}

/*
 * The PLT's CFA, the one expression every x86-64 linker writes for .plt:
 * rsp + 8, + 8 more past the push in the entry's second half,
 * DW_OP_breg7 8; DW_OP_breg16 0; lit15; and; lit11; ge; lit3; shl; plus.
 */
static bool is_plt(const Dwarf_Op *o, size_t n)
{
	static const uint8_t want[] = { DW_OP_breg7, DW_OP_breg16, DW_OP_lit15,
					DW_OP_and,   DW_OP_lit11,  DW_OP_ge,
					DW_OP_lit3,  DW_OP_shl,	   DW_OP_plus };

	if (n != sizeof(want))
		return false;
	for (size_t i = 0; i < n; i++)
		if (o[i].atom != want[i])
			return false;
	return o[0].number == 8 && o[1].number == 0;
}

static struct tt_unw_row classify(Dwarf_Frame *f, int ra)
{
	static const struct tt_unw_row none = { .kind = TT_UNW_NONE };
	struct tt_unw_row r = none;
	Dwarf_Op mem[3], *ops;
	size_t nops;
	int64_t off;

	if (ra != DW_RIP || dwarf_frame_register(f, DW_RIP, mem, &ops, &nops))
		return none;
	if (!nops && ops) { /* undefined: nobody called this frame */
		r.kind = TT_UNW_LAST;
		return r;
	}
	if (!cfa_plus(ops, nops, &off) || off != -8)
		return none;

	if (dwarf_frame_cfa(f, &ops, &nops) || !nops)
		return none;
	if (nops == 1 && ops[0].atom == DW_OP_bregx &&
	    (ops[0].number == DW_RSP || ops[0].number == DW_RBP)) {
		off = (int64_t)ops[0].number2;
		if (off % 8 || off / 8 < INT16_MIN || off / 8 > INT16_MAX)
			return none;
		r.kind = ops[0].number == DW_RSP ? TT_UNW_RSP : TT_UNW_RBP;
		r.cfa = (int16_t)(off / 8);
	} else if (is_plt(ops, nops)) {
		r.kind = TT_UNW_PLT;
	} else {
		return none;
	}

	if (dwarf_frame_register(f, DW_RBP, mem, &ops, &nops))
		return none;
	if (nops) { /* else the same value (or lost): rbp stays as it is */
		if (!cfa_plus(ops, nops, &off) || off % 8 || off >= 0 ||
		    off / 8 < INT8_MIN)
			return none;
		r.rbp = (int8_t)(off / 8);
	}
	return r;
}

/* the start of every FDE, from .eh_frame_hdr's sorted search table */
static int fde_starts(Elf *elf, uint64_t **out, uint32_t *n)
{
	const unsigned char *raw, *h;
	size_t flen, phn;
	GElf_Phdr ph;
	bool found = false;
	uint32_t count;
	uint64_t *v;

	if (elf_getphdrnum(elf, &phn))
		return -ENOENT;
	for (size_t i = 0; i < phn && i < 4096 && !found; i++)
		found = gelf_getphdr(elf, (int)i, &ph) &&
			ph.p_type == PT_GNU_EH_FRAME;
	raw = (const unsigned char *)elf_rawfile(elf, &flen);
	if (!found || !raw || ph.p_offset > flen ||
	    ph.p_filesz > flen - ph.p_offset || ph.p_filesz < 12)
		return -ENOENT;
	h = raw + ph.p_offset;
	/* version 1; eh_frame_ptr 4 bytes; count udata4; table datarel
	 * sdata4 pairs (initial location, FDE): what GNU ld, gold, lld and
	 * mold all write */
	if (h[0] != 1 || ((h[1] & 0x0f) != 0x03 && (h[1] & 0x0f) != 0x0b) ||
	    h[2] != 0x03 || h[3] != 0x3b)
		return -ENOTSUP;
	memcpy(&count, h + 8, 4);
	if (count > (ph.p_filesz - 12) / 8)
		return -ENOENT;
	v = malloc(((size_t)count + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++) {
		int32_t rel;

		memcpy(&rel, h + 12 + (size_t)i * 8, 4);
		v[i] = ph.p_vaddr + (uint64_t)(int64_t)rel;
	}
	*out = v;
	*n = count;
	return 0;
}

/* the ranges of one FDE, from start up to (not including) lim */
static void fde_rows(Dwarf_CFI *cfi, struct rowbuf *b, uint64_t start,
		     uint64_t lim)
{
	static const struct tt_unw_row none = { .kind = TT_UNW_NONE };
	uint64_t pc = start;

	while (pc < lim && !b->err) {
		Dwarf_Frame *f;
		Dwarf_Addr lo, hi;
		int ra;

		if (dwarf_cfi_addrframe(cfi, pc, &f))
			break;
		ra = dwarf_frame_info(f, &lo, &hi, NULL);
		emit(b, pc, classify(f, ra));
		free(f);
		if (hi <= pc)
			break;
		pc = hi;
	}
	if (pc < lim) /* a gap no FDE covers: nothing to follow there */
		emit(b, pc, none);
}

int tt_unwtab_build(Elf *elf, struct tt_unw_row **out, uint32_t *n,
		    uint32_t max)
{
	struct rowbuf b = { .max = max };
	Dwarf_CFI *cfi;
	uint64_t *starts;
	uint32_t ns;
	int e;

	*out = NULL;
	*n = 0;
	e = fde_starts(elf, &starts, &ns);
	if (e)
		return e;
	cfi = ns ? dwarf_getcfi_elf(elf) : NULL;
	if (!cfi) {
		free(starts);
		return -ENOENT;
	}
	for (uint32_t i = 0; i < ns && !b.err; i++) {
		if (i && starts[i] < starts[i - 1])
			continue; /* not sorted: not trusted */
		fde_rows(cfi, &b, starts[i],
			 i + 1 < ns ? starts[i + 1] : UINT64_MAX);
	}
	dwarf_cfi_end(cfi);
	free(starts);
	if (!b.err && !b.n)
		b.err = -ENOENT;
	if (b.err) {
		free(b.v);
		return b.err;
	}
	*out = b.v;
	*n = b.n;
	return 0;
}

int tt_unwtab_build_mem(const void *data, size_t len, struct tt_unw_row **out,
			uint32_t *n, uint32_t max)
{
	Elf *elf;
	int e;

	elf_version(EV_CURRENT);
	elf = elf_memory((char *)data, len);
	*out = NULL;
	*n = 0;
	if (!elf)
		return -ENOENT;
	e = tt_unwtab_build(elf, out, n, max);
	elf_end(elf);
	return e;
}

const struct tt_unw_row *tt_unwtab_find(const struct tt_unw_row *rows,
					uint32_t n, uint64_t vaddr)
{
	uint32_t lo = 0, hi = n;

	while (lo < hi) { /* the first row past vaddr */
		uint32_t mid = lo + (hi - lo) / 2;

		if (rows[mid].pc <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &rows[lo - 1] : NULL;
}
