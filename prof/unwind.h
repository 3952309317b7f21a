/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * unwind.h - user call chains without frame pointers, the way
 * `perf record --call-graph dwarf` gets them: the kernel hands over the
 * thread's user registers and a copy of the top of its stack at the sample;
 * here elfutils' libdwfl walks that copy with each module's call frame
 * information (.eh_frame, which every x86-64 object carries, frame
 * pointers or not). One Dwfl per process, its modules reported from
 * /proc/PID/maps through the symbolizer (sym.h).
 *
 * A walk ends at the outermost frame (the CFI of _start or clone says
 * there is no caller) or it is truncated: the copy ended before the stack
 * did, a frame's CFI is missing (JIT code without a perf map, a module that
 * cannot be read), or the frame limit was reached.
 */
#ifndef TT_UNWIND_H
#define TT_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "prof/sym.h"

/* x86-64 DWARF register numbers: rax rdx rcx rbx rsi rdi rbp rsp r8..r15,
 * then the return address column (rip) */
#define TT_UREGS   17
#define TT_UREG_SP 7
#define TT_UREG_IP 16

struct tt_uregs {
	uint64_t r[TT_UREGS];
};

struct tt_unwind;

struct tt_unwind *tt_unwind_new(struct tt_sym *sym, unsigned max_procs);
void tt_unwind_free(struct tt_unwind *u);

/*
 * Walk the stack of thread tid of process (pid, gen) from regs, reading
 * memory only from stack[0 .. len) (a copy of the user stack from regs'
 * sp). pcs[] gets up to max addresses, leaf first: the sampled ip, then
 * each caller's return address minus one (an address inside the call, for
 * naming). Returns how many; *truncated when the walk did not reach the
 * outermost frame.
 */
unsigned tt_unwind(struct tt_unwind *u, uint32_t pid, uint64_t gen,
		   uint32_t tid, const struct tt_uregs *regs, const void *stack,
		   size_t len, uint64_t *pcs, unsigned max, bool *truncated);

/* Forget pid's unwinding state (it exited). */
void tt_unwind_proc_gone(struct tt_unwind *u, uint32_t pid);

#endif
