// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * mhd_lazy.c - dlopen() libmicrohttpd on first use (see mhd_lazy.h).
 */
#include <dlfcn.h>
#include <stdio.h>
#include "tui/mhd_lazy.h"

/* the runtime package's soname first; the -dev symlink as a fallback */
static const char *const mhd_libs[] = { "libmicrohttpd.so.12",
					"libmicrohttpd.so" };

#define MHD_SYM(f)                                                             \
	{                                                                      \
		"MHD_" #f, offsetof(struct tt_mhd, f)                          \
	}

static const struct {
	const char *name;
	size_t off;
} mhd_syms[] = {
	MHD_SYM(start_daemon),
	MHD_SYM(stop_daemon),
	MHD_SYM(run),
	MHD_SYM(get_daemon_info),
	MHD_SYM(get_timeout),
	MHD_SYM(get_connection_info),
	MHD_SYM(lookup_connection_value),
	MHD_SYM(create_response_from_buffer),
	MHD_SYM(add_response_header),
	MHD_SYM(queue_response),
	MHD_SYM(destroy_response),
};

static struct tt_mhd mhd;
static int mhd_loaded;

const struct tt_mhd *tt_mhd_open(char *err, size_t errlen)
{
	void *h = NULL;

	if (mhd_loaded)
		return &mhd;
	for (size_t i = 0; !h && i < sizeof(mhd_libs) / sizeof(*mhd_libs); i++)
		h = dlopen(mhd_libs[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(err, errlen, "--listen: loading %s: %s", mhd_libs[0],
			 dlerror());
		return NULL;
	}
	for (size_t i = 0; i < sizeof(mhd_syms) / sizeof(*mhd_syms); i++) {
		void *f = dlsym(h, mhd_syms[i].name);

		if (!f) {
			snprintf(err, errlen, "--listen: %s: no %s",
				 mhd_libs[0], mhd_syms[i].name);
			dlclose(h);
			return NULL;
		}
		/* POSIX guarantees data and function pointers convert */
		*(void **)((char *)&mhd + mhd_syms[i].off) = f;
	}
	mhd_loaded =
		1; /* the handle stays open: the daemon's code lives in it */
	return &mhd;
}
