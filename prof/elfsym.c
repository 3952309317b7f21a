// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * elfsym.c - one ELF file's function symbols, build-id, debuglink and
 * segments, with libelf. libelf checks that sections lie in the file and
 * that strings end inside their table; what is left to us is to bound
 * every count we take from the file and to copy what we keep.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include "prof/elfsym.h"

/* a symbol while loading: its binding decides which alias wins */
struct raw {
	uint64_t addr;
	uint32_t size;
	uint32_t name;
	uint8_t bind;
};

struct loader {
	struct tt_elfsym *e;
	bool symbols;
	struct raw *v;
	size_t n, cap;
	char *names;
	size_t nlen, ncap;
	bool oom;
};

static void elf_lib_init(void)
{
	static bool done;

	if (!done) {
		elf_version(EV_CURRENT);
		done = true;
	}
}

static uint32_t add_name(struct loader *l, const char *s)
{
	size_t len = strlen(s) + 1;
	uint32_t at;

	if (l->nlen + len > TT_ELF_MAX_NAME_BYTES)
		return UINT32_MAX;
	if (l->nlen + len > l->ncap) {
		size_t cap = l->ncap ? l->ncap * 2 : 4096;
		char *p;

		while (cap < l->nlen + len)
			cap *= 2;
		p = realloc(l->names, cap);
		if (!p) {
			l->oom = true;
			return UINT32_MAX;
		}
		l->names = p;
		l->ncap = cap;
	}
	memcpy(l->names + l->nlen, s, len);
	at = (uint32_t)l->nlen;
	l->nlen += len;
	return at;
}

static void add_sym(struct loader *l, uint64_t addr, uint64_t size,
		    uint8_t bind, const char *name)
{
	uint32_t at;

	if (l->n >= TT_ELF_MAX_SYMS || size > UINT32_MAX)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct raw *p = realloc(l->v, cap * sizeof(*p));

		if (!p) {
			l->oom = true;
			return;
		}
		l->v = p;
		l->cap = cap;
	}
	at = add_name(l, name);
	if (at == UINT32_MAX)
		return;
	l->v[l->n++] = (struct raw){ addr, (uint32_t)size, at, bind };
}

/* GLOBAL before WEAK before LOCAL; then the fewest leading underscores,
 * then the shortest name: "read" over "__read", "__libc_read" */
static int bind_rank(uint8_t b)
{
	return b == STB_GLOBAL ? 0 : b == STB_WEAK ? 1 : 2;
}

static int cmp_raw(const void *a, const void *b, void *names)
{
	const struct raw *x = a, *y = b;
	const char *nx = (const char *)names + x->name;
	const char *ny = (const char *)names + y->name;
	size_t ux = strspn(nx, "_"), uy = strspn(ny, "_");
	size_t lx, ly;
	int rx, ry;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	rx = bind_rank(x->bind);
	ry = bind_rank(y->bind);
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (ux != uy)
		return ux < uy ? -1 : 1;
	lx = strlen(nx);
	ly = strlen(ny);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(nx, ny);
}

static void read_symbols(struct loader *l, Elf *elf, Elf_Scn *scn,
			 const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t ent = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t n;

	if (!d || !ent || sh->sh_type == SHT_NOBITS)
		return;
	n = d->d_size / ent;
	for (size_t i = 1; i < n && !l->oom; i++) {
		GElf_Sym s;
		const char *name;
		int t;

		if (!gelf_getsym(d, (int)i, &s))
			break;
		t = GELF_ST_TYPE(s.st_info);
		if ((t != STT_FUNC && t != STT_GNU_IFUNC) ||
		    s.st_shndx == SHN_UNDEF || !s.st_value || !s.st_size)
			continue;
		name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name)
			continue;
		add_sym(l, s.st_value, s.st_size, GELF_ST_BIND(s.st_info),
			name);
	}
}

static void read_note(struct tt_elfsym *e, Elf_Data *d)
{
	GElf_Nhdr nh;
	size_t off = 0, next, name_off, desc_off;

	while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (next <= off)
			break;
		off = next;
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
		    nh.n_descsz == 0 || nh.n_descsz > TT_BUILD_ID_MAX ||
		    desc_off + nh.n_descsz > d->d_size ||
		    name_off + 4 > d->d_size ||
		    memcmp((const char *)d->d_buf + name_off, "GNU", 4))
			continue;
		memcpy(e->build_id, (const char *)d->d_buf + desc_off,
		       nh.n_descsz);
		e->build_id_len = nh.n_descsz;
		return;
	}
}

static void read_debuglink(struct tt_elfsym *e, Elf_Data *d)
{
	const char *p = d ? d->d_buf : NULL;
	size_t len;

	if (!p || !d->d_size)
		return;
	len = strnlen(p, d->d_size);
	/* name, NUL, padding to 4, then a 4-byte CRC */
	if (len == 0 || len >= sizeof(e->debuglink) ||
	    ((len + 4) & ~(size_t)3) + 4 > d->d_size)
		return;
	memcpy(e->debuglink, p, len);
	e->debuglink[len] = 0;
	memcpy(&e->debuglink_crc, p + ((len + 4) & ~(size_t)3), 4);
}

static void read_segments(struct tt_elfsym *e, Elf *elf)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return;
	for (size_t i = 0; i < n && i < 4096; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			break;
		if (ph.p_type == PT_NOTE && !e->build_id_len) {
			Elf_Data *d =
				elf_getdata_rawchunk(elf, (int64_t)ph.p_offset,
						     ph.p_filesz, ELF_T_NHDR);

			if (d)
				read_note(e, d);
		}
		if (ph.p_type != PT_LOAD || e->nseg == TT_ELF_MAX_SEGS)
			continue;
		e->seg[e->nseg++] =
			(struct tt_elf_seg){ ph.p_vaddr, ph.p_memsz,
					     ph.p_offset, ph.p_filesz,
					     ph.p_flags };
	}
}

static void read_sections(struct loader *l, Elf *elf)
{
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	GElf_Shdr st_sh, dyn_sh;
	size_t shstrndx, count = 0;

	if (elf_getshdrstrndx(elf, &shstrndx))
		shstrndx = 0;
	while ((scn = elf_nextscn(elf, scn)) && count++ < 65536) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB && !symtab) {
			symtab = scn;
			st_sh = sh;
		} else if (sh.sh_type == SHT_DYNSYM && !dynsym) {
			dynsym = scn;
			dyn_sh = sh;
		} else if (sh.sh_type == SHT_NOTE &&
			   !(sh.sh_flags & SHF_COMPRESSED)) {
			Elf_Data *d = elf_getdata(scn, NULL);

			if (d && !l->e->build_id_len)
				read_note(l->e, d);
		}
		name = shstrndx ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
		if (name && !strcmp(name, ".gnu_debuglink") &&
		    sh.sh_type != SHT_NOBITS)
			read_debuglink(l->e, elf_getdata(scn, NULL));
	}
	/* a full symbol table holds what .dynsym has, and the static ones */
	l->e->has_symtab = symtab != NULL;
	if (!l->symbols)
		return;
	if (symtab) {
		read_symbols(l, elf, symtab, &st_sh);
	} else if (dynsym) {
		read_symbols(l, elf, dynsym, &dyn_sh);
	}
}

/* sort, keep one name per address, and pack into e */
static int finish(struct loader *l)
{
	struct tt_elfsym *e = l->e;
	size_t n = 0;

	if (l->oom)
		return -ENOMEM;
	if (l->n)
		qsort_r(l->v, l->n, sizeof(*l->v), cmp_raw, l->names);
	e->syms = malloc((l->n ? l->n : 1) * sizeof(*e->syms));
	if (!e->syms)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		if (n && e->syms[n - 1].addr == l->v[i].addr)
			continue; /* an alias: the first is the best name */
		e->syms[n++] = (struct tt_esym){ l->v[i].addr, l->v[i].size,
						 l->v[i].name };
	}
	e->nsyms = (uint32_t)n;
	e->names = l->names;
	l->names = NULL;
	e->bytes = sizeof(*e) + n * sizeof(*e->syms) + l->nlen;
	return 0;
}

static int load(Elf *elf, bool symbols, struct tt_elfsym **out)
{
	struct loader l = { .symbols = symbols };
	GElf_Ehdr eh;
	int err;

	*out = NULL;
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh))
		return -ENOEXEC;
	l.e = calloc(1, sizeof(*l.e));
	if (!l.e)
		return -ENOMEM;
	l.e->type = eh.e_type;
	read_segments(l.e, elf);
	read_sections(&l, elf);
	err = finish(&l);
	free(l.v);
	free(l.names);
	if (err) {
		tt_elfsym_free(l.e);
		return err;
	}
	*out = l.e;
	return 0;
}

int tt_elfsym_load_fd(int fd, bool symbols, struct tt_elfsym **out)
{
	Elf *elf;
	int err;

	elf_lib_init();
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	err = load(elf, symbols, out);
	elf_end(elf);
	return err;
}

int tt_elfsym_load_mem(const void *data, size_t len, struct tt_elfsym **out)
{
	/* elf_memory() may convert in place: give it its own copy */
	char *copy = malloc(len ? len : 1);
	Elf *elf;
	int err;

	*out = NULL;
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, len);
	elf_lib_init();
	elf = elf_memory(copy, len);
	err = load(elf, true, out);
	elf_end(elf);
	free(copy);
	return err;
}

void tt_elfsym_free(struct tt_elfsym *e)
{
	if (!e)
		return;
	free(e->syms);
	free(e->names);
	free(e);
}

const char *tt_elfsym_lookup(const struct tt_elfsym *e, uint64_t vaddr,
			     uint64_t *off)
{
	size_t lo = 0, hi = e->nsyms;

	/* the last symbol starting at or below vaddr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a small symbol may sit inside a larger one: look a few back */
	for (size_t i = lo, k = 0; i > 0 && k < 8; i--, k++) {
		const struct tt_esym *s = &e->syms[i - 1];

		if (vaddr - s->addr < s->size) {
			if (off)
				*off = vaddr - s->addr;
			return e->names + s->name;
		}
	}
	return NULL;
}

bool tt_elfsym_off_to_vaddr(const struct tt_elfsym *e, uint64_t off,
			    uint64_t *vaddr)
{
	for (uint32_t i = 0; i < e->nseg; i++) {
		const struct tt_elf_seg *s = &e->seg[i];

		if (off >= s->offset && off - s->offset < s->filesz) {
			*vaddr = s->vaddr + (off - s->offset);
			return true;
		}
	}
	return false;
}

bool tt_elfsym_bias(const struct tt_elfsym *e, uint64_t map_start,
		    uint64_t map_off, uint64_t *bias)
{
	for (uint32_t i = 0; i < e->nseg; i++) {
		const struct tt_elf_seg *s = &e->seg[i];
		/* a mapping starts at the page of its segment's offset */
		uint64_t page_off = s->offset & ~(uint64_t)0xfff;

		if (map_off >= page_off && map_off < s->offset + s->filesz) {
			*bias = map_start - map_off + s->offset - s->vaddr;
			return true;
		}
	}
	return false;
}
