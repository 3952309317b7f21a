/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * ui.h - the interactive screen. main() parses options, builds the source
 * (live or replay) and hands over; tt_ui_run owns the terminal until it
 * returns, with the terminal restored on every path.
 */
#ifndef TT_UI_H
#define TT_UI_H

#include <stddef.h>
#include "model/source.h"
#include "tui/options.h"

/* extra file descriptors the loop should watch (the exporter, later) */
struct tt_ui_hook {
	int fd;			  /* -1: none */
	void (*ready)(void *ctx); /* called when fd is readable */
	void *ctx;
	/* called with every new snapshot (exporter, recorder); may be NULL */
	void (*snapshot)(void *ctx, const struct tt_snapshot *s);
};

/* Returns the exit status: 0 on q or a terminating signal. */
int tt_ui_run(const struct tt_options *o, struct tt_source *src,
	      const struct tt_ui_hook *hook, char *err, size_t errlen);

#endif
