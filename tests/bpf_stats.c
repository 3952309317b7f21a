// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* bpf_stats.c - see bpf_stats.h */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include "tests/bpf_stats.h"

void bpf_stats_mark(const char *file)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "bpftool -j prog show | jq -r '.[] | \"\\(.id) "
		 "\\(.run_time_ns // 0)\"' | sort > %s",
		 file);
	ck_assert_msg(system(cmd) == 0, "%s: failed", cmd);
}

bool bpf_stats_moved(const char *a, const char *b)
{
	char cmd[256], out[8] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "join %s %s | awk '$3 > $2 { m = 1 } END { print m + 0 }'", a,
		 b);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	pclose(p);
	return out[0] == '1';
}
