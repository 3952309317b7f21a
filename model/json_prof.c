// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * json_prof.c - thread states and profiles in JSON, both ways (json.c
 * and json_parse.c call these). A stack is
 *   { "count": N, "frames": ["main", "work", "read", "ksys_read"],
 *     "modules": ["app", "app", "libc.so.6", "[kernel]"],
 *     "kernel_frames": 1, "truncated": false }
 * root first, the last kernel_frames frames the kernel's; off-CPU "ns"
 * and "waits" replace "count". Frames and modules side by side, so
 * `jq '.frames | join(";")'` gives a folded line.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "model/json_field.h"
#include "model/json_prof.h"
#include "model/states.h"

static void num(cJSON *o, const char *k, double v)
{
	cJSON_AddItemToObject(o, k, cJSON_CreateNumber(v));
}

static cJSON *stack_obj(const struct tt_stack *st, bool offcpu)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *fr = cJSON_AddArrayToObject(o, "frames");
	cJSON *mo = cJSON_AddArrayToObject(o, "modules");
	uint32_t nk = 0;

	if (offcpu) {
		num(o, "ns", (double)st->weight);
		num(o, "waits", (double)st->events);
	} else {
		num(o, "count", (double)st->weight);
	}
	for (uint32_t i = 0; i < st->nframes; i++) {
		cJSON_AddItemToArray(fr,
				     cJSON_CreateString(st->frames[i]->name));
		cJSON_AddItemToArray(mo,
				     cJSON_CreateString(st->frames[i]->module));
		nk += st->frames[i]->kernel;
	}
	num(o, "kernel_frames", nk);
	cJSON_AddBoolToObject(o, "truncated", st->truncated);
	return o;
}

void tt_json_proc_states(cJSON *sched, const struct tt_proc *p)
{
	static const char *const ns_key[TT_ST_MAX] = {
		"running_ns", "runnable_ns", "sleeping_ns", "blocked_ns"
	};
	cJSON *st;

	for (int i = 0; i < TT_ST_MAX; i++)
		num(sched, ns_key[i], (double)p->state_ns[i]);
	st = cJSON_AddObjectToObject(sched, "states");
	for (int i = 0; i < TT_ST_MAX; i++)
		num(st, tt_state_name(i), round(p->state_pct[i] * 100) / 100);
}

void tt_json_proc_profile(cJSON *o, const struct tt_proc *p)
{
	cJSON *pr, *a;

	if (!p->prof_samples && !p->offcpu_ns)
		return; /* most processes: nothing sampled, nothing said */
	pr = cJSON_AddObjectToObject(o, "profile");
	num(pr, "samples", (double)p->prof_samples);
	a = cJSON_AddArrayToObject(pr, "stacks");
	for (uint32_t i = 0; i < p->nstacks; i++)
		cJSON_AddItemToArray(a, stack_obj(&p->stacks[i], false));
	if (!p->offcpu_ns)
		return;
	num(pr, "offcpu_ns", (double)p->offcpu_ns);
	num(pr, "offcpu_waits", (double)p->offcpu_waits);
	a = cJSON_AddArrayToObject(pr, "offcpu");
	for (uint32_t i = 0; i < p->noffcpu; i++)
		cJSON_AddItemToArray(a, stack_obj(&p->offcpu[i], true));
}

void tt_json_profile(cJSON *o, const struct tt_snapshot *s)
{
	const struct tt_profile_info *pi = &s->prof;
	cJSON *pr = cJSON_AddObjectToObject(o, "profile"), *a;

	cJSON_AddStringToObject(pr, "status",
				pi->status[0] ? pi->status : "off");
	cJSON_AddStringToObject(pr, "offcpu_status",
				pi->offcpu_status[0] ? pi->offcpu_status
						     : "off");
	num(pr, "hz", pi->hz);
	num(pr, "offcpu_pid", pi->offcpu_pid);
	num(pr, "samples", (double)pi->samples);
	num(pr, "lost", (double)pi->lost);
	num(pr, "truncated", (double)pi->truncated);
	num(pr, "kernel_unwound", (double)pi->kunwound);
	num(pr, "kernel_copied", (double)pi->kcopied);
	num(pr, "cpu_pct", round(pi->cpu_pct * 1000) / 1000);
	a = cJSON_AddArrayToObject(pr, "functions");
	for (size_t i = 0; i < pi->nfuncs; i++) {
		const struct tt_pfunc *f = &pi->funcs[i];
		cJSON *fo = cJSON_CreateObject();

		cJSON_AddStringToObject(fo, "name", f->name);
		cJSON_AddStringToObject(fo, "module", f->module);
		cJSON_AddBoolToObject(fo, "kernel", f->kernel);
		num(fo, "self", (double)f->self);
		num(fo, "total", (double)f->total);
		cJSON_AddItemToArray(a, fo);
	}
}

/* ---- reading back -----------------------------------------------------------
 */

void tt_json_parse_states(const cJSON *sched, struct tt_proc *p)
{
	static const char *const ns_key[TT_ST_MAX] = {
		"running_ns", "runnable_ns", "sleeping_ns", "blocked_ns"
	};
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(sched, "states");

	for (int i = 0; i < TT_ST_MAX; i++) {
		double pct = tt_json_num(st, tt_state_name(i));

		p->state_ns[i] = tt_json_u64(sched, ns_key[i]);
		p->state_pct[i] = pct >= 0 && pct <= 100 ? pct : 0;
	}
}

/* a stack's frames: the arrays may disagree in length (a hand-edited or
 * damaged file): the shorter one counts */
static bool parse_stack(struct tt_snapshot *s, const cJSON *o,
			struct tt_stack *st, bool offcpu)
{
	const cJSON *fr = cJSON_GetObjectItemCaseSensitive(o, "frames");
	const cJSON *mo = cJSON_GetObjectItemCaseSensitive(o, "modules");
	int n = cJSON_GetArraySize(fr), nm = cJSON_GetArraySize(mo);
	double nk = tt_json_num(o, "kernel_frames");
	struct tt_frame *f;
	const struct tt_frame **v;

	if (!cJSON_IsObject(o))
		return false;
	if (nm < n)
		n = nm;
	if (n < 0 || n > 4096)
		n = 0;
	f = tt_arena_alloc(&s->arena, ((size_t)n + 1) * sizeof(*f));
	v = tt_arena_alloc(&s->arena, ((size_t)n + 1) * sizeof(*v));
	if (!f || !v)
		return false;
	for (int i = 0; i < n; i++) {
		const cJSON *a = cJSON_GetArrayItem(fr, i);
		const cJSON *b = cJSON_GetArrayItem(mo, i);

		f[i].name = tt_arena_strdup(
			&s->arena, cJSON_IsString(a) ? a->valuestring : "?");
		f[i].module = tt_arena_strdup(
			&s->arena, cJSON_IsString(b) ? b->valuestring : "?");
		f[i].kernel = nk > 0 && i >= n - (nk < n ? (int)nk : n);
		v[i] = &f[i];
	}
	st->weight = tt_json_u64(o, offcpu ? "ns" : "count");
	st->events = offcpu ? tt_json_u64(o, "waits") : st->weight;
	st->nframes = (uint32_t)n;
	st->truncated =
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "truncated"));
	st->frames = v;
	return true;
}

static const struct tt_stack *
parse_stacks(struct tt_snapshot *s, const cJSON *a, bool offcpu, uint32_t *n)
{
	int cnt = cJSON_GetArraySize(a);
	struct tt_stack *v;
	const cJSON *e;

	*n = 0;
	if (cnt <= 0)
		return NULL;
	v = tt_arena_alloc(&s->arena, (size_t)cnt * sizeof(*v));
	if (!v)
		return NULL;
	cJSON_ArrayForEach(e, a) if (*n < (uint32_t)cnt &&
				     parse_stack(s, e, &v[*n], offcpu))(*n)++;
	return v;
}

void tt_json_parse_proc_profile(struct tt_snapshot *s, const cJSON *o,
				struct tt_proc *p)
{
	const cJSON *pr = cJSON_GetObjectItemCaseSensitive(o, "profile");

	if (!cJSON_IsObject(pr))
		return;
	p->prof_samples = tt_json_u64(pr, "samples");
	p->stacks =
		parse_stacks(s, cJSON_GetObjectItemCaseSensitive(pr, "stacks"),
			     false, &p->nstacks);
	p->offcpu_ns = tt_json_u64(pr, "offcpu_ns");
	p->offcpu_waits = tt_json_u64(pr, "offcpu_waits");
	p->offcpu =
		parse_stacks(s, cJSON_GetObjectItemCaseSensitive(pr, "offcpu"),
			     true, &p->noffcpu);
}

void tt_json_parse_profile(struct tt_snapshot *s, const cJSON *o)
{
	const cJSON *pr = cJSON_GetObjectItemCaseSensitive(o, "profile");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(pr, "functions");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(pr, "status");
	const cJSON *os = cJSON_GetObjectItemCaseSensitive(pr, "offcpu_status");
	int n = cJSON_GetArraySize(a);
	const cJSON *e;

	if (!cJSON_IsObject(pr)) {
		snprintf(s->prof.status, sizeof(s->prof.status),
			 "off: not in this recording");
		return;
	}
	snprintf(s->prof.status, sizeof(s->prof.status), "%s",
		 cJSON_IsString(st) ? st->valuestring : "off");
	snprintf(s->prof.offcpu_status, sizeof(s->prof.offcpu_status), "%s",
		 cJSON_IsString(os) ? os->valuestring : "off");
	s->prof.hz = (unsigned)tt_json_u64(pr, "hz");
	s->prof.offcpu_pid = (uint32_t)tt_json_u64(pr, "offcpu_pid");
	s->prof.samples = tt_json_u64(pr, "samples");
	s->prof.lost = tt_json_u64(pr, "lost");
	s->prof.truncated = tt_json_u64(pr, "truncated");
	s->prof.kunwound = tt_json_u64(pr, "kernel_unwound");
	s->prof.kcopied = tt_json_u64(pr, "kernel_copied");
	s->prof.cpu_pct = tt_json_num(pr, "cpu_pct");
	if (n <= 0)
		return;
	s->prof.funcs =
		tt_arena_alloc(&s->arena, (size_t)n * sizeof(*s->prof.funcs));
	if (!s->prof.funcs)
		return;
	cJSON_ArrayForEach(e, a)
	{
		struct tt_pfunc *f;

		if (!cJSON_IsObject(e) || s->prof.nfuncs >= (size_t)n)
			continue;
		f = &s->prof.funcs[s->prof.nfuncs++];
		f->name = tt_json_strdup(s, e, "name");
		f->module = tt_json_strdup(s, e, "module");
		f->kernel = cJSON_IsTrue(
			cJSON_GetObjectItemCaseSensitive(e, "kernel"));
		f->self = tt_json_u64(e, "self");
		f->total = tt_json_u64(e, "total");
	}
	tt_snapshot_prof_shares(s);
}
