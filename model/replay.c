// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * replay.c - a recording as a source: an index of its snapshot lines (the
 * recorder's FILE.idx, checked and read on past its end; or built by
 * reading the file through), then a record parsed when it is shown. The
 * index lives in a temporary file and the decoder keeps fixed buffers, so
 * memory does not grow with the recording's length.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/evbatch.h"
#include "model/json_parse.h"
#include "model/recfile.h"
#include "model/recindex.h"
#include "model/replay.h"

struct replay {
	struct tt_source src;
	struct tt_recfile *f;
	struct tt_index *ix;
	size_t pos, skipped;
	bool started;
};

/* the line at e is in the file, as the index says */
static bool entry_holds(struct replay *r, const struct tt_idx_entry *e)
{
	struct tt_recpos at;
	const char *line;
	double t;
	ssize_t n;

	if (tt_recfile_seek(r->f, &e->at))
		return false;
	n = tt_recfile_line(r->f, &line, &at);
	return n == (ssize_t)e->len &&
	       tt_index_line_info(line, (size_t)n, &t) && t == e->time;
}

/*
 * The recorder's index when its first and last lines are where it says
 * (not an index of an older file of the same name): copied, and the file
 * read on after its last line, for what the index missed. Else the
 * whole file is read. f is left after the last line indexed.
 */
static int index_file(struct replay *r, const char *path)
{
	struct tt_index *side = NULL;
	struct tt_idx_entry first, last;
	struct tt_recpos start = { 0, 0 };
	char name[4200];
	int e = tt_index_temp(&r->ix);
	bool used = false;

	if (e)
		return e;
	if (!tt_index_sidecar(path, name, sizeof(name)) &&
	    !tt_index_open_ro(name, &side) && tt_index_count(side) &&
	    !tt_index_get(side, 0, &first) &&
	    !tt_index_get(side, tt_index_count(side) - 1, &last) &&
	    entry_holds(r, &first) && entry_holds(r, &last)) {
		e = tt_index_copy(r->ix, side);
		used = !e;
	}
	tt_index_close(side);
	if (e)
		return e;
	/* after the last line indexed: entry_holds() read it last */
	if (!used && tt_recfile_seek(r->f, &start))
		return -EIO;
	return tt_index_scan(r->f, r->ix, &r->skipped);
}

/* Record i parsed, or NULL with why (-EIO: it could not be read). */
static struct tt_snapshot *parse_at(struct replay *r, size_t i, int *e,
				    char *why, size_t whylen)
{
	struct tt_idx_entry ent;
	struct tt_recpos here, at;
	const char *line;
	ssize_t len;

	*e = 0;
	if (tt_index_get(r->ix, i, &ent)) {
		*e = -EIO;
		return NULL;
	}
	/* the next line already, when stepping forward */
	tt_recfile_tell(r->f, &here);
	if ((here.point != ent.at.point || here.skip != ent.at.skip) &&
	    tt_recfile_seek(r->f, &ent.at)) {
		*e = -EIO;
		return NULL;
	}
	len = tt_recfile_line(r->f, &line, &at);
	if (len != (ssize_t)ent.len) {
		*e = -EIO;
		return NULL;
	}
	return tt_json_parse(line, (size_t)len, why, whylen);
}

/* A record older than oncpu_pct: the rate from the record before it. */
static void derive_rates(struct replay *r, struct tt_snapshot *s)
{
	struct tt_snapshot *prev;
	char why[128];
	int e;

	if (!s->oncpu_pct_absent || r->pos == 0)
		return;
	prev = parse_at(r, r->pos - 1, &e, why, sizeof(why));
	if (prev)
		tt_snapshot_rates_from(s, prev);
	tt_snapshot_unref(prev);
}

/*
 * The record at pos, handed over. One that does not parse is counted and
 * passed by, in the direction of travel (dir: 1 or -1).
 */
static void load(struct replay *r, int dir, struct tt_step *out)
{
	size_t n = tt_index_count(r->ix);

	while (r->pos < n) {
		struct tt_snapshot *s;
		char why[128];
		int e;

		s = parse_at(r, r->pos, &e, why, sizeof(why));
		if (e) {
			out->outcome = TT_STEP_ERROR;
			snprintf(out->msg, sizeof(out->msg),
				 "replay: reading record %zu failed",
				 r->pos + 1);
			return;
		}
		if (s) {
			derive_rates(r, s);
			out->snap = s;
			out->has |= TT_REC_SNAPSHOT;
			return;
		}
		r->skipped++;
		if (dir < 0 && r->pos == 0)
			break;
		r->pos = dir < 0 ? r->pos - 1 : r->pos + 1;
	}
	if (r->pos >= n) /* back to the last one */
		r->pos = n ? n - 1 : 0;
	out->outcome = TT_STEP_END;
	snprintf(out->msg, sizeof(out->msg), "replay: end of the recording");
}

/* the snapshot's events, as if they came with it */
static void hand_events(struct tt_step *out)
{
	const struct tt_snapshot *s = out->snap;
	struct tt_evbatch *b = tt_evbatch_new();

	if (!b) {
		out->outcome = TT_STEP_WARNING;
		snprintf(out->msg, sizeof(out->msg), "replay: events: %s",
			 strerror(ENOMEM));
		return;
	}
	for (size_t i = 0; i < s->nevents; i++)
		tt_evbatch_add(b, &s->events[i]);
	b->omitted = s->events_omitted;
	out->events = b;
	out->has |= TT_REC_EVENTS;
}

static void replay_step(struct tt_source *src, unsigned want,
			struct tt_step *out)
{
	struct replay *r = (struct replay *)src;

	/* events come only with their snapshot */
	if (!(want & TT_REC_SNAPSHOT))
		return;
	if (r->started) {
		if (r->pos + 1 >= tt_index_count(r->ix)) {
			out->outcome = TT_STEP_END;
			snprintf(out->msg, sizeof(out->msg),
				 "replay: end of the recording");
			return;
		}
		r->pos++;
	}
	r->started = true;
	load(r, 1, out);
	if ((want & TT_REC_EVENTS) && out->snap)
		hand_events(out);
}

static void replay_seek(struct tt_source *src, long delta, double t,
			struct tt_step *out)
{
	struct replay *r = (struct replay *)src;
	size_t was = r->pos, n = tt_index_count(r->ix);

	if (n && delta == 0 && t > 0) {
		r->pos = tt_index_find_time(r->ix, t);
	} else if (delta < 0) {
		r->pos = (size_t)-delta > r->pos ? 0 : r->pos - (size_t)-delta;
	} else if (n) {
		r->pos = r->pos + (size_t)delta >= n ? n - 1
						     : r->pos + (size_t)delta;
	}
	if (!n || (delta && r->pos == was && r->started)) {
		out->outcome = TT_STEP_END;
		snprintf(out->msg, sizeof(out->msg), "%s of the recording",
			 delta < 0 ? "start" : "end");
		return;
	}
	r->started = true;
	load(r, delta < 0 ? -1 : 1, out);
}

static void replay_position(const struct tt_source *src,
			    struct tt_position *pos)
{
	const struct replay *r = (const struct replay *)src;

	pos->index = r->pos;
	pos->count = tt_index_count(r->ix);
	pos->skipped = r->skipped;
}

static void replay_destroy(struct tt_source *src)
{
	struct replay *r = (struct replay *)src;

	tt_recfile_close(r->f);
	tt_index_close(r->ix);
	free(r);
}

/* a recording waits while the screen is paused, and moves through time */
static const struct tt_source_ops replay_ops = {
	.caps = TT_SRC_PAUSE | TT_SRC_SEEK,
	.step = replay_step,
	.seek = replay_seek,
	.position = replay_position,
	.destroy = replay_destroy,
};

int tt_replay_open(const char *path, struct tt_source **out, char *err,
		   size_t errlen)
{
	struct replay *r = calloc(1, sizeof(*r));
	int e;

	*out = NULL;
	if (!r) {
		snprintf(err, errlen, "replay: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	r->src.ops = &replay_ops;
	e = tt_recfile_open(path, &r->f);
	if (e) {
		snprintf(err, errlen, "replay: opening %s: %s", path,
			 strerror(-e));
		free(r);
		return e;
	}
	e = index_file(r, path);
	if (!e && !tt_index_count(r->ix))
		e = -ENODATA;
	if (e) {
		snprintf(err, errlen, "replay: %s: %s", path,
			 e == -ENODATA ? "no tracetop snapshot in it"
				       : strerror(-e));
		replay_destroy(&r->src);
		return e;
	}
	*out = &r->src;
	return 0;
}
