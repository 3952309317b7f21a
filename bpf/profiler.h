/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * profiler.h - the profiler's kernel side as seen from user space: a
 * cpu-clock perf event per CPU running profile.bpf.c at the chosen
 * frequency, the off-CPU target that sched.bpf.c watches (offcpu.bpf.h),
 * and the two ring buffers their records come through (profile.h). Plain
 * C: no libbpf type leaks out of bpf/.
 *
 * tt_profiler_poll() may run in a thread of its own while the other calls
 * come from another: it alone touches the ring buffers; the others only
 * read or write maps through the bpf() syscall.
 */
#ifndef TT_PROFILER_H
#define TT_PROFILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "bpf/collector.h"
#include "bpf/profile.h"

struct tt_profiler_opts {
	unsigned hz; /* on-CPU samples per second per CPU; 0: none */
	uint32_t pids[TT_MAX_FILTER_PIDS];
	unsigned npids;
	int64_t uid; /* -1: any user */
	bool per_thread;
	uint32_t self_tgid; /* never sampled: tracetop */
	uint32_t unw_rows;  /* rows for unwinding in the kernel; 0: none, all
			     * samples carry their stack copy */
};

/* One record: by h->kind a struct tt_prof_rec (a sample or capture with
 * its stack copied), a struct tt_prof_urec (a sample unwound in the
 * kernel), or an off-CPU wait (the header alone, rec NULL). Valid during
 * the call only. */
struct tt_profiler_sink {
	void *ctx;
	void (*on_record)(void *ctx, const struct tt_prof_hdr *h,
			  const void *rec);
};

struct tt_profiler_stats {
	uint64_t drops[TT_PDROP_MAX];  /* cumulative, enum tt_prof_drop */
	uint64_t runs, run_ns;	       /* the sampler program's cost */
	uint64_t taken, taken_watched; /* samples on all CPUs; of watched */
	uint64_t unw[TT_UNW_STAT_MAX]; /* samples unwound in the kernel, and
					* why the others were not */
};

struct tt_profiler;

/*
 * Two steps, so that the sampler's object (the in-kernel unwinder takes
 * the verifier some 65 ms) can load on a thread of its own while the
 * collector's load on theirs:
 *
 * tt_profiler_load: load the sampler (when o->hz), attach nothing; touches
 * nothing but its own object. *out is set unless out of memory (-ENOMEM);
 * a failed load shows in tt_profiler_status.
 *
 * tt_profiler_start: attach the sampler and find the off-CPU side in c's
 * sched object (when c has it). A negative errno with a message in err
 * when neither side works; p is kept for its status either way.
 */
int tt_profiler_load(const struct tt_profiler_opts *o,
		     struct tt_profiler **out);
int tt_profiler_start(struct tt_profiler *p, struct tt_collector *c, char *err,
		      size_t errlen);
void tt_profiler_free(struct tt_profiler *p);

/* "on", or "off: <reason>" */
const char *tt_profiler_status(const struct tt_profiler *p);
const char *tt_profiler_offcpu_status(const struct tt_profiler *p);
unsigned tt_profiler_hz(const struct tt_profiler *p);

/* Wait up to timeout_ms (less when a ring is a quarter full or another
 * thread kicks), then hand every record there is to s. The number of
 * records, or a negative errno. */
int tt_profiler_poll(struct tt_profiler *p, int timeout_ms,
		     const struct tt_profiler_sink *s);
/* End the wait of a poll in progress, or the next one's, at once: safe
 * from any thread. */
void tt_profiler_kick(struct tt_profiler *p);

/* Watch where process tgid blocks (0: nobody). */
int tt_profiler_offcpu(struct tt_profiler *p, uint32_t tgid);

void tt_profiler_stats(struct tt_profiler *p, struct tt_profiler_stats *out);

/*
 * In-kernel unwinding (bpf/profile.h): the rows the array holds (0: off);
 * write rows [at, at + n); give process pid its tables; forget pid's
 * tables, or every process's (pid 0). 0 or a negative errno.
 */
uint32_t tt_profiler_unw_cap(const struct tt_profiler *p);

/* The newest BPF program's id (ctx: the profiler): new programs are new
 * kernel text for the symbols (tt_sym_opts' kernel_gen). */
uint64_t tt_profiler_newest_prog(void *ctx);
int tt_profiler_unw_rows(struct tt_profiler *p, uint32_t at,
			 const struct tt_unw_row *r, uint32_t n);
int tt_profiler_unw_proc(struct tt_profiler *p, uint32_t pid,
			 const struct tt_unw_proc *v);
void tt_profiler_unw_forget(struct tt_profiler *p, uint32_t pid);
/* Memory of the profiler's maps. */
uint64_t tt_profiler_map_bytes(struct tt_profiler *p);

#endif
