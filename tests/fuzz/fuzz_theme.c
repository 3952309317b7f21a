// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * fuzz_theme.c - libFuzzer target: any bytes as a theme file must parse or
 * give a "file:line: reason" error, never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tui/theme_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256];
	struct tt_theme t;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	tt_theme_builtin(&t, false);
	if (tt_theme_parse(&t, text, "fuzz", err, sizeof(err)) &&
	    strncmp(err, "fuzz:", 5))
		abort(); /* an error must name the file and line */
	free(text);
	return 0;
}
