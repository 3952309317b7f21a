// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * recbench.c - recordings of a day, made in minutes, and what replaying
 * them costs (issue 16).
 *
 *   recbench gen TEMPLATE OUT SECONDS [BUSY [KTHREADS]]
 *	A recording of SECONDS snapshots one second apart through the
 *	recorder (format by OUT's name), from TEMPLATE: one real snapshot
 *	line (tracetop -j with 1,000 idle processes). A quiet host: each
 *	second the BUSY (default 1: tracetop itself) processes, tracetop
 *	first, then those that make the most system calls, and the
 *	KTHREADS (default 12) that switch most without any change half of
 *	their counters and all their rates, the system-wide syscall and
 *	scheduler tables a third of theirs; the others stay as they are,
 *	as idle processes do.
 *	Prints {"snapshots", "bytes", "index_bytes", "seconds"}.
 *
 *   recbench seek FILE [N]
 *	Opens FILE as --replay does and moves as the keys do: N random
 *	go-to-times (g), N minutes forward and back ({ }), N steps (]).
 *	Prints the milliseconds (median and max) and the peak RSS.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "model/recorder.h"
#include "model/replay.h"

static unsigned long long rng = 88172645463325252ull;

static unsigned long long next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* keys whose numbers are not counters: they stay */
static bool fixed_key(const char *k)
{
	static const char *const keys[] = { "nr", "p50_ns", "p99_ns",
					    "runq_p50_ns", "runq_p99_ns" };

	for (size_t i = 0; k && i < sizeof(keys) / sizeof(*keys); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

/* counters grow by a little, rates become any number */
static void bump(cJSON *o, unsigned per_mille)
{
	cJSON *c;

	if (cJSON_IsNumber(o)) {
		double v = o->valuedouble;

		if (fixed_key(o->string) || next() % 1000 >= per_mille)
			return;
		if (v == floor(v) && fabs(v) < 9e15)
			cJSON_SetNumberValue(o, v + (double)(1 + next() % 40));
		else
			cJSON_SetNumberValue(
				o,
				v * (0.5 + (double)(next() % 1000000) / 1e6));
		return;
	}
	/* a histogram bucket [low, high, count]: only the count moves */
	if (cJSON_IsArray(o) && cJSON_GetArraySize(o) == 3 &&
	    cJSON_IsNumber(cJSON_GetArrayItem(o, 0))) {
		bump(cJSON_GetArrayItem(o, 2), per_mille);
		return;
	}
	cJSON_ArrayForEach(c, o) bump(c, per_mille);
}

static double busy(const cJSON *p)
{
	const cJSON *sc = cJSON_GetObjectItem(p, "syscalls");
	const cJSON *sd = cJSON_GetObjectItem(p, "sched");

	return cJSON_GetNumberValue(cJSON_GetObjectItem(sc, "count")) +
	       cJSON_GetNumberValue(
		       cJSON_GetObjectItem(sd, "voluntary_switches"));
}

static char *read_line(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f || getline(&line, &cap, f) < 0) {
		free(line);
		line = NULL;
	}
	if (f)
		fclose(f);
	return line;
}

struct proc {
	cJSON *o;
	char *text;
	bool active;
};

static bool is_tracetop(const cJSON *p)
{
	const char *comm = cJSON_GetStringValue(cJSON_GetObjectItem(p, "comm"));

	return comm && !strcmp(comm, "tracetop");
}

/*
 * The busiest first, tracetop before all others: on an idle host it is
 * the one that works each second. A template taken on a busy machine
 * (the tests of others) would otherwise pick whichever process was
 * busiest then, and the bytes a day would be that process's.
 */
static int cmp_busy(const void *a, const void *b)
{
	const cJSON *pa = ((const struct proc *)a)->o;
	const cJSON *pb = ((const struct proc *)b)->o;
	double x = busy(pa), y = busy(pb);

	if (is_tracetop(pa) != is_tracetop(pb))
		return is_tracetop(pa) ? -1 : 1;
	return x < y ? 1 : x > y ? -1 : 0;
}

static bool kthread(const cJSON *p)
{
	return !cJSON_GetNumberValue(cJSON_GetObjectItem(
		cJSON_GetObjectItem(p, "syscalls"), "count"));
}

static int gen(const char *tpl, const char *out, long secs, int nbusy,
	       int nkthr)
{
	char *text = read_line(tpl), err[512];
	cJSON *s = text ? cJSON_Parse(text) : NULL, *ps, *c;
	struct tt_recorder *r;
	struct proc *p;
	size_t n = 0, cap = 1 << 20, len = 0;
	char *line = malloc(cap), idx[4200];
	time_t t0 = 1767225600; /* 2026-01-01 00:00:00 UTC */
	double start = now();
	struct stat st, sti;

	ps = s ? cJSON_DetachItemFromObject(s, "processes") : NULL;
	if (!ps || !line) {
		fprintf(stderr, "recbench: %s: not a snapshot line\n", tpl);
		return 1;
	}
	p = calloc((size_t)cJSON_GetArraySize(ps) + 1, sizeof(*p));
	cJSON_ArrayForEach(c, ps) p[n++].o = c;
	qsort(p, n, sizeof(*p), cmp_busy);
	for (size_t i = 0; i < n; i++) {
		if (kthread(p[i].o) ? nkthr-- > 0 : nbusy-- > 0)
			p[i].active = true;
		p[i].text = cJSON_PrintUnformatted(p[i].o);
	}
	cJSON_AddArrayToObject(s, "processes");
	if (tt_recorder_open(out, 0, &r, err, sizeof(err))) {
		fprintf(stderr, "recbench: %s\n", err);
		return 1;
	}
	for (long i = 0; i < secs; i++) {
		time_t t = t0 + i;
		char when[40], *head, *mid;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S.000Z", &tm);
		cJSON_ReplaceItemInObject(s, "time", cJSON_CreateString(when));
		bump(cJSON_GetObjectItem(s, "syscalls"), 333);
		bump(cJSON_GetObjectItem(s, "sched"), 333);
		bump(cJSON_GetObjectItem(s, "cost"), 1000);
		head = cJSON_PrintUnformatted(s);
		mid = strstr(head, "\"processes\":[]");
		len = 0;
#define PUT(str, l)                                                            \
	do {                                                                   \
		size_t l_ = (l);                                               \
		while (len + l_ + 2 > cap)                                     \
			line = realloc(line, cap *= 2);                        \
		memcpy(line + len, (str), l_);                                 \
		len += l_;                                                     \
	} while (0)
		PUT(head, (size_t)(mid - head) + 13);
		for (size_t k = 0; k < n; k++) {
			if (p[k].active) {
				bump(cJSON_GetObjectItem(p[k].o, "syscalls"),
				     500);
				bump(cJSON_GetObjectItem(p[k].o, "sched"), 500);
				free(p[k].text);
				p[k].text = cJSON_PrintUnformatted(p[k].o);
			}
			if (k)
				PUT(",", 1);
			PUT(p[k].text, strlen(p[k].text));
		}
		PUT(mid + 13, strlen(mid + 13));
		line[len++] = '\n';
		free(head);
		if (tt_recorder_write_line(r, line, len, err, sizeof(err))) {
			fprintf(stderr, "recbench: %s\n", err);
			return 1;
		}
	}
	tt_recorder_close(r);
	snprintf(idx, sizeof(idx), "%s.idx", out);
	if (stat(out, &st) || stat(idx, &sti))
		return 1;
	printf("{\"snapshots\": %ld, \"line_bytes\": %zu, \"bytes\": %lld, "
	       "\"index_bytes\": %lld, \"seconds\": %.1f}\n",
	       secs, len, (long long)st.st_size, (long long)sti.st_size,
	       now() - start);
	return 0;
}

static long hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char l[256];
	long kb = -1;

	while (f && fgets(l, sizeof(l), f))
		if (!strncmp(l, "VmHWM:", 6))
			kb = atol(l + 6);
	if (f)
		fclose(f);
	return kb;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* median and max of v[0..n), in ms, as JSON */
static void report(const char *name, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	printf("\"%s\": [%.1f, %.1f], ", name, v[n / 2] * 1e3, v[n - 1] * 1e3);
}

/* one move; false when it handed over no snapshot */
static bool move(struct tt_source *src, long delta, double t, double *ms,
		 double *at)
{
	struct tt_step st;
	double t0 = now();

	tt_source_seek(src, delta, t, &st);
	*ms = now() - t0;
	if (!st.snap)
		return false;
	*at = st.snap->time;
	tt_snapshot_unref(st.snap);
	return true;
}

static int seek(const char *path, int n)
{
	struct tt_source *src;
	struct tt_position pos;
	struct tt_step st;
	double t0 = now(), open_s, first, last = 0, cur = 0, ms;
	double *g = calloc((size_t)n, sizeof(double));
	double *fw = calloc((size_t)n, sizeof(double));
	double *bw = calloc((size_t)n, sizeof(double));
	double *step = calloc((size_t)n, sizeof(double));
	char err[512];

	if (tt_replay_open(path, &src, err, sizeof(err))) {
		fprintf(stderr, "recbench: %s\n", err);
		return 1;
	}
	open_s = now() - t0;
	tt_source_step(src, TT_REC_SNAPSHOT, &st);
	first = st.snap ? st.snap->time : 0;
	tt_snapshot_unref(st.snap);
	tt_source_position(src, &pos);
	move(src, (long)pos.count, 0, &ms, &last);
	for (int i = 0; i < n; i++) {
		double t = first +
			   (last - first) * (double)(next() % 100000) / 1e5;

		if (!move(src, 0, t, &g[i], &cur))
			return 1;
		if (!move(src, 0, cur + 60, &fw[i], &cur) ||
		    !move(src, 0, cur - 60, &bw[i], &cur))
			return 1;
		move(src, 1, 0, &step[i], &cur);
	}
	tt_source_position(src, &pos);
	printf("{\"records\": %zu, \"open_ms\": %.1f, ", pos.count,
	       open_s * 1e3);
	report("goto_ms", g, n);
	report("minute_fwd_ms", fw, n);
	report("minute_back_ms", bw, n);
	report("step_ms", step, n);
	printf("\"hwm_kb\": %ld}\n", hwm_kb());
	tt_source_destroy(src);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "gen"))
		return gen(argv[2], argv[3], atol(argv[4]),
			   argc > 5 ? atoi(argv[5]) : 1,
			   argc > 6 ? atoi(argv[6]) : 12);
	if (argc >= 3 && !strcmp(argv[1], "seek"))
		return seek(argv[2], argc > 3 ? atoi(argv[3]) : 20);
	fprintf(stderr,
		"usage: recbench gen TEMPLATE OUT SECONDS [BUSY [KTHREADS]]\n"
		"       recbench seek FILE [N]\n");
	return 2;
}
