// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * sym.c - the symbolizer: per process, its executable mappings and perf
 * map; per file, the shared symbol cache; the kernel's kallsyms.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "prof/demangle.h"
#include "prof/ksym.h"
#include "prof/mono.h"
#include "prof/sym.h"
#include "prof/symfile.h"

#define REREAD_S      1.0  /* a miss rereads maps (dlopen) at most this often */
#define KSYM_RETRY_S  10.0 /* after kallsyms could not be read */
#define KSYM_RELOAD_S 30.0 /* at most this often, for modules and BPF */

struct sproc {
	uint32_t pid;
	uint64_t gen;
	bool unknown; /* not (pid, gen) any more, or unreadable */
	struct tt_map *maps;
	size_t nmaps;
	unsigned version;
	double read_at;
	struct tt_perfmap *pm;
	struct timespec pm_mtime;
	off_t pm_size;
	double pm_checked;
	uint32_t nspid; /* its pid in its own namespace, for perf-NSPID.map */
	uint64_t used;
};

struct tt_sym {
	char proc[128], kallsyms[128];
	struct tt_symcache *cache;
	struct sproc *procs;
	unsigned nprocs, max_procs;
	uint64_t clock;
	struct tt_ksyms *ks;
	int ks_fd; /* opened at the start, while privileged (ksym.h) */
	double ks_at;
	int ks_err;
	unsigned ks_gen;
	uint64_t (*kernel_gen)(void *ctx);
	void *kernel_gen_ctx;
	uint64_t ks_text; /* text_sig() when kallsyms was read */
	double ks_reload_s;
	struct tt_elfsym *vdso; /* ours: the same image in every process */
	const void *vdso_img;
	size_t vdso_len;
	bool vdso_tried;
};

struct tt_sym *tt_sym_new(const struct tt_sym_opts *o)
{
	struct tt_sym *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	snprintf(s->proc, sizeof(s->proc), "%s",
		 o && o->proc ? o->proc : "/proc");
	snprintf(s->kallsyms, sizeof(s->kallsyms), "%s",
		 o && o->kallsyms ? o->kallsyms : "/proc/kallsyms");
	s->max_procs = o && o->max_procs ? o->max_procs : 256;
	s->kernel_gen = o ? o->kernel_gen : NULL;
	s->kernel_gen_ctx = o ? o->kernel_gen_ctx : NULL;
	s->ks_reload_s =
		o && o->ksym_reload_s > 0 ? o->ksym_reload_s : KSYM_RELOAD_S;
	s->ks_fd = open(s->kallsyms, O_RDONLY | O_CLOEXEC);
	s->ks_err = s->ks_fd < 0 ? -errno : 0;
	s->cache = tt_symcache_new(o && o->max_bytes ? o->max_bytes
						     : (size_t)16 << 20,
				   o ? o->debug_dir : NULL);
	s->procs = calloc(s->max_procs, sizeof(*s->procs));
	if (!s->cache || !s->procs) {
		tt_sym_free(s);
		return NULL;
	}
	return s;
}

static void sproc_clear(struct tt_sym *s, struct sproc *p)
{
	for (size_t i = 0; i < p->nmaps; i++)
		tt_symcache_put(s->cache, p->maps[i].file);
	tt_maps_free(p->maps, p->nmaps);
	tt_perfmap_free(p->pm);
	memset(p, 0, sizeof(*p));
}

void tt_sym_free(struct tt_sym *s)
{
	if (!s)
		return;
	for (unsigned i = 0; s->procs && i < s->nprocs; i++)
		sproc_clear(s, &s->procs[i]);
	free(s->procs);
	tt_symcache_free(s->cache);
	tt_ksyms_free(s->ks);
	if (s->ks_fd >= 0)
		close(s->ks_fd);
	tt_elfsym_free(s->vdso);
	free(s);
}

/* ---- reading /proc --------------------------------------------------------
 */

/* the whole of a small file, NUL-terminated, malloc'ed; NULL on error */
static char *slurp(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, cap = 16384;
	char *buf = NULL;
	ssize_t r;

	if (fd < 0)
		return NULL;
	for (;;) {
		if (n + 1 >= cap || !buf) {
			char *p;

			if (buf)
				cap *= 2;
			if (cap > max) {
				free(buf);
				buf = NULL;
				break;
			}
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (buf) {
		buf[n] = 0;
		if (len)
			*len = n;
	}
	return buf;
}

/* starttime (field 22 of /proc/PID/stat); 0 when unreadable */
static uint64_t start_ticks(const struct tt_sym *s, uint32_t pid)
{
	char path[192], *buf, *p;
	unsigned long long st = 0;

	snprintf(path, sizeof(path), "%s/%u/stat", s->proc, pid);
	buf = slurp(path, 1 << 16, NULL);
	if (!buf)
		return 0;
	p = strrchr(buf, ')');
	/* NOLINTNEXTLINE(cert-err34-c): the kernel writes it */
	if (!p || sscanf(p + 2,
			 "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u "
			 "%*u %*d %*d %*d %*d %*d %*d %llu",
			 &st) != 1)
		st = 0;
	free(buf);
	return st;
}

/* the last NSpid of /proc/PID/status: its pid inside its namespace */
static uint32_t ns_pid(const struct tt_sym *s, uint32_t pid)
{
	char path[192], *buf, *p;
	uint32_t v = pid;

	snprintf(path, sizeof(path), "%s/%u/status", s->proc, pid);
	buf = slurp(path, 1 << 16, NULL);
	p = buf ? strstr(buf, "\nNSpid:") : NULL;
	if (p) {
		char *end = strchr(p + 1, '\n'), *last = NULL;

		if (end)
			*end = 0;
		for (p += 7; (p = strpbrk(p, "0123456789"));
		     p += strspn(p, "0123456789"))
			last = p;
		if (last)
			v = (uint32_t)strtoul(last, NULL, 10);
	}
	free(buf);
	return v;
}

static void read_maps(struct tt_sym *s, struct sproc *p)
{
	char path[192], *text;
	struct tt_map *v;
	size_t n;

	for (size_t i = 0; i < p->nmaps; i++)
		tt_symcache_put(s->cache, p->maps[i].file);
	tt_maps_free(p->maps, p->nmaps);
	p->maps = NULL;
	p->nmaps = 0;
	p->read_at = tt_prof_mono();
	p->version++;
	snprintf(path, sizeof(path), "%s/%u/maps", s->proc, p->pid);
	text = slurp(path, (size_t)64 << 20, NULL);
	/* the pid may be another process's by now: then its maps are not
	 * the ones the sample saw */
	if (!text || (p->gen && start_ticks(s, p->pid) != p->gen)) {
		free(text);
		p->unknown = true;
		return;
	}
	if (!tt_maps_parse(text, &v, &n)) {
		p->maps = v;
		p->nmaps = n;
	}
	free(text);
}

static struct sproc *get_proc(struct tt_sym *s, uint32_t pid, uint64_t gen)
{
	struct sproc *p = NULL, *lru = NULL;

	for (unsigned i = 0; i < s->nprocs; i++) {
		struct sproc *q = &s->procs[i];

		if (q->pid == pid) {
			p = q;
			break;
		}
		if (!lru || q->used < lru->used)
			lru = q;
	}
	if (p && gen && p->gen && p->gen != gen) {
		sproc_clear(s, p); /* the pid was reused */
		p->pid = pid;
	} else if (!p) {
		if (s->nprocs < s->max_procs)
			p = &s->procs[s->nprocs++];
		else
			sproc_clear(s, p = lru ? lru : &s->procs[0]);
		p->pid = pid;
	}
	p->used = ++s->clock;
	if (!p->version) {
		p->gen = gen;
		p->nspid = ns_pid(s, pid);
		read_maps(s, p);
	}
	return p;
}

void tt_sym_proc_gone(struct tt_sym *s, uint32_t pid)
{
	for (unsigned i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid) {
			sproc_clear(s, &s->procs[i]);
			s->procs[i] = s->procs[--s->nprocs];
			memset(&s->procs[s->nprocs], 0, sizeof(*s->procs));
			return;
		}
}

/* the mapping of addr, rereading the maps once a second on a miss */
static struct tt_map *find_map(struct tt_sym *s, struct sproc *p, uint64_t addr)
{
	struct tt_map *m = tt_maps_find(p->maps, p->nmaps, addr);

	if (!m && !p->unknown && tt_prof_mono() - p->read_at >= REREAD_S) {
		read_maps(s, p);
		m = tt_maps_find(p->maps, p->nmaps, addr);
	}
	return m;
}

/* ---- files ----------------------------------------------------------------
 */

struct open_ctx {
	const struct tt_sym *s;
	uint32_t pid;
	const struct tt_map *m;
};

/* Is fd the file the mapping has? Its inode must match; the device too,
 * except on file systems whose stat() reports another device than maps
 * does (btrfs subvolumes, overlayfs on older kernels). */
static bool same_file(int fd, const struct tt_map *m)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISREG(st.st_mode) &&
	       (uint64_t)st.st_ino == m->ino;
}

static int open_file(void *ctx)
{
	const struct open_ctx *o = ctx;
	char path[4352];
	int fd;

	if (!o->m->deleted) {
		snprintf(path, sizeof(path), "%s/%u/root%s", o->s->proc, o->pid,
			 o->m->path);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && same_file(fd, o->m))
			return fd;
		if (fd >= 0)
			close(fd);
	}
	/* deleted or replaced: the mapped file itself (CAP_SYS_ADMIN) */
	snprintf(path, sizeof(path), "%s/%u/map_files/%" PRIx64 "-%" PRIx64,
		 o->s->proc, o->pid, o->m->start, o->m->end);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && same_file(fd, o->m))
		return fd;
	if (fd >= 0)
		close(fd);
	return -ENOENT;
}

/* the file of m: its headers, and with symbols its symbols too */
static struct tt_symfile *map_file(struct tt_sym *s, uint32_t pid,
				   const struct tt_map *cm, bool symbols)
{
	struct tt_map *m = (struct tt_map *)cm; /* ours: the file is a cache */
	struct open_ctx o = { s, pid, m };
	char root[160];

	if (m->kind != TT_MAP_FILE)
		return NULL;
	snprintf(root, sizeof(root), "%s/%u/root", s->proc, pid);
	if (!m->file)
		m->file = tt_symcache_get(s->cache, m->dev, m->ino, open_file,
					  &o, root, m->path, symbols);
	else if (symbols && !m->file->symbols)
		tt_symcache_symbols(s->cache, m->file, open_file, &o, root,
				    m->path);
	return m->file;
}

/* our own vDSO: every process of this kernel maps the same image */
static struct tt_elfsym *vdso(struct tt_sym *s)
{
	unsigned long base;
	char *maps;
	struct tt_map *v;
	size_t n;

	if (s->vdso_tried)
		return s->vdso;
	s->vdso_tried = true;
	base = getauxval(AT_SYSINFO_EHDR);
	maps = base ? slurp("/proc/self/maps", (size_t)16 << 20, NULL) : NULL;
	if (maps && !tt_maps_parse(maps, &v, &n)) {
		struct tt_map *m = tt_maps_find(v, n, base);

		if (m && m->kind == TT_MAP_VDSO) {
			/* the auxiliary vector's address of our vDSO */
			/* NOLINTNEXTLINE(performance-no-int-to-ptr) */
			s->vdso_img = (const void *)base;
			s->vdso_len = m->end - base;
			tt_elfsym_load_mem(s->vdso_img, s->vdso_len, &s->vdso);
		}
		tt_maps_free(v, n);
	}
	free(maps);
	return s->vdso;
}

/* ---- perf maps ------------------------------------------------------------
 */

static struct tt_perfmap *perfmap(struct tt_sym *s, struct sproc *p)
{
	char path[256], *text;
	struct stat st;
	double now = tt_prof_mono();

	if (now - p->pm_checked < REREAD_S)
		return p->pm;
	p->pm_checked = now;
	snprintf(path, sizeof(path), "%s/%u/root/tmp/perf-%u.map", s->proc,
		 p->pid, p->nspid);
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return p->pm;
	if (p->pm && st.st_size == p->pm_size &&
	    st.st_mtim.tv_sec == p->pm_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == p->pm_mtime.tv_nsec)
		return p->pm;
	text = slurp(path, (size_t)64 << 20, NULL);
	if (text) {
		struct tt_perfmap *pm;

		if (!tt_perfmap_parse(text, &pm)) {
			tt_perfmap_free(p->pm);
			p->pm = pm;
			p->pm_mtime = st.st_mtim;
			p->pm_size = st.st_size;
		}
		free(text);
	}
	return p->pm;
}

/* ---- naming ---------------------------------------------------------------
 */

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

static void unknown(struct tt_sym_res *out)
{
	snprintf(out->name, sizeof(out->name), "[unknown]");
	snprintf(out->module, sizeof(out->module), "[unknown]");
	out->resolved = false;
}

static void named(struct tt_sym_res *out, const char *name)
{
	char *at;

	tt_demangle(name, out->name, sizeof(out->name));
	/* a versioned symbol in a .symtab, "__libc_start_main@@GLIBC_2.34":
	 * the function is the part before the version */
	at = strchr(out->name, '@');
	if (at && at != out->name)
		*at = 0;
	out->resolved = true;
}

static void unnamed(struct tt_sym_res *out, uint64_t addr)
{
	snprintf(out->name, sizeof(out->name), "%s+0x%" PRIx64, out->module,
		 addr);
	out->resolved = false;
}

void tt_sym_user(struct tt_sym *s, uint32_t pid, uint64_t gen, uint64_t addr,
		 struct tt_sym_res *out)
{
	struct sproc *p = get_proc(s, pid, gen);
	const struct tt_map *m = p->unknown ? NULL : find_map(s, p, addr);
	const struct tt_elfsym *e = NULL;
	struct tt_symfile *f = NULL;
	const char *name = NULL;
	uint64_t vaddr = addr;

	if (!m) {
		unknown(out);
		return;
	}
	switch (m->kind) {
	case TT_MAP_FILE:
		snprintf(out->module, sizeof(out->module), "%s",
			 base_name(m->path));
		f = map_file(s, pid, m, true);
		e = f ? f->elf : NULL;
		break;
	case TT_MAP_VDSO:
		snprintf(out->module, sizeof(out->module), "[vdso]");
		e = vdso(s);
		break;
	case TT_MAP_ANON: {
		struct tt_perfmap *pm = perfmap(s, p);

		name = pm ? tt_perfmap_find(pm, addr) : NULL;
		snprintf(out->module, sizeof(out->module), "%s",
			 name ? "[jit]" : "[anon]");
		if (name)
			named(out, name);
		else
			unnamed(out, addr);
		return;
	}
	default:
		snprintf(out->module, sizeof(out->module), "%s", m->path);
		unnamed(out, addr - m->start);
		return;
	}
	/* file offset -> the address the file's symbols use */
	if (!e ||
	    !tt_elfsym_off_to_vaddr(e, addr - m->start + m->off, &vaddr)) {
		unnamed(out, addr - m->start + m->off);
		return;
	}
	name = f ? tt_symfile_lookup(f, vaddr)
		 : tt_elfsym_lookup(e, vaddr, NULL);
	if (name)
		named(out, name);
	else
		unnamed(out, vaddr);
}

/*
 * What kernel text there is, as a number: /proc/modules' bytes hashed
 * (FNV-1a) with the newest BPF program's id; 0 when it cannot tell. A
 * kernel built without modules has no /proc/modules: its errno is hashed
 * instead, the same every time.
 */
static uint64_t text_sig(struct tt_sym *s)
{
	char path[160], buf[4096];
	uint64_t h = 0xcbf29ce484222325ull;
	ssize_t n;
	int fd;

	if (!s->kernel_gen)
		return 0;
	snprintf(path, sizeof(path), "%s/modules", s->proc);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		h = (h ^ (uint64_t)errno) * 0x100000001b3ull;
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ (uint8_t)buf[i]) * 0x100000001b3ull;
	if (fd >= 0)
		close(fd);
	h = (h ^ s->kernel_gen(s->kernel_gen_ctx)) * 0x100000001b3ull;
	return h ? h : 1;
}

static void ksyms_load(struct tt_sym *s)
{
	struct tt_ksyms *k;

	s->ks_at = tt_prof_mono();
	s->ks_text = text_sig(s);
	k = tt_ksyms_load(s->ks_fd, &s->ks_err);
	if (!k)
		return;
	tt_ksyms_free(s->ks);
	s->ks = k;
	s->ks_gen++;
}

/* Has the kernel's text changed since kallsyms was read? (not: wait) */
static bool text_moved(struct tt_sym *s)
{
	uint64_t t = text_sig(s);

	if (t && t == s->ks_text) {
		s->ks_at = tt_prof_mono();
		return false;
	}
	return true;
}

void tt_sym_kernel(struct tt_sym *s, uint64_t addr, struct tt_sym_res *out)
{
	const char *mod = "[kernel]", *name = NULL;

	if (!s->ks && s->ks_fd >= 0 &&
	    tt_prof_mono() - s->ks_at >= KSYM_RETRY_S)
		ksyms_load(s);
	if (s->ks)
		name = tt_ksyms_find(s->ks, addr, &mod);
	/* outside the kernel's own text: a module or BPF program loaded
	 * since the last read would take its neighbour's name. Reading
	 * kallsyms costs ~40 ms: not again while the text is the same
	 * (samples in our own programs came every 30 s) */
	if ((!name || strcmp(mod, "[kernel]")) &&
	    tt_prof_mono() - s->ks_at >= s->ks_reload_s && s->ks_fd >= 0 &&
	    text_moved(s)) {
		ksyms_load(s);
		mod = "[kernel]";
		name = s->ks ? tt_ksyms_find(s->ks, addr, &mod) : NULL;
	}
	snprintf(out->module, sizeof(out->module), "%s", mod);
	if (name) {
		snprintf(out->name, sizeof(out->name), "%s", name);
		out->resolved = true;
	} else {
		unnamed(out, addr);
	}
}

unsigned tt_sym_kernel_gen(const struct tt_sym *s)
{
	return s->ks_gen;
}

/* ---- for the unwinder -----------------------------------------------------
 */

const struct tt_map *tt_sym_maps(struct tt_sym *s, uint32_t pid, uint64_t gen,
				 size_t *n, unsigned *version)
{
	struct sproc *p = get_proc(s, pid, gen);

	*n = p->unknown ? 0 : p->nmaps;
	*version = p->version;
	return p->unknown ? NULL : p->maps;
}

int tt_sym_open_map(struct tt_sym *s, uint32_t pid, const struct tt_map *m)
{
	struct open_ctx o = { s, pid, m };

	if (m->kind == TT_MAP_FILE)
		return open_file(&o);
	if (m->kind == TT_MAP_VDSO && vdso(s)) {
		int fd = memfd_create("tt-vdso", MFD_CLOEXEC);

		if (fd < 0)
			return -errno;
		if (write(fd, s->vdso_img, s->vdso_len) !=
		    (ssize_t)s->vdso_len) {
			close(fd);
			return -EIO;
		}
		return fd;
	}
	return -ENOENT;
}

bool tt_sym_map_bias(struct tt_sym *s, uint32_t pid, const struct tt_map *m,
		     uint64_t *bias)
{
	const struct tt_elfsym *e = NULL;

	if (m->kind == TT_MAP_FILE) {
		struct tt_symfile *f = map_file(s, pid, m, false);

		e = f ? f->elf : NULL;
	} else if (m->kind == TT_MAP_VDSO) {
		e = vdso(s);
	}
	return e && tt_elfsym_bias(e, m->start, m->off, bias);
}

bool tt_sym_jit(struct tt_sym *s, uint32_t pid, uint64_t gen, uint64_t addr)
{
	struct sproc *p = get_proc(s, pid, gen);
	struct tt_perfmap *pm = p->unknown ? NULL : perfmap(s, p);

	return pm && tt_perfmap_find(pm, addr);
}

size_t tt_sym_bytes(const struct tt_sym *s)
{
	size_t b = tt_symcache_bytes(s->cache);

	for (unsigned i = 0; i < s->nprocs; i++) {
		b += s->procs[i].nmaps * sizeof(struct tt_map);
		if (s->procs[i].pm)
			b += tt_perfmap_bytes(s->procs[i].pm);
	}
	return b + (s->ks ? tt_ksyms_bytes(s->ks) : 0);
}

unsigned long tt_sym_files_read(const struct tt_sym *s)
{
	return tt_symcache_loads(s->cache);
}
