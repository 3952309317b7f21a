// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * ui_loop.c - tt_ui_run: the event loop, the top floor of the screen.
 * One poll() over the keyboard, a timerfd for refreshes, a signalfd for
 * resize, stop and termination, the hook's descriptor and the source's
 * stream (events between refreshes); no sleeping,
 * so keys answer at once even with a long delay. Only the loop
 * dispatches: a key to the overlay or the view on screen, then to the
 * common actions (as ncdu's main does). Each pass draws into curses'
 * virtual screen and sends the difference with one doupdate().
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "tui/ui.h"
#include "tui/ui_actions.h"
#include "tui/ui_draw.h"
#include "tui/ui_settings.h"
#include "tui/ui_state.h"
#include "tui/view_help.h"
#include "tui/view_setup.h"
#include "tui/views.h"
#include "tui/widget_bars.h"

#define UI_MIN_COLS 40
#define UI_MIN_ROWS 10

struct ui_fds {
	int sig, timer, err_mem, err_saved;
	sigset_t old_mask;
	SCREEN *scr;
};

static int ui_arm(int fd, double delay)
{
	struct itimerspec it = { 0 };

	if (delay > 0) {
		it.it_value.tv_sec = (time_t)delay;
		it.it_value.tv_nsec =
			(long)((delay - (double)(time_t)delay) * 1e9);
		if (!it.it_value.tv_sec && !it.it_value.tv_nsec)
			it.it_value.tv_nsec = 1;
		it.it_interval = it.it_value;
	}
	return timerfd_settime(fd, 0, &it, NULL) ? -errno : 0;
}

/* the source can go no further: hold still, as a pause, until a key moves */
static void ui_hold(struct tt_ui *ui, struct ui_fds *fds)
{
	ui->ended = ui->paused = true;
	ui_arm(fds->timer, 0);
}

/*
 * One refresh. A source that can pause waits while the screen is paused;
 * one that cannot (live) is read on schedule all the same, and what it
 * hands over waits in ui->latest.
 */
static int ui_fetch(struct tt_ui *ui, struct ui_fds *fds)
{
	struct tt_snapshot *s;
	struct tt_step st;

	if (ui->paused && tt_source_can(ui->src, TT_SRC_PAUSE))
		return TT_R_NONE;
	switch (tt_source_step(ui->src, TT_REC_SNAPSHOT, &st)) {
	case TT_STEP_END:
		ui_hold(ui, fds);
		tt_ui_msg(ui, false, "%s", st.msg);
		return TT_R_REDRAW;
	case TT_STEP_ERROR:
		if (!tt_source_can(ui->src, TT_SRC_REALTIME))
			ui_hold(ui, fds); /* a record it cannot read */
		tt_ui_msg(ui, true, "refresh failed: %s", st.msg);
		return TT_R_REDRAW;
	case TT_STEP_WARNING:
		tt_ui_msg(ui, true, "%s", st.msg);
		break;
	case TT_STEP_OK:
		break;
	}
	if (!(st.has & TT_REC_SNAPSHOT))
		return TT_R_REDRAW;
	s = st.snap;
	ui->refreshes++;
	if (ui->hook && ui->hook->snapshot)
		ui->hook->snapshot(ui->hook->ctx, s);
	if (ui->history && tt_history_add(ui->history, s))
		tt_ui_msg(ui, true, "out of memory for the sparklines");
	tt_ui_events_add(ui, s, false); /* stored even while paused */
	if (ui->paused) {
		tt_snapshot_unref(ui->latest);
		ui->latest = s;
		return TT_R_NONE;
	}
	tt_ui_show(ui, s);
	return TT_R_REDRAW;
}

/*
 * What a source collects for one process only (where it blocks) follows
 * the PID view: asked for when the user drills in, given up when the user
 * leaves, so that nothing else pays for it; --off-cpu -p PID keeps it on
 * that process the rest of the time. A source that cannot is not asked
 * again: its snapshots say why.
 */
static void ui_watch(struct tt_ui *ui)
{
	const struct tt_options *o = ui->opt;
	uint32_t want = ui->view == TT_VIEW_PID	      ? ui->pid
			: o->off_cpu && o->npids == 1 ? o->pids[0]
						      : 0;

	if (want == ui->watched)
		return;
	ui->watched = want;
	tt_source_watch(ui->src, want);
}

/*
 * Between refreshes: the records a streaming source has waiting (events
 * past the ring buffer's mark) go into the snapshot being built before
 * the kernel's buffer fills; the screen shows them with that snapshot.
 */
static int ui_take_in(struct tt_ui *ui)
{
	struct tt_step st;

	if (tt_source_step(ui->src, 0, &st) == TT_STEP_OK)
		return TT_R_NONE;
	tt_ui_msg(ui, true, "%s", st.msg);
	return TT_R_REDRAW;
}

static void ui_tabs(struct tt_ui *ui)
{
	const char *names[TT_VIEW_MAX], *short_names[TT_VIEW_MAX];
	int numbers[TT_VIEW_MAX];
	struct tt_tabs tb = {
		.n = TT_VIEW_MAX,
		.active = ui->view,
		.pid_tab = TT_VIEW_PID,
		.pid = ui->pid,
		.snap = ui->snap,
		.paused = ui->paused,
		.realtime = tt_source_can(ui->src, TT_SRC_REALTIME),
		.delay = ui->delay,
	};

	for (int v = 0; v < TT_VIEW_MAX; v++) {
		names[v] = tt_views[v]->name;
		short_names[v] = tt_views[v]->short_name;
		numbers[v] = tt_views[v]->number ? tt_views[v]->number : v + 1;
	}
	tb.names = names;
	tb.short_names = short_names;
	tb.numbers = numbers;
	tb.has_pos = tt_source_position(ui->src, &tb.pos);
	tt_tabs_draw(&tb, 0, ui->cols);
}

static void ui_status(struct tt_ui *ui)
{
	struct tt_status st = {
		.prompt = tt_ui_prompt_text(ui),
		.input = ui->input,
		.msg = tt_ui_msg_now(ui),
		.msg_error = ui->msg_error,
		.scope = 1u << ui->view,
	};

	tt_status_draw(&st, ui->rows - 1, ui->cols);
}

static void ui_draw(struct tt_ui *ui, bool clear)
{
	struct tt_table *t = &ui->tbl[ui->view];

	getmaxyx(stdscr, ui->rows, ui->cols);
	if (clear)
		clearok(curscr, TRUE);
	tt_draw_style(TT_EL_NORMAL);
	erase();
	if (ui->rows < UI_MIN_ROWS || ui->cols < UI_MIN_COLS) {
		tt_draw_str(0, 0, ui->cols,
			    "terminal too small (40x10 at least)");
	} else if (ui->help) {
		tt_help_draw(ui);
	} else if (ui->setup) {
		tt_setup_draw(ui);
	} else {
		ui_tabs(ui);
		if (ui->snap)
			tt_views[ui->view]->draw(ui, 1, ui->rows - 2);
		else
			tt_draw_str(2, 2, ui->cols - 2,
				    "waiting for the first snapshot...");
		if (t->missed) { /* the view's table ran a search */
			tt_ui_msg(ui, true, "no match for '%s'", ui->search);
			t->missed = false;
		}
		ui_status(ui);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* an action to the overlay or view on screen, then the common handling */
static int ui_act(struct tt_ui *ui, enum tt_act act)
{
	int r;

	if (ui->help)
		return tt_help_act(ui, act);
	if (ui->setup)
		return tt_setup_act(ui, act);
	if (!ui->snap)
		return act == TT_ACT_QUIT ? TT_R_QUIT : TT_R_NONE;
	r = tt_views[ui->view]->key(ui, act);
	return r >= 0 ? r : tt_ui_common(ui, act);
}

static int ui_key(struct tt_ui *ui, int ch)
{
	const struct tt_keybind *k;
	enum tt_act act;
	unsigned scope;
	int r;

	if (ch == KEY_MOUSE) {
		r = tt_ui_mouse(ui, &act);
		return act != TT_ACT_NONE ? r | ui_act(ui, act) : r;
	}
	if (ch == KEY_RESIZE)
		return TT_R_REDRAW | TT_R_CLEAR;
	if (ui->prompt != TT_PROMPT_NONE)
		return tt_ui_prompt_key(ui, ch);
	scope = ui->setup ? TT_SCOPE_SETUP : 1u << ui->view;
	k = tt_keybind_find(ch, scope, tt_source_can(ui->src, TT_SRC_SEEK));
	if (!k)
		return ui->help ? tt_help_act(ui, TT_ACT_NONE) : TT_R_NONE;
	return ui_act(ui, k->act);
}

static void ui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row &&
	    ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
}

/* Ctrl-Z: give the terminal back, stop, and take it again on fg. */
static void ui_suspend(void)
{
	def_prog_mode();
	endwin();
	kill(getpid(), SIGSTOP);
	reset_prog_mode();
	ui_resize();
}

/* returns a reaction; TT_R_QUIT for the terminating signals */
static int ui_signals(struct ui_fds *fds)
{
	struct signalfd_siginfo si;
	int r = TT_R_NONE;

	while (read(fds->sig, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGWINCH:
			ui_resize();
			r |= TT_R_REDRAW | TT_R_CLEAR;
			break;
		case SIGTSTP:
			ui_suspend();
			r |= TT_R_REDRAW | TT_R_CLEAR;
			break;
		case SIGCONT:
			r |= TT_R_REDRAW | TT_R_CLEAR;
			break;
		default: /* SIGINT, SIGTERM, SIGHUP */
			r |= TT_R_QUIT;
		}
	}
	return r;
}

/*
 * stderr goes to a memory file while curses owns the terminal (libbpf
 * and libc warnings would tear the screen) and is copied out after.
 */
static void ui_stderr_hold(struct ui_fds *fds)
{
	fds->err_mem = memfd_create("tracetop-stderr", MFD_CLOEXEC);
	fds->err_saved = fds->err_mem >= 0 ? dup(STDERR_FILENO) : -1;
	if (fds->err_saved < 0 || dup2(fds->err_mem, STDERR_FILENO) < 0) {
		if (fds->err_mem >= 0)
			close(fds->err_mem);
		if (fds->err_saved >= 0)
			close(fds->err_saved);
		fds->err_mem = fds->err_saved = -1;
	}
}

static void ui_stderr_release(struct ui_fds *fds)
{
	char buf[4096];
	ssize_t n;

	if (fds->err_saved < 0)
		return;
	fflush(stderr);
	dup2(fds->err_saved, STDERR_FILENO);
	close(fds->err_saved);
	lseek(fds->err_mem, 0, SEEK_SET);
	while ((n = read(fds->err_mem, buf, sizeof(buf))) > 0)
		if (write(STDERR_FILENO, buf, (size_t)n) < 0)
			break;
	close(fds->err_mem);
}

static int ui_open(struct tt_ui *ui, struct ui_fds *fds, char *err,
		   size_t errlen)
{
	sigset_t set;
	const char *cs;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen,
			 "the screen needs a terminal; use -b or "
			 "-j for output to a pipe");
		return -ENOTTY;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGWINCH);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTSTP);
	sigaddset(&set, SIGCONT);
	if (sigprocmask(SIG_BLOCK, &set, &fds->old_mask)) {
		snprintf(err, errlen, "sigprocmask: %s", strerror(errno));
		return -errno;
	}
	fds->sig = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	fds->timer =
		timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fds->sig < 0 || fds->timer < 0) {
		snprintf(err, errlen, "signalfd/timerfd: %s", strerror(errno));
		return -errno;
	}
	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	ui->utf8 = cs && !strcmp(cs, "UTF-8");
	fds->scr = newterm(NULL, stdout, stdin);
	if (!fds->scr) {
		snprintf(err, errlen, "cannot start curses on TERM=%s",
			 getenv("TERM") ? getenv("TERM") : "(unset)");
		return -ENOTTY;
	}
	ui_stderr_hold(fds);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED |
			  BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouseinterval(200);
	ui->color = !ui->opt->no_color && has_colors();
	if (ui->color) {
		start_color();
		use_default_colors();
	}
	getmaxyx(stdscr, ui->rows, ui->cols);
	return 0;
}

static void ui_close(struct tt_ui *ui, struct ui_fds *fds)
{
	if (fds->scr) {
		endwin();
		delscreen(fds->scr);
		ui_stderr_release(fds);
	}
	if (fds->sig >= 0)
		close(fds->sig);
	if (fds->timer >= 0)
		close(fds->timer);
	sigprocmask(SIG_SETMASK, &fds->old_mask, NULL);
	tt_ui_state_free(ui);
}

static void ui_init(struct tt_ui *ui, const struct tt_options *o,
		    struct tt_source *src, const struct tt_ui_hook *hook)
{
	ui->opt = o;
	ui->src = src;
	ui->hook = hook;
	ui->delay = o->delay > 0 ? o->delay : 1.0;
	ui->uid = o->uid;
	ui->view = ui->back_view = TT_VIEW_PROCS;
	for (int v = 0; v < TT_VIEW_MAX; v++) {
		const struct tt_view_ops *ops = tt_views[v];

		if (ops->cols)
			tt_table_init(&ui->tbl[v], ops->cols, ops->sort,
				      ops->desc);
		if (ops->init)
			ops->init(ui);
	}
	ui->history = tt_history_new(TT_UI_HISTORY);
	ui->evlog = tt_evlog_new(o->ev_history ? o->ev_history : 10000);
	ui->ev_kinds = (1u << TT_EV_KINDS) - 1;
	ui->ev_follow = true;
	if (o->npids == 1) {
		/* -p with one PID: its view is what one came for */
		ui->pid = o->pids[0];
	}
	/* the source starts with --off-cpu's process watched */
	ui->watched = o->off_cpu && o->npids == 1 ? o->pids[0] : 0;
}

int tt_ui_run(const struct tt_options *o, struct tt_source *src,
	      const struct tt_ui_hook *hook, char *err, size_t errlen)
{
	struct ui_fds fds = {
		.sig = -1, .timer = -1, .err_mem = -1, .err_saved = -1
	};
	struct tt_ui *ui = calloc(1, sizeof(*ui));
	int r = TT_R_REDRAW | TT_R_CLEAR, rc;

	if (!ui) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	ui_init(ui, o, src, hook);
	rc = ui_open(ui, &fds, err, errlen);
	if (rc)
		goto out;
	tt_ui_settings_load(ui);
	/* live: the first snapshot after a short interval, so its rates are
	 * measured over more than the few ms since attaching */
	if (tt_source_can(src, TT_SRC_REALTIME))
		ui_arm(fds.timer, ui->delay < 0.2 ? ui->delay : 0.2);
	else
		r |= ui_fetch(ui, &fds);
	if (tt_source_can(src, TT_SRC_SEEK) && ui->snap) {
		/* a recording opens on its first record, held still; the
		 * hint must not hide why a theme or the settings failed */
		ui->paused = true;
		if (!ui->msg[0] || !ui->msg_error)
			tt_ui_msg(ui, false,
				  "replay: ] [ step, } { a minute, "
				  "g a time, Z plays");
	}
	if (!tt_source_can(src, TT_SRC_REALTIME))
		ui_arm(fds.timer, ui->delay);

	while (!(r & TT_R_QUIT)) {
		struct pollfd pfd[5] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = fds.timer, .events = POLLIN },
			{ .fd = fds.sig, .events = POLLIN },
			{ .fd = hook ? hook->fd : -1, .events = POLLIN },
			{ .fd = tt_source_fd(src), .events = POLLIN },
		};
		uint64_t ticks;
		int ch, timeout;

		ui_watch(ui);
		if (r & TT_R_TIMER)
			ui_arm(fds.timer, ui->ended ? 0 : ui->delay);
		if (r & (TT_R_REDRAW | TT_R_CLEAR))
			ui_draw(ui, r & TT_R_CLEAR);
		if (o->iterations > 0 && ui->refreshes >= o->iterations)
			break;
		r = TT_R_NONE;
		timeout = tt_ui_msg_timeout(ui);
		if (poll(pfd, 5, timeout) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			rc = -errno;
			break;
		}
		if (timeout >= 0 && tt_ui_msg_timeout(ui) < 0) {
			ui->msg[0] = '\0'; /* expired: bring the keys back */
			r |= TT_R_REDRAW;
		}
		if (pfd[2].revents & POLLIN)
			r |= ui_signals(&fds);
		if (pfd[0].revents & (POLLIN | POLLHUP))
			while ((ch = getch()) != ERR)
				r |= ui_key(ui, ch);
		if (pfd[0].revents & (POLLHUP | POLLERR))
			r |= TT_R_QUIT; /* the terminal went away */
		if ((pfd[1].revents & POLLIN) &&
		    read(fds.timer, &ticks, sizeof(ticks)) == sizeof(ticks)) {
			r |= ui_fetch(ui, &fds);
			if (ui->refreshes == 1 &&
			    tt_source_can(src, TT_SRC_REALTIME))
				r |= TT_R_TIMER; /* from the short first one */
		}
		if (hook && hook->fd >= 0 && (pfd[3].revents & POLLIN) &&
		    hook->ready)
			hook->ready(hook->ctx);
		if (pfd[4].revents & POLLIN)
			r |= ui_take_in(ui);
	}
out:
	ui_close(ui, &fds);
	free(ui);
	return rc ? 1 : 0;
}
