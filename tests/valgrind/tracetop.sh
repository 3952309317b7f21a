#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#
# tracetop.sh - ./tracetop under valgrind's memcheck, given to the
# integration tests as TRACETOP= by `make test-valgrind`.
#
# A definite or indirect leak, an invalid read or write, or a use of
# uninitialised memory makes the exit code 99, so the test that ran this
# tracetop fails. The reports go to TT_VG_LOGS/vg.PID.log, not to stderr:
# the tests count the lines tracetop prints there.
#
# exec, so that the tests' signals (SIGINT, SIGTERM) reach valgrind, which
# hands them to tracetop.
#
# Stack sampling at 5 Hz, not 49: under valgrind each unwinding costs 50
# times more, and the profiler's thread (valgrind runs one thread at a
# time) would take the refreshes the tests wait for. Every path of the
# profiler still runs; a test's own --profile-hz comes after and wins.
here=$(dirname "$0")
logs=${TT_VG_LOGS:-build/valgrind}
mkdir -p "$logs" || exit 1
exec valgrind --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect \
	--suppressions="$here/tracetop.supp" \
	--log-file="$logs/vg.%p.log" \
	"${TT_VG_BINARY:-$here/../../tracetop}" \
	--profile-hz "${TT_VG_PROFILE_HZ:-5}" "$@"
