/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* syscall_names.h - syscall number to name, table generated at build time */
#ifndef TT_SYSCALL_NAMES_H
#define TT_SYSCALL_NAMES_H

extern const char *const tt_syscall_names[];
extern const unsigned tt_syscall_count;

/* The name of syscall nr, or NULL when this system's headers have none. */
static inline const char *tt_syscall_name(unsigned nr)
{
	return nr < tt_syscall_count ? tt_syscall_names[nr] : (const char *)0;
}

#endif
