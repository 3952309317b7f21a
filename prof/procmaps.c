// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * procmaps.c - /proc/PID/maps lines
 *   55d1c4a00000-55d1c4a21000 r-xp 00002000 fd:01 1837 /usr/bin/bash
 *   7f0a1c000000-7f0a1c021000 r-xp 00000000 00:00 0
 *   7ffd4a5f6000-7ffd4a5f8000 r-xp 00000000 00:00 0 [vdso]
 *   7f0a1d000000-7f0a1d100000 r-xp 00000000 fd:01 99 /tmp/x.so (deleted)
 * and perf maps ("7f0a1c000040 1a0 LazyCompile:*fib /app/x.js").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "prof/procmaps.h"

static const char deleted_tag[] = " (deleted)";

/* one line into m; false when it is not an executable mapping */
static bool parse_map(const char *line, size_t len, struct tt_map *m)
{
	char buf[4352], perms[8], *path;
	unsigned long long start, end, off, ino;
	unsigned maj, min;
	int pos = 0;
	size_t plen;

	if (len >= sizeof(buf))
		return false;
	memcpy(buf, line, len);
	buf[len] = 0;
	/* the kernel writes the numbers: a mismatch means a bad line */
	/* NOLINTNEXTLINE(cert-err34-c) */
	if (sscanf(buf, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms,
		   &off, &maj, &min, &ino, &pos) != 7 ||
	    strlen(perms) < 4 || perms[2] != 'x' || end <= start)
		return false;
	memset(m, 0, sizeof(*m));
	m->start = start;
	m->end = end;
	m->off = off;
	m->dev = makedev(maj, min);
	m->ino = ino;
	path = buf + pos;
	plen = strlen(path);
	if (!plen) {
		m->kind = TT_MAP_ANON;
		return true;
	}
	if (path[0] == '[') {
		m->kind = !strcmp(path, "[vdso]") ? TT_MAP_VDSO : TT_MAP_OTHER;
	} else {
		m->kind = path[0] == '/' ? TT_MAP_FILE : TT_MAP_OTHER;
		if (plen > sizeof(deleted_tag) - 1 &&
		    !strcmp(path + plen - (sizeof(deleted_tag) - 1),
			    deleted_tag)) {
			m->deleted = true;
			path[plen - (sizeof(deleted_tag) - 1)] = 0;
		}
	}
	m->path = strdup(path);
	return m->path != NULL;
}

static int cmp_map(const void *a, const void *b)
{
	const struct tt_map *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int tt_maps_parse(const char *text, struct tt_map **out, size_t *n)
{
	struct tt_map *v = NULL;
	size_t cnt = 0, cap = 0;
	const char *p = text;

	*out = NULL;
	*n = 0;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct tt_map m;

		if (parse_map(p, len, &m)) {
			if (cnt == cap) {
				size_t c = cap ? cap * 2 : 32;
				struct tt_map *q = realloc(v, c * sizeof(*q));

				if (!q) {
					free(m.path);
					tt_maps_free(v, cnt);
					return -ENOMEM;
				}
				v = q;
				cap = c;
			}
			v[cnt++] = m;
		}
		p = nl ? nl + 1 : NULL;
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmp_map);
	*out = v;
	*n = cnt;
	return 0;
}

void tt_maps_free(struct tt_map *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

struct tt_map *tt_maps_find(struct tt_map *v, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && addr < v[lo - 1].end ? &v[lo - 1] : NULL;
}

/* ---- perf maps ------------------------------------------------------------
 */

struct pm_ent {
	uint64_t start, size;
	uint32_t name;
};

struct tt_perfmap {
	struct pm_ent *v;
	size_t n;
	char *names;
	size_t nlen;
};

static int cmp_pm(const void *a, const void *b)
{
	const struct pm_ent *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int tt_perfmap_parse(const char *text, struct tt_perfmap **out)
{
	struct tt_perfmap *m = calloc(1, sizeof(*m));
	size_t cap = 0, ncap = 0;
	const char *p = text;

	*out = NULL;
	if (!m)
		return -ENOMEM;
	while (p && *p && m->n < TT_PERFMAP_MAX_ENTRIES) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *end, *end2 = NULL;
		uint64_t start = strtoull(p, &end, 16), size;
		const char *name;
		size_t nlen;

		size = end > p && *end == ' ' ? strtoull(end + 1, &end2, 16)
					      : 0;
		if (!size || end2 >= p + len || *end2 != ' ' ||
		    start + size < start)
			goto next;
		name = end2 + 1;
		nlen = (size_t)(p + len - name);
		if (!nlen || nlen > 4096)
			goto next;
		if (m->n == cap) {
			size_t c = cap ? cap * 2 : 256;
			struct pm_ent *q = realloc(m->v, c * sizeof(*q));

			if (!q)
				goto oom;
			m->v = q;
			cap = c;
		}
		if (m->nlen + nlen + 1 > ncap) {
			size_t c = ncap ? ncap * 2 : 8192;
			char *q;

			while (c < m->nlen + nlen + 1)
				c *= 2;
			q = realloc(m->names, c);
			if (!q)
				goto oom;
			m->names = q;
			ncap = c;
		}
		memcpy(m->names + m->nlen, name, nlen);
		m->names[m->nlen + nlen] = 0;
		m->v[m->n++] =
			(struct pm_ent){ start, size, (uint32_t)m->nlen };
		m->nlen += nlen + 1;
	next:
		p = nl ? nl + 1 : NULL;
	}
	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), cmp_pm);
	*out = m;
	return 0;
oom:
	tt_perfmap_free(m);
	return -ENOMEM;
}

void tt_perfmap_free(struct tt_perfmap *m)
{
	if (!m)
		return;
	free(m->v);
	free(m->names);
	free(m);
}

const char *tt_perfmap_find(const struct tt_perfmap *m, uint64_t addr)
{
	size_t lo = 0, hi = m->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->v[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* a JIT rewrites code: the latest entry at an address is last, but
	 * sorting keeps equal starts in no set order; any is as good */
	if (lo && addr - m->v[lo - 1].start < m->v[lo - 1].size)
		return m->names + m->v[lo - 1].name;
	return NULL;
}

size_t tt_perfmap_bytes(const struct tt_perfmap *m)
{
	return sizeof(*m) + m->n * sizeof(*m->v) + m->nlen;
}
