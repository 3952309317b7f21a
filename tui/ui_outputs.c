// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_outputs.c - the screen's way out to files and back in time: X writes
 * the snapshot on screen (with the view, sort and filter that framed it),
 * and [ ] { } g move through a recording. The file work itself is
 * model/outfile.c's; here is only what the screen knows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "model/event.h"
#include "model/outfile.h"
#include "tui/ui_outputs.h"
#include "tui/views.h"

int tt_ui_export(struct tt_ui *ui)
{
	const struct tt_table *t = &ui->tbl[ui->view];
	char filter[256], path[4096], err[256];
	struct tt_export_ctx ctx = {
		.view = tt_views[ui->view]->name,
		.sort = t->sort_title ? t->sort_title : "",
		.sort_desc = t->desc,
		.filter = filter,
		.pid = ui->view == TT_VIEW_PID ? ui->pid : 0,
		.events = ui->evlog,
		.nevents = tt_ui_events_shown(ui),
	};
	const char *dir = ui->opt->export_dir ? ui->opt->export_dir : ".";

	/* both the name filter and the user filter frame what was seen */
	if (ui->view == TT_VIEW_EVENTS) {
		char k[160] = "";

		if (ui->ev_kinds != (1u << TT_EV_KINDS) - 1)
			tt_ev_kinds_str(ui->ev_kinds, k, sizeof(k));
		snprintf(filter, sizeof(filter), "%s%s%s%s", ui->ev_filter,
			 ui->ev_filter[0] && k[0] ? " " : "",
			 k[0] ? "kinds=" : "", k);
	} else if (ui->uid >= 0)
		snprintf(filter, sizeof(filter), "%s%suid=%lld", ui->filter,
			 ui->filter[0] ? " " : "", (long long)ui->uid);
	else
		snprintf(filter, sizeof(filter), "%s", ui->filter);
	/* the file is the whole snapshot: every process, not only rows */
	if (tt_export_snapshot(dir, ui->snap, &ctx, path, sizeof(path), err,
			       sizeof(err)))
		tt_ui_msg(ui, true, "X: %s", err);
	else
		tt_ui_msg(ui, false, "exported to %s", path);
	return TT_R_REDRAW;
}

/* show what a move through the recording led to */
static int ui_seeked(struct tt_ui *ui, struct tt_step *st)
{
	if (st->outcome == TT_STEP_ERROR || st->outcome == TT_STEP_END ||
	    !(st->has & TT_REC_SNAPSHOT)) {
		tt_ui_msg(ui, st->outcome == TT_STEP_ERROR, "%s", st->msg);
		return TT_R_REDRAW;
	}
	/* stepping through time means looking: the clock stops; Z plays on
	 * from here, even after the end was reached */
	ui->paused = true;
	ui->ended = false;
	tt_ui_events_add(ui, st->snap, true);
	tt_ui_show(ui, st->snap);
	return TT_R_REDRAW | TT_R_TIMER;
}

int tt_ui_seek(struct tt_ui *ui, long delta)
{
	struct tt_step st;

	if (!tt_source_can(ui->src, TT_SRC_SEEK))
		return TT_R_NONE;
	tt_source_seek(ui->src, delta, 0, &st);
	return ui_seeked(ui, &st);
}

/* { } move by wall time, whatever the recording's interval */
int tt_ui_seek_minutes(struct tt_ui *ui, int minutes)
{
	struct tt_step st;
	double t;

	if (!tt_source_can(ui->src, TT_SRC_SEEK) || !ui->snap)
		return TT_R_NONE;
	t = ui->snap->time + 60.0 * minutes;
	if (minutes < 0) {
		/* the first record at or after t, but never the one shown */
		tt_source_seek(ui->src, 0, t > 1 ? t : 1, &st);
		if (st.snap && st.snap->time >= ui->snap->time) {
			tt_snapshot_unref(st.snap);
			tt_source_seek(ui->src, -1, 0, &st);
		}
	} else {
		tt_source_seek(ui->src, 0, t, &st);
	}
	return ui_seeked(ui, &st);
}

/*
 * g: a local time "HH:MM[:SS]" on the day on screen, or a whole
 * "YYYY-mm-dd HH:MM[:SS]". The first record at or after it is shown.
 */
int tt_ui_goto(struct tt_ui *ui, const char *when)
{
	static const char *const formats[] = {
		"%Y-%m-%d %H:%M:%S",
		"%Y-%m-%d %H:%M",
		"%H:%M:%S",
		"%H:%M",
	};
	time_t now = ui->snap ? (time_t)ui->snap->time : time(NULL);
	struct tm tm;
	struct tt_step st;
	const char *end = NULL;

	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++) {
		localtime_r(&now, &tm);
		tm.tm_sec = 0;
		end = strptime(when, formats[i], &tm);
		if (end && !*end)
			break;
		end = NULL;
	}
	if (!end || !tt_source_can(ui->src, TT_SRC_SEEK)) {
		tt_ui_msg(ui, true,
			  "g: '%s' is not HH:MM[:SS] or YYYY-mm-dd "
			  "HH:MM[:SS]",
			  when);
		return TT_R_REDRAW;
	}
	tm.tm_isdst = -1;
	tt_source_seek(ui->src, 0, (double)mktime(&tm), &st);
	if (!st.snap && st.outcome != TT_STEP_ERROR) {
		tt_ui_msg(ui, true, "g: the recording ends before %s", when);
		return TT_R_REDRAW;
	}
	return ui_seeked(ui, &st) | TT_R_TIMER;
}
