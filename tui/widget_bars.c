// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * widget_bars.c - top bar, header meters and bottom line. The meters are
 * a table of {label, value} functions flowed across the width, so a
 * narrow terminal wraps them instead of cutting them.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "model/format.h"
#include "model/measured.h"
#include "tui/ui_draw.h"
#include "tui/ui_keys.h"
#include "tui/widget_bars.h"

void tt_tabs_draw(const struct tt_tabs *tb, int y, int cols)
{
	const struct tt_snapshot *s = tb->snap;
	bool narrow = cols < 72;
	char right[192], clock[24] = "--:--:--", where[64] = "";
	int x = 0;

	tt_draw_style(TT_EL_TAB);
	tt_draw_blank(y, 0, cols);
	for (int v = 0; v < tb->n; v++) {
		const char *name = narrow ? tb->short_names[v] : tb->names[v];
		char t[48];

		if (v == tb->pid_tab && tb->pid)
			snprintf(t, sizeof(t), " %d %s %u ", tb->numbers[v],
				 name, tb->pid);
		else
			snprintf(t, sizeof(t), " %d %s ", tb->numbers[v], name);
		tt_draw_style(v == tb->active ? TT_EL_TAB_ACTIVE : TT_EL_TAB);
		x += tt_draw_str(y, x, cols - x, t);
	}
	/*
	 * The right part, shortened until it fits beside the tabs: first the
	 * host goes, then the skipped lines' note gets brief, then the date.
	 * A replay's position must show even on a damaged recording.
	 */
	for (int lvl = 0; lvl < 3; lvl++) {
		bool brief = narrow || lvl > 0;

		if (s) {
			time_t t = (time_t)s->time;
			struct tm tm;

			/* a recording shows the day too: last week's maybe */
			if (localtime_r(&t, &tm))
				strftime(clock, sizeof(clock),
					 tb->realtime || narrow || lvl > 1
						 ? "%H:%M:%S"
						 : "%Y-%m-%d %H:%M:%S",
					 &tm);
		}
		if (tb->has_pos) {
			snprintf(where, sizeof(where), "%zu/%zu ",
				 tb->pos.index + 1, tb->pos.count);
			if (tb->pos.skipped)
				snprintf(where + strlen(where),
					 sizeof(where) - strlen(where),
					 brief ? "(%zu bad) "
					       : "(%zu bad lines skipped) ",
					 tb->pos.skipped);
		}
		snprintf(right, sizeof(right), "%s%s%s%s %s %.3gs ",
			 tb->paused ? "PAUSED " : "",
			 tb->has_pos ? "REPLAY " : "", where,
			 brief || !s ? "" : s->host, clock,
			 s && !tb->realtime ? s->interval_s : tb->delay);
		if (x + tt_draw_width(right) < cols)
			break;
	}
	tt_draw_style(tb->paused ? TT_EL_WARN : TT_EL_TAB);
	if (x + tt_draw_width(right) < cols)
		tt_draw_str(y, cols - tt_draw_width(right), cols, right);
	tt_draw_style(TT_EL_NORMAL);
}

/* ---- bottom line ---- */

void tt_status_draw(const struct tt_status *st, int y, int cols)
{
	int x = 0;

	tt_draw_style(TT_EL_NORMAL);
	tt_draw_blank(y, 0, cols);
	if (st->prompt) {
		tt_draw_style(TT_EL_STATUS);
		x = tt_draw_str(y, 0, cols, st->prompt);
		tt_draw_style(TT_EL_NORMAL);
		x += tt_draw_str(y, x, cols - x, st->input ? st->input : "");
		if (x < cols)
			move(y, x);
		return;
	}
	if (st->msg) {
		tt_draw_style(st->msg_error ? TT_EL_ERROR : TT_EL_STATUS);
		tt_draw_str(y, 0, cols, st->msg);
		tt_draw_style(TT_EL_NORMAL);
		return;
	}
	/* the bar advertises keys of the key table, where they work */
	for (size_t i = 0; i < tt_nkeybar; i++) {
		const struct tt_keybar_item *b = &tt_keybar[i];
		char key[16];

		if (!(b->views & st->scope))
			continue;
		tt_keybar_key(b->act, key, sizeof(key));
		if (x + (int)strlen(key) + (int)strlen(b->label) > cols)
			break;
		tt_draw_style(TT_EL_KEY);
		x += tt_draw_str(y, x, cols - x, key);
		tt_draw_style(TT_EL_KEYBAR);
		x += tt_draw_str(y, x, cols - x, b->label);
		tt_draw_style(TT_EL_NORMAL);
		x += tt_draw_str(y, x, cols - x, " ");
	}
}

/* ---- header meters ---- */

/* A meter writes its value; returns true to show it in the warn style. */
typedef bool (*meter_fn)(const struct tt_snapshot *s, char *buf, size_t len);

static bool m_cpu(const struct tt_snapshot *s, char *b, size_t n)
{
	snprintf(b, n, "%.1f%% of %d00%%", s->cpu_pct, s->cpus);
	return false;
}

static bool m_procs(const struct tt_snapshot *s, char *b, size_t n)
{
	snprintf(b, n, "%zu", s->nprocs);
	return false;
}

/* a subsystem switched off shows "off", never zeros that read as
 * measured (true: drawn as a warning) */
static bool m_off(const struct tt_snapshot *s, enum tt_probe_set p, char *b,
		  size_t n)
{
	if (tt_probe_set_measured(s, p))
		return false;
	snprintf(b, n, "off");
	return true;
}

static bool m_sysc(const struct tt_snapshot *s, char *b, size_t n)
{
	char r[16], e[16];

	if (m_off(s, TT_PROBE_SYSCALLS, b, n))
		return true;
	snprintf(b, n, "%s/s, %s err/s", tt_fmt_count(r, sizeof(r), s->sc_rate),
		 tt_fmt_count(e, sizeof(e), s->sc_err_rate));
	return false;
}

static bool m_tcp(const struct tt_snapshot *s, char *b, size_t n)
{
	char t[16], r[16];

	if (m_off(s, TT_PROBE_TCP, b, n))
		return true;
	snprintf(b, n, "tx %s/s rx %s/s, %zu conns",
		 tt_fmt_bytes(t, sizeof(t), s->tx_rate),
		 tt_fmt_bytes(r, sizeof(r), s->rx_rate), s->nconns);
	return false;
}

static bool m_sched(const struct tt_snapshot *s, char *b, size_t n)
{
	char c[16], p[16];

	if (m_off(s, TT_PROBE_SCHED, b, n))
		return true;
	snprintf(b, n, "%s csw/s, runq p99 %s",
		 tt_fmt_count(c, sizeof(c), s->switch_rate),
		 tt_fmt_ns(p, sizeof(p), s->runq_p99_ns));
	return false;
}

static bool m_probes(const struct tt_snapshot *s, char *b, size_t n)
{
	bool off = false;
	size_t used = 0;

	b[0] = '\0';
	for (int i = 0; i < TT_PROBE_MAX && used < n; i++) {
		bool on = !strncmp(s->probes[i], "on", 2);
		bool partial = on && s->probes[i][2];

		off |= !on || partial;
		used += snprintf(b + used, n - used, "%s%s %s", i ? ", " : "",
				 tt_probe_set_name(i),
				 partial ? "partial"
				 : on	 ? "on"
					 : "off");
	}
	return off;
}

/* the sampler: its rate, what it lost, whose waits it captures */
static bool m_prof(const struct tt_snapshot *s, char *b, size_t n)
{
	const struct tt_profile_info *pi = &s->prof;
	char c[16], l[16], w[24] = "none";

	if (strncmp(pi->status, "on", 2)) {
		snprintf(b, n, "%s", pi->status[0] ? pi->status : "off");
		/* left off on purpose is no warning */
		return !strstr(pi->status, "by option");
	}
	if (pi->offcpu_pid)
		snprintf(w, sizeof(w), "PID %u", pi->offcpu_pid);
	snprintf(b, n, "%u Hz, %s samples, %s lost, off-CPU %s", pi->hz,
		 tt_fmt_count(c, sizeof(c), (double)pi->samples),
		 tt_fmt_count(l, sizeof(l), (double)pi->lost), w);
	return pi->lost > 0;
}

static bool m_lost(const struct tt_snapshot *s, char *b, size_t n)
{
	snprintf(b, n, "%llu", (unsigned long long)s->lost_total);
	return s->lost_total > 0;
}

static bool m_self(const struct tt_snapshot *s, char *b, size_t n)
{
	char t[16], m[16];

	/* ~: from runs counted x ns per run measured in the first seconds */
	snprintf(b, n, "bpf %s%s/s, cpu %.1f%%, maps %s",
		 s->cost.bpf_estimated ? "~" : "",
		 tt_fmt_ns(t, sizeof(t), (uint64_t)s->cost.bpf_ns_per_s),
		 s->cost.user_cpu_pct,
		 tt_fmt_bytes(m, sizeof(m), (double)s->cost.map_bytes));
	return false;
}

static const struct {
	const char *label;
	meter_fn fn;
} bars_meters[] = {
	{ "CPU", m_cpu },      { "Procs", m_procs }, { "Syscalls", m_sysc },
	{ "TCP", m_tcp },      { "Sched", m_sched }, { "Probes", m_probes },
	{ "Profile", m_prof }, { "Lost", m_lost },   { "Self", m_self },
};

/* one meter flowed in at (line, x) of the box */
static void header_meter(const char *label, const char *val, bool warn, int y,
			 int cols, int maxh, int *line, int *x)
{
	int need = tt_draw_width(label) + 1 + tt_draw_width(val);

	if (*x > 0 && *x + need > cols) {
		if (++*line >= maxh)
			return;
		*x = 0;
		tt_draw_style(TT_EL_NORMAL);
		tt_draw_blank(y + *line, 0, cols);
	}
	tt_draw_style(TT_EL_LABEL);
	*x += tt_draw_str(y + *line, *x, cols - *x, label);
	*x += tt_draw_str(y + *line, *x, cols - *x, " ");
	tt_draw_style(warn ? TT_EL_WARN : TT_EL_VALUE);
	*x += tt_draw_str(y + *line, *x, cols - *x, val);
	tt_draw_style(TT_EL_NORMAL);
	*x += tt_draw_str(y + *line, *x, cols - *x, "  ");
}

int tt_header_draw(const struct tt_snapshot *s, const char *showing, int y,
		   int cols, int maxh)
{
	int line = 0, x = 0;

	if (maxh <= 0 || !s)
		return 0;
	tt_draw_style(TT_EL_NORMAL);
	tt_draw_blank(y, 0, cols);
	for (size_t i = 0;
	     i < sizeof(bars_meters) / sizeof(*bars_meters) && line < maxh;
	     i++) {
		char val[256];
		bool warn = bars_meters[i].fn(s, val, sizeof(val));

		if (val[0])
			header_meter(bars_meters[i].label, val, warn, y, cols,
				     maxh, &line, &x);
	}
	if (showing && showing[0] && line < maxh)
		header_meter("Showing", showing, false, y, cols, maxh, &line,
			     &x);
	return line + 1 > maxh ? maxh : line + 1;
}
