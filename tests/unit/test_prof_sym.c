// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_prof_sym.c - the symbolizer (prof/sym.h) on ELF files built here with
 * gcc: a PIE and a non-PIE executable, a shared library, a stripped copy,
 * separate debug files found by .gnu_debuglink (with and without a build-id)
 * and by build-id, a deleted file, a JIT perf map, truncated and corrupted
 * files. The answer key is nm's: the addresses the names must come back for.
 * The unwinders are tested in test_prof_unw.c. No privileges needed (a deleted
 * file is only named as root).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <check.h>
#include "prof/demangle.h"
#include "prof/elfsym.h"
#include "prof/ksym.h"
#include "prof/procmaps.h"
#include "prof/sym.h"
#include "prof/symfile.h"
#include "prof/unwtab.h"
#include "tests/unit/unit_fixture.h"

static char dir[64];

/* functions whose addresses come back from nm, called so none is inlined
 * away, none a tail call */
static const char lib_c[] =
	"__attribute__((noinline)) int lib_func_one(int x)\n"
	"{ __asm__ volatile(\"\" : \"+r\"(x)); return x * 3 + 1; }\n";

static const char prog_c[] =
	"#include <stdio.h>\n#include <unistd.h>\n"
	"int lib_func_one(int);\n"
	"__attribute__((noinline)) int main_func_two(int x)\n"
	"{ int r = lib_func_one(x); __asm__ volatile(\"\" : \"+r\"(r));"
	" return r + 1; }\n"
	"int main(void) {\n"
	" printf(\"%d %p %p\\n\", getpid(), (void *)main_func_two,"
	" (void *)lib_func_one);\n fflush(stdout);\n"
	" sleep(60);\n return main_func_two(1);\n}\n";

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/tt-prof-%d", getpid());
	uf_sh("rm -rf %s && mkdir -p %s", dir, dir);
	uf_put(dir, "lib.c", lib_c);
	uf_put(dir, "prog.c", prog_c);
	uf_sh("cd %s && gcc -O2 -fomit-frame-pointer -fPIC -shared -o "
	      "libtt1.so "
	      "lib.c && gcc -O2 -fomit-frame-pointer -fPIE -pie -o prog prog.c "
	      "-L. -ltt1 -Wl,-rpath,%s && gcc -O2 -no-pie -o prog-nopie prog.c "
	      "-L. -ltt1 -Wl,-rpath,%s",
	      dir, dir, dir);
}

static void teardown(void)
{
	uf_sh("rm -rf %s", dir);
}

/* nm's address of symbol name in file (the answer key) */
static unsigned long nm_addr(const char *file, const char *name)
{
	char cmd[512], line[256];
	unsigned long a = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "nm %s/%s", dir, file);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p)) {
		char n[128], t;
		unsigned long v;

		if (sscanf(line, "%lx %c %127s", &v, &t, n) == 3 &&
		    !strcmp(n, name))
			a = v;
	}
	pclose(p);
	ck_assert_msg(a, "nm found no %s in %s", name, file);
	return a;
}

static struct tt_elfsym *load(const char *file, bool symbols)
{
	char path[256];
	struct tt_elfsym *e = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tt_elfsym_load_fd(fd, symbols, &e), 0);
	close(fd);
	return e;
}

START_TEST(elf_symbols_as_nm_says)
{
	struct tt_elfsym *e = load("prog", true);
	unsigned long a = nm_addr("prog", "main_func_two");
	uint64_t off = 99;

	ck_assert(e->has_symtab);
	ck_assert_int_eq(e->type, 3 /* ET_DYN: a PIE */);
	ck_assert_str_eq(tt_elfsym_lookup(e, a, &off), "main_func_two");
	ck_assert_int_eq(off, 0);
	ck_assert_str_eq(tt_elfsym_lookup(e, a + 3, &off), "main_func_two");
	ck_assert_int_eq(off, 3);
	ck_assert_str_eq(tt_elfsym_lookup(e, nm_addr("prog", "main"), NULL),
			 "main");
	ck_assert_uint_gt(e->build_id_len, 0);
	tt_elfsym_free(e);
	e = load("libtt1.so", true);
	ck_assert_str_eq(
		tt_elfsym_lookup(e, nm_addr("libtt1.so", "lib_func_one") + 1,
				 NULL),
		"lib_func_one");
	tt_elfsym_free(e);
	e = load("prog-nopie", true);
	ck_assert_int_eq(e->type, 2 /* ET_EXEC */);
	ck_assert_str_eq(
		tt_elfsym_lookup(e, nm_addr("prog-nopie", "main_func_two"),
				 NULL),
		"main_func_two");
	tt_elfsym_free(e);
}
END_TEST

START_TEST(elf_stripped_names_nothing_wrong)
{
	unsigned long a = nm_addr("prog", "main_func_two");
	struct tt_elfsym *e;
	uint64_t v;

	uf_sh("cd %s && strip -o prog-stripped prog", dir);
	e = load("prog-stripped", true);
	ck_assert(!e->has_symtab);
	/* only the imports are in .dynsym: the function has no name, and
	 * must not get a neighbour's */
	for (uint64_t d = 0; d < 16; d++)
		ck_assert_ptr_null(tt_elfsym_lookup(e, a + d, NULL));
	/* the segments still turn file offsets into addresses */
	ck_assert(tt_elfsym_off_to_vaddr(
		e, a - e->seg[1].vaddr + e->seg[1].offset, &v));
	tt_elfsym_free(e);
}
END_TEST

/* corrupt and truncated copies: no crash, never a name that is not
 * the function's (fuzzed further by tests/fuzz/fuzz_elf.c) */
START_TEST(elf_truncated_and_corrupt)
{
	char path[256];
	unsigned long a = nm_addr("prog", "main_func_two");
	size_t len;
	char *buf;

	snprintf(path, sizeof(path), "%s/prog", dir);
	buf = uf_slurp(path, &len);
	for (size_t cut = 0; cut < len; cut += 97) {
		struct tt_elfsym *e = NULL;
		struct tt_unw_row *rows;
		uint32_t nr;
		const char *n;

		/* the unwinding rows too: refused or built, never a crash */
		if (!tt_unwtab_build_mem(buf, cut, &rows, &nr, 1u << 20))
			free(rows);
		if (tt_elfsym_load_mem(buf, (size_t)cut, &e))
			continue;
		n = tt_elfsym_lookup(e, a, NULL);
		ck_assert_msg(!n || !strcmp(n, "main_func_two"),
			      "cut at %zu: %s", cut, n);
		tt_elfsym_free(e);
	}
	srand(7);
	for (int round = 0; round < 300; round++) {
		char *c = malloc((size_t)len);
		struct tt_elfsym *e = NULL;

		memcpy(c, buf, (size_t)len);
		struct tt_unw_row *rows;
		uint32_t nr;

		for (int k = 0; k < 8; k++)
			c[(size_t)rand() % len] = (char)rand();
		if (!tt_unwtab_build_mem(c, len, &rows, &nr, 1u << 20))
			free(rows);
		if (!tt_elfsym_load_mem(c, (size_t)len, &e)) {
			tt_elfsym_lookup(e, a, NULL);
			tt_elfsym_free(e);
		}
		free(c);
	}
	free(buf);
}
END_TEST

struct open_path {
	char path[256];
};

static int open_p(void *ctx)
{
	int fd = open(((struct open_path *)ctx)->path, O_RDONLY);

	return fd < 0 ? -errno : fd;
}

/* the name of vaddr in file, through the cache and its debug search */
static const char *cached_name(struct tt_symcache *c, const char *file,
			       uint64_t ino, unsigned long vaddr)
{
	struct open_path o;
	struct tt_symfile *f;
	const char *n;

	snprintf(o.path, sizeof(o.path), "%s/%s", dir, file);
	f = tt_symcache_get(c, 1, ino, open_p, &o, "", o.path, true);
	ck_assert_ptr_nonnull(f);
	n = tt_symfile_lookup(f, vaddr);
	tt_symcache_put(c, f);
	return n;
}

/* a file nobody holds goes once idle, whatever the budget; one held stays */
START_TEST(symcache_idle_files_go)
{
	struct tt_symcache *c = tt_symcache_new((size_t)8 << 20, dir);
	unsigned long a = nm_addr("prog", "main_func_two");
	struct open_path o;
	struct tt_symfile *held;

	tt_symcache_set_idle(c, 0.2);
	ck_assert_str_eq(cached_name(c, "prog", 1, a), "main_func_two");
	ck_assert_str_eq(cached_name(c, "prog", 1, a), "main_func_two");
	ck_assert_uint_eq(tt_symcache_loads(c), 1);
	snprintf(o.path, sizeof(o.path), "%s/prog", dir);
	held = tt_symcache_get(c, 1, 2, open_p, &o, "", o.path, true);
	usleep(1100000); /* idle, and past the once-a-second sweep */
	ck_assert_str_eq(cached_name(c, "prog", 1, a), "main_func_two");
	ck_assert_uint_eq(tt_symcache_loads(c), 3);
	usleep(1100000);
	/* held all along: still there, nothing read */
	ck_assert_ptr_eq(tt_symcache_get(c, 1, 2, open_p, &o, "", o.path, true),
			 held);
	ck_assert_uint_eq(tt_symcache_loads(c), 3);
	tt_symcache_put(c, held);
	tt_symcache_put(c, held);
	tt_symcache_free(c);
}
END_TEST

START_TEST(debuglink_and_build_id)
{
	struct tt_symcache *c;
	char dbg[256];
	unsigned long a = nm_addr("prog", "main_func_two");

	snprintf(dbg, sizeof(dbg), "%s/debug", dir);
	c = tt_symcache_new((size_t)8 << 20, dbg);
	/* stripped, with a debuglink next to it: found, build-ids agree */
	uf_sh("cd %s && objcopy --only-keep-debug prog prog.debug && "
	      "strip -o prog-linked prog && "
	      "objcopy --add-gnu-debuglink=prog.debug prog-linked",
	      dir);
	ck_assert_str_eq(cached_name(c, "prog-linked", 1, a), "main_func_two");
	/* the same with no build-id: the link's CRC decides */
	uf_sh("cd %s && gcc -O2 -fPIE -pie -Wl,--build-id=none -o nobid prog.c "
	      "-L. -ltt1 && objcopy --only-keep-debug nobid nobid.debug && "
	      "strip -o nobid-linked nobid && "
	      "objcopy --add-gnu-debuglink=nobid.debug nobid-linked",
	      dir);
	ck_assert_str_eq(cached_name(c, "nobid-linked", 2,
				     nm_addr("nobid", "main_func_two")),
			 "main_func_two");
	/* a debug file that is not this file's: refused (CRC differs) */
	uf_sh("cd %s && cp prog.debug nobid.debug", dir);
	ck_assert_ptr_null(cached_name(c, "nobid-linked", 3,
				       nm_addr("nobid", "main_func_two")));
	/* by build-id under the debug directory */
	{
		struct tt_elfsym *e = load("prog", false);
		char hex[81];

		for (uint32_t i = 0; i < e->build_id_len; i++)
			snprintf(hex + 2 * i, 3, "%02x", e->build_id[i]);
		uf_sh("cd %s && strip -o prog-bid prog && mkdir -p "
		      "debug/.build-id/%.2s && cp prog.debug "
		      "debug/.build-id/%.2s/%s.debug",
		      dir, hex, hex, hex + 2);
		tt_elfsym_free(e);
	}
	ck_assert_str_eq(cached_name(c, "prog-bid", 4, a), "main_func_two");
	ck_assert_uint_eq(tt_symcache_loads(c), 4);
	/* the cache: a second look reads nothing */
	ck_assert_str_eq(cached_name(c, "prog-bid", 4, a), "main_func_two");
	ck_assert_uint_eq(tt_symcache_loads(c), 4);
	tt_symcache_free(c);
}
END_TEST

/* run prog, return its pid and the two addresses it printed */
static pid_t run_prog(const char *prog, FILE **out, unsigned long *f2,
		      unsigned long *f1)
{
	char cmd[256];
	int pid = 0;

	snprintf(cmd, sizeof(cmd), "exec %s/%s", dir, prog);
	*out = popen(cmd, "r");
	ck_assert_ptr_nonnull(*out);
	ck_assert_int_eq(fscanf(*out, "%d %lx %lx", &pid, f2, f1), 3);
	return pid;
}

static void stop_prog(pid_t pid, FILE *out)
{
	kill(pid, SIGKILL);
	pclose(out);
}

START_TEST(live_process_pie_and_library)
{
	struct tt_sym *s = tt_sym_new(NULL);
	struct tt_sym_res r;
	unsigned long f2, f1;
	FILE *out;
	pid_t pid = run_prog("prog", &out, &f2, &f1);

	tt_sym_user(s, (uint32_t)pid, 0, f2 + 2, &r);
	ck_assert_str_eq(r.name, "main_func_two");
	ck_assert_str_eq(r.module, "prog");
	ck_assert(r.resolved);
	tt_sym_user(s, (uint32_t)pid, 0, f1 + 1, &r);
	ck_assert_str_eq(r.name, "lib_func_one");
	ck_assert_str_eq(r.module, "libtt1.so");
	/* no mapping there at all */
	tt_sym_user(s, (uint32_t)pid, 0, 0x1000, &r);
	ck_assert_str_eq(r.name, "[unknown]");
	ck_assert(!r.resolved);
	stop_prog(pid, out);
	pid = run_prog("prog-nopie", &out, &f2, &f1);
	tt_sym_user(s, (uint32_t)pid, 0, f2, &r);
	ck_assert_str_eq(r.name, "main_func_two");
	stop_prog(pid, out);
	tt_sym_free(s);
}
END_TEST

START_TEST(live_stripped_is_module_plus_offset)
{
	struct tt_sym *s = tt_sym_new(NULL);
	struct tt_sym_res r;
	unsigned long f2, f1, want = nm_addr("prog", "main_func_two");
	char expect[64];
	FILE *out;
	pid_t pid;

	uf_sh("cd %s && strip -o prog-s prog", dir);
	pid = run_prog("prog-s", &out, &f2, &f1);
	tt_sym_user(s, (uint32_t)pid, 0, f2, &r);
	/* the link-time address, what addr2line -e prog takes */
	snprintf(expect, sizeof(expect), "prog-s+0x%lx", want);
	ck_assert_str_eq(r.name, expect);
	ck_assert(!r.resolved);
	stop_prog(pid, out);
	tt_sym_free(s);
}
END_TEST

/* a binary deleted while it runs: named through /proc/PID/map_files
 * (root), or left unnamed - never named after another file */
START_TEST(live_deleted_file)
{
	struct tt_sym *s = tt_sym_new(NULL);
	struct tt_sym_res r;
	unsigned long f2, f1;
	FILE *out;
	pid_t pid;

	uf_sh("cd %s && cp prog prog-del", dir);
	pid = run_prog("prog-del", &out, &f2, &f1);
	uf_sh("rm %s/prog-del && cp %s/prog-nopie %s/prog-del", dir, dir, dir);
	tt_sym_user(s, (uint32_t)pid, 0, f2, &r);
	ck_assert_str_eq(r.module, "prog-del");
	if (geteuid() == 0)
		ck_assert_str_eq(r.name, "main_func_two");
	else
		ck_assert_msg(!r.resolved, "named %s from another file",
			      r.name);
	stop_prog(pid, out);
	tt_sym_free(s);
}
END_TEST

/* a perf map names anonymous executable code (a JIT) */
START_TEST(jit_perf_map)
{
	static const char jit_c[] =
		"#include <stdio.h>\n#include <sys/mman.h>\n#include "
		"<unistd.h>\n"
		"int main(void) {\n"
		" char *p = mmap(0, 4096, PROT_READ|PROT_WRITE|PROT_EXEC,"
		" MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);\n"
		" char path[64]; FILE *f;\n"
		" snprintf(path, 64, \"/tmp/perf-%d.map\", getpid());\n"
		" f = fopen(path, \"w\"); fprintf(f, \"%lx 40 js:hot_loop\\n\","
		" (unsigned long)p + 0x100); fclose(f);\n"
		" printf(\"%d %p %p\\n\", getpid(), p + 0x110, p + 0x200);"
		" fflush(stdout); sleep(60); return 0; }\n";
	struct tt_sym *s = tt_sym_new(NULL);
	struct tt_sym_res r;
	unsigned long in, out_of;
	char map[64];
	FILE *out;
	pid_t pid;

	uf_put(dir, "jit.c", jit_c);
	uf_sh("cd %s && gcc -O2 -o jit jit.c", dir);
	pid = run_prog("jit", &out, &in, &out_of);
	tt_sym_user(s, (uint32_t)pid, 0, in, &r);
	ck_assert_str_eq(r.name, "js:hot_loop");
	ck_assert_str_eq(r.module, "[jit]");
	tt_sym_user(s, (uint32_t)pid, 0, out_of, &r);
	ck_assert(!r.resolved);
	ck_assert_str_eq(r.module, "[anon]");
	stop_prog(pid, out);
	snprintf(map, sizeof(map), "/tmp/perf-%d.map", pid);
	unlink(map);
	tt_sym_free(s);
}
END_TEST

static uint64_t fake_gen;

static uint64_t get_fake_gen(void *ctx)
{
	return *(uint64_t *)ctx;
}

/* the kernel's name of addr, and the symbols' generation after it */
static const char *kname(struct tt_sym *s, uint64_t addr, unsigned *gen)
{
	static struct tt_sym_res r;

	tt_sym_kernel(s, addr, &r);
	*gen = tt_sym_kernel_gen(s);
	return r.name;
}

/*
 * kallsyms is read again for an address outside the kernel's own text
 * only when the kernel's text changed: a newer BPF program, or another
 * /proc/modules (each read costs ~40 ms on a real kernel).
 */
START_TEST(kallsyms_reread_when_text_changed)
{
	char ks[256];
	struct tt_sym_opts o = { .proc = dir,
				 .kallsyms = ks,
				 .kernel_gen = get_fake_gen,
				 .kernel_gen_ctx = &fake_gen,
				 .ksym_reload_s = 1e-9 };
	struct tt_sym *s;
	unsigned g0, g;

	snprintf(ks, sizeof(ks), "%s/kallsyms", dir);
	uf_put(dir, "kallsyms",
	       "ffffffff81000000 T _stext\n"
	       "ffffffffc0001000 t old_fn\t[bpf]\n");
	uf_put(dir, "modules", "mymod 16384 0 - Live 0x0\n");
	fake_gen = 7;
	s = tt_sym_new(&o);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(kname(s, 0xffffffffc0001010, &g0), "old_fn");
	/* a program loaded after old_fn, not yet known */
	uf_put(dir, "kallsyms",
	       "ffffffff81000000 T _stext\n"
	       "ffffffffc0001000 t old_fn\t[bpf]\n"
	       "ffffffffc0001100 t new_fn\t[bpf]\n");
	ck_assert_str_eq(kname(s, 0xffffffffc0001110, &g), "old_fn");
	ck_assert_uint_eq(g, g0); /* the same text: not read again */
	fake_gen = 8;		  /* a newer program id */
	ck_assert_str_eq(kname(s, 0xffffffffc0001110, &g), "new_fn");
	ck_assert_uint_eq(g, g0 + 1);
	uf_put(dir, "kallsyms",
	       "ffffffff81000000 T _stext\n"
	       "ffffffffc0001000 t old_fn\t[bpf]\n"
	       "ffffffffc0001100 t new_fn\t[bpf]\n"
	       "ffffffffc0002000 t mod_fn\t[othermod]\n");
	ck_assert_str_eq(kname(s, 0xffffffffc0002010, &g), "new_fn");
	ck_assert_uint_eq(g, g0 + 1);
	uf_put(dir, "modules",
	       "mymod 16384 0 - Live 0x0\n"
	       "othermod 8192 0 - Live 0x0\n");
	ck_assert_str_eq(kname(s, 0xffffffffc0002010, &g), "mod_fn");
	ck_assert_uint_eq(g, g0 + 2);
	tt_sym_free(s);

	/* a kernel built without modules has no /proc/modules */
	ck_assert_int_eq(unlink(strcat(strcpy(ks, dir), "/modules")), 0);
	snprintf(ks, sizeof(ks), "%s/kallsyms", dir);
	s = tt_sym_new(&o);
	ck_assert_str_eq(kname(s, 0xffffffffc0002010, &g0), "mod_fn");
	uf_put(dir, "kallsyms",
	       "ffffffff81000000 T _stext\n"
	       "ffffffffc0002000 t mod_fn\t[othermod]\n"
	       "ffffffffc0002100 t later_fn\t[bpf]\n");
	ck_assert_str_eq(kname(s, 0xffffffffc0002110, &g), "mod_fn");
	ck_assert_uint_eq(g, g0);
	tt_sym_free(s);
}
END_TEST

START_TEST(kallsyms_parse)
{
	static const char text[] = "ffffffff81000000 T _stext\n"
				   "ffffffff81000100 t helper_one\n"
				   "ffffffff81000200 D some_data\n"
				   "ffffffff810002f0 T __pfx_do_work\n"
				   "ffffffff81000300 T do_work\n"
				   "0000000000000000 A hidden\n"
				   "ffffffffc0001000 t mod_func\t[mymod]\n"
				   "garbage line\n";
	char path[256];
	const char *mod = NULL;
	struct tt_ksyms *k;
	int err, fd;

	uf_put(dir, "kallsyms", text);
	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	fd = open(path, O_RDONLY);
	k = tt_ksyms_load(fd, &err);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(tt_ksyms_count(k), 4);
	ck_assert_str_eq(tt_ksyms_find(k, 0xffffffff81000150, &mod),
			 "helper_one");
	ck_assert_str_eq(mod, "[kernel]");
	/* data is not code: the function before it extends over it */
	ck_assert_str_eq(tt_ksyms_find(k, 0xffffffff81000250, NULL),
			 "helper_one");
	/* a padding symbol is not kept (the count above): an address in
	 * it is the function's it leads to, one before it the one before */
	ck_assert_str_eq(tt_ksyms_find(k, 0xffffffff810002f4, NULL), "do_work");
	ck_assert_str_eq(tt_ksyms_find(k, 0xffffffff810002ef, NULL),
			 "helper_one");
	/* just before a function that has no padding: the one before */
	ck_assert_str_eq(tt_ksyms_find(k, 0xffffffff810000fc, NULL), "_stext");
	ck_assert_str_eq(tt_ksyms_find(k, 0xffffffffc0001010, &mod),
			 "mod_func");
	ck_assert_str_eq(mod, "[mymod]");
	ck_assert_ptr_null(tt_ksyms_find(k, 0xffffffff80000000, NULL));
	ck_assert_ptr_null(tt_ksyms_find(k, 0xffffffffc0201000, NULL));
	tt_ksyms_free(k);
	close(fd);
}
END_TEST

START_TEST(maps_and_perfmap_parse)
{
	static const char maps[] =
		"55d1c4a00000-55d1c4a21000 r-xp 00002000 fd:01 1837 "
		"/usr/bin/x\n"
		"55d1c4a21000-55d1c4a30000 r--p 00023000 fd:01 1837 "
		"/usr/bin/x\n"
		"7f0a1c000000-7f0a1c021000 r-xp 00000000 00:00 0 \n"
		"7f0a1d000000-7f0a1d100000 r-xp 00001000 08:02 99 /tmp/a b.so "
		"(deleted)\n"
		"7ffd4a5f6000-7ffd4a5f8000 r-xp 00000000 00:00 0 [vdso]\n"
		"nonsense\n";
	struct tt_map *v;
	struct tt_perfmap *pm;
	size_t n;

	ck_assert_int_eq(tt_maps_parse(maps, &v, &n), 0);
	ck_assert_uint_eq(n, 4); /* executable ones only */
	ck_assert_str_eq(v[0].path, "/usr/bin/x");
	ck_assert_uint_eq(v[0].off, 0x2000);
	ck_assert_uint_eq(v[0].ino, 1837);
	ck_assert_int_eq(v[1].kind, TT_MAP_ANON);
	ck_assert_str_eq(v[2].path, "/tmp/a b.so");
	ck_assert(v[2].deleted);
	ck_assert_int_eq(v[3].kind, TT_MAP_VDSO);
	ck_assert_ptr_eq(tt_maps_find(v, n, 0x7f0a1d000010), &v[2]);
	ck_assert_ptr_null(tt_maps_find(v, n, 0x55d1c4a21000));
	tt_maps_free(v, n);
	ck_assert_int_eq(tt_perfmap_parse("1000 10 a\n2000 20 b c\nzz\n3000 "
					  "0 empty\n",
					  &pm),
			 0);
	ck_assert_str_eq(tt_perfmap_find(pm, 0x2010), "b c");
	ck_assert_ptr_null(tt_perfmap_find(pm, 0x1010));
	ck_assert_ptr_null(tt_perfmap_find(pm, 0x3000));
	tt_perfmap_free(pm);
}
END_TEST

START_TEST(cxx_names_demangled)
{
	char out[128];

	tt_demangle("_ZN3foo3barEi", out, sizeof(out));
	ck_assert_str_eq(out, "foo::bar(int)");
	tt_demangle("plain_c", out, sizeof(out));
	ck_assert_str_eq(out, "plain_c");
	tt_demangle("_Znot_really", out, sizeof(out));
	ck_assert_str_eq(out, "_Znot_really");
}
END_TEST

Suite *prof_sym_suite(void)
{
	Suite *s = suite_create("prof_sym");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, elf_symbols_as_nm_says);
	tcase_add_test(tc, elf_stripped_names_nothing_wrong);
	tcase_add_test(tc, elf_truncated_and_corrupt);
	tcase_add_test(tc, debuglink_and_build_id);
	tcase_add_test(tc, symcache_idle_files_go);
	tcase_add_test(tc, live_process_pie_and_library);
	tcase_add_test(tc, live_stripped_is_module_plus_offset);
	tcase_add_test(tc, live_deleted_file);
	tcase_add_test(tc, jit_perf_map);
	tcase_add_test(tc, kallsyms_parse);
	tcase_add_test(tc, kallsyms_reread_when_text_changed);
	tcase_add_test(tc, maps_and_perfmap_parse);
	tcase_add_test(tc, cxx_names_demangled);
	suite_add_tcase(s, tc);
	return s;
}
