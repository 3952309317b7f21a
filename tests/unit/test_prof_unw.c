// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * test_prof_unw.c - the two user-stack unwinders on one call chain of a
 * program built here without frame pointers (gcc -O2
 * -fomit-frame-pointer, as Debian builds): libdwfl's over a stack copy
 * (prof/unwind.h), and the rows the kernel walks (prof/unwtab.h, placed
 * by prof/unwplace.h), walked here in C the way bpf/prof_unwind.bpf.h
 * walks them. The answer key is the program's source: capture, level2,
 * level1, main, then _start with no caller. Plus facts every x86-64
 * function's rows obey. No privileges needed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include "prof/elfsym.h"
#include "prof/sym.h"
#include "prof/unwind.h"
#include "prof/unwplace.h"
#include "prof/unwtab.h"
#include "tests/unit/unit_fixture.h"

static char dir[64];

static void setup(void)
{
	uf_tmpdir(dir, sizeof(dir), "tt-unw");
}

static void teardown(void)
{
	uf_tmpdir_remove(dir);
}

/* A chain built without frame pointers, walked from a copy of its
 * registers and stack, as the kernel hands them over. */
static const char unw_c[] =
	"#include <stdio.h>\n#include <stdint.h>\n#include <string.h>\n"
	"#include <unistd.h>\n"
	"static uint64_t r[17];\n"
	"__attribute__((noinline)) int capture(int d) {\n"
	" __asm__ volatile(\"lea 0(%%rip), %0\\n mov %%rsp, %1\\n"
	" mov %%rbp, %2\\n mov %%rbx, %3\\n mov %%r12, %4\\n mov %%r13, %5\\n"
	" mov %%r14, %6\\n mov %%r15, %7\"\n"
	"  : \"=r\"(r[16]), \"=m\"(r[7]), \"=m\"(r[6]), \"=m\"(r[3]),"
	" \"=m\"(r[12]), \"=m\"(r[13]), \"=m\"(r[14]), \"=m\"(r[15]));\n"
	/* up to 16 KiB, not past the stack's top (the kernel's copy stops
	 * there too) */
	" unsigned long lo, hi = 0, n = 16384; char l[256];\n"
	" FILE *m = fopen(\"/proc/self/maps\", \"r\");\n"
	" while (fgets(l, 256, m)) if (strstr(l, \"[stack]\"))"
	" sscanf(l, \"%lx-%lx\", &lo, &hi);\n fclose(m);\n"
	" if (hi - r[7] < n) n = hi - r[7];\n"
	" static char z[16384];\n"
	" FILE *f = fopen(\"STATE\", \"w\");\n"
	" fwrite(r, 8, 17, f); fwrite((void *)r[7], 1, n, f);"
	" fwrite(z, 1, 16384 - n, f); fclose(f);\n"
	" printf(\"%d\\n\", getpid()); fflush(stdout); sleep(60);\n"
	" return d + 1; }\n"
	"__attribute__((noinline)) int level2(int d)"
	" { int x = capture(d + 1); __asm__ volatile(\"\" : \"+r\"(x));"
	" return x * 2; }\n"
	"__attribute__((noinline)) int level1(int d)"
	" { int x = level2(d + 1); __asm__ volatile(\"\" : \"+r\"(x));"
	" return x * 3; }\n"
	"int main(void) { return level1(0) == 7; }\n";

/* unw.c built without frame pointers, run until it captured its state:
 * its registers and stack copy; the pid (the caller kills it) */
static int capture_start(FILE **out, struct tt_uregs *regs,
			 unsigned char *stack, size_t len)
{
	char cmd[256], state[256];
	FILE *f;
	int pid;

	uf_put(dir, "unw.c", unw_c);
	snprintf(state, sizeof(state), "%s/state", dir);
	uf_sh("cd %s && sed -i 's|STATE|%s|' unw.c && "
	      "gcc -O2 -fomit-frame-pointer -o unw unw.c",
	      dir, state);
	/* the answer key: no frame pointer anywhere in the chain */
	uf_sh("cd %s && ! objdump -d unw | awk '/<level[12]>:/,/ret/' | "
	      "grep -q 'mov *%%rsp,%%rbp'",
	      dir);
	snprintf(cmd, sizeof(cmd), "exec %s/unw", dir);
	*out = popen(cmd, "r");
	ck_assert_int_eq(fscanf(*out, "%d", &pid), 1);
	f = fopen(state, "rb");
	ck_assert_ptr_nonnull(f);
	memset(regs, 0, sizeof(*regs));
	ck_assert_int_eq(fread(regs->r, 8, 17, f), 17);
	ck_assert_int_eq(fread(stack, 1, len, f), len);
	fclose(f);
	return pid;
}

static const char *const unw_want[] = { "capture", "level2", "level1", "main" };

/* pcs[0..n) named as unw_want: callers by an address inside the call */
static void check_chain(struct tt_sym *s, int pid, const uint64_t *pcs,
			unsigned n, const char *who)
{
	ck_assert_msg(n >= 4, "%s: %u frames", who, n);
	for (unsigned i = 0; i < 4; i++) {
		struct tt_sym_res r;

		tt_sym_user(s, (uint32_t)pid, 0, i ? pcs[i] - 1 : pcs[i], &r);
		ck_assert_msg(!strcmp(r.name, unw_want[i]),
			      "%s: frame %u: %s, not %s", who, i, r.name,
			      unw_want[i]);
	}
}

START_TEST(unwind_without_frame_pointers)
{
	struct tt_sym *s = tt_sym_new(NULL);
	struct tt_unwind *u = tt_unwind_new(s, 4);
	struct tt_uregs regs;
	unsigned char stack[16384];
	uint64_t pcs[64];
	bool trunc = true;
	unsigned n;
	FILE *out;
	int pid = capture_start(&out, &regs, stack, sizeof(stack));

	n = tt_unwind(u, (uint32_t)pid, 0, (uint32_t)pid, &regs, stack,
		      sizeof(stack), pcs, 64, &trunc);
	/* unwind.c hands out callers already inside their call */
	for (unsigned i = 1; i < n; i++)
		pcs[i]++;
	check_chain(s, pid, pcs, n, "libdwfl");
	/* on to _start, whose CFI says there is no caller */
	ck_assert_msg(!trunc, "walk cut after %u frames", n);
	/* too little stack copied: the walk says it was cut */
	n = tt_unwind(u, (uint32_t)pid, 0, (uint32_t)pid, &regs, stack, 32, pcs,
		      64, &trunc);
	ck_assert(trunc);
	ck_assert_uint_ge(n, 1);
	kill(pid, SIGKILL);
	pclose(out);
	tt_unwind_free(u);
	tt_sym_free(s);
}
END_TEST

/* ---- the kernel's tables ----------------------------------------------------
 */

struct rows_sink {
	struct tt_unw_row v[1u << 16];
	int resets;
};

static int sink_rows(void *ctx, uint32_t at, const struct tt_unw_row *r,
		     uint32_t n)
{
	struct rows_sink *k = ctx;

	ck_assert_uint_le(at + n, sizeof(k->v) / sizeof(k->v[0]));
	memcpy(k->v + at, r, n * sizeof(*r));
	return 0;
}

static void sink_reset(void *ctx)
{
	((struct rows_sink *)ctx)->resets++;
}

/*
 * The kernel's walk (bpf/prof_unwind.bpf.h) as profile.h specifies it,
 * over a stack copy: the rows are what is tested, and their answer key is
 * the chain the program's source says, not libdw's. *done: it reached a
 * frame without a caller.
 */
static unsigned rows_walk(const struct tt_unw_proc *p,
			  const struct tt_unw_row *rows,
			  const struct tt_uregs *regs,
			  const unsigned char *stack, size_t len, uint64_t *pcs,
			  unsigned max, bool *done)
{
	uint64_t pc = regs->r[16], sp = regs->r[7], bp = regs->r[6];
	uint64_t base = sp, cfa, ra;
	unsigned n = 0;

	*done = false;
	pcs[n++] = pc;
	while (n < max) {
		uint64_t look = n > 1 ? pc - 1 : pc;
		const struct tt_unw_map *m = NULL;
		const struct tt_unw_row *r;

		for (uint32_t i = 0; i < p->n; i++)
			if (look >= p->m[i].start && look < p->m[i].end)
				m = &p->m[i];
		if (!m)
			return n;
		r = tt_unwtab_find(rows + m->lo, m->hi - m->lo, look - m->bias);
		if (!r || r->kind == TT_UNW_NONE)
			return n;
		if (r->kind == TT_UNW_LAST) {
			*done = true;
			return n;
		}
		cfa = r->kind == TT_UNW_RSP ? sp + (int64_t)r->cfa * 8
		      : r->kind == TT_UNW_RBP
			      ? bp + (int64_t)r->cfa * 8
			      : sp + 8 + ((pc & 15) >= 11 ? 8 : 0);
		if (cfa - 8 < base || cfa - base > len)
			return n;
		memcpy(&ra, stack + (cfa - 8 - base), 8);
		if (r->rbp) {
			uint64_t at = cfa + (int64_t)r->rbp * 8;

			if (at < base || at + 8 - base > len)
				return n;
			memcpy(&bp, stack + (at - base), 8);
		}
		sp = cfa;
		pc = ra;
		if (!ra) {
			*done = true;
			return n;
		}
		pcs[n++] = ra;
	}
	return n;
}

START_TEST(kernel_tables_walk_the_chain)
{
	static struct rows_sink k;
	struct tt_unwplace_sink sink = { &k, sink_rows, sink_reset };
	struct tt_sym *s = tt_sym_new(NULL);
	struct tt_unwplace *pl = tt_unwplace_new(s, 1u << 16, &sink);
	struct tt_unw_proc proc;
	struct tt_unwplace_stats st;
	struct tt_uregs regs;
	unsigned char stack[16384];
	uint64_t pcs[64];
	unsigned version, n;
	bool done;
	FILE *out;
	int pid = capture_start(&out, &regs, stack, sizeof(stack));

	ck_assert_int_eq(
		tt_unwplace_proc(pl, (uint32_t)pid, 0, &proc, &version), 0);
	/* unw and libc at least (ld.so and the vDSO too) */
	ck_assert_uint_ge(proc.n, 2);
	n = rows_walk(&proc, k.v, &regs, stack, sizeof(stack), pcs, 64, &done);
	check_chain(s, pid, pcs, n, "rows");
	ck_assert_msg(done, "rows: walk cut after %u frames", n);
	/* a second process of the same files places nothing new */
	tt_unwplace_stats(pl, &st);
	ck_assert_int_eq(
		tt_unwplace_proc(pl, (uint32_t)pid, 0, &proc, &version), 0);
	{
		struct tt_unwplace_stats st2;

		tt_unwplace_stats(pl, &st2);
		ck_assert_uint_eq(st2.rows, st.rows);
		ck_assert_uint_eq(st2.used, st.used);
	}
	ck_assert_int_eq(k.resets, 0);
	kill(pid, SIGKILL);
	pclose(out);
	tt_unwplace_free(pl);
	tt_sym_free(s);
}
END_TEST

/* Rules every x86-64 function obeys, whatever built it: at its first
 * instruction the CFA is rsp + 8 and nothing is saved; _start has no
 * caller. And an array too small for a module makes it go without. */
START_TEST(kernel_tables_rows_facts)
{
	struct tt_elfsym *e = NULL;
	struct tt_unw_row *rows;
	uint32_t n;
	size_t len;
	char path[128];
	char *data;
	int checked = 0;

	uf_put(dir, "unw.c", unw_c);
	uf_sh("cd %s && gcc -O2 -fomit-frame-pointer -o unw unw.c", dir);
	snprintf(path, sizeof(path), "%s/unw", dir);
	data = uf_slurp(path, &len);
	ck_assert_int_eq(tt_unwtab_build_mem(data, len, &rows, &n, 1u << 20),
			 0);
	ck_assert_int_eq(tt_elfsym_load_mem(data, len, &e), 0);
	for (uint32_t i = 0; i < e->nsyms; i++) {
		const char *name = e->names + e->syms[i].name;
		const struct tt_unw_row *r =
			tt_unwtab_find(rows, n, e->syms[i].addr);

		if (strcmp(name, "_start") && strcmp(name, "level1") &&
		    strcmp(name, "level2") && strcmp(name, "main"))
			continue;
		ck_assert_ptr_nonnull(r);
		if (!strcmp(name, "_start")) {
			ck_assert_int_eq(r->kind, TT_UNW_LAST);
		} else {
			ck_assert_msg(r->kind == TT_UNW_RSP && r->cfa == 1 &&
					      !r->rbp,
				      "%s: kind %d cfa %d rbp %d", name,
				      r->kind, r->cfa, r->rbp);
		}
		checked++;
	}
	ck_assert_int_eq(checked, 4);
	/* rows by address, none twice */
	for (uint32_t i = 1; i < n; i++)
		ck_assert_uint_gt(rows[i].pc, rows[i - 1].pc);
	free(rows);
	/* more rows than allowed: refused, not cut */
	ck_assert_int_eq(tt_unwtab_build_mem(data, len, &rows, &n, 3), -E2BIG);
	/* not an ELF file, and a truncated one */
	ck_assert_int_lt(tt_unwtab_build_mem("nope", 4, &rows, &n, 100), 0);
	ck_assert_int_lt(tt_unwtab_build_mem(data, 200, &rows, &n, 100), 0);
	tt_elfsym_free(e);
	free(data);
}
END_TEST

Suite *prof_unw_suite(void)
{
	Suite *s = suite_create("prof_unw");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, unwind_without_frame_pointers);
	tcase_add_test(tc, kernel_tables_walk_the_chain);
	tcase_add_test(tc, kernel_tables_rows_facts);
	suite_add_tcase(s, tc);
	return s;
}
