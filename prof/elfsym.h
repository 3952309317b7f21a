/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * elfsym.h - what the profiler needs from one ELF file, read with libelf:
 * its function symbols (.symtab, else .dynsym), its build-id, its
 * .gnu_debuglink and its loadable segments (to turn a file offset into
 * the address the symbols use).
 *
 * The file is never trusted: a truncated or corrupt file gives an error
 * or fewer symbols, never a read out of bounds (tests/fuzz/fuzz_elf.c).
 * Everything is copied out, so the file can be closed after loading.
 */
#ifndef TT_ELFSYM_H
#define TT_ELFSYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TT_BUILD_ID_MAX	 40 /* bytes; GNU build-ids are 20 */
#define TT_ELF_MAX_SEGS	 16
#define TT_DEBUGLINK_MAX 256

struct tt_elf_seg {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags; /* PF_X, PF_W, PF_R */
};

struct tt_esym {
	uint64_t addr;
	uint32_t size;
	uint32_t name; /* offset in names */
};

struct tt_elfsym {
	uint16_t type;	 /* ET_EXEC, ET_DYN, ... */
	bool has_symtab; /* a full .symtab, not only .dynsym */
	uint32_t build_id_len;
	uint8_t build_id[TT_BUILD_ID_MAX];
	char debuglink[TT_DEBUGLINK_MAX]; /* "" when none */
	uint32_t debuglink_crc;
	uint32_t nseg;
	struct tt_elf_seg seg[TT_ELF_MAX_SEGS]; /* PT_LOAD, in file order */
	uint32_t nsyms;
	struct tt_esym *syms; /* by address; one name per address */
	char *names;
	size_t bytes; /* memory held, for the caches' bounds */
};

/* Limits against hostile files: more is cut (and stays correct, fewer). */
#define TT_ELF_MAX_SYMS	      (1u << 21)
#define TT_ELF_MAX_NAME_BYTES ((size_t)32 << 20)

/*
 * 0, or a negative errno: -ENOEXEC not ELF (or corrupt), -ENOMEM. Without
 * symbols, only the headers (type, segments, build-id, debuglink,
 * has_symtab): what unwinding needs, for a fraction of the memory.
 */
int tt_elfsym_load_fd(int fd, bool symbols, struct tt_elfsym **out);
/* The same from memory (tests, the vDSO, the fuzzer); data is copied. */
int tt_elfsym_load_mem(const void *data, size_t len, struct tt_elfsym **out);
void tt_elfsym_free(struct tt_elfsym *e);

/* The symbol containing vaddr, or NULL; *off is vaddr - its start. */
const char *tt_elfsym_lookup(const struct tt_elfsym *e, uint64_t vaddr,
			     uint64_t *off);

/*
 * The link-time address of a byte at file offset off, through the PT_LOAD
 * segment that holds it; false when no segment does.
 */
bool tt_elfsym_off_to_vaddr(const struct tt_elfsym *e, uint64_t off,
			    uint64_t *vaddr);

/*
 * The load bias of a mapping of this file that starts at map_start with
 * file offset map_off: runtime address = link-time address + bias. 0 for
 * ET_EXEC. false when no segment covers map_off.
 */
bool tt_elfsym_bias(const struct tt_elfsym *e, uint64_t map_start,
		    uint64_t map_off, uint64_t *bias);

#endif
