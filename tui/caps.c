// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * caps.c - capability sets with libcap.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/capability.h>
#include "tui/caps.h"

static int keep_only(const cap_value_t *keep, int n)
{
	cap_t c = cap_init(); /* all clear */
	int e = 0;

	if (!c)
		return -errno;
	if (n && (cap_set_flag(c, CAP_PERMITTED, n, keep, CAP_SET) ||
		  cap_set_flag(c, CAP_EFFECTIVE, n, keep, CAP_SET)))
		e = -errno;
	if (!e && cap_set_proc(c))
		e = -errno;
	cap_free(c);
	return e;
}

int tt_caps_drop_after_load(bool profiling)
{
	static const cap_value_t keep[] = { CAP_KILL, CAP_DAC_READ_SEARCH,
					    CAP_SYS_PTRACE };

	return keep_only(keep, profiling ? 3 : 2);
}

int tt_caps_drop_all(void)
{
	return keep_only(NULL, 0);
}

void tt_caps_describe(char *buf, size_t len)
{
	cap_t c = cap_get_proc();
	char *t = c ? cap_to_text(c, NULL) : NULL;

	snprintf(buf, len, "%s", t ? t : "unknown");
	cap_free(t);
	cap_free(c);
}
