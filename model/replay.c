// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * replay.c - index a recording once (offset and time of each complete
 * line), then parse records on demand, so an hour of snapshots does not
 * have to fit in memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include "model/evbatch.h"
#include "model/json_parse.h"
#include "model/replay.h"

struct rec {
	z_off_t off;
	double time;
};

struct replay {
	struct tt_source src;
	gzFile z;
	struct rec *recs;
	size_t n, cap, pos, skipped;
	bool started;
	char *buf;
	size_t buflen;
};

/*
 * Read one line into r->buf. Returns its length with the newline, 0 at
 * the end; a last line without a newline was cut off mid-write: -1.
 */
static ssize_t read_line(struct replay *r)
{
	size_t len = 0;

	for (;;) {
		if (r->buflen - len < 2) {
			size_t nl = r->buflen ? r->buflen * 2 : 65536;
			char *b = realloc(r->buf, nl);

			if (!b)
				return -1;
			r->buf = b;
			r->buflen = nl;
		}
		const char *nl;

		if (!gzgets(r->z, r->buf + len, (int)(r->buflen - len)))
			return len ? -1 : 0;
		/* the end without a newline: a line cut off mid-write */
		if (gzeof(r->z))
			return -1;
		/* gzgets() stops after the first newline or with the buffer
		 * full; not strlen(): garbage may hold NUL bytes, and
		 * counting to the first one would glue the next line on */
		nl = memchr(r->buf + len, '\n', r->buflen - 1 - len);
		if (nl)
			return (ssize_t)(nl + 1 - r->buf);
		len = r->buflen - 1;
	}
}

static double line_time(const char *l)
{
	const char *t = strstr(l, "\"time\":\"");
	struct tm tm = { 0 };

	if (!t || !strptime(t + 8, "%Y-%m-%dT%H:%M:%S", &tm))
		return 0;
	return (double)timegm(&tm);
}

static int index_file(struct replay *r)
{
	for (;;) {
		z_off_t off = gztell(r->z);
		ssize_t n = read_line(r);

		if (n <= 0) {
			r->skipped += n < 0; /* truncated last line */
			return 0;
		}
		/* cheap checks now; a full parse when the record is shown */
		if (r->buf[0] != '{' || !strstr(r->buf, "\"schema\":1,")) {
			r->skipped++;
			continue;
		}
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 256;
			struct rec *v = realloc(r->recs, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			r->recs = v;
			r->cap = cap;
		}
		r->recs[r->n].off = off;
		r->recs[r->n].time = line_time(r->buf);
		r->n++;
	}
}

/* Record i parsed, or NULL with why (-EIO: it could not be read). */
static struct tt_snapshot *parse_at(struct replay *r, size_t i, int *e,
				    char *why, size_t whylen)
{
	ssize_t len;

	*e = 0;
	if (gzseek(r->z, r->recs[i].off, SEEK_SET) < 0 ||
	    (len = read_line(r)) <= 0) {
		*e = -EIO;
		return NULL;
	}
	return tt_json_parse(r->buf, (size_t)len, why, whylen);
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

/* The record at pos, handed over; bad ones are dropped from the index. */
static void load(struct replay *r, struct tt_step *out)
{
	while (r->pos < r->n) {
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
		memmove(&r->recs[r->pos], &r->recs[r->pos + 1],
			(r->n - r->pos - 1) * sizeof(*r->recs));
		r->n--;
	}
	if (r->pos) /* the loop left pos >= n: back to the last good one */
		r->pos = r->n - 1;
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
		if (r->pos + 1 >= r->n) {
			out->outcome = TT_STEP_END;
			snprintf(out->msg, sizeof(out->msg),
				 "replay: end of the recording");
			return;
		}
		r->pos++;
	}
	r->started = true;
	load(r, out);
	if ((want & TT_REC_EVENTS) && out->snap)
		hand_events(out);
}

static void replay_seek(struct tt_source *src, long delta, double t,
			struct tt_step *out)
{
	struct replay *r = (struct replay *)src;
	size_t was = r->pos;

	if (r->n && delta == 0 && t > 0) {
		size_t i = 0;

		while (i + 1 < r->n && r->recs[i].time < t)
			i++;
		r->pos = i;
	} else if (delta < 0) {
		r->pos = (size_t)-delta > r->pos ? 0 : r->pos - (size_t)-delta;
	} else if (r->n) {
		r->pos = r->pos + (size_t)delta >= r->n ? r->n - 1
							: r->pos + (size_t)delta;
	}
	if (!r->n || (delta && r->pos == was && r->started)) {
		out->outcome = TT_STEP_END;
		snprintf(out->msg, sizeof(out->msg), "%s of the recording",
			 delta < 0 ? "start" : "end");
		return;
	}
	r->started = true;
	load(r, out);
}

static void replay_position(const struct tt_source *src,
			    struct tt_position *pos)
{
	const struct replay *r = (const struct replay *)src;

	pos->index = r->pos;
	pos->count = r->n;
	pos->skipped = r->skipped;
}

static void replay_destroy(struct tt_source *src)
{
	struct replay *r = (struct replay *)src;

	if (r->z)
		gzclose(r->z);
	free(r->recs);
	free(r->buf);
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
	r->z = gzopen(path, "rb"); /* reads plain files as they are, too */
	if (!r->z) {
		e = errno ? -errno : -EIO;
		snprintf(err, errlen, "replay: opening %s: %s", path,
			 strerror(-e));
		free(r);
		return e;
	}
	e = index_file(r);
	/* damaged gzip data ends the index with the stream in error; the
	 * records before it must still be readable */
	gzclearerr(r->z);
	if (!e && !r->n)
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
