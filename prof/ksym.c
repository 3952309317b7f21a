// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ksym.c - /proc/kallsyms: "ffffffff81000000 T _stext" or, for a module,
 * "ffffffffc0201000 t ext4_fill_super\t[ext4]". Only text symbols (t, T,
 * w, W) are kept: a profile's addresses are instruction pointers. Names
 * go into one block; each symbol keeps an offset into it.
 *
 * A kernel built with function padding has a "__pfx_NAME" symbol for the
 * few bytes before each function NAME: nearly half of the text symbols
 * (57,705 of 121,793 here, 1.6 MB of names). They are not kept; an
 * address in a padding (a call-depth-tracking kernel runs code there) is
 * the function's it leads to.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "prof/ksym.h"

#define MAX_MODS       4096
#define MAX_SYMS       (1u << 22)
#define MAX_NAME_BYTES ((size_t)64 << 20)
#define PFX	       "__pfx_"
#define MAX_PAD	       64 /* bytes of padding at most before a function */

struct ent {
	uint64_t addr;
	uint32_t name; /* offset in names */
	uint16_t mod;  /* 0: the kernel, else mods[mod] */
	uint8_t pad;   /* bytes of __pfx_ padding just before it */
};

struct tt_ksyms {
	struct ent *v;
	size_t n, cap;
	char *names;
	size_t nlen, ncap;
	char *mods[MAX_MODS]; /* "[ext4]"; [0] is "[kernel]" */
	unsigned nmods;
};

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* aliases at one address: the first in the file is the one kept */
	return x->name < y->name ? -1 : x->name > y->name;
}

static uint16_t mod_id(struct tt_ksyms *k, const char *name, size_t len)
{
	char buf[80];

	/* modules come in runs in the file: the last one is the likely one */
	for (unsigned i = k->nmods; i-- > 1;)
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

static bool add(struct tt_ksyms *k, uint64_t addr, const char *name,
		uint16_t mod, uint8_t pad)
{
	size_t len = strlen(name) + 1;

	if (k->n == MAX_SYMS || k->nlen + len > MAX_NAME_BYTES)
		return false;
	if (k->n == k->cap) {
		size_t c = k->cap ? k->cap * 2 : 65536;
		struct ent *p = realloc(k->v, c * sizeof(*p));

		if (!p)
			return false;
		k->v = p;
		k->cap = c;
	}
	if (k->nlen + len > k->ncap) {
		size_t c = k->ncap ? k->ncap * 2 : (size_t)1 << 20;
		char *p;

		while (c < k->nlen + len)
			c *= 2;
		p = realloc(k->names, c);
		if (!p)
			return false;
		k->names = p;
		k->ncap = c;
	}
	if (!k->names || !k->v)
		return false;
	memcpy(k->names + k->nlen, name, len);
	k->v[k->n++] = (struct ent){ addr, (uint32_t)k->nlen, mod, pad };
	k->nlen += len;
	return true;
}

/* give back what the doubling reserved beyond the need */
static void shrink(struct tt_ksyms *k)
{
	void *p;

	if (k->n && (p = realloc(k->v, k->n * sizeof(*k->v)))) {
		k->v = p;
		k->cap = k->n;
	}
	if (k->nlen && (p = realloc(k->names, k->nlen))) {
		k->names = p;
		k->ncap = k->nlen;
	}
}

struct tt_ksyms *tt_ksyms_load(int fd, int *err)
{
	struct tt_ksyms *k = calloc(1, sizeof(*k));
	int d = dup(fd);
	FILE *f = d >= 0 ? fdopen(d, "r") : NULL;
	char *line = NULL;
	size_t lcap = 0;
	uint64_t pfx_addr = 0;

	*err = 0;
	if (!f && d >= 0)
		close(d);
	if (!k || !f || fseek(f, 0, SEEK_SET)) {
		*err = !k ? -ENOMEM : -errno;
		if (f)
			fclose(f);
		free(k);
		return NULL;
	}
	k->mods[0] = strdup("[kernel]");
	k->nmods = 1;
	/* getline: no name is too long to be one line */
	while (k->mods[0] && getline(&line, &lcap, f) > 0) {
		uint64_t addr;
		char type, *name, *mod;
		size_t modlen;
		uint8_t pad;

		if (!parse_line(line, &addr, &type, &name, &mod, &modlen) ||
		    !addr || !strchr("tTwW", type))
			continue;
		if (!strncmp(name, PFX, sizeof(PFX) - 1)) {
			pfx_addr = addr; /* the next line is its function */
			continue;
		}
		pad = pfx_addr && addr > pfx_addr && addr - pfx_addr <= MAX_PAD
			      ? (uint8_t)(addr - pfx_addr)
			      : 0;
		pfx_addr = 0;
		if (!add(k, addr, name, mod ? mod_id(k, mod, modlen) : 0,
			 pad)) {
			*err = -ENOMEM;
			break;
		}
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
	/* aliases: the first at an address, the one found, has the padding */
	for (size_t i = k->n; i-- > 1;)
		if (k->v[i - 1].addr == k->v[i].addr &&
		    k->v[i].pad > k->v[i - 1].pad)
			k->v[i - 1].pad = k->v[i].pad;
	shrink(k);
	return k;
}

void tt_ksyms_free(struct tt_ksyms *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < k->nmods; i++)
		free(k->mods[i]);
	free(k->v);
	free(k->names);
	free(k);
}

size_t tt_ksyms_count(const struct tt_ksyms *k)
{
	return k->n;
}

size_t tt_ksyms_bytes(const struct tt_ksyms *k)
{
	return sizeof(*k) + k->cap * sizeof(*k->v) + k->ncap;
}

/* Past the last function of a range, addresses are not its: at most this
 * far (the largest kernel functions are a few tens of KiB) */
#define MAX_FUNC_BYTES (1u << 20)

const char *tt_ksyms_find(const struct tt_ksyms *k, uint64_t addr,
			  const char **module)
{
	size_t lo = 0, hi = k->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* in the padding before the next function: that function's (only
	 * where there is one: a call's return address may be as close) */
	if (lo < k->n && k->v[lo].addr - addr <= k->v[lo].pad)
		lo++;
	else if (!lo || addr - k->v[lo - 1].addr >= MAX_FUNC_BYTES)
		return NULL;
	/* the first alias at that address */
	while (lo > 1 && k->v[lo - 2].addr == k->v[lo - 1].addr)
		lo--;
	if (module)
		*module = k->mods[k->v[lo - 1].mod];
	return k->names + k->v[lo - 1].name;
}
