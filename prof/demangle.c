// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * demangle.c - __cxa_demangle through dlopen(). Its result is malloc'ed
 * by libstdc++'s malloc, which is ours (one libc per process).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prof/demangle.h"

typedef char *(*cxa_demangle_fn)(const char *mangled, char *buf, size_t *len,
				 int *status);

static cxa_demangle_fn demangler(void)
{
	static cxa_demangle_fn fn;
	static void *lib; /* kept for the life of the process */
	static int tried;

	if (tried)
		return fn;
	tried = 1;
	lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
	if (lib)
		*(void **)&fn = dlsym(lib, "__cxa_demangle");
	return fn;
}

void tt_demangle(const char *name, char *out, size_t len)
{
	cxa_demangle_fn fn;
	char *d = NULL;
	int status = -1;

	if (!len)
		return;
	/* "_Z" for functions; "_ZN..." nested; clones end in ".cold" etc.
	 * and __cxa_demangle handles those suffixes too */
	if (!strncmp(name, "_Z", 2) && (fn = demangler()))
		d = fn(name, NULL, NULL, &status);
	snprintf(out, len, "%s", d && !status ? d : name);
	free(d);
}
