# tracetop - top for syscalls, TCP and the scheduler, from eBPF.
#
#   make            build ./tracetop
#   make deps       install the Debian packages the build and tests need
#   make run        build and start the TUI (root)
#   make test       floors, lint, test-asan, test-valgrind, then the unit,
#                   integration (real BPF) and TUI (tmux) tests
#   make lint       clang-tidy and cppcheck on our user-space C
#   make floors     tui/, model/, prof/ without a circle, none calling up a layer
#   make test-asan  the unit tests under AddressSanitizer and UBSan
#   make test-valgrind  tracetop under valgrind in some integration tests
#   make fuzz       libFuzzer on the replay and theme parsers (minutes)
#   make install    binary, man page and themes under $(DESTDIR)$(PREFIX)

PREFIX	?= /usr/local
BUILD	?= build
CC	?= gcc
CLANG	?= clang
BPFTOOL	?= bpftool
V	?= 0
Q	:= $(if $(filter 1,$(V)),,@)

ARCH	:= $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
VERSION	:= $(shell git describe --tags --always --dirty 2>/dev/null || echo 0.1)

PKGS	:= libbpf ncursesw libcjson zlib libzstd libmicrohttpd libcap
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libmicrohttpd is dlopen()ed for --listen only (tui/mhd_lazy.h): not linked
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libmicrohttpd,$(PKGS)) 2>/dev/null)

CFLAGS	?= -O2 -g
CFLAGS	+= -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow \
	   -D_GNU_SOURCE -DTT_VERSION='"$(VERSION)"' -I. -I$(BUILD) \
	   -DTT_THEME_DIR='"$(PREFIX)/share/tracetop/themes"' \
	   $(PKG_CFLAGS)
LDLIBS	+= $(PKG_LIBS) -ldw -lelf -lz -lm -ldl -lpthread

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/%.bpf.o)
SKELS	  := $(BPF_SRCS:bpf/%.bpf.c=$(BUILD)/%.skel.h)
BPFU_SRCS := $(filter-out %.bpf.c,$(wildcard bpf/*.c))
MODEL_SRCS := $(wildcard model/*.c)
PROF_SRCS := $(wildcard prof/*.c)
TUI_SRCS  := $(wildcard tui/*.c)
GEN_SRCS  := $(BUILD)/syscall_names.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(notdir $(1)))
MODEL_OBJS := $(call obj,$(MODEL_SRCS) $(GEN_SRCS) $(PROF_SRCS))
BPFU_OBJS  := $(call obj,$(BPFU_SRCS))
TUI_OBJS   := $(call obj,$(TUI_SRCS))
TUI_LIB_OBJS := $(filter-out $(BUILD)/obj/main.o,$(TUI_OBJS))

TEST_SRCS  := $(wildcard tests/*.c tests/unit/*.c tests/integ/*.c tests/tui/*.c)
TEST_OBJS  := $(call obj,$(TEST_SRCS))
WORKLOADS  := $(patsubst tests/workloads/%.c,$(BUILD)/wl-%,$(wildcard tests/workloads/*.c))

vpath %.c bpf model prof tui $(BUILD) tests tests/unit tests/integ tests/tui

.SECONDARY: $(BPF_OBJS) $(SKELS) $(BUILD)/vmlinux.h
.PHONY: all deps build-deps run test test-root test-unit test-asan test-valgrind lint floors install clean format bench bench-deps fuzz fuzz-deps harden
all: tracetop

# ---- kernel side ---------------------------------------------------------
$(BUILD)/vmlinux.h: | build-deps
	$(Q)mkdir -p $(BUILD)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp
	$(Q)mv $@.tmp $@

$(BUILD)/%.bpf.o: bpf/%.bpf.c bpf/common.bpf.h bpf/events.bpf.h bpf/sc_thread.bpf.h \
		bpf/cpu_slot.bpf.h bpf/tracetop.h bpf/profile.h \
		bpf/prof_user.bpf.h $(wildcard bpf/*.bpf.h) $(BUILD)/vmlinux.h
	@echo "  BPF     $@"
	$(Q)$(CLANG) -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) \
		-I$(BUILD) -Ibpf -c $< -o $@
	$(Q)llvm-strip -g $@ 2>/dev/null || true

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $< name tt_$* > $@.tmp && mv $@.tmp $@

# syscall names from this system's own headers, not typed by hand
$(BUILD)/syscall_names.c: tools/gen_syscalls.sh
	$(Q)mkdir -p $(BUILD)
	$(Q)sh tools/gen_syscalls.sh $(ARCH) > $@.tmp && mv $@.tmp $@

# ---- user side -----------------------------------------------------------
$(BUILD)/obj/%.o: %.c | $(BUILD)/obj
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj: | build-deps
	$(Q)mkdir -p $@

$(BPFU_OBJS): $(SKELS)

# the objects that print the version rebuild when it changes (a commit)
$(BUILD)/version.stamp: FORCE
	$(Q)mkdir -p $(BUILD)
	$(Q)echo '$(VERSION) $(PREFIX)' | cmp -s - $@ || echo '$(VERSION) $(PREFIX)' > $@
$(BUILD)/obj/live.o $(BUILD)/obj/options.o $(BUILD)/obj/view_help.o \
	$(BUILD)/obj/theme.o: $(BUILD)/version.stamp
FORCE:

tracetop: $(TUI_OBJS) $(MODEL_OBJS) $(BPFU_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

-include $(wildcard $(BUILD)/obj/*.d)

# ---- set-up --------------------------------------------------------------
DEB_PKGS := clang llvm bpftool libbpf-dev libelf-dev libdw-dev zlib1g-dev \
	libncurses-dev libcjson-dev libmicrohttpd-dev libcap-dev libzstd-dev pkg-config \
	linux-libc-dev check tmux jq python3-jsonschema man-db procps \
	iproute2 gcc make curl prometheus util-linux valgrind clang-tidy \
	clang-format cppcheck nftables libbpf-tools linux-perf

# What plain `make` needs, checked (about 10 ms) before the first compile
# so that a fresh machine hears which packages to install, not a
# compiler's "sys/capability.h: No such file or directory". Only where
# dpkg is: elsewhere the compiler says it.
BUILD_DEB_PKGS := clang llvm bpftool libbpf-dev libelf-dev libdw-dev zlib1g-dev \
	libncurses-dev libcjson-dev libmicrohttpd-dev libcap-dev pkg-config \
	linux-libc-dev gcc make

build-deps:
	@command -v dpkg-query >/dev/null || exit 0; \
	have=" $$(dpkg-query -W -f='$${db:Status-Abbrev}$${Package} ' \
		$(BUILD_DEB_PKGS) 2>/dev/null | sed 's/ii *//g') "; \
	missing=$$(for p in $(BUILD_DEB_PKGS); do \
		case "$$have" in *" $$p "*) ;; *) echo $$p;; esac; done); \
	[ -z "$$missing" ] || { echo "tracetop: missing packages:" \
		$$missing "- 'make deps' (as root) installs them"; exit 1; }

# the goals that install first: check after, not beside, with make -j
ifneq ($(filter deps run test test-valgrind lint harden bench fuzz,$(MAKECMDGOALS)),)
build-deps: | deps
endif

deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

run: deps tracetop
	./tracetop

# ---- tests ---------------------------------------------------------------
$(BUILD)/wl-%: tests/workloads/%.c tests/workloads/wl.h
	$(Q)mkdir -p $(BUILD)
	$(Q)$(CC) -O1 -g -Wall -D_GNU_SOURCE $< -o $@ -lpthread

# the profiler's workloads are built as distributions build: no frame
# pointers, optimized, no debug info (the call chains must come from
# .eh_frame, the names from .symtab)
$(BUILD)/wl-profile $(BUILD)/wl-blockstates: $(BUILD)/wl-%: \
		tests/workloads/%.c tests/workloads/wl.h
	$(Q)mkdir -p $(BUILD)
	$(Q)$(CC) -O2 -fomit-frame-pointer -Wall -D_GNU_SOURCE $< -o $@

# one runner for every suite; links all but tracetop's main()
$(BUILD)/tests: $(TEST_OBJS) $(MODEL_OBJS) $(BPFU_OBJS) $(TUI_LIB_OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) $(shell pkg-config --libs check)

# The integration and TUI tests fail, never skip: without root or tmux
# they could not run, so make test says so in one line, before anything
# else (root: before it builds into a tree that root may own).
test-root:
	@[ "$$(id -u)" = 0 ] || { echo "make test: the integration and TUI" \
		"tests load BPF programs: run it as root (make test-unit" \
		"needs no privileges)"; exit 1; }
ifneq ($(filter test test-valgrind,$(MAKECMDGOALS)),)
deps: | test-root
endif

# lint, sanitizers and valgrind first, so that the last line of the output
# stays the runner's summary of the whole run
test: deps tracetop $(BUILD)/tests $(WORKLOADS)
	@command -v tmux >/dev/null || { echo "make test: tmux is not on" \
		"PATH: the TUI tests drive tracetop in it (make deps installs" \
		"it)"; exit 1; }
	$(Q)$(MAKE) --no-print-directory floors lint test-asan test-valgrind
	$(Q)TRACETOP=./tracetop WL=$(BUILD) $(BUILD)/tests

test-unit: $(BUILD)/tests
	$(Q)TT_SUITES=unit $(BUILD)/tests

# unit tests again under AddressSanitizer and UBSan, in their own folder.
# CFLAGS goes through the environment: on the command line it would also
# replace the -I and -D flags that this Makefile appends. gcc leaves
# float-cast-overflow out of "undefined": it is named (fuzz_replay found
# such a bug).
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer \
	-fsanitize=address,undefined,float-cast-overflow \
	-fno-sanitize-recover=undefined,float-cast-overflow
test-asan:
	$(Q)CFLAGS="$(ASAN_CFLAGS)" \
		$(MAKE) --no-print-directory BUILD=build-asan V=$(V) \
		build-asan/tests
	$(Q)TT_SUITES=unit ASAN_OPTIONS=detect_leaks=1 build-asan/tests

# tracetop itself under valgrind while it loads real BPF and takes
# snapshots: the integration tests tagged "valgrind" (root, ~2 minutes).
# tests/valgrind/tracetop.sh turns a memory error or a leak into the
# failure of the test that ran it; the logs of such runs are printed here.
# TT_SLOW stretches the tests' time bounds, TT_SETUP_TRACETOP spares each
# test a second slow BPF load (see tests/integ/integ_harness.h).
VG_LOGS := $(BUILD)/valgrind
test-valgrind: deps tracetop $(BUILD)/tests $(WORKLOADS)
	$(Q)rm -rf $(VG_LOGS)
	$(Q)TRACETOP=tests/valgrind/tracetop.sh TT_VG_LOGS=$(VG_LOGS) \
		TT_SETUP_TRACETOP=./tracetop TT_SLOW=10 WL=$(BUILD) \
		TT_SUITES=integ CK_INCLUDE_TAGS=valgrind $(BUILD)/tests; \
	rc=$$?; runs=$$(ls $(VG_LOGS) 2>/dev/null | wc -l); \
	bad=$$(grep -L 'ERROR SUMMARY: 0 errors' $(VG_LOGS)/*.log 2>/dev/null); \
	[ -z "$$bad" ] || { cat $$bad; rc=1; }; [ $$runs -gt 0 ] || rc=1; \
	echo "valgrind: $$runs runs of tracetop," \
		"$$(echo $$bad | wc -w) with errors or cut short"; \
	exit $$rc

# ---- static analysis (part of make test: about a minute) ---------------
# Our user-space code only: not build/ (generated; -isystem keeps its
# findings out) nor the kernel programs. Which checks and why: .clang-tidy
# and tools/cppcheck.supp; tools/lint-models.h tells the analyzer what
# libbpf frees.
LINT_SRCS := $(BPFU_SRCS) $(MODEL_SRCS) $(PROF_SRCS) $(TUI_SRCS)
LINT_DEFS := -D_GNU_SOURCE -DTT_VERSION='"lint"' -DTT_THEME_DIR='"lint"'

# .clang-format is the style: a file it would change fails the lint
FORMAT_SRCS = $(wildcard bpf/*.c bpf/*.h model/*.c model/*.h prof/*.c \
	prof/*.h tui/*.c tui/*.h tests/*/*.c)

lint: deps $(SKELS)
	@echo "  FORMAT  $(words $(FORMAT_SRCS)) files"
	$(Q)clang-format --dry-run -Werror $(FORMAT_SRCS) 2>$(BUILD)/format.err \
		|| { grep -m 20 'error:' $(BUILD)/format.err; \
		echo "lint: clang-format would change these (make format)"; \
		exit 1; }
	@echo "  TIDY    $(words $(LINT_SRCS)) files"
	$(Q)printf '%s\n' $(LINT_SRCS) | xargs -P $$(nproc) -I{} \
		clang-tidy --quiet {} -- -std=gnu11 $(LINT_DEFS) -I. \
		-isystem $(BUILD) -include tools/lint-models.h $(PKG_CFLAGS) \
		2>$(BUILD)/tidy.err || { grep -v 'generated\.$$' \
		$(BUILD)/tidy.err; exit 1; }
	@echo "  CPPCHECK $(words $(LINT_SRCS)) files"
	$(Q)cppcheck --quiet --error-exitcode=1 --std=c11 --library=posix \
		--enable=warning,style,performance,portability --inline-suppr \
		--suppressions-list=tools/cppcheck.supp $(LINT_DEFS) \
		-D__$(shell uname -m)__ -I. -I$(BUILD) $(LINT_SRCS)

# tui/, model/ and prof/ as floors: no circle of includes and calls, no call up
# into a file that includes the caller, and prof/ below model/ below tui/
# (tools/floors.py says how).
floors: tracetop
	$(Q)python3 tools/floors.py --build $(BUILD) tui model prof

# ---- fuzzing (not part of make test: minutes per target) ----------------
FUZZ_SECONDS ?= 600
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -std=gnu11 \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE -I. -I$(BUILD) $(PKG_CFLAGS)
# the replay path is most of model/ (parsing, the snapshot, its columns):
# all of it but what reads the kernel (live, the profiler's thread)
FUZZ_REPLAY_SRCS := tests/fuzz/fuzz_replay.c \
	$(filter-out model/live.c model/profile_live.c model/profile_run.c \
		model/profile_unw.c,$(MODEL_SRCS)) \
	$(GEN_SRCS) prof/arena.c
FUZZ_THEME_SRCS := tests/fuzz/fuzz_theme.c tui/theme_parse.c
FUZZ_ELF_SRCS := tests/fuzz/fuzz_elf.c prof/elfsym.c prof/unwtab.c

# libFuzzer's runtime is only a Recommends of Debian's clang
FUZZ_PKGS := libclang-rt-$(shell $(CLANG) -dumpversion 2>/dev/null | cut -d. -f1)-dev

$(BUILD)/fuzz-replay: $(FUZZ_REPLAY_SRCS) $(wildcard model/*.h)
	$(Q)mkdir -p $(BUILD)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@ -lcjson -lzstd -lz -lm

$(BUILD)/fuzz-theme: $(FUZZ_THEME_SRCS) $(wildcard tui/theme*.h)
	$(Q)mkdir -p $(BUILD)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@

$(BUILD)/fuzz-elf: $(FUZZ_ELF_SRCS) prof/elfsym.h prof/unwtab.h
	$(Q)mkdir -p $(BUILD)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(filter %.c,$^) -o $@ -ldw -lelf

fuzz-deps: deps
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_PKGS)"

# New crashing inputs land in tests/fuzz/crashes/, which the unit tests
# replay on every make test.
fuzz: fuzz-deps $(BUILD)/fuzz-replay $(BUILD)/fuzz-theme $(BUILD)/fuzz-elf
	$(Q)mkdir -p $(BUILD)/corpus/replay $(BUILD)/corpus/theme \
		$(BUILD)/corpus/elf tests/fuzz/crashes
	$(BUILD)/fuzz-replay -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=tests/fuzz/crashes/replay- \
		$(BUILD)/corpus/replay tests/fuzz/corpus/replay
	$(BUILD)/fuzz-theme -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
		-artifact_prefix=tests/fuzz/crashes/theme- \
		$(BUILD)/corpus/theme tests/fuzz/corpus/theme
	$(BUILD)/fuzz-elf -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
		-artifact_prefix=tests/fuzz/crashes/elf- \
		$(BUILD)/corpus/elf tests/fuzz/corpus/elf

# ---- benchmarks (not part of make test: minutes, root) -------------------
# The references the budgets compare against come from Debian too.
BENCH_PKGS := libbpf-tools bpftrace htop btop procps tmux util-linux python3
BENCH_FLAGS ?=

bench-deps: deps
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(BENCH_PKGS)"

bench: bench-deps $(BUILD)/recbench
	python3 bench/run $(BENCH_FLAGS)

# recordings of a day made in minutes, and replay's open and seek times
$(BUILD)/recbench: bench/recbench.c $(MODEL_OBJS) $(BPFU_OBJS)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

# ---- hardening (not part of make test: 10-15 minutes, root) -------------
# Load and faults (issue 6): fork storms, syscall floods, 10k connections,
# PID reuse, a 10-minute soak; terminals, kernel faults, full and
# read-only disks, damaged recordings, every exit path, bad input. The
# table lands in tests/hardening/results.txt; exit 0 only if all rows pass.
HARDEN_FLAGS ?=

harden: deps tracetop $(WORKLOADS) $(BUILD)/recbench
	python3 tests/hardening/run $(HARDEN_FLAGS)

install: tracetop
	install -D -m 0755 tracetop $(DESTDIR)$(PREFIX)/sbin/tracetop
	install -D -m 0644 man/tracetop.8 $(DESTDIR)$(PREFIX)/share/man/man8/tracetop.8
	install -D -m 0644 man/tracetop.5 $(DESTDIR)$(PREFIX)/share/man/man5/tracetop.5
	install -d $(DESTDIR)$(PREFIX)/share/tracetop/themes
	install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/tracetop/themes/

format:
	clang-format -i $(FORMAT_SRCS)

clean:
	rm -rf $(BUILD) build-asan tracetop
