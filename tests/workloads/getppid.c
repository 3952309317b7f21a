// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * getppid N E [hold] - exactly N getppid() and E failing close(-1) calls.
 * With hold, it stays (blocked reading stdin) after its result line until
 * a second go byte: alive, for a scrape of its own series.
 *
 * syscall(SYS_getppid) rather than getppid(): the count must be exact, so
 * no libc may cache or skip it. Nothing else in the program or in libc
 * makes either call, so tracetop must report N and E errors, not roughly.
 */
#include <sys/syscall.h>
#include "wl.h"

int main(int argc, char **argv)
{
	const char *usage = "getppid N E [hold]";
	long n, e, i, failed = 0;

	if (argc != 3 && (argc != 4 || strcmp(argv[3], "hold"))) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	n = wl_arg(argv[1], usage);
	e = wl_arg(argv[2], usage);

	printf("pid %d\n", getpid());
	wl_wait_go();

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	for (i = 0; i < e; i++)
		if (close(-1) < 0)
			failed++;

	printf("{\"getppid\":%ld,\"close_errors\":%ld}\n", n, failed);
	if (argc == 4)
		wl_wait_go();
	return 0;
}
