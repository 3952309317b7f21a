// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * readzero SECONDS - read /dev/zero 1 MiB at a time for SECONDS: a
 * workload that lives in the kernel's read path (the kernel zeroes the
 * buffer in the call), to show the syscall path's kernel functions.
 * Reports the calls and the bytes.
 */
#include <fcntl.h>
#include "wl.h"

int main(int argc, char **argv)
{
	const char *usage = "readzero SECONDS";
	static char buf[1 << 20];
	unsigned long long calls = 0, bytes = 0;
	double end;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return 2;
	}
	end = (double)wl_arg(argv[1], usage);
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		wl_die("/dev/zero");
	printf("pid %d\n", getpid());
	wl_wait_go();
	end += wl_now();
	while (wl_now() < end) {
		ssize_t r = read(fd, buf, sizeof(buf));

		if (r <= 0)
			wl_die("read");
		calls++;
		bytes += (unsigned long long)r;
	}
	printf("{\"calls\":%llu,\"bytes\":%llu}\n", calls, bytes);
	return 0;
}
