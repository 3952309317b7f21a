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
#include "tui/ui_draw.h"
#include "tui/widget_bars.h"

void tt_tabs_draw(struct tt_ui *ui, int y)
{
	static const char *const short_names[TT_VIEW_MAX] = {
		"Proc", "Sysc", "TCP", "Sched", "PID",
	};
	const struct tt_snapshot *s = ui->snap;
	bool narrow = ui->cols < 72;
	bool realtime = tt_source_can(ui->src, TT_SRC_REALTIME);
	struct tt_position pos;
	bool seeks = tt_source_position(ui->src, &pos);
	char right[192], clock[24] = "--:--:--", where[64] = "";
	int x = 0;

	tt_draw_style(TT_EL_TAB);
	tt_draw_blank(y, 0, ui->cols);
	for (int v = 0; v < TT_VIEW_MAX; v++) {
		char t[48];

		if (v == TT_VIEW_PID && ui->pid)
			snprintf(t, sizeof(t), " %d %s %u ", v + 1,
				 narrow ? short_names[v] : tt_views[v]->name,
				 ui->pid);
		else
			snprintf(t, sizeof(t), " %d %s ", v + 1,
				 narrow ? short_names[v] : tt_views[v]->name);
		tt_draw_style(v == (int)ui->view ? TT_EL_TAB_ACTIVE
						 : TT_EL_TAB);
		x += tt_draw_str(y, x, ui->cols - x, t);
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
					 realtime || narrow || lvl > 1
						 ? "%H:%M:%S"
						 : "%Y-%m-%d %H:%M:%S",
					 &tm);
		}
		if (seeks) {
			snprintf(where, sizeof(where), "%zu/%zu ",
				 pos.index + 1, pos.count);
			if (pos.skipped)
				snprintf(where + strlen(where),
					 sizeof(where) - strlen(where),
					 brief ? "(%zu bad) "
					       : "(%zu bad lines skipped) ",
					 pos.skipped);
		}
		snprintf(right, sizeof(right), "%s%s%s%s %s %.3gs ",
			 ui->paused ? "PAUSED " : "", seeks ? "REPLAY " : "",
			 where, brief || !s ? "" : s->host, clock,
			 s && !realtime ? s->interval_s : ui->delay);
		if (x + tt_draw_width(right) < ui->cols)
			break;
	}
	tt_draw_style(ui->paused ? TT_EL_WARN : TT_EL_TAB);
	if (x + tt_draw_width(right) < ui->cols)
		tt_draw_str(y, ui->cols - tt_draw_width(right), ui->cols,
			    right);
	tt_draw_style(TT_EL_NORMAL);
}

/* ---- bottom line ---- */

static const struct {
	const char *key, *label;
	unsigned views; /* bit per view */
} bars_keys[] = {
	{ "F1", "Help", 0x1f },	  { "F2", "Setup", 0x1f },
	{ "F3", "Search", 0x1f }, { "F4", "Filter", 0x01 },
	{ "F5", "Tree", 0x01 },	  { "F6", "SortBy", 0x1f },
	{ "G", "Group", 0x01 },	  { "v", "Heatmap", 0x1a },
	{ "Enter", "PID", 0x0f }, { "Esc", "Back", 0x10 },
	{ "F9", "Kill", 0x1f },	  { "F10", "Quit", 0x1f },
};

static const char *const bars_prompts[] = {
	[TT_PROMPT_SEARCH] = "Search: ",
	[TT_PROMPT_FILTER] = "Filter by name: ",
	[TT_PROMPT_USER] = "Show user (empty: all): ",
	[TT_PROMPT_SIGNAL] = "",
	[TT_PROMPT_GOTO] = "Go to (HH:MM[:SS] or YYYY-mm-dd HH:MM[:SS]): ",
};

void tt_status_draw(struct tt_ui *ui, int y)
{
	struct timespec now;
	int x = 0;

	clock_gettime(CLOCK_MONOTONIC, &now);
	tt_draw_style(TT_EL_NORMAL);
	tt_draw_blank(y, 0, ui->cols);
	if (ui->prompt != TT_PROMPT_NONE) {
		char p[256];

		if (ui->prompt == TT_PROMPT_SIGNAL)
			snprintf(p, sizeof(p), "%s", ui->prompt_text);
		else
			snprintf(p, sizeof(p), "%s", bars_prompts[ui->prompt]);
		tt_draw_style(TT_EL_STATUS);
		x = tt_draw_str(y, 0, ui->cols, p);
		tt_draw_style(TT_EL_NORMAL);
		x += tt_draw_str(y, x, ui->cols - x, ui->input);
		if (x < ui->cols)
			move(y, x);
		return;
	}
	if (ui->msg[0] && now.tv_sec + now.tv_nsec / 1e9 < ui->msg_until) {
		tt_draw_style(ui->msg_error ? TT_EL_ERROR : TT_EL_STATUS);
		tt_draw_str(y, 0, ui->cols, ui->msg);
		tt_draw_style(TT_EL_NORMAL);
		return;
	}
	for (size_t i = 0; i < sizeof(bars_keys) / sizeof(*bars_keys); i++) {
		if (!(bars_keys[i].views & (1u << ui->view)))
			continue;
		if (x + (int)strlen(bars_keys[i].key) +
			    (int)strlen(bars_keys[i].label) >
		    ui->cols)
			break;
		tt_draw_style(TT_EL_KEY);
		x += tt_draw_str(y, x, ui->cols - x, bars_keys[i].key);
		tt_draw_style(TT_EL_KEYBAR);
		x += tt_draw_str(y, x, ui->cols - x, bars_keys[i].label);
		tt_draw_style(TT_EL_NORMAL);
		x += tt_draw_str(y, x, ui->cols - x, " ");
	}
}

/* ---- header meters ---- */

/* A meter writes its value; returns true to show it in the warn style. */
typedef bool (*meter_fn)(const struct tt_ui *ui, const struct tt_snapshot *s,
			 char *buf, size_t len);

static bool m_cpu(const struct tt_ui *ui, const struct tt_snapshot *s, char *b,
		  size_t n)
{
	snprintf(b, n, "%.1f%% of %d00%%", s->cpu_pct, s->cpus);
	return false;
}

static bool m_procs(const struct tt_ui *ui, const struct tt_snapshot *s,
		    char *b, size_t n)
{
	snprintf(b, n, "%zu", s->nprocs);
	return false;
}

static bool m_sysc(const struct tt_ui *ui, const struct tt_snapshot *s, char *b,
		   size_t n)
{
	char r[16], e[16];

	snprintf(b, n, "%s/s, %s err/s", tt_fmt_count(r, sizeof(r), s->sc_rate),
		 tt_fmt_count(e, sizeof(e), s->sc_err_rate));
	return false;
}

static bool m_tcp(const struct tt_ui *ui, const struct tt_snapshot *s, char *b,
		  size_t n)
{
	char t[16], r[16];

	snprintf(b, n, "tx %s/s rx %s/s, %zu conns",
		 tt_fmt_bytes(t, sizeof(t), s->tx_rate),
		 tt_fmt_bytes(r, sizeof(r), s->rx_rate), s->nconns);
	return false;
}

static bool m_sched(const struct tt_ui *ui, const struct tt_snapshot *s,
		    char *b, size_t n)
{
	char c[16], p[16];

	snprintf(b, n, "%s csw/s, runq p99 %s",
		 tt_fmt_count(c, sizeof(c), s->switch_rate),
		 tt_fmt_ns(p, sizeof(p), s->runq_p99_ns));
	return false;
}

static bool m_probes(const struct tt_ui *ui, const struct tt_snapshot *s,
		     char *b, size_t n)
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
				 partial ? "partial" : on ? "on" : "off");
	}
	return off;
}

static bool m_lost(const struct tt_ui *ui, const struct tt_snapshot *s, char *b,
		   size_t n)
{
	snprintf(b, n, "%llu", (unsigned long long)s->lost_total);
	return s->lost_total > 0;
}

static bool m_self(const struct tt_ui *ui, const struct tt_snapshot *s, char *b,
		   size_t n)
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

static bool m_view(const struct tt_ui *ui, const struct tt_snapshot *s, char *b,
		   size_t n)
{
	size_t used = 0;

	b[0] = '\0';
	if (ui->filter[0])
		used += snprintf(b + used, n - used, "filter '%s' ",
				 ui->filter);
	if (ui->uid >= 0 && used < n)
		used += snprintf(b + used, n - used, "uid %lld ",
				 (long long)ui->uid);
	if (ui->tree && used < n)
		used += snprintf(b + used, n - used, "tree ");
	if (ui->group && used < n)
		used += snprintf(b + used, n - used, "by %s ",
				 tt_group_name(ui->group));
	if (ui->follow && used < n)
		used += snprintf(b + used, n - used, "follow %llu ",
				 (unsigned long long)ui->tbl[0].sel_id);
	if (ui->ntags && used < n)
		snprintf(b + used, n - used, "%d tagged", ui->ntags);
	return false;
}

static const struct {
	const char *label;
	meter_fn fn;
} bars_meters[] = {
	{ "CPU", m_cpu },   { "Procs", m_procs }, { "Syscalls", m_sysc },
	{ "TCP", m_tcp },   { "Sched", m_sched }, { "Probes", m_probes },
	{ "Lost", m_lost }, { "Self", m_self },	  { "Showing", m_view },
};

int tt_header_draw(struct tt_ui *ui, int y, int maxh)
{
	const struct tt_snapshot *s = ui->snap;
	int line = 0, x = 0;

	if (maxh <= 0 || !s)
		return 0;
	tt_draw_style(TT_EL_NORMAL);
	tt_draw_blank(y, 0, ui->cols);
	for (size_t i = 0; i < sizeof(bars_meters) / sizeof(*bars_meters);
	     i++) {
		char val[256];
		bool warn = bars_meters[i].fn(ui, s, val, sizeof(val));
		int need;

		if (!val[0])
			continue;
		need = tt_draw_width(bars_meters[i].label) + 1 +
		       tt_draw_width(val);
		if (x > 0 && x + need > ui->cols) {
			if (++line >= maxh)
				break;
			x = 0;
			tt_draw_style(TT_EL_NORMAL);
			tt_draw_blank(y + line, 0, ui->cols);
		}
		tt_draw_style(TT_EL_LABEL);
		x += tt_draw_str(y + line, x, ui->cols - x,
				 bars_meters[i].label);
		x += tt_draw_str(y + line, x, ui->cols - x, " ");
		tt_draw_style(warn ? TT_EL_WARN : TT_EL_VALUE);
		x += tt_draw_str(y + line, x, ui->cols - x, val);
		tt_draw_style(TT_EL_NORMAL);
		x += tt_draw_str(y + line, x, ui->cols - x, "  ");
	}
	return line + 1 > maxh ? maxh : line + 1;
}
