// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * unwind.c - libdwfl with our own Dwfl_Thread_Callbacks: the "thread" is
 * the sample (its registers, its stack copy), not a live process under
 * ptrace. Files come from the symbolizer, so they are read through the
 * process's root and checked against the inode it maps.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>
#include "prof/unwind.h"

struct uproc {
	uint32_t pid;
	uint64_t gen;
	unsigned version; /* of the maps its modules came from */
	Dwfl *dwfl;	  /* NULL: nothing could be reported */
	uint64_t used;
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

static int find_elf_none(Dwfl_Module *mod, void **userdata, const char *modname,
			 Dwarf_Addr base, char **file_name, Elf **elfp)
{
	return -1; /* every module comes with its file descriptor */
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
	.find_elf = find_elf_none,
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
	const struct walk *w = &((struct tt_unwind *)arg)->w;
	uint64_t sp = w->regs->r[TT_UREG_SP];

	if (addr < sp || w->len < sizeof(*result) ||
	    addr - sp > w->len - sizeof(*result))
		return false;
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
		dwfl_end(p->dwfl);
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

/* one module per file: libdwfl lays it out from its program headers */
static void report(struct tt_unwind *u, Dwfl *d, uint32_t pid,
		   const struct tt_map *maps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct tt_map *m = &maps[i];
		bool dup = false;
		uint64_t bias;
		int fd;

		if (m->kind != TT_MAP_FILE && m->kind != TT_MAP_VDSO)
			continue;
		for (size_t j = 0; j < i && !dup; j++)
			dup = maps[j].kind == m->kind &&
			      maps[j].dev == m->dev && maps[j].ino == m->ino;
		if (dup || !tt_sym_map_bias(u->sym, pid, m, &bias))
			continue;
		fd = tt_sym_open_map(u->sym, pid, m);
		if (fd < 0)
			continue;
		if (!dwfl_report_elf(d,
				     m->kind == TT_MAP_VDSO
					     ? "[vdso]"
					     : base_name(m->path),
				     m->path, fd, bias, false))
			close(fd); /* consumed only on success */
	}
}

static Dwfl *build(struct tt_unwind *u, uint32_t pid, uint64_t gen,
		   unsigned *version)
{
	size_t n;
	const struct tt_map *maps = tt_sym_maps(u->sym, pid, gen, &n, version);
	Dwfl *d;

	if (!maps || !n)
		return NULL;
	d = dwfl_begin(&dwfl_cbs);
	if (!d)
		return NULL;
	dwfl_report_begin(d);
	report(u, d, pid, maps, n);
	if (dwfl_report_end(d, NULL, NULL) ||
	    !dwfl_attach_state(d, NULL, (pid_t)pid, &thread_cbs, u)) {
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
			uproc_clear(p = lru);
	} else if (p->gen != gen) {
		uproc_clear(p);
	} else {
		/* the symbolizer reread the maps (a library came): again */
		tt_sym_maps(u->sym, pid, gen, &n, &version);
		if (version != p->version)
			uproc_clear(p);
	}
	p->used = ++u->clock;
	if (!p->pid) {
		p->pid = pid;
		p->gen = gen;
		p->dwfl = build(u, pid, gen, &p->version);
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
	*truncated = rc != 0 || u->w.cut;
	return u->w.n;
}
