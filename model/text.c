// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * text.c - batch output: a short summary header, then one row per process,
 * columns from the shared column table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model/format.h"
#include "model/measured.h"
#include "model/text.h"

/* a row of s ("-" in the cells of figures s did not measure) */
static void text_row(char *buf, size_t len, const struct tt_snapshot *s,
		     const struct tt_proc *p, const int *cols, size_t ncols)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < ncols && off + 1 < len; i++) {
		const struct tt_column *c = &tt_columns[cols[i]];
		char cell[512];
		int w = c->width;
		bool last = i + 1 == ncols;

		if (p)
			tt_colset_cell_of(&tt_proc_cols, cols[i], p, s, cell,
					  sizeof(cell));
		else
			snprintf(cell, sizeof(cell), "%s", c->title);
		if (last && c->left)
			off += snprintf(buf + off, len - off, "%s", cell);
		else if (c->left)
			off += snprintf(buf + off, len - off, "%-*.*s ", w, w,
					cell);
		else
			off += snprintf(buf + off, len - off, "%*s ", w, cell);
		if (off >= len)
			off = len - 1;
	}
	while (off > 0 && buf[off - 1] == ' ')
		buf[--off] = 0;
}

void tt_text_row(char *buf, size_t len, const struct tt_proc *p,
		 const int *cols, size_t ncols)
{
	text_row(buf, len, NULL, p, cols, ncols);
}

/* a summary rate "12k/s", or "-" when s did not measure it (buf holds
 * the figure on entry) */
static const char *per_s(const struct tt_snapshot *s, enum tt_fig f, char *buf,
			 size_t n)
{
	size_t used = strlen(buf);

	if (!tt_fig_measured(s, f))
		return "-";
	snprintf(buf + used, n - used, "/s");
	return buf;
}

int tt_text_snapshot(FILE *out, const struct tt_snapshot *s, enum tt_col col,
		     bool desc)
{
	const struct tt_proc **v = malloc((s->nprocs + 1) * sizeof(*v));
	char a[32], b[32], c[32], d[32], line[1024];
	time_t t = (time_t)s->time;
	struct tm tm;

	if (!v)
		return -ENOMEM;
	localtime_r(&t, &tm);
	fprintf(out,
		"tracetop %s - %02d:%02d:%02d, %d CPUs, interval %.2fs, "
		"%zu processes\n",
		s->version, tm.tm_hour, tm.tm_min, tm.tm_sec, s->cpus,
		s->interval_s, s->nprocs);
	fprintf(out,
		"Probes: syscalls %s, tcp %s, sched %s; lost events: %llu\n",
		s->probes[TT_PROBE_SYSCALLS], s->probes[TT_PROBE_TCP],
		s->probes[TT_PROBE_SCHED], (unsigned long long)s->lost_total);
	tt_fmt_count(a, sizeof(a), s->sc_rate);
	tt_fmt_count(b, sizeof(b), s->sc_err_rate);
	tt_fmt_bytes(c, sizeof(c), s->tx_rate);
	tt_fmt_bytes(d, sizeof(d), s->rx_rate);
	fprintf(out, "Syscalls: %s, %s failing; TCP: tx %s, rx %s; ",
		per_s(s, TT_FIG_SC, a, sizeof(a)),
		per_s(s, TT_FIG_SC, b, sizeof(b)),
		per_s(s, TT_FIG_TCP_TX, c, sizeof(c)),
		per_s(s, TT_FIG_TCP_RX, d, sizeof(d)));
	tt_fmt_count(a, sizeof(a), s->switch_rate);
	fprintf(out, "switches %s, run-queue p99 %s\n",
		per_s(s, TT_FIG_SCHED_CPU, a, sizeof(a)),
		s->runq_p99_ns && tt_fig_measured(s, TT_FIG_SCHED_RQ)
			? tt_fmt_ns(b, sizeof(b), s->runq_p99_ns)
			: "-");
	fprintf(out,
		"Cost: BPF %s/s of CPU, user %.1f%% CPU, maps %s, RSS %s\n\n",
		tt_fmt_ns(a, sizeof(a), (uint64_t)s->cost.bpf_ns_per_s),
		s->cost.user_cpu_pct,
		tt_fmt_bytes(c, sizeof(c), (double)s->cost.map_bytes),
		tt_fmt_bytes(d, sizeof(d), (double)s->cost.rss_bytes));
	tt_text_row(line, sizeof(line), NULL, tt_proc_cols.defaults,
		    (size_t)tt_proc_cols.ndefaults);
	fprintf(out, "%s\n", line);
	for (size_t i = 0; i < s->nprocs; i++)
		v[i] = &s->procs[i];
	tt_sort_procs(v, s->nprocs, col, desc);
	for (size_t i = 0; i < s->nprocs; i++) {
		text_row(line, sizeof(line), s, v[i], tt_proc_cols.defaults,
			 (size_t)tt_proc_cols.ndefaults);
		fprintf(out, "%s\n", line);
	}
	fputc('\n', out);
	free(v);
	return ferror(out) ? -EIO : 0;
}
