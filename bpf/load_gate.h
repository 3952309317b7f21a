/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * load_gate.h - at most TT_LOADS_AT_ONCE BPF objects loading at a time,
 * whichever thread loads them (the collector's two, the profiler's one).
 * Each load holds its own parse of the kernel's BTF (libbpf 1.1 keeps one
 * per object, 5.5 MB here) until it ends: three at once were 16.5 MB of
 * the start-up's peak. Two keep both CPUs of a small machine busy, so the
 * start-up is as short; more CPUs would not make the verifier's longest
 * object shorter.
 */
#ifndef TT_LOAD_GATE_H
#define TT_LOAD_GATE_H

#define TT_LOADS_AT_ONCE 2

/* wait for a turn to load an object */
void tt_load_gate_enter(void);
/* the object is loaded (or refused): its turn passes on */
void tt_load_gate_leave(void);

#endif
