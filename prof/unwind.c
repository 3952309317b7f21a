// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * unwind.c - libdwfl with our own Dwfl_Thread_Callbacks: the "thread" is
 * the sample (its registers, its stack copy), not a live process under
 * ptrace. Files come from the symbolizer, so they are read through the
 * process's root and checked against the inode it maps.
 */
#include <errno.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <elfutils/libdwfl.h>
#include "prof/unwind.h"

/*
 * libdwfl keeps every call frame entry it ever looked up, in trees that
 * only dwfl_end() frees: tens of MB for a process with big libraries and
 * many code paths. A process's Dwfl starts over after this many frames.
 */
#define FRAMES_PER_DWFL 50000

/*
 * A module's file as libdw gets it: our own private mapping whose ELF
 * header says there are no section headers (the first page is copied on
 * that write, nothing else). Then libdw finds .eh_frame through the
 * PT_GNU_EH_FRAME segment, with its sorted search table. Through the
 * sections, libdw 0.188 misses that table when .eh_frame comes before
 * .eh_frame_hdr (as LLVM's lld lays them out) and walks and keeps every
 * entry up to the address: 7 MB for libclang-cpp, per process.
 */
struct umod {
	void *map;
	size_t len;
	Elf *elf;
	bool given; /* to libdwfl, which ends it */
};

struct uproc {
	uint32_t pid;
	uint64_t gen;
	unsigned version; /* of the maps its modules came from */
	Dwfl *dwfl;	  /* NULL: nothing could be reported */
	uint64_t used;
	uint64_t frames; /* walked with this Dwfl */
	struct umod *mods;
	size_t nmods;
};

/* the sample being walked */
struct walk {
	uint32_t pid, tid;
	uint64_t gen;
	const struct tt_uregs *regs;
	const unsigned char *stack;
	size_t len;
	uint64_t *pcs;
	unsigned n, max;
	bool cut;
	bool refused; /* a read fell outside the copy: the walk stops short */
	Dwfl *dwfl;
};

struct tt_unwind {
	struct tt_sym *sym;
	struct uproc *procs;
	unsigned nprocs, max_procs;
	uint64_t clock;
	struct walk w;
};

/* ---- callbacks: the sample is the thread ----------------------------------
 */

static int find_elf(Dwfl_Module *mod, void **userdata, const char *modname,
		    Dwarf_Addr base, char **file_name, Elf **elfp)
{
	struct umod *m = *userdata;

	if (m && m->elf && !m->given) {
		*elfp = m->elf;
		m->given = true;
	}
	return -1; /* no file descriptor: the Elf is all there is */
}

/* No separate debug files for unwinding: .eh_frame is in the binaries, and
 * the standard search would also ask debuginfod servers over the network
 * when DEBUGINFOD_URLS is set. */
static int find_debuginfo_none(Dwfl_Module *mod, void **userdata,
			       const char *modname, Dwarf_Addr base,
			       const char *file_name, const char *debuglink,
			       GElf_Word crc, char **debuginfo_file_name)
{
	return -1;
}

static const Dwfl_Callbacks dwfl_cbs = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo_none,
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct tt_unwind *u = arg;

	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return (pid_t)u->w.tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct tt_unwind *u = arg;

	*thread_argp = u;
	return (uint32_t)tid == u->w.tid;
}

/* only the copied window: the live stack has moved on since the sample */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result,
			void *arg)
{
	struct walk *w = &((struct tt_unwind *)arg)->w;
	uint64_t sp = w->regs->r[TT_UREG_SP];

	if (addr < sp || w->len < sizeof(*result) ||
	    addr - sp > w->len - sizeof(*result)) {
		w->refused = true;
		return false;
	}
	memcpy(result, w->stack + (addr - sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	const struct walk *w = &((struct tt_unwind *)arg)->w;
	Dwarf_Word r[TT_UREGS];

	for (int i = 0; i < TT_UREGS; i++)
		r[i] = w->regs->r[i];
	dwfl_thread_state_register_pc(thread, r[TT_UREG_IP]);
	return dwfl_thread_state_registers(thread, 0, TT_UREGS, r);
}

static const Dwfl_Thread_Callbacks thread_cbs = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

/* ---- one Dwfl per process --------------------------------------------------
 */

struct tt_unwind *tt_unwind_new(struct tt_sym *sym, unsigned max_procs)
{
	struct tt_unwind *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->sym = sym;
	u->max_procs = max_procs ? max_procs : 64;
	u->procs = calloc(u->max_procs, sizeof(*u->procs));
	if (!u->procs) {
		free(u);
		return NULL;
	}
	return u;
}

static void uproc_clear(struct uproc *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl); /* ends the Elfs it was given */
	for (size_t i = 0; i < p->nmods; i++) {
		if (p->mods[i].elf && !p->mods[i].given)
			elf_end(p->mods[i].elf);
		if (p->mods[i].map)
			munmap(p->mods[i].map, p->mods[i].len);
	}
	free(p->mods);
	memset(p, 0, sizeof(*p));
}

void tt_unwind_free(struct tt_unwind *u)
{
	if (!u)
		return;
	for (unsigned i = 0; i < u->nprocs; i++)
		uproc_clear(&u->procs[i]);
	free(u->procs);
	free(u);
}

void tt_unwind_proc_gone(struct tt_unwind *u, uint32_t pid)
{
	for (unsigned i = 0; i < u->nprocs; i++)
		if (u->procs[i].pid == pid) {
			uproc_clear(&u->procs[i]);
			u->procs[i] = u->procs[--u->nprocs];
			memset(&u->procs[u->nprocs], 0, sizeof(*u->procs));
			return;
		}
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* say "no section headers" in the private copy of the ELF header */
static bool hide_sections(void *map, size_t len)
{
	unsigned char *id = map;

	if (len < sizeof(Elf64_Ehdr) || memcmp(id, ELFMAG, SELFMAG))
		return false;
	if (id[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr *h = map;

		h->e_shoff = 0;
		h->e_shnum = 0;
		h->e_shstrndx = SHN_UNDEF;
		return true;
	}
	if (id[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr *h = map;

		h->e_shoff = 0;
		h->e_shnum = 0;
		h->e_shstrndx = SHN_UNDEF;
		return true;
	}
	return false;
}

/* the lowest (page-aligned, as libdwfl counts it) and highest address of
 * the file's PT_LOAD segments */
static bool load_span(Elf *elf, uint64_t *lo, uint64_t *hi)
{
	size_t n;
	bool first = true;

	if (elf_getphdrnum(elf, &n))
		return false;
	for (size_t i = 0; i < n && i < 4096; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (first) {
			*lo = ph.p_align > 1 ? ph.p_vaddr & -ph.p_align
					     : ph.p_vaddr;
			*hi = 0;
			first = false;
		}
		if (ph.p_vaddr + ph.p_memsz > *hi)
			*hi = ph.p_vaddr + ph.p_memsz;
	}
	return !first && *hi > *lo;
}

/* map m's file for libdw; false when it cannot be had */
static bool open_mod(struct tt_unwind *u, uint32_t pid, const struct tt_map *m,
		     struct umod *um)
{
	int fd = tt_sym_open_map(u->sym, pid, m);
	struct stat st;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) || st.st_size <= 0) {
		close(fd);
		return false;
	}
	um->len = (size_t)st.st_size;
	um->map =
		mmap(NULL, um->len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (um->map == MAP_FAILED) {
		um->map = NULL;
		return false;
	}
	if (hide_sections(um->map, um->len))
		um->elf = elf_memory(um->map, um->len);
	return um->elf != NULL;
}

/* one module per file, laid out from its program headers and bias */
static void report(struct tt_unwind *u, struct uproc *p, Dwfl *d,
		   const struct tt_map *maps, size_t n)
{
	p->mods = calloc(n, sizeof(*p->mods));
	if (!p->mods)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct tt_map *m = &maps[i];
		struct umod *um = &p->mods[p->nmods];
		Dwfl_Module *mod;
		uint64_t bias, lo = 0, hi = 0;
		bool dup = false;
		void **ud;

		if (m->kind != TT_MAP_FILE && m->kind != TT_MAP_VDSO)
			continue;
		for (size_t j = 0; j < i && !dup; j++)
			dup = maps[j].kind == m->kind &&
			      maps[j].dev == m->dev && maps[j].ino == m->ino;
		if (dup || !tt_sym_map_bias(u->sym, p->pid, m, &bias))
			continue;
		p->nmods++; /* from here on uproc_clear cleans it up */
		if (!open_mod(u, p->pid, m, um) ||
		    !load_span(um->elf, &lo, &hi))
			continue;
		mod = dwfl_report_module(
			d,
			m->kind == TT_MAP_VDSO ? "[vdso]" : base_name(m->path),
			bias + lo, bias + hi);
		if (mod) {
			dwfl_module_info(mod, &ud, NULL, NULL, NULL, NULL, NULL,
					 NULL);
			*ud = um;
		}
	}
}

static Dwfl *build(struct tt_unwind *u, struct uproc *p)
{
	size_t n;
	const struct tt_map *maps =
		tt_sym_maps(u->sym, p->pid, p->gen, &n, &p->version);
	Dwfl *d;

	if (!maps || !n)
		return NULL;
	d = dwfl_begin(&dwfl_cbs);
	if (!d)
		return NULL;
	dwfl_report_begin(d);
	report(u, p, d, maps, n);
	if (dwfl_report_end(d, NULL, NULL) ||
	    !dwfl_attach_state(d, NULL, (pid_t)p->pid, &thread_cbs, u)) {
		dwfl_end(d);
		return NULL;
	}
	return d;
}

static struct uproc *get_proc(struct tt_unwind *u, uint32_t pid, uint64_t gen)
{
	struct uproc *p = NULL, *lru = NULL;
	size_t n;
	unsigned version;

	for (unsigned i = 0; i < u->nprocs; i++) {
		if (u->procs[i].pid == pid) {
			p = &u->procs[i];
			break;
		}
		if (!lru || u->procs[i].used < lru->used)
			lru = &u->procs[i];
	}
	if (!p) {
		if (u->nprocs < u->max_procs)
			p = &u->procs[u->nprocs++];
		else
			uproc_clear(p = lru ? lru : &u->procs[0]);
	} else if (p->gen != gen) {
		uproc_clear(p);
	} else {
		/* the symbolizer reread the maps (a library came): again */
		tt_sym_maps(u->sym, pid, gen, &n, &version);
		if (version != p->version || p->frames > FRAMES_PER_DWFL)
			uproc_clear(p);
	}
	p->used = ++u->clock;
	if (!p->pid) {
		p->pid = pid;
		p->gen = gen;
		p->dwfl = build(u, p);
	}
	return p;
}

/* ---- walking ---------------------------------------------------------------
 */

static int frame_cb(Dwfl_Frame *state, void *arg)
{
	struct tt_unwind *u = arg;
	struct walk *w = &u->w;
	Dwarf_Addr pc;
	bool act;

	if (!dwfl_frame_pc(state, &pc, &act))
		return DWARF_CB_ABORT;
	if (!act && pc)
		pc--; /* inside the call instruction, not after it */
	if (w->n == w->max) {
		w->cut = true;
		return DWARF_CB_ABORT;
	}
	w->pcs[w->n++] = pc;
	/* Outside every module libdwfl would go on with frame pointers,
	 * garbage in code built without them; JIT code named by a perf map
	 * keeps them (Node, the JVM with PreserveFramePointer, Python's
	 * trampolines), so it may go on there. */
	if (!dwfl_addrmodule(w->dwfl, pc) &&
	    !tt_sym_jit(u->sym, w->pid, w->gen, pc)) {
		w->cut = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

unsigned tt_unwind(struct tt_unwind *u, uint32_t pid, uint64_t gen,
		   uint32_t tid, const struct tt_uregs *regs, const void *stack,
		   size_t len, uint64_t *pcs, unsigned max, bool *truncated)
{
	struct uproc *p;
	int rc;

	*truncated = true;
	if (!max)
		return 0;
	p = get_proc(u, pid, gen);
	if (!p->dwfl) {
		pcs[0] = regs->r[TT_UREG_IP];
		return 1;
	}
	u->w = (struct walk){ .pid = pid,
			      .tid = tid,
			      .gen = gen,
			      .regs = regs,
			      .stack = stack,
			      .len = len,
			      .pcs = pcs,
			      .max = max,
			      .dwfl = p->dwfl };
	rc = dwfl_getthread_frames(p->dwfl, (pid_t)tid, frame_cb, u);
	if (!u->w.n) { /* not even the first frame: name the ip anyway */
		pcs[0] = regs->r[TT_UREG_IP];
		return 1;
	}
	/* libdwfl may end a walk quietly when a read fails: a refused read
	 * means the copy was too short, whatever it returned */
	*truncated = rc != 0 || u->w.cut || u->w.refused;
	p->frames += u->w.n;
	return u->w.n;
}
