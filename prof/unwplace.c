// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * unwplace.c - modules' rows side by side in the kernel's array (a bump
 * allocator: full, it starts over), and each process's mappings onto them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "prof/unwplace.h"

#define MAX_FILES 1024 /* modules placed; more start the array over */

struct ufile {
	uint64_t dev, ino;
	uint8_t kind; /* TT_MAP_FILE or TT_MAP_VDSO */
	int err;      /* no rows: why */
	uint32_t lo, n;
};

struct tt_unwplace {
	struct tt_sym *sym;
	struct tt_unwplace_sink sink;
	struct ufile *files;
	uint32_t nfiles;
	uint32_t used, cap;
	struct tt_unwplace_stats st;
};

struct tt_unwplace *tt_unwplace_new(struct tt_sym *sym, uint32_t cap,
				    const struct tt_unwplace_sink *sink)
{
	struct tt_unwplace *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->files = calloc(MAX_FILES, sizeof(*t->files));
	if (!t->files) {
		free(t);
		return NULL;
	}
	t->sym = sym;
	t->sink = *sink;
	t->cap = cap;
	return t;
}

void tt_unwplace_free(struct tt_unwplace *t)
{
	if (!t)
		return;
	free(t->files);
	free(t);
}

static void start_over(struct tt_unwplace *t)
{
	t->nfiles = 0;
	t->used = 0;
	t->st.resets++;
	t->sink.reset(t->sink.ctx);
}

/* read and place m's module; its entry (err set when it has no rows) */
static struct ufile *place(struct tt_unwplace *t, uint32_t pid,
			   const struct tt_map *m, bool *reset)
{
	struct ufile *f;
	struct tt_unw_row *rows = NULL;
	uint32_t n = 0;
	int fd, e = -ENOENT;
	Elf *elf;

	if (t->nfiles == MAX_FILES) {
		start_over(t);
		*reset = true;
	}
	fd = tt_sym_open_map(t->sym, pid, m);
	if (fd >= 0) {
		elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		/* a module that would take over half the array would push
		 * out all the others at every turn: it stays unwound the
		 * old way */
		if (elf)
			e = tt_unwtab_build(elf, &rows, &n, t->cap / 2);
		elf_end(elf);
		close(fd);
	}
	if (!e && n > t->cap - t->used) {
		start_over(t);
		*reset = true;
	}
	if (!e)
		e = t->sink.rows(t->sink.ctx, t->used, rows, n);
	free(rows);
	f = &t->files[t->nfiles++];
	*f = (struct ufile){ .dev = m->dev,
			     .ino = m->ino,
			     .kind = m->kind,
			     .err = e,
			     .lo = e ? 0 : t->used,
			     .n = e ? 0 : n };
	if (e) {
		t->st.failed++;
	} else {
		t->used += n;
		t->st.files++;
		t->st.rows += n;
	}
	return f;
}

static struct ufile *file_of(struct tt_unwplace *t, const struct tt_map *m)
{
	for (uint32_t i = 0; i < t->nfiles; i++) {
		struct ufile *f = &t->files[i];

		if (f->kind == m->kind &&
		    (m->kind == TT_MAP_VDSO ||
		     (f->dev == m->dev && f->ino == m->ino)))
			return f;
	}
	return NULL;
}

int tt_unwplace_proc(struct tt_unwplace *t, uint32_t pid, uint64_t gen,
		     struct tt_unw_proc *out, unsigned *version)
{
	size_t n;
	const struct tt_map *maps;
	bool again = true;

	/* a reset while placing voids what was placed before in this
	 * process too: then once more, from an empty array */
	for (int round = 0; again && round < 2; round++) {
		maps = tt_sym_maps(t->sym, pid, gen, &n, version);
		if (!maps || !n)
			return -ENOENT;
		memset(out, 0, sizeof(*out));
		again = false;
		for (size_t i = 0; i < n && out->n < TT_UNW_MAPS; i++) {
			const struct tt_map *m = &maps[i];
			struct tt_unw_map *um = &out->m[out->n];
			struct ufile *f;
			uint64_t bias;

			if ((m->kind != TT_MAP_FILE &&
			     m->kind != TT_MAP_VDSO) ||
			    !tt_sym_map_bias(t->sym, pid, m, &bias))
				continue;
			f = file_of(t, m);
			if (!f) {
				f = place(t, pid, m, &again);
				if (again)
					break;
			}
			if (f->err)
				continue;
			um->start = m->start;
			um->end = m->end;
			um->bias = bias;
			um->lo = f->lo;
			um->hi = f->lo + f->n;
			out->n++;
		}
	}
	return again ? -EAGAIN : 0;
}

void tt_unwplace_stats(const struct tt_unwplace *t,
		       struct tt_unwplace_stats *out)
{
	*out = t->st;
	out->used = t->used;
	out->cap = t->cap;
}
