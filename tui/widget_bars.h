/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * widget_bars.h - the screen's frame: the top bar (views, position, host,
 * clock), the header meters of the process view and the bottom line
 * (function keys, messages, prompts). Each draws what it is handed.
 */
#ifndef TT_WIDGET_BARS_H
#define TT_WIDGET_BARS_H

#include <stdbool.h>
#include <stdint.h>
#include "model/snapshot.h"
#include "model/source.h"

/* What the top bar shows. */
struct tt_tabs {
	const char *const *names;	/* one per view, in order */
	const char *const *short_names; /* the same on a narrow screen */
	const int *numbers;		/* each one's number key */
	int n, active;
	int pid_tab;  /* the tab that names its process after its title */
	uint32_t pid; /* 0: none */
	const struct tt_snapshot *snap; /* on screen, or NULL */
	bool paused;
	bool realtime; /* the clock of now: no date, the refresh delay */
	bool has_pos;  /* a recording: where in it */
	struct tt_position pos;
	double delay;
};

void tt_tabs_draw(const struct tt_tabs *t, int y, int cols);

/* What the bottom line shows: a prompt, else a message, else the keys. */
struct tt_status {
	const char *prompt, *input; /* an open prompt and what was typed */
	const char *msg;	    /* a message to show, or NULL */
	bool msg_error;
	unsigned scope; /* TT_SCOPE_ bit of the view: its keys on the bar */
};

void tt_status_draw(const struct tt_status *st, int y, int cols);

/* Meters of s flowed over at most maxh lines, the last "Showing" the
 * view's filters; returns the lines used. */
int tt_header_draw(const struct tt_snapshot *s, const char *showing, int y,
		   int cols, int maxh);

#endif
