// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_actions.c - what keys do. The key table (ui_keys.c) names an
 * action; the loop offers it to the view on screen (its key function),
 * and what the view declines comes here. Each returns the reaction the
 * loop carries out (redraw, re-arm the timer, quit), as htop's Action.c.
 */
#include <curses.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "model/event.h"
#include "tui/ui_actions.h"
#include "tui/ui_outputs.h"
#include "tui/views.h"
#include "tui/widget_geom.h"

/* refresh delays + and - step through, in seconds */
static const double act_delays[] = {
	0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 15, 30, 60
};

static const struct {
	const char *name;
	int sig;
} act_signals[] = {
	{ "HUP", SIGHUP },   { "INT", SIGINT },	  { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "TERM", SIGTERM }, { "STOP", SIGSTOP }, { "CONT", SIGCONT },
	{ "ABRT", SIGABRT }, { "ALRM", SIGALRM }, { "WINCH", SIGWINCH },
};

uint32_t tt_ui_selected_pid(const struct tt_ui *ui)
{
	const struct tt_view_ops *v = tt_views[ui->view];

	return ui->snap && v->selected_pid ? v->selected_pid(ui) : 0;
}

static const char *const act_prompts[] = {
	[TT_PROMPT_SEARCH] = "Search: ",
	[TT_PROMPT_FILTER] = "Filter by name: ",
	[TT_PROMPT_USER] = "Show user (empty: all): ",
	[TT_PROMPT_SIGNAL] = "",
	[TT_PROMPT_GOTO] = "Go to (HH:MM[:SS] or YYYY-mm-dd HH:MM[:SS]): ",
	[TT_PROMPT_KINDS] = "Kinds, as exec,exit or tcp,-reset (empty: all): ",
};

const char *tt_ui_prompt_text(const struct tt_ui *ui)
{
	if (ui->prompt == TT_PROMPT_NONE)
		return NULL;
	if (ui->prompt == TT_PROMPT_FILTER && ui->view == TT_VIEW_EVENTS)
		return "Filter by text: ";
	return ui->prompt == TT_PROMPT_SIGNAL ? ui->prompt_text
					      : act_prompts[ui->prompt];
}

static void act_prompt(struct tt_ui *ui, enum tt_prompt p, const char *init)
{
	ui->prompt = p;
	snprintf(ui->input, sizeof(ui->input), "%s", init);
	ui->input_len = (int)strlen(ui->input);
	curs_set(1);
}

static int act_delay(struct tt_ui *ui, int dir)
{
	size_t n = sizeof(act_delays) / sizeof(*act_delays), i;

	for (i = 0; i < n && act_delays[i] < ui->delay - 1e-9; i++)
		;
	/* i: the first step >= the delay */
	if (dir > 0)
		i = i < n && act_delays[i] <= ui->delay + 1e-9 ? i + 1 : i;
	else
		i = i > 0 ? i - 1 : 0;
	if (i >= n)
		i = n - 1;
	ui->delay = act_delays[i];
	tt_ui_msg(ui, false, "refresh every %.3g s", ui->delay);
	return TT_R_TIMER | TT_R_REDRAW;
}

static int act_view(struct tt_ui *ui, enum tt_view v)
{
	if (v == TT_VIEW_PID && ui->view != TT_VIEW_PID) {
		uint32_t pid = tt_ui_selected_pid(ui);

		if (pid && pid != ui->pid) {
			ui->pid = pid;
			tt_ui_flames_reset(ui);
			ui->tbl[TT_VIEW_PID].sel = 0;
			ui->tbl[TT_VIEW_PID].sel_by_index = true;
		}
		ui->back_view = ui->view;
	}
	ui->view = v;
	return TT_R_REDRAW | TT_R_CLEAR;
}

static int act_enter(struct tt_ui *ui)
{
	uint32_t pid = tt_ui_selected_pid(ui);

	if (!pid || ui->view == TT_VIEW_PID)
		return TT_R_NONE;
	ui->back_view = ui->view;
	if (pid != ui->pid)
		tt_ui_flames_reset(ui);
	ui->pid = pid;
	ui->view = TT_VIEW_PID;
	ui->tbl[TT_VIEW_PID].sel = 0;
	ui->tbl[TT_VIEW_PID].sel_by_index = true;
	return TT_R_REDRAW | TT_R_CLEAR;
}

static int act_back(struct tt_ui *ui)
{
	if (ui->view == TT_VIEW_PID) {
		ui->view = ui->back_view;
		return TT_R_REDRAW | TT_R_CLEAR;
	}
	if (ui->view == TT_VIEW_EVENTS &&
	    (ui->ev_filter[0] || ui->ev_kinds != (1u << TT_EV_KINDS) - 1)) {
		ui->ev_filter[0] = '\0';
		ui->ev_kinds = (1u << TT_EV_KINDS) - 1;
		tt_ui_msg(ui, false, "filters cleared");
		return TT_R_REDRAW;
	}
	if (ui->view == TT_VIEW_PROCS && (ui->filter[0] || ui->uid >= 0)) {
		ui->filter[0] = '\0';
		ui->uid = -1;
		tt_ui_msg(ui, false, "filters cleared");
		return TT_R_REDRAW;
	}
	return TT_R_NONE;
}

static int act_kill_prompt(struct tt_ui *ui)
{
	uint32_t pid = tt_ui_selected_pid(ui);
	const struct tt_proc *p =
		ui->snap ? tt_snapshot_find(ui->snap, pid) : NULL;

	if (ui->ntags)
		snprintf(ui->prompt_text, sizeof(ui->prompt_text),
			 "Send signal to the %d tagged processes "
			 "(Enter sends, Esc cancels): ",
			 ui->ntags);
	else if (pid)
		snprintf(ui->prompt_text, sizeof(ui->prompt_text),
			 "Send signal to PID %u (%s) (Enter sends, Esc "
			 "cancels): ",
			 pid, p ? p->comm : "?");
	else {
		tt_ui_msg(ui, true, "no process selected");
		return TT_R_REDRAW;
	}
	act_prompt(ui, TT_PROMPT_SIGNAL, "TERM");
	return TT_R_REDRAW;
}

static int act_parse_signal(const char *s)
{
	char *end;
	long n;

	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	n = strtol(s, &end, 10);
	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	for (size_t i = 0; i < sizeof(act_signals) / sizeof(*act_signals); i++)
		if (!strcasecmp(s, act_signals[i].name))
			return act_signals[i].sig;
	return -1;
}

static void act_send_signal(struct tt_ui *ui)
{
	int sig = act_parse_signal(ui->input), sent = 0, failed = 0, err = 0;
	uint32_t one = tt_ui_selected_pid(ui);
	const uint32_t *pids = ui->ntags ? ui->tags : &one;
	int n = ui->ntags ? ui->ntags : 1;

	if (sig < 0) {
		tt_ui_msg(ui, true, "unknown signal '%s'", ui->input);
		return;
	}
	for (int i = 0; i < n; i++) {
		/* never 0 or -1: those mean process groups and everyone */
		if (pids[i] == 0 || pids[i] > INT32_MAX)
			continue;
		if (kill((pid_t)pids[i], sig) == 0) {
			sent++;
		} else {
			failed++;
			err = errno;
		}
	}
	if (failed)
		tt_ui_msg(ui, true, "signal %d: sent to %d, failed for %d: %s",
			  sig, sent, failed, strerror(err));
	else
		tt_ui_msg(ui, false, "signal %d sent to %d process%s", sig,
			  sent, sent == 1 ? "" : "es");
	ui->ntags = 0;
}

static void act_set_user(struct tt_ui *ui)
{
	struct passwd *pw;
	char *end;
	long uid;

	if (!ui->input[0]) {
		ui->uid = -1;
		return;
	}
	pw = getpwnam(ui->input);
	if (pw) {
		ui->uid = pw->pw_uid;
		return;
	}
	uid = strtol(ui->input, &end, 10);
	if (!*end && uid >= 0)
		ui->uid = uid;
	else
		tt_ui_msg(ui, true, "no user '%s'", ui->input);
}

/* the Events view's kinds; "-signal" takes one from all of them */
static void act_set_kinds(struct tt_ui *ui)
{
	char list[sizeof(ui->input) + 8], err[160];
	uint32_t m;

	if (!ui->input[0]) {
		ui->ev_kinds = (1u << TT_EV_KINDS) - 1;
		return;
	}
	snprintf(list, sizeof(list), "%s%s", ui->input[0] == '-' ? "all," : "",
		 ui->input);
	if (tt_ev_kinds_parse(list, &m, err, sizeof(err)))
		tt_ui_msg(ui, true, "%s", err);
	else
		ui->ev_kinds = m;
}

static int act_prompt_done(struct tt_ui *ui, bool ok)
{
	enum tt_prompt p = ui->prompt;

	ui->prompt = TT_PROMPT_NONE;
	curs_set(0);
	if (p == TT_PROMPT_FILTER && !ok)
		tt_ui_filter(ui)[0] = '\0';
	if (!ok)
		return TT_R_REDRAW;
	if (p == TT_PROMPT_USER)
		act_set_user(ui);
	else if (p == TT_PROMPT_KINDS)
		act_set_kinds(ui);
	else if (p == TT_PROMPT_SIGNAL)
		act_send_signal(ui);
	else if (p == TT_PROMPT_GOTO)
		return tt_ui_goto(ui, ui->input) | TT_R_REDRAW | TT_R_TIMER;
	return TT_R_REDRAW;
}

/* the text changed: search and filter follow as one types */
static void act_prompt_live(struct tt_ui *ui)
{
	if (ui->prompt == TT_PROMPT_SEARCH) {
		snprintf(ui->search, sizeof(ui->search), "%.63s", ui->input);
		tt_table_find(&ui->tbl[ui->view], false);
	} else if (ui->prompt == TT_PROMPT_FILTER) {
		snprintf(tt_ui_filter(ui), sizeof(ui->filter), "%.63s",
			 ui->input);
	}
}

int tt_ui_prompt_key(struct tt_ui *ui, int ch)
{
	switch (ch) {
	case 27:
		return act_prompt_done(ui, false);
	case '\n':
	case '\r':
	case KEY_ENTER:
		return act_prompt_done(ui, true);
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (ui->input_len > 0)
			ui->input[--ui->input_len] = '\0';
		break;
	case KEY_F(3):
		if (ui->prompt == TT_PROMPT_SEARCH)
			tt_table_find(&ui->tbl[ui->view], true);
		return TT_R_REDRAW;
	default:
		if (ch < 32 || ch > 126 ||
		    ui->input_len + 1 >= (int)sizeof(ui->input))
			return TT_R_NONE;
		ui->input[ui->input_len++] = (char)ch;
		ui->input[ui->input_len] = '\0';
	}
	act_prompt_live(ui);
	return TT_R_REDRAW;
}

static int act_tag(struct tt_ui *ui)
{
	uint32_t pid = tt_ui_selected_pid(ui);

	if (!pid)
		return TT_R_NONE;
	if (tt_ui_tag_toggle(ui, pid)) {
		tt_ui_msg(ui, true, "at most %d tags", TT_MAX_TAGS);
		return TT_R_REDRAW;
	}
	tt_table_move(&ui->tbl[ui->view], TT_ACT_DOWN);
	return TT_R_REDRAW;
}

int tt_ui_common(struct tt_ui *ui, enum tt_act act)
{
	struct tt_table *t = &ui->tbl[ui->view];

	if (tt_table_move(t, act))
		return TT_R_REDRAW;
	switch (act) {
	case TT_ACT_HELP:
		ui->help = true;
		ui->help_top = 0;
		return TT_R_REDRAW | TT_R_CLEAR;
	case TT_ACT_SETUP:
		ui->setup = true;
		ui->setup_sel = 0;
		return TT_R_REDRAW | TT_R_CLEAR;
	case TT_ACT_SEARCH:
		act_prompt(ui, TT_PROMPT_SEARCH, "");
		return TT_R_REDRAW;
	case TT_ACT_SEARCH_NEXT:
		tt_table_find(t, true);
		return TT_R_REDRAW;
	case TT_ACT_FILTER:
		act_prompt(ui, TT_PROMPT_FILTER, tt_ui_filter(ui));
		return TT_R_REDRAW;
	case TT_ACT_EVENT_KINDS: {
		char k[sizeof(ui->input)];

		tt_ev_kinds_str(ui->ev_kinds, k, sizeof(k));
		act_prompt(ui, TT_PROMPT_KINDS, strcmp(k, "all") ? k : "");
		return TT_R_REDRAW;
	}
	case TT_ACT_USER:
		act_prompt(ui, TT_PROMPT_USER, "");
		return TT_R_REDRAW;
	case TT_ACT_SORT_NEXT:
		return tt_table_sort_step(t, 1);
	case TT_ACT_SORT_PREV:
		return tt_table_sort_step(t, -1);
	case TT_ACT_SORT_INVERT:
		t->desc = !t->desc;
		return TT_R_REDRAW;
	case TT_ACT_KILL:
		return act_kill_prompt(ui);
	case TT_ACT_QUIT:
		return TT_R_QUIT;
	case TT_ACT_TAG:
		return act_tag(ui);
	case TT_ACT_UNTAG_ALL:
		ui->ntags = 0;
		return TT_R_REDRAW;
	case TT_ACT_PAUSE:
		ui->paused = !ui->paused;
		if (!ui->paused)
			tt_ui_resume(ui);
		return TT_R_REDRAW;
	case TT_ACT_SLOWER:
		return act_delay(ui, 1);
	case TT_ACT_FASTER:
		return act_delay(ui, -1);
	case TT_ACT_VIEW_NEXT:
		return act_view(ui, (ui->view + 1) % TT_VIEW_MAX);
	case TT_ACT_VIEW_PREV:
		return act_view(ui, (ui->view + TT_VIEW_MAX - 1) % TT_VIEW_MAX);
	case TT_ACT_VIEW_1:
	case TT_ACT_VIEW_2:
	case TT_ACT_VIEW_3:
	case TT_ACT_VIEW_4:
	case TT_ACT_VIEW_5:
	case TT_ACT_VIEW_6:
	case TT_ACT_VIEW_7:
	case TT_ACT_VIEW_8:
	case TT_ACT_VIEW_9: {
		int v = tt_view_of_number((int)(act - TT_ACT_VIEW_1) + 1);

		if (v < 0)
			return TT_R_NONE; /* a number with no view (yet) */
		return act_view(ui, (enum tt_view)v);
	}
	case TT_ACT_ENTER:
		return act_enter(ui);
	case TT_ACT_BACK:
		return act_back(ui);
	case TT_ACT_HEATMAP:
		ui->heatmap = !ui->heatmap;
		return TT_R_REDRAW;
	case TT_ACT_EXPORT:
		return tt_ui_export(ui);
	case TT_ACT_GOTO:
		act_prompt(ui, TT_PROMPT_GOTO, "");
		return TT_R_REDRAW;
	case TT_ACT_REDRAW:
		return TT_R_REDRAW | TT_R_CLEAR;
	case TT_ACT_SEEK_BACK:
		return tt_ui_seek(ui, -1);
	case TT_ACT_SEEK_FWD:
		return tt_ui_seek(ui, 1);
	case TT_ACT_SEEK_BACK_MIN:
		return tt_ui_seek_minutes(ui, -1);
	case TT_ACT_SEEK_FWD_MIN:
		return tt_ui_seek_minutes(ui, 1);
	default:
		return TT_R_NONE;
	}
}

int tt_ui_mouse(struct tt_ui *ui, enum tt_act *act)
{
	struct tt_table *t = &ui->tbl[ui->view];
	MEVENT ev;
	int hit;

	*act = TT_ACT_NONE;
	if (getmouse(&ev) != OK || ui->help || ui->setup || !ui->snap)
		return TT_R_NONE;
	if (ev.bstate & BUTTON4_PRESSED) {
		*act = TT_ACT_UP;
		return TT_R_NONE;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		*act = TT_ACT_DOWN;
		return TT_R_NONE;
	}
#endif
	if (!(ev.bstate &
	      (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED)))
		return TT_R_NONE;
	if (ev.y == t->hdr_y && t->ncols) {
		hit = tt_layout_hit(t->x, t->w, t->ncols, ev.x);
		if (hit < 0)
			return TT_R_NONE;
		/* a click on the sorted column inverts, as in htop */
		if (t->sort == t->col_ids[hit])
			t->desc = !t->desc;
		else
			t->desc = t->desc_of[hit];
		t->sort = t->col_ids[hit];
		return TT_R_REDRAW;
	}
	if (ev.y >= t->body_y && ev.y < t->body_y + t->page &&
	    t->top + ev.y - t->body_y < t->nrows) {
		t->sel = t->top + ev.y - t->body_y;
		t->sel_by_index = true;
		t->track = true;
		if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
			*act = TT_ACT_ENTER;
		return TT_R_REDRAW;
	}
	return TT_R_NONE;
}
