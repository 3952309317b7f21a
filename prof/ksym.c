// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ksym.c - /proc/kallsyms: "ffffffff81000000 T _stext" or, for a module,
 * "ffffffffc0201000 t ext4_fill_super\t[ext4]". Only text symbols (t, T,
 * w, W) are kept: a profile's addresses are instruction pointers.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prof/ksym.h"

#define MAX_MODS 4096
#define MAX_SYMS (1u << 22)

struct ent {
	uint64_t addr;
	uint32_t line;
	uint16_t mod; /* 0: the kernel, else mods[mod] */
};

struct tt_ksyms {
	char path[256];
	struct ent *v;
	size_t n;
	char *mods[MAX_MODS]; /* "[ext4]"; [0] is "[kernel]" */
	unsigned nmods;
};

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static uint16_t mod_id(struct tt_ksyms *k, const char *name, size_t len)
{
	char buf[80];

	/* modules come in runs in the file: the last one is the likely one */
	if (k->nmods > 1 && !strncmp(k->mods[k->nmods - 1] + 1, name, len) &&
	    k->mods[k->nmods - 1][len + 1] == ']')
		return (uint16_t)(k->nmods - 1);
	for (unsigned i = 1; i < k->nmods; i++)
		if (!strncmp(k->mods[i] + 1, name, len) &&
		    k->mods[i][len + 1] == ']')
			return (uint16_t)i;
	if (k->nmods == MAX_MODS || len > sizeof(buf) - 3)
		return 0;
	snprintf(buf, sizeof(buf), "[%.*s]", (int)len, name);
	k->mods[k->nmods] = strdup(buf);
	if (!k->mods[k->nmods])
		return 0;
	return (uint16_t)k->nmods++;
}

/* "addr type name[\t[module]]" -> fields; false for a malformed line */
static bool parse_line(char *line, uint64_t *addr, char *type, char **name,
		       char **mod, size_t *modlen)
{
	char *end, *p, *t;

	*addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ')
		return false;
	*type = end[1];
	if (!*type || end[2] != ' ')
		return false;
	p = end + 3;
	p[strcspn(p, "\n")] = 0;
	*name = p;
	*mod = NULL;
	*modlen = 0;
	t = strchr(p, '\t');
	if (t) {
		*t = 0;
		if (t[1] == '[' && (end = strchr(t + 2, ']'))) {
			*mod = t + 2;
			*modlen = (size_t)(end - *mod);
		}
	}
	return **name != 0;
}

struct tt_ksyms *tt_ksyms_load(const char *path, int *err)
{
	struct tt_ksyms *k = calloc(1, sizeof(*k));
	FILE *f = fopen(path, "re");
	size_t cap = 0, lcap = 0;
	uint32_t line_no = 0;
	char *line = NULL;

	*err = 0;
	if (!k || !f) {
		*err = k ? -errno : -ENOMEM;
		if (f)
			fclose(f);
		free(k);
		return NULL;
	}
	snprintf(k->path, sizeof(k->path), "%s", path);
	k->mods[0] = strdup("[kernel]");
	k->nmods = 1;
	/* getline: a name longer than any buffer must not shift the count */
	while (getline(&line, &lcap, f) > 0) {
		uint64_t addr;
		char type, *name, *mod;
		size_t modlen;
		uint32_t ln = line_no++;

		if (!parse_line(line, &addr, &type, &name, &mod, &modlen) ||
		    !addr || !strchr("tTwW", type))
			continue;
		if (k->n == cap) {
			size_t nc = cap ? cap * 2 : 65536;
			struct ent *p;

			if (nc > MAX_SYMS)
				break;
			p = realloc(k->v, nc * sizeof(*p));
			if (!p) {
				*err = -ENOMEM;
				break;
			}
			k->v = p;
			cap = nc;
		}
		k->v[k->n++] = (struct ent){ addr, ln,
					     mod ? mod_id(k, mod, modlen) : 0 };
	}
	free(line);
	fclose(f);
	if (!k->mods[0] || *err) {
		tt_ksyms_free(k);
		*err = *err ? *err : -ENOMEM;
		return NULL;
	}
	if (k->n)
		qsort(k->v, k->n, sizeof(*k->v), cmp_ent);
	return k;
}

void tt_ksyms_free(struct tt_ksyms *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < k->nmods; i++)
		free(k->mods[i]);
	free(k->v);
	free(k);
}

size_t tt_ksyms_count(const struct tt_ksyms *k)
{
	return k->n;
}

/* Past the last function of a range, addresses are not its: at most this
 * far (the largest kernel functions are a few tens of KiB) */
#define MAX_FUNC_BYTES (1u << 20)

long tt_ksyms_find(const struct tt_ksyms *k, uint64_t addr, const char **module)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - k->v[lo - 1].addr >= MAX_FUNC_BYTES)
		return -1;
	if (module)
		*module = k->mods[k->v[lo - 1].mod];
	return (long)(lo - 1);
}

uint64_t tt_ksyms_addr(const struct tt_ksyms *k, long idx)
{
	return idx >= 0 && (size_t)idx < k->n ? k->v[idx].addr : 0;
}

struct want {
	uint32_t line;
	long idx;
};

static int cmp_want(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

int tt_ksyms_names(const struct tt_ksyms *k, const long *idx, size_t n,
		   void (*cb)(void *ctx, long idx, const char *name), void *ctx)
{
	struct want *w = malloc((n ? n : 1) * sizeof(*w));
	FILE *f;
	char *line = NULL;
	uint32_t ln = 0;
	size_t j = 0, m = 0, lcap = 0;

	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (idx[i] >= 0 && (size_t)idx[i] < k->n)
			w[m++] = (struct want){ k->v[idx[i]].line, idx[i] };
	qsort(w, m, sizeof(*w), cmp_want);
	f = fopen(k->path, "re");
	if (!f) {
		int e = -errno;

		free(w);
		return e;
	}
	while (j < m && getline(&line, &lcap, f) > 0) {
		uint64_t addr;
		char type, *name, *mod;
		size_t modlen;
		uint32_t cur = ln++;

		if (cur < w[j].line)
			continue;
		if (!parse_line(line, &addr, &type, &name, &mod, &modlen))
			name = NULL;
		for (; j < m && w[j].line == cur; j++)
			cb(ctx, w[j].idx,
			   name && addr == k->v[w[j].idx].addr ? name : NULL);
	}
	for (; j < m; j++)
		cb(ctx, w[j].idx, NULL); /* the file got shorter */
	free(line);
	fclose(f);
	free(w);
	return 0;
}
