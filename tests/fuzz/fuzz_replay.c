// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * fuzz_replay.c - libFuzzer target: any bytes as one recorded line must
 * parse or be refused, never crash or leak. `make fuzz` runs it.
 */
#include <stddef.h>
#include <stdint.h>
#include "model/json_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[128];
	struct tt_snapshot *s =
		tt_json_parse((const char *)data, size, err, sizeof(err));

	tt_snapshot_unref(s);
	return 0;
}
