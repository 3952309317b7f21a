// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector_events.c - the event stream's user half: the three maps that
 * every object shares (created here, handed to each object before it
 * loads), the ring buffer drained into the sink, each record decoded into
 * a plain struct tt_event, and the per-kind loss counters.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf/collector_priv.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int tt_events_create(struct tt_collector *c, const struct tt_collector_opts *o,
		     char *err, size_t errlen)
{
	/* events off: the programs still name the map, a page will do */
	__u32 size = o->ev_kinds && o->ev_buffer ? o->ev_buffer : 4096;

	c->ev_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0, size,
				  NULL);
	c->ev_lost_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "ev_lost",
				       sizeof(__u32), sizeof(struct tt_ev_lost),
				       TT_EV_KINDS, NULL);
	c->ev_limit_fd =
		bpf_map_create(BPF_MAP_TYPE_ARRAY, "ev_limit", sizeof(__u32),
			       sizeof(struct tt_ev_window), TT_EV_KINDS, NULL);
	if (c->ev_fd < 0 || c->ev_lost_fd < 0 || c->ev_limit_fd < 0) {
		int e = -errno;

		snprintf(err, errlen,
			 "creating the event ring buffer (%u bytes): %s", size,
			 strerror(-e));
		return e;
	}
	c->mono_to_real = clock_s(CLOCK_REALTIME) - clock_s(CLOCK_MONOTONIC);
	return 0;
}

/* Before obj loads: its event maps become the shared ones. */
int tt_events_share(struct tt_collector *c, struct bpf_object *obj)
{
	static const char *const names[] = { "events", "ev_lost", "ev_limit" };
	int fds[] = { c->ev_fd, c->ev_lost_fd, c->ev_limit_fd };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, names[i]);
		int e;

		if (!m)
			continue;
		e = bpf_map__reuse_fd(m, fds[i]);
		if (e)
			return e;
	}
	return 0;
}

/* ---- decoding ------------------------------------------------------------ */

static void addr(char *out, uint16_t family, const __u8 *a)
{
	if (!inet_ntop(family == 2 ? AF_INET : AF_INET6, a, out, TT_ADDR_LEN))
		snprintf(out, TT_ADDR_LEN, "?");
}

static void hdr(struct tt_collector *c, struct tt_event *ev,
		const struct tt_ev_hdr *h)
{
	ev->mono_ns = h->ts;
	ev->time = (double)h->ts / 1e9 + c->mono_to_real;
	ev->kind = (enum tt_ev_kind)h->kind;
	ev->pid = h->pid;
	ev->tid = h->tid;
	ev->gen = h->gen;
	ev->uid = h->uid == (__u32)-1 ? -1 : (int64_t)h->uid;
	memcpy(ev->comm, h->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = 0;
}

/* scratch for one event's strings: they live during the sink call */
static char path_buf[TT_EV_PATH_LEN + 1], argv_buf[TT_EV_ARGS_LEN + 1];
static char cg_buf[TT_EV_CGROUP_DEPTH * 33 + 8];

static void dec_exec(struct tt_event *ev, const struct tt_ev_exec *r)
{
	uint32_t len =
		r->args_len < TT_EV_ARGS_LEN ? r->args_len : TT_EV_ARGS_LEN;
	uint32_t n = 0, i = 0;

	memcpy(path_buf, r->path, TT_EV_PATH_LEN);
	path_buf[TT_EV_PATH_LEN] = 0;
	memcpy(argv_buf, r->args, len);
	/* an argument cut by the byte limit ends here */
	if (len && argv_buf[len - 1])
		argv_buf[len++] = 0;
	while (i < len && n < TT_EV_MAX_ARGS) {
		i += (uint32_t)strnlen(argv_buf + i, len - i) + 1;
		n++;
	}
	ev->ppid = r->ppid;
	ev->exec.path = path_buf;
	ev->exec.argv = argv_buf;
	ev->exec.argv_len = i;
	ev->exec.argc = (uint16_t)n;
	/* a failed exec's argc is what was read; a good one's the real one */
	ev->exec.cut = (r->flags & TT_EV_CUT_ARGS) || i < len ||
		       (r->ret == 0 && r->argc > n);
	ev->exec.ret = r->ret;
}

static void dec_exit(struct tt_event *ev, const struct tt_ev_exit *r)
{
	ev->ppid = r->ppid;
	ev->exit.signal = r->code & 0x7f;
	ev->exit.core = r->code & 0x80;
	ev->exit.code = ev->exit.signal ? 0 : (r->code >> 8) & 0xff;
	ev->exit.lifetime_ns = r->lifetime_ns;
	ev->exit.cpu_ns = r->cpu_ns;
	ev->exit.syscalls =
		r->syscalls == (__u64)-1 ? -1 : (int64_t)r->syscalls;
}

static void dec_tcp(struct tt_event *ev, const struct tt_ev_tcp *r)
{
	ev->tcp.family = r->family == 2 ? 4 : 6;
	ev->tcp.sport = r->sport;
	ev->tcp.dport = r->dport;
	addr(ev->tcp.saddr, r->family, r->saddr);
	addr(ev->tcp.daddr, r->family, r->daddr);
	ev->tcp.result = r->result;
	ev->tcp.err = r->err;
	ev->tcp.sent =
		r->h.kind == TT_EV_RESET && (r->flags & TT_EV_RESET_SENT);
	ev->tcp.passive =
		r->h.kind != TT_EV_RESET && (r->flags & TT_CONN_PASSIVE);
	ev->tcp.ns = r->ns;
	ev->tcp.tx_bytes = r->tx_bytes;
	ev->tcp.rx_bytes = r->rx_bytes;
	ev->tcp.retransmits = r->retransmits;
	ev->tcp.srtt_us = r->srtt_us;
	ev->tcp.state = r->state;
}

static void dec_oom(struct tt_event *ev, const struct tt_ev_oom *r)
{
	unsigned depth = r->depth & 0x7f;
	size_t off = 0;

	if (depth > TT_EV_CGROUP_DEPTH)
		depth = TT_EV_CGROUP_DEPTH;
	cg_buf[0] = 0;
	if (r->depth & 0x80)
		off += (size_t)snprintf(cg_buf, sizeof(cg_buf), "/...");
	for (unsigned i = depth; i-- > 0;)
		off += (size_t)snprintf(cg_buf + off, sizeof(cg_buf) - off,
					"/%.31s", r->cgroup[i]);
	if (!off)
		snprintf(cg_buf, sizeof(cg_buf), "/");
	ev->oom.trigger_pid = r->trigger_pid;
	memcpy(ev->oom.trigger_comm, r->trigger_comm, 16);
	ev->oom.trigger_comm[15] = 0;
	ev->oom.rss_bytes = r->rss_bytes;
	ev->oom.vm_bytes = r->vm_bytes;
	ev->oom.cgroup_id = r->cgroup_id;
	ev->oom.cgroup = cg_buf;
}

/* record sizes by kind: a shorter record is not ours (or a bug) */
static const size_t rec_size[TT_EV_KINDS] = {
	[TT_EV_EXEC] = sizeof(struct tt_ev_exec),
	[TT_EV_EXIT] = sizeof(struct tt_ev_exit),
	[TT_EV_CONNECT] = sizeof(struct tt_ev_tcp),
	[TT_EV_ACCEPT] = sizeof(struct tt_ev_tcp),
	[TT_EV_CLOSE] = sizeof(struct tt_ev_tcp),
	[TT_EV_RESET] = sizeof(struct tt_ev_tcp),
	[TT_EV_RETRANS] = sizeof(struct tt_ev_tcp),
	[TT_EV_SLOW] = sizeof(struct tt_ev_slow),
	[TT_EV_SIGNAL] = sizeof(struct tt_ev_signal),
	[TT_EV_OOM] = sizeof(struct tt_ev_oom),
	[TT_EV_RUNQ] = sizeof(struct tt_ev_runq),
};

/*
 * At most this many records per drain: producers that keep up with us
 * (a fork storm, or a reader slowed down, by valgrind say) would
 * otherwise keep one drain, and the refresh that waits on it, going for
 * good. What is left waits for the next drain; if the buffer fills
 * meanwhile, the kernel counts the losses.
 */
#define DRAIN_MAX 65536

static int on_record(void *ctx, void *data, size_t size)
{
	struct tt_collector *c = ctx;
	const struct tt_ev_hdr *h = data;
	struct tt_event ev;

	if (size < sizeof(*h) || h->kind >= TT_EV_KINDS ||
	    size < rec_size[h->kind])
		return 0;
	memset(&ev, 0, sizeof(ev));
	hdr(c, &ev, h);
	switch (h->kind) {
	case TT_EV_EXEC:
		dec_exec(&ev, data);
		break;
	case TT_EV_EXIT:
		dec_exit(&ev, data);
		break;
	case TT_EV_SLOW: {
		const struct tt_ev_slow *r = data;

		ev.slow.nr = r->nr;
		ev.slow.ret = r->ret;
		ev.slow.arg0 = r->arg0;
		ev.slow.ns = r->ns;
		break;
	}
	case TT_EV_SIGNAL: {
		const struct tt_ev_signal *r = data;

		ev.signal.target_pid = r->target_pid;
		ev.signal.target_tid = r->target_tid;
		memcpy(ev.signal.target_comm, r->target_comm, 16);
		ev.signal.target_comm[15] = 0;
		ev.signal.sig = r->sig;
		ev.signal.result = r->result;
		break;
	}
	case TT_EV_OOM:
		dec_oom(&ev, data);
		break;
	case TT_EV_RUNQ: {
		const struct tt_ev_runq *r = data;

		ev.runq.ns = r->ns;
		ev.runq.prev_pid = r->prev_pid;
		ev.runq.cpu = r->cpu;
		memcpy(ev.runq.prev_comm, r->prev_comm, 16);
		ev.runq.prev_comm[15] = 0;
		break;
	}
	default: /* the TCP kinds */
		dec_tcp(&ev, data);
		break;
	}
	if (c->drain_sink && c->drain_sink->on_event)
		c->drain_sink->on_event(c->drain_sink->ctx, &ev);
	/* this record is consumed either way; stop here (see below) */
	return ++c->drained >= DRAIN_MAX ? -E2BIG : 0;
}

int tt_events_start(struct tt_collector *c)
{
	c->rb = ring_buffer__new(c->ev_fd, on_record, c, NULL);
	return c->rb ? 0 : -errno;
}

void tt_events_free(struct tt_collector *c)
{
	ring_buffer__free(c->rb);
	c->rb = NULL;
	for (int *fd = &c->ev_fd; fd <= &c->ev_limit_fd; fd++)
		if (*fd > 0)
			close(*fd);
}

int tt_collector_events_fd(const struct tt_collector *c)
{
	return c->rb ? ring_buffer__epoll_fd(c->rb) : -1;
}

int tt_collector_drain(struct tt_collector *c, const struct tt_sink *sink)
{
	int e;

	if (!c->rb)
		return 0;
	/* the two clocks drift apart (NTP): convert with today's offset */
	c->mono_to_real = clock_s(CLOCK_REALTIME) - clock_s(CLOCK_MONOTONIC);
	c->drain_sink = sink;
	c->drained = 0;
	e = ring_buffer__consume(c->rb);
	c->drain_sink = NULL;
	return e < 0 && e != -E2BIG ? e : c->drained;
}

void tt_collector_events_lost(struct tt_collector *c,
			      uint64_t full[TT_EV_KINDS],
			      uint64_t limited[TT_EV_KINDS])
{
	int ncpu = libbpf_num_possible_cpus();
	struct tt_ev_lost vals[ncpu > 0 ? ncpu : 1];

	memset(full, 0, sizeof(uint64_t) * TT_EV_KINDS);
	memset(limited, 0, sizeof(uint64_t) * TT_EV_KINDS);
	memset(vals, 0, sizeof(vals)); /* see tt_collector_drops() */
	if (c->ev_lost_fd <= 0 || ncpu <= 0)
		return;
	for (__u32 k = 0; k < TT_EV_KINDS; k++) {
		if (bpf_map_lookup_elem(c->ev_lost_fd, &k, vals))
			continue;
		for (int i = 0; i < ncpu; i++) {
			full[k] += vals[i].full;
			limited[k] += vals[i].limited;
		}
	}
}
