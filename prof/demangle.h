/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * demangle.h - C++ (Itanium ABI, "_Z...") names made readable with
 * libstdc++'s own __cxa_demangle, loaded with dlopen() the first time a
 * mangled name shows up: a C program never pays for the C++ runtime.
 */
#ifndef TT_DEMANGLE_H
#define TT_DEMANGLE_H

#include <stddef.h>

/*
 * name, demangled into out when it is a mangled C++ name and libstdc++ is
 * there; otherwise copied as it is. Always NUL-terminated (cut to len).
 */
void tt_demangle(const char *name, char *out, size_t len);

#endif
