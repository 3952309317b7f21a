// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * profile SECONDS - burn CPU in two functions with known callers, built
 * without frame pointers (the Makefile gives it -O2 -fomit-frame-pointer,
 * as Debian builds its packages):
 *
 *   main -> work -> spin_a   three parts of the work
 *   main -> rest -> spin_b   one part
 *
 * for SECONDS of wall time, then report the thread CPU time each got,
 * measured around each call with CLOCK_THREAD_CPUTIME_ID: the answer key
 * for a profiler's shares (75 % and 25 % by construction, measured anyway).
 *
 * Each part lasts about 10 ms, much longer than the sampling period, and
 * its length is drawn at random (within a quarter of its mean either way:
 * enough to move a part's end by several sampling periods, little enough
 * that the 3 s a test samples have nearly the share of the whole run).
 * Parts of a fraction of the period, as this had before, repeat with a
 * period near a multiple of the sampling period: the phase at which
 * samples land then wanders slowly, and a profiler's share came out 6 or
 * 7 points off now and then, perf's as much as tracetop's (one run: perf
 * 69.7 %, tracetop 76.5 %, same process, same seconds). With long parts
 * only the samples at a part's two ends can fall either way, and random
 * lengths keep those from falling the same way every time.
 */
#include "wl.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* noipa (no inlining, no cloning into "work.constprop.0") and a use of
 * the result after each call (no tail call): each caller keeps its frame
 * and its name, as the test expects */
__attribute__((noipa)) static unsigned long spin_a(unsigned long n)
{
	unsigned long x = 0;

	for (unsigned long i = 0; i < n; i++) {
		x += i * i;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

__attribute__((noipa)) static unsigned long spin_b(unsigned long n)
{
	unsigned long x = 1;

	for (unsigned long i = 0; i < n; i++) {
		x += i * i;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

__attribute__((noipa)) static unsigned long work(unsigned long n)
{
	unsigned long r = spin_a(n);

	__asm__ volatile("" : "+r"(r));
	return r + 1;
}

__attribute__((noipa)) static unsigned long rest(unsigned long n)
{
	unsigned long r = spin_b(n);

	__asm__ volatile("" : "+r"(r));
	return r + 2;
}

#define CHUNK 25000000UL /* mean iterations of a part: about 10 ms */

/* xorshift64: a cheap draw, seeded by the pid so runs differ */
static unsigned long draw(unsigned long *state)
{
	unsigned long x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* three quarters to one and a quarter of a CHUNK */
static unsigned long chunk(unsigned long *state)
{
	return CHUNK * 3 / 4 + draw(state) % (CHUNK / 2);
}

int main(int argc, char **argv)
{
	const char *usage = "profile SECONDS";
	double end, t0, t1, t2, a = 0, b = 0;
	volatile unsigned long sink = 0;
	unsigned long seed;
	long cycles = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	end = (double)wl_arg(argv[1], usage);
	printf("pid %d\n", getpid());
	seed = 0x9e3779b97f4a7c15UL ^ (unsigned long)getpid();
	wl_wait_go();
	end += wl_now();
	while (wl_now() < end) {
		t0 = cpu_now();
		sink += work(chunk(&seed) + chunk(&seed) + chunk(&seed));
		t1 = cpu_now();
		sink += rest(chunk(&seed));
		t2 = cpu_now();
		a += t1 - t0;
		b += t2 - t1;
		cycles++;
	}
	printf("{\"spin_a_ns\":%.0f,\"spin_b_ns\":%.0f,\"cycles\":%ld,"
	       "\"cpu_ns\":%.0f}\n",
	       a * 1e9, b * 1e9, cycles, cpu_now() * 1e9);
	return (int)(sink & 0);
}
