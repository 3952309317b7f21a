// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * symfile.c - the symbol cache and the search for separate debug files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "prof/mono.h"
#include "prof/symfile.h"

#define NBUCKETS 1024

struct tt_symcache {
	struct tt_symfile *b[NBUCKETS];
	size_t bytes, max_bytes, n;
	uint64_t clock;
	double swept;  /* the last look for idle entries */
	double idle_s; /* unreferenced this long: dropped */
	unsigned long loads;
	char debug_dir[256];
};

/*
 * A file no process has mapped for this long goes, whatever the budget: on
 * a long run the binaries of everything that ever ran once (tests, cron
 * jobs) would otherwise fill the cache to its bound (16 MiB) and stay. The
 * samples taken in them were named as they came.
 */
#define IDLE_S 60.0

struct tt_symcache *tt_symcache_new(size_t max_bytes, const char *debug_dir)
{
	struct tt_symcache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->max_bytes = max_bytes;
	c->idle_s = IDLE_S;
	snprintf(c->debug_dir, sizeof(c->debug_dir), "%s",
		 debug_dir ? debug_dir : "/usr/lib/debug");
	return c;
}

static size_t entry_bytes(const struct tt_symfile *f)
{
	return sizeof(*f) + (f->elf ? f->elf->bytes : 0) +
	       (f->dbg ? f->dbg->bytes : 0);
}

static void entry_free(struct tt_symfile *f)
{
	tt_elfsym_free(f->elf);
	tt_elfsym_free(f->dbg);
	free(f);
}

void tt_symcache_free(struct tt_symcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < NBUCKETS; i++) {
		struct tt_symfile *f = c->b[i], *n;

		for (; f; f = n) {
			n = f->next;
			entry_free(f);
		}
	}
	free(c);
}

static size_t bucket(uint64_t dev, uint64_t ino)
{
	return (size_t)(((dev * 0x9e3779b97f4a7c15ULL) ^ ino) *
				0xff51afd7ed558ccdULL >>
			40) &
	       (NBUCKETS - 1);
}

/* ---- debug files ----------------------------------------------------------
 */

/* crc32 of a whole file, as .gnu_debuglink records it */
static bool file_crc(int fd, uint32_t *out)
{
	unsigned char buf[65536];
	uLong crc = crc32(0L, Z_NULL, 0);
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) > 0)
		crc = crc32(crc, buf, (uInt)r);
	*out = (uint32_t)crc;
	return r == 0;
}

/* the debug file at path if it belongs to main, else NULL */
static struct tt_elfsym *try_debug(const char *path,
				   const struct tt_elfsym *main_elf)
{
	struct tt_elfsym *d = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return NULL;
	if (tt_elfsym_load_fd(fd, true, &d) || !d->has_symtab) {
		close(fd);
		tt_elfsym_free(d);
		return NULL;
	}
	if (main_elf->build_id_len) {
		ok = d->build_id_len == main_elf->build_id_len &&
		     !memcmp(d->build_id, main_elf->build_id, d->build_id_len);
	} else {
		uint32_t crc;

		ok = lseek(fd, 0, SEEK_SET) == 0 && file_crc(fd, &crc) &&
		     crc == main_elf->debuglink_crc;
	}
	close(fd);
	if (!ok) {
		tt_elfsym_free(d);
		return NULL;
	}
	return d;
}

static struct tt_elfsym *by_build_id(const struct tt_symcache *c,
				     const char *root,
				     const struct tt_elfsym *e)
{
	char hex[2 * TT_BUILD_ID_MAX + 1], path[1024];

	if (!e->build_id_len)
		return NULL;
	for (uint32_t i = 0; i < e->build_id_len; i++)
		snprintf(hex + 2 * (size_t)i, 3, "%02x", e->build_id[i]);
	snprintf(path, sizeof(path), "%s%s/.build-id/%.2s/%s.debug", root,
		 c->debug_dir, hex, hex + 2);
	return try_debug(path, e);
}

static struct tt_elfsym *by_debuglink(const struct tt_symcache *c,
				      const char *root, const char *path,
				      const struct tt_elfsym *e)
{
	const char *slash = strrchr(path, '/');
	int dlen = slash ? (int)(slash - path) : 0;
	char p[1024];
	struct tt_elfsym *d;

	if (!e->debuglink[0] || !slash || strchr(e->debuglink, '/'))
		return NULL;
	snprintf(p, sizeof(p), "%s%.*s/%s", root, dlen, path, e->debuglink);
	if (strcmp(p + strlen(root), path) && (d = try_debug(p, e)))
		return d;
	snprintf(p, sizeof(p), "%s%.*s/.debug/%s", root, dlen, path,
		 e->debuglink);
	if ((d = try_debug(p, e)))
		return d;
	snprintf(p, sizeof(p), "%s%s%.*s/%s", root, c->debug_dir, dlen, path,
		 e->debuglink);
	return try_debug(p, e);
}

/* The process's own debug files first, then ours (a container's binary
 * may have its debug file installed on the host). */
static struct tt_elfsym *find_debug(const struct tt_symcache *c,
				    const char *root, const char *path,
				    const struct tt_elfsym *e)
{
	const char *roots[2] = { root, "" };

	if (e->has_symtab)
		return NULL;
	for (int i = 0; i < (*root ? 2 : 1); i++) {
		struct tt_elfsym *d = by_build_id(c, roots[i], e);

		if (!d && path && path[0] == '/')
			d = by_debuglink(c, roots[i], path, e);
		if (d)
			return d;
	}
	return NULL;
}

/* ---- the cache ------------------------------------------------------------
 */

static void entry_unlink(struct tt_symcache *c, struct tt_symfile **pp)
{
	struct tt_symfile *f = *pp;

	*pp = f->next;
	c->bytes -= entry_bytes(f);
	c->n--;
	entry_free(f);
}

/* drop the unreferenced entries idle too long, then the least recently
 * used unreferenced ones until under budget */
static void evict(struct tt_symcache *c)
{
	double now = tt_prof_mono();

	for (size_t i = 0; now - c->swept >= 1.0 && i < NBUCKETS; i++)
		for (struct tt_symfile **pp = &c->b[i]; *pp;)
			if (!(*pp)->refs && (*pp)->used_at < now - c->idle_s)
				entry_unlink(c, pp);
			else
				pp = &(*pp)->next;
	if (now - c->swept >= 1.0)
		c->swept = now;
	while (c->bytes > c->max_bytes) {
		struct tt_symfile **best = NULL;

		for (size_t i = 0; i < NBUCKETS; i++)
			for (struct tt_symfile **pp = &c->b[i]; *pp;
			     pp = &(*pp)->next)
				if (!(*pp)->refs &&
				    (!best || (*pp)->used < (*best)->used))
					best = pp;
		if (!best)
			return; /* all in use: over budget until released */
		entry_unlink(c, best);
	}
}

/* read f's file: its headers, or all of it with its debug file */
static void load(struct tt_symcache *c, struct tt_symfile *f,
		 int (*open_fn)(void *ctx), void *ctx, const char *root,
		 const char *path, bool symbols)
{
	struct tt_elfsym *e = NULL;
	int fd = open_fn(ctx);

	if (fd < 0) {
		if (!f->elf)
			f->err = fd;
		return;
	}
	c->bytes -= entry_bytes(f);
	f->err = tt_elfsym_load_fd(fd, symbols, &e);
	close(fd);
	c->loads++;
	if (e) {
		tt_elfsym_free(f->elf);
		f->elf = e;
		f->symbols = symbols;
		if (symbols)
			f->dbg = find_debug(c, root ? root : "", path, e);
	}
	c->bytes += entry_bytes(f);
}

struct tt_symfile *tt_symcache_get(struct tt_symcache *c, uint64_t dev,
				   uint64_t ino, int (*open_fn)(void *ctx),
				   void *ctx, const char *root,
				   const char *path, bool symbols)
{
	size_t b = bucket(dev, ino);
	struct tt_symfile *f;

	evict(c); /* before a hit too: an idle file is read again */
	for (f = c->b[b]; f; f = f->next)
		if (f->dev == dev && f->ino == ino) {
			f->refs++;
			f->used = ++c->clock;
			f->used_at = tt_prof_mono();
			if (symbols)
				tt_symcache_symbols(c, f, open_fn, ctx, root,
						    path);
			return f;
		}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->dev = dev;
	f->ino = ino;
	c->bytes += entry_bytes(f);
	load(c, f, open_fn, ctx, root, path, symbols);
	f->refs = 1;
	f->used = ++c->clock;
	f->used_at = tt_prof_mono();
	f->next = c->b[b];
	c->b[b] = f;
	c->n++;
	evict(c);
	return f;
}

void tt_symcache_symbols(struct tt_symcache *c, struct tt_symfile *f,
			 int (*open_fn)(void *ctx), void *ctx, const char *root,
			 const char *path)
{
	if (f->symbols || !f->elf)
		return;
	load(c, f, open_fn, ctx, root, path, true);
	evict(c);
}

void tt_symcache_put(struct tt_symcache *c, struct tt_symfile *f)
{
	if (!f)
		return;
	if (f->refs)
		f->refs--;
	f->used_at = tt_prof_mono(); /* in use until now */
	evict(c);
}

const char *tt_symfile_lookup(const struct tt_symfile *f, uint64_t vaddr)
{
	const char *n = NULL;

	if (f->dbg)
		n = tt_elfsym_lookup(f->dbg, vaddr, NULL);
	if (!n && f->elf)
		n = tt_elfsym_lookup(f->elf, vaddr, NULL);
	return n;
}

void tt_symcache_set_idle(struct tt_symcache *c, double seconds)
{
	c->idle_s = seconds;
}

size_t tt_symcache_bytes(const struct tt_symcache *c)
{
	return c->bytes;
}

unsigned long tt_symcache_loads(const struct tt_symcache *c)
{
	return c->loads;
}
