// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector.c - the lifecycle of tracetop's BPF objects: open, configure
 * (filters as read-only data), load, attach program by program, clean up.
 * What they cost is collector_cost.c; reading the maps each refresh,
 * collector_read.c. With those, the only user code that knows libbpf.
 *
 * One object per subsystem. A subsystem whose object does not load is off
 * with the verifier's reason; a program that cannot attach (tracepoint
 * missing on this kernel) turns off only that program's metric.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/collector.h"
#include "bpf/faults.h"
#include "bpf/load_gate.h"
#include "syscalls.skel.h"
#include "sched.skel.h"
#include "tcp.skel.h"
#include "proc.skel.h"
#include "bpf/collector_priv.h"

/* ---- libbpf's log: never to the terminal ------------------------------- */

static tt_log_fn log_fn;
/* last non-empty line libbpf printed on this thread: objects load on two */
static _Thread_local char last_line[160];

void tt_collector_set_log(tt_log_fn fn)
{
	log_fn = fn;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	char buf[512];
	size_t n;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	if (!n)
		return 0;
	if (level != LIBBPF_DEBUG) {
		/* keep the verifier's last word: it names the cause */
		const char *l = strrchr(buf, '\n');

		/* cut to the line kept: the verifier's cause comes first */
		snprintf(last_line, sizeof(last_line), "%.*s",
			 (int)sizeof(last_line) - 1, l ? l + 1 : buf);
		if (log_fn)
			log_fn(buf);
	}
	return 0;
}

/* ---- per-skeleton glue: each rodata layout differs, names do not -------- */

#define CONFIGURE(name, s, o)                                                  \
	do {                                                                   \
		for (unsigned i_ = 0; i_ < (o)->npids; i_++)                   \
			(s)->rodata->filter_pids[i_] = (o)->pids[i_];          \
		(s)->rodata->n_filter_pids = (o)->npids;                       \
		(s)->rodata->filter_uid =                                      \
			(o)->uid < 0 ? (__u32)-1 : (__u32)(o)->uid;            \
		(s)->rodata->per_thread = (o)->per_thread;                     \
		(s)->rodata->ev_kinds = (o)->ev_kinds;                         \
		(s)->rodata->ev_rate = (o)->ev_rate;                           \
		/* wake the reader at an eighth full; else its timer */        \
		(s)->rodata->ev_wakeup_bytes = (o)->ev_buffer / 8;             \
		configure_##name(s, o);                                        \
	} while (0)

/* what only one object has */
static void configure_syscalls(struct tt_syscalls *s,
			       const struct tt_collector_opts *o)
{
	s->rodata->slow_ns = o->slow_ns;
	memcpy((void *)s->rodata->slow_skip, o->slow_skip,
	       sizeof(o->slow_skip));
	s->rodata->nr_execve = SYS_execve;
	s->rodata->nr_execveat = SYS_execveat;
}

static void configure_sched(struct tt_sched *s,
			    const struct tt_collector_opts *o)
{
	s->rodata->runq_slow_ns = o->runq_slow_ns;
}

static void configure_tcp(struct tt_tcp *s, const struct tt_collector_opts *o)
{
}

static void configure_proc(struct tt_proc *s, const struct tt_collector_opts *o)
{
	s->rodata->page_size = (__u32)sysconf(_SC_PAGESIZE);
	s->rodata->sig_skip = o->sig_skip;
}

#define SKEL_GLUE(name)                                                        \
	static struct bpf_object *open_##name(                                 \
		void **out, const struct tt_collector_opts *o)                 \
	{                                                                      \
		struct tt_##name *s = tt_##name##__open();                     \
		if (!s)                                                        \
			return NULL;                                           \
		CONFIGURE(name, s, o);                                         \
		*out = s;                                                      \
		return s->obj;                                                 \
	}                                                                      \
	static void destroy_##name(void *s)                                    \
	{                                                                      \
		tt_##name##__destroy(s);                                       \
	}

SKEL_GLUE(syscalls)
SKEL_GLUE(sched)
SKEL_GLUE(tcp)
SKEL_GLUE(proc)

/*
 * Table of subsystems, in attach order: proc last, so that the others'
 * sched_process_exit handlers have run when its exit record appears.
 */
static const struct {
	const char *name;
	struct bpf_object *(*open)(void **, const struct tt_collector_opts *);
	void (*destroy)(void *);
	/* tracepoint names of the programs, for --check, by program name */
	const char *const tp[MAX_PROGS][2];
} subsys_table[TT_SYS_MAX] = {
	[TT_SYS_SYSCALLS] = { "syscalls",
			      open_syscalls,
			      destroy_syscalls,
			      { { "tt_sys_enter", "raw_syscalls:sys_enter" },
				{ "tt_sys_exit", "raw_syscalls:sys_exit" },
				{ "tt_sys_switch", "sched:sched_switch" },
				{ "tt_sys_task_exit",
				  "sched:sched_process_exit" } } },
	[TT_SYS_TCP] = { "tcp",
			 open_tcp,
			 destroy_tcp,
			 { { "tt_sock_send", "sock:sock_send_length" },
			   { "tt_sock_recv", "sock:sock_recv_length" },
			   { "tt_sock_state", "sock:inet_sock_set_state" },
			   { "tt_tcp_retransmit", "tcp:tcp_retransmit_skb" },
			   { "tt_tcp_send_reset", "tcp:tcp_send_reset" },
			   { "tt_tcp_receive_reset", "tcp:tcp_receive_reset" },
			   { "tt_sock_state_again",
			     "sock:inet_sock_set_state" } } },
	[TT_SYS_SCHED] = { "sched",
			   open_sched,
			   destroy_sched,
			   { { "tt_sched_wakeup", "sched:sched_wakeup" },
			     { "tt_sched_wakeup_new",
			       "sched:sched_wakeup_new" },
			     { "tt_sched_switch", "sched:sched_switch" },
			     { "tt_sched_migrate", "sched:sched_migrate_task" },
			     { "tt_sched_exit",
			       "sched:sched_process_exit" } } },
	[TT_SYS_PROC] = { "proc",
			  open_proc,
			  destroy_proc,
			  { { "tt_proc_exit", "sched:sched_process_exit" },
			    { "tt_proc_exec", "sched:sched_process_exec" },
			    { "tt_proc_signal", "signal:signal_generate" },
			    { "tt_proc_oom", "oom:mark_victim" } } },
};

static const char *tp_name(int s, const char *prog)
{
	for (int i = 0; i < MAX_PROGS && subsys_table[s].tp[i][0]; i++)
		if (!strcmp(subsys_table[s].tp[i][0], prog))
			return subsys_table[s].tp[i][1];
	return prog;
}

static struct tt_probe *probe_add(struct tt_collector *c, int s,
				  const char *prog)
{
	struct tt_probe *p = &c->probes[c->nprobes++];

	p->subsys = subsys_table[s].name;
	p->name = tp_name(s, prog);
	p->attached = false;
	p->reason[0] = 0;
	return p;
}

/* The program a failed load names in libbpf's log ("prog 'x': ..."). */
static struct bpf_program *failed_prog(struct bpf_object *obj, const char *log)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj)
	{
		char pat[96];

		snprintf(pat, sizeof(pat), "'%s'", bpf_program__name(p));
		if (bpf_program__autoload(p) && strstr(log, pat))
			return p;
	}
	return NULL;
}

/* the tail of libbpf's warnings in this thread's load */
static _Thread_local char load_log[8192];

static int capture_print(enum libbpf_print_level level, const char *fmt,
			 va_list ap)
{
	size_t n = strlen(load_log);
	va_list aq;

	if (level != LIBBPF_DEBUG) {
		if (n > sizeof(load_log) /
				2) { /* keep the tail: it has the cause */
			memmove(load_log, load_log + n / 2, n - n / 2 + 1);
			n = strlen(load_log);
		}
		va_copy(aq, ap);
		vsnprintf(load_log + n, sizeof(load_log) - n, fmt, aq);
		va_end(aq);
	}
	return libbpf_print(level, fmt, ap);
}

/* The verifier's verdict: the line before its "processed N insns" line. */
static void verifier_verdict(char *out, size_t len)
{
	char *p = strstr(load_log, "\nprocessed "), *b;

	if (!p) {
		snprintf(out, len, "%.*s", (int)len - 1,
			 last_line[0] ? last_line : "no detail");
		return;
	}
	*p = 0;
	b = strrchr(load_log, '\n');
	snprintf(out, len, "%.*s", (int)len - 1, b ? b + 1 : load_log);
	*p = '\n';
}

/*
 * Load the object; when the verifier or the kernel refuses one program,
 * turn that one off (its reason is kept for its probe) and try again.
 * Runs on either loading thread: it touches its own subsystem only.
 */
static int load_subsys(struct subsys *ss)
{
	struct bpf_program *bad;
	char *why;
	int err;

	load_log[0] = 0;
	last_line[0] = 0;
	tt_load_gate_enter();
	err = bpf_object__load(ss->obj);
	tt_load_gate_leave();
	if (!err)
		return 0;
	bad = failed_prog(ss->obj, load_log);
	if (!bad) {
		snprintf(ss->status, sizeof(ss->status),
			 "off: loading failed: %s (%s)", strerror(-err),
			 last_line[0] ? last_line : "no detail");
		return err;
	}
	snprintf(ss->refused[ss->nrefused].prog, sizeof(ss->refused[0].prog),
		 "%s", bpf_program__name(bad));
	why = ss->refused[ss->nrefused].reason;
	ss->nrefused++;
	/* libbpf's words when the kernel's BTF has no such
	 * tracepoint: the kernel is older, not the program wrong */
	if (strstr(load_log, "failed to find kernel BTF type ID")) {
		snprintf(why, sizeof(ss->refused[0].reason),
			 "tracepoint not in this kernel");
	} else {
		char v[128];

		verifier_verdict(v, sizeof(v));
		snprintf(why, sizeof(ss->refused[0].reason),
			 "refused by the verifier: %s", v);
	}
	/* a failed load leaves the object unusable: open it anew */
	ss->destroy(ss->skel);
	ss->skel = NULL;
	return -EAGAIN;
}

static void subsys_off(struct subsys *ss, const char *why)
{
	ss->on = false;
	snprintf(ss->status, sizeof(ss->status), "off: %s", why);
}

/* the program that sends only events of kind k: not loaded when k is off */
static const struct {
	const char *prog;
	enum tt_ev_kind kind;
} event_progs[] = {
	{ "tt_proc_exec", TT_EV_EXEC },
	{ "tt_proc_signal", TT_EV_SIGNAL },
	{ "tt_proc_oom", TT_EV_OOM },
};

/*
 * Before obj loads: the event maps become the shared ones; the programs
 * of kinds that are off stay out; and proc.bpf.c reads the syscall
 * counts and the running slices that the syscalls and sched objects
 * (loaded before it) keep, for its exit events, through their maps.
 */
static int prepare_obj(struct tt_collector *c, int s, struct subsys *ss,
		       const struct tt_collector_opts *o)
{
	struct bpf_program *p;
	int e = tt_events_share(c, ss->obj);

	if (e)
		return e;
	bpf_object__for_each_program(p, ss->obj)
	{
		for (size_t i = 0;
		     i < sizeof(event_progs) / sizeof(event_progs[0]); i++)
			if (!strcmp(bpf_program__name(p),
				    event_progs[i].prog) &&
			    !(o->ev_kinds & (1u << event_progs[i].kind)))
				bpf_program__set_autoload(p, false);
	}
	if (s != TT_SYS_PROC)
		return 0;
	static const struct {
		int from;
		const char *map;
	} borrow[] = { { TT_SYS_SYSCALLS, "sc_start" },
		       { TT_SYS_SCHED, "cpu_slot" } };
	for (size_t i = 0; i < sizeof(borrow) / sizeof(borrow[0]); i++) {
		struct bpf_map *m =
			bpf_object__find_map_by_name(ss->obj, borrow[i].map);
		struct subsys *from = &c->sub[borrow[i].from];
		struct bpf_map *fm = from->loaded
					     ? bpf_object__find_map_by_name(
						       from->obj, borrow[i].map)
					     : NULL;

		if (!m || !fm)
			continue;
		e = bpf_map__reuse_fd(m, bpf_map__fd(fm));
		if (e)
			return e;
		if (borrow[i].from == TT_SYS_SYSCALLS)
			((struct tt_proc *)ss->skel)->rodata->sc_counted = 1;
	}
	return 0;
}

static int load_subsys_retry(struct tt_collector *c, int s,
			     const struct tt_collector_opts *o)
{
	struct subsys *ss = &c->sub[s];
	struct bpf_program *p;
	int err;

	ss->destroy = subsys_table[s].destroy;
	for (;;) {
		ss->obj = subsys_table[s].open(&ss->skel, o);
		if (!ss->obj) {
			subsys_off(ss, "cannot open the BPF object");
			return -errno;
		}
		tt_faults_apply(ss->obj);
		err = prepare_obj(c, s, ss, o);
		if (err) {
			subsys_off(ss, "cannot share the event maps");
			return err;
		}
		/* the refused programs stay off when the object is reopened */
		bpf_object__for_each_program(p, ss->obj)
		{
			for (size_t i = 0; i < ss->nrefused; i++)
				if (!strcmp(bpf_program__name(p),
					    ss->refused[i].prog))
					bpf_program__set_autoload(p, false);
		}
		err = load_subsys(ss);
		if (err != -EAGAIN)
			break;
		if (ss->nrefused == MAX_PROGS) {
			subsys_off(ss, "no program could be loaded");
			return err;
		}
	}
	return err;
}

/* Attach a loaded subsystem. Every subsystem is loaded before any is
 * attached, so counting starts within a few ms everywhere and the first
 * interval's rates are not inflated by what one counted while the next
 * was in the verifier. */
/*
 * syscalls.bpf.c keeps each thread's calls in tallies only if both of the
 * programs that fold them into the map when the thread sleeps or exits
 * are attached; until then (or without them) every call goes there at
 * once. The objects are loaded with bpf_object__load(), so the skeleton's
 * .bss pointer is not the kernel's map: write the map itself.
 */
static bool is_flusher(int s, const char *prog)
{
	return s == TT_SYS_SYSCALLS && (!strcmp(prog, "tt_sys_switch") ||
					!strcmp(prog, "tt_sys_task_exit"));
}

static void syscalls_batch(struct subsys *ss, int flushers)
{
	struct tt_syscalls *skel = ss->skel;
	struct tt_syscalls__bss v = *skel->bss;
	__u32 zero = 0;

	if (flushers != 2)
		return;
	v.sc_batch = 1;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.bss), &zero, &v, 0))
		snprintf(ss->status + strlen(ss->status),
			 sizeof(ss->status) - strlen(ss->status),
			 "; unbatched (%s)", strerror(errno));
}

/* Programs user space runs itself (collector_read.c), never attached. */
static bool run_by_us(const char *prog)
{
	return !strcmp(prog, TT_CONN_SWEEP);
}

static int attach_subsys(struct tt_collector *c, int s)
{
	struct subsys *ss = &c->sub[s];
	size_t attached = 0;
	struct bpf_program *p;
	int flushers = 0;

	bpf_object__for_each_program(p, ss->obj)
	{
		struct tt_probe *pr;

		if (!bpf_program__autoload(p) ||
		    run_by_us(bpf_program__name(p)))
			continue;
		pr = probe_add(c, s, bpf_program__name(p));
		ss->links[ss->nlinks] = bpf_program__attach(p);
		if (!ss->links[ss->nlinks]) {
			snprintf(pr->reason, sizeof(pr->reason),
				 "attach failed: %s", strerror(errno));
			continue;
		}
		ss->nlinks++;
		pr->attached = true;
		attached++;
		flushers += is_flusher(s, bpf_program__name(p));
	}
	if (!attached) {
		subsys_off(ss, "no probe attached");
		return -ENOENT;
	}
	ss->on = true;
	snprintf(ss->status, sizeof(ss->status), "on");
	/* some on, some off: say which are off and why */
	for (size_t i = 0, n = 0; i < c->nprobes; i++) {
		const struct tt_probe *pr = &c->probes[i];
		size_t used = strlen(ss->status);

		if (pr->attached || strcmp(pr->subsys, ss->name))
			continue;
		snprintf(ss->status + used, sizeof(ss->status) - used,
			 "%s%s (%s)", n++ ? "; " : "; partial, off: ", pr->name,
			 pr->reason);
	}
	if (s == TT_SYS_SYSCALLS)
		syscalls_batch(ss, flushers);
	return 0;
}

/* proc last: the others' sched_process_exit handlers run before its exit
 * record appears; the refused programs' probes and the first error in this
 * order too */
static const int order[TT_SYS_MAX] = { TT_SYS_SYSCALLS, TT_SYS_TCP,
				       TT_SYS_SCHED, TT_SYS_PROC };

/*
 * The loads: most of start-up is the verifier and libbpf parsing the
 * kernel's BTF once per object, work on the CPU that asks, so two threads
 * share it: the scheduler's object (the longest to verify) on one, the
 * system calls' and TCP's on the other; proc last, as it borrows maps
 * from the first two. As many threads as CPUs would do no better: four
 * objects, one of them waiting for two.
 */
struct load_job {
	struct tt_collector *c;
	const struct tt_collector_opts *o;
	const int *subs;
	size_t n;
};

static void load_some(const struct load_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		int s = j->subs[i];
		struct subsys *ss = &j->c->sub[s];

		ss->name = subsys_table[s].name;
		if (s != TT_SYS_PROC && !j->o->enable[s]) {
			subsys_off(ss, "disabled by option");
			continue;
		}
		ss->load_err = load_subsys_retry(j->c, s, j->o);
		ss->loaded = ss->load_err == 0;
	}
}

static void *load_thread(void *arg)
{
	load_some(arg);
	return NULL;
}

static void load_all(struct tt_collector *c, const struct tt_collector_opts *o,
		     int *first_err)
{
	static const int mine[] = { TT_SYS_SYSCALLS, TT_SYS_TCP };
	static const int aside[] = { TT_SYS_SCHED };
	static const int last[] = { TT_SYS_PROC };
	struct load_job a = { c, o, mine, 2 };
	struct load_job b = { c, o, aside, 1 };
	struct load_job z = { c, o, last, 1 };
	pthread_t t;
	bool two = !pthread_create(&t, NULL, load_thread, &b);

	libbpf_set_print(capture_print); /* each thread keeps its own log */
	load_some(&a);
	if (two)
		pthread_join(t, NULL);
	else
		load_some(&b);
	load_some(&z);
	libbpf_set_print(libbpf_print);
	for (size_t i = 0; i < TT_SYS_MAX; i++) {
		struct subsys *ss = &c->sub[order[i]];

		for (size_t k = 0; k < ss->nrefused; k++) {
			struct tt_probe *p =
				probe_add(c, order[i], ss->refused[k].prog);

			snprintf(p->reason, sizeof(p->reason), "%s",
				 ss->refused[k].reason);
		}
		if (ss->load_err && !*first_err)
			*first_err = ss->load_err;
	}
}

int tt_collector_new(const struct tt_collector_opts *o,
		     struct tt_collector **out, char *err, size_t errlen)
{
	struct tt_collector *c = calloc(1, sizeof(*c));
	int on = 0, first_err = 0;

	if (!c) {
		snprintf(err, errlen, "collector: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	c->stats_fd = -1;
	c->t0 = tt_mono_s();
	if (tt_events_create(c, o, err, errlen)) {
		tt_collector_free(c);
		return -EINVAL;
	}
	libbpf_set_print(libbpf_print);
	if (o->bpf_stats)
		c->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	load_all(c, o, &first_err);
	tt_collector_warm(c);
	for (size_t i = 0; i < TT_SYS_MAX; i++) {
		int s = order[i], e;

		if (!c->sub[s].loaded)
			continue;
		e = attach_subsys(c, s);
		/* proc alone is something when it sends events */
		if (!e && (s != TT_SYS_PROC || o->ev_kinds))
			on++;
		else if (e && !first_err)
			first_err = e;
	}
	if (o->ev_kinds && tt_events_start(c) && !first_err)
		first_err = -errno;
	if (!on) {
		snprintf(err, errlen,
			 "no probe could be loaded (syscalls %s; tcp %s; "
			 "sched %s)",
			 c->sub[TT_SYS_SYSCALLS].status,
			 c->sub[TT_SYS_TCP].status,
			 c->sub[TT_SYS_SCHED].status);
		/* keep the collector: --check reports on it */
		*out = c;
		return first_err ? first_err : -ENOENT;
	}
	*out = c;
	return 0;
}

void tt_collector_free(struct tt_collector *c)
{
	if (!c)
		return;
	for (int s = 0; s < TT_SYS_MAX; s++) {
		struct subsys *ss = &c->sub[s];

		for (size_t i = 0; i < ss->nlinks; i++)
			bpf_link__destroy(ss->links[i]);
		if (ss->skel)
			ss->destroy(ss->skel);
	}
	if (c->stats_fd >= 0)
		close(c->stats_fd);
	tt_keyset_free(&c->exited);
	tt_keyset_free(&c->forget);
	tt_keyset_free(&c->later);
	tt_keyset_free(&c->tcp_alive);
	tt_ownb_free(&c->own_live);
	tt_ownb_free(&c->own_retired);
	tt_ownb_free(&c->own_closing);
	tt_collector_conns_free(c);
	tt_map_reader_free(&c->reader);
	tt_events_free(c);
	free(c);
}

const struct tt_probe *tt_collector_probes(const struct tt_collector *c,
					   size_t *n)
{
	*n = c->nprobes;
	return c->probes;
}

const char *tt_collector_status(const struct tt_collector *c, enum tt_subsys s)
{
	return c->sub[s].status[0] ? c->sub[s].status : "off";
}

/* slot of program name in its subsystem's table (= its tt_run() slot) */
int tt_collector_run_slot(int s, const char *prog)
{
	for (int i = 0;
	     i < MAX_PROGS && i < TT_RUN_SLOTS && subsys_table[s].tp[i][0]; i++)
		if (!strcmp(subsys_table[s].tp[i][0], prog))
			return i;
	return -1;
}
