// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_state.c - the screen state's own services, which everything above
 * stands on: the status message, the snapshot on screen and the ones kept
 * before it, the events logged, and tags.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "tui/ui_state.h"

static double mono_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

void tt_ui_msg(struct tt_ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_error = error;
	ui->msg_until = mono_now() + (error ? 6 : 3);
}

const char *tt_ui_msg_now(const struct tt_ui *ui)
{
	return ui->msg[0] && mono_now() < ui->msg_until ? ui->msg : NULL;
}

int tt_ui_msg_timeout(const struct tt_ui *ui)
{
	double left;

	if (!ui->msg[0])
		return -1;
	left = ui->msg_until - mono_now();
	return left > 0 ? (int)(left * 1000) + 20 : -1;
}

void tt_ui_show(struct tt_ui *ui, struct tt_snapshot *s)
{
	unsigned slot = ui->ring_n % TT_UI_RING;

	tt_snapshot_unref(ui->ring[slot]);
	ui->ring[slot] = tt_snapshot_ref(s);
	ui->ring_n++;
	/*
	 * Older snapshots serve only heatmaps (no view compares two: rates
	 * are the model's): keep them slim, the system-wide figures and the
	 * PID view's process. The one before the one on screen stays whole,
	 * so that a heatmap of a process chosen now has a column at once;
	 * it builds up from there.
	 */
	if (ui->ring_n >= 3) {
		unsigned old = (ui->ring_n - 3) % TT_UI_RING;
		struct tt_snapshot *slim =
			ui->ring[old] ? tt_snapshot_slim(ui->ring[old], ui->pid)
				      : NULL;

		if (slim) {
			tt_snapshot_unref(ui->ring[old]);
			ui->ring[old] = slim;
		}
	}
	tt_snapshot_unref(ui->snap);
	ui->snap = s;
	ui->ev_upto = ui->evlog ? tt_evlog_total(ui->evlog) : 0;
}

void tt_ui_events_add(struct tt_ui *ui, struct tt_snapshot *s, bool seek)
{
	if (!ui->evlog)
		return;
	if (seek && ui->ev_prev && !tt_snapshot_follows(s, ui->ev_prev)) {
		/* back to a snapshot of this run: its events end the log */
		if (tt_evlog_rewind(ui->evlog, s->time))
			goto logged;
		tt_evlog_clear(ui->evlog);
		ui->ev_upto = 0;
	}
	if (tt_evlog_add(ui->evlog, s))
		tt_ui_msg(ui, true, "out of memory for the events");
logged:
	tt_snapshot_unref(ui->ev_prev);
	ui->ev_prev = tt_snapshot_ref(s);
}

char *tt_ui_filter(struct tt_ui *ui)
{
	return ui->view == TT_VIEW_EVENTS ? ui->ev_filter : ui->filter;
}

size_t tt_ui_events_shown(const struct tt_ui *ui)
{
	uint64_t total, n;

	if (!ui->evlog)
		return 0;
	total = tt_evlog_total(ui->evlog);
	n = tt_evlog_count(ui->evlog);
	/* the kept ones are numbered total - n .. total - 1 */
	if (ui->ev_upto + n <= total)
		return 0;
	return ui->ev_upto >= total ? (size_t)n
				    : (size_t)(ui->ev_upto + n - total);
}

void tt_ui_resume(struct tt_ui *ui)
{
	if (ui->latest) {
		tt_ui_show(ui, ui->latest);
		ui->latest = NULL;
	}
}

const struct tt_snapshot *tt_ui_past(const struct tt_ui *ui, unsigned k)
{
	if (k >= TT_UI_RING || k >= ui->ring_n)
		return NULL;
	return ui->ring[(ui->ring_n - 1 - k) % TT_UI_RING];
}

void tt_ui_histpane(const struct tt_ui *ui, struct tt_histpane *p)
{
	p->g = tt_glyphs_get(ui->utf8);
	p->heatmap = ui->heatmap;
	p->nsnaps = 0;
	while (p->nsnaps < TT_HEAT_SNAPS && tt_ui_past(ui, p->nsnaps)) {
		p->snaps[p->nsnaps] = tt_ui_past(ui, p->nsnaps);
		p->nsnaps++;
	}
}

bool tt_ui_tagged(const struct tt_ui *ui, uint32_t pid)
{
	for (int i = 0; i < ui->ntags; i++)
		if (ui->tags[i] == pid)
			return true;
	return false;
}

int tt_ui_tag_toggle(struct tt_ui *ui, uint32_t pid)
{
	for (int i = 0; i < ui->ntags; i++)
		if (ui->tags[i] == pid) {
			ui->tags[i] = ui->tags[--ui->ntags];
			return 0;
		}
	if (ui->ntags == TT_MAX_TAGS)
		return -ENOSPC;
	ui->tags[ui->ntags++] = pid;
	return 0;
}

void tt_ui_flames_reset(struct tt_ui *ui)
{
	memset(ui->flame, 0, sizeof(ui->flame));
}

void tt_ui_state_free(struct tt_ui *ui)
{
	tt_snapshot_unref(ui->snap);
	tt_snapshot_unref(ui->latest);
	for (unsigned i = 0; i < TT_UI_RING; i++)
		tt_snapshot_unref(ui->ring[i]);
	tt_snapshot_unref(ui->ev_prev);
	tt_rows_free(&ui->rows_cache);
	tt_history_free(ui->history);
	tt_evlog_free(ui->evlog);
	ui->snap = ui->latest = ui->ev_prev = NULL;
	ui->history = NULL;
	ui->evlog = NULL;
}
