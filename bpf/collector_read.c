// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector_read.c - each refresh: the maps read into the sink in an order
 * that makes the figures final and whole (exit records first, connections
 * before the processes that own them), entries of the gone deleted, and
 * the loss counters summed over CPUs.
 */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf/collector_priv.h"
#include "bpf/faults.h"

/* The map name in subsystem s, or -1 when s is off or has none. */
int tt_collector_map_fd(struct tt_collector *c, int s, const char *name)
{
	struct bpf_map *m;

	if (!c->sub[s].on)
		return -1;
	m = bpf_object__find_map_by_name(c->sub[s].obj, name);
	return m ? bpf_map__fd(m) : -1;
}

struct read_ctx {
	struct tt_collector *c;
	const struct tt_sink *sink;
};

/* The map name of subsystem s through cb; an error ends only this map. */
static int read_map(struct read_ctx *r, int s, const char *name, size_t ks,
		    size_t vs, tt_map_cb cb)
{
	int e = tt_faults_read(name);

	if (e)
		return e;
	return tt_map_read(&r->c->reader, tt_collector_map_fd(r->c, s, name),
			   ks, vs, cb, r);
}

static bool gone(struct tt_collector *c, const struct tt_key *k)
{
	return tt_keyset_has(&c->exited, k) || tt_keyset_has(&c->forget, k);
}

static int exit_cb(void *ctx, const void *key, const void *val)
{
	struct read_ctx *r = ctx;

	/* without memory to remember a record left, none is */
	bool may_wait = tt_keyset_room(&r->c->later);

	if (r->sink->on_exit &&
	    !r->sink->on_exit(r->sink->ctx, key, val, may_wait) && may_wait) {
		tt_keyset_add(&r->c->later, key);
		return 0;
	}
	tt_keyset_add(&r->c->exited, key);
	return 1; /* delete: read once */
}

/* an entry of a process whose exit record waits for the next read: left
 * as it is, unread, for that read */
static bool later(const struct tt_collector *c, const struct tt_key *k)
{
	return c->later.n && tt_keyset_has(&c->later, k);
}

static int sc_cb(void *ctx, const void *key, const void *val)
{
	struct read_ctx *r = ctx;
	const struct tt_sc_key *k = key;
	struct tt_key pk = { k->id, k->gen };

	if (later(r->c, &pk))
		return 0;
	if (tt_keyset_has(&r->c->forget, &pk))
		return 1;
	if (r->sink->on_syscall)
		r->sink->on_syscall(r->sink->ctx, key, val);
	return gone(r->c, &pk);
}

static int sched_cb(void *ctx, const void *key, const void *val)
{
	struct read_ctx *r = ctx;

	if (later(r->c, key))
		return 0;
	if (tt_keyset_has(&r->c->forget, key))
		return 1;
	if (r->sink->on_sched)
		r->sink->on_sched(r->sink->ctx, key, val);
	return gone(r->c, key);
}

/* A process's TCP figures: its entry plus the bytes it moved through the
 * connections it owns (tcp.bpf.c counts those in the connection only). */
static int tcp_cb(void *ctx, const void *key, const void *val)
{
	struct read_ctx *r = ctx;
	struct tt_collector *c = r->c;
	struct tt_tcp_val v = *(const struct tt_tcp_val *)val;
	const struct tt_ownb_ent *e;

	if (later(c, key)) {
		/* its report is due: the bytes of its connections closing
		 * now are kept for it (retire_closed) */
		tt_keyset_add(&c->tcp_alive, key);
		return 0;
	}
	if (tt_keyset_has(&c->forget, key)) {
		tt_ownb_del(&c->own_retired, key);
		return 1;
	}
	for (int i = 0; i < 2; i++) {
		e = tt_ownb_get(i ? &c->own_retired : &c->own_live, key);
		if (e) {
			v.tx_bytes += e->tx;
			v.rx_bytes += e->rx;
		}
	}
	if (r->sink->on_tcp)
		r->sink->on_tcp(r->sink->ctx, key, &v);
	if (gone(c, key)) {
		tt_ownb_del(&c->own_retired, key); /* reported for good */
		return 1;
	}
	tt_keyset_add(&c->tcp_alive, key);
	return 0;
}

/*
 * The bytes of connections deleted in this read stay counted: retired,
 * for owners still alive (an owner gone has had its last report, with
 * them in it).
 */
static void retire_closed(struct tt_collector *c)
{
	for (size_t i = 0; i < c->own_closing.n; i++) {
		const struct tt_ownb_ent *e = &c->own_closing.v[i];

		if (tt_keyset_has(&c->tcp_alive, &e->k))
			tt_ownb_add(&c->own_retired, &e->k, e->tx, e->rx);
	}
	tt_ownb_settle(&c->own_retired);
	tt_ownb_clear(&c->own_closing);
	tt_ownb_clear(&c->own_live);
	tt_keyset_clear(&c->tcp_alive);
}

int tt_collector_read(struct tt_collector *c, const struct tt_sink *sink)
{
	struct read_ctx r = { c, sink };
	int err, e;

	tt_keyset_clear(&c->exited);
	tt_keyset_clear(&c->later);
	/* the events up to now belong to the interval this read closes */
	e = tt_collector_drain(c, sink);
	err = e < 0 ? e : 0;
	/* exit records first: the stats read after them are final */
	e = read_map(&r, TT_SYS_PROC, "exits", sizeof(struct tt_key),
		     sizeof(struct tt_exit_val), exit_cb);
	err = err ? err : e;
	e = read_map(&r, TT_SYS_SYSCALLS, "sc_stats", sizeof(struct tt_sc_key),
		     sizeof(struct tt_sc_val), sc_cb);
	err = err ? err : e;
	e = read_map(&r, TT_SYS_SCHED, "sched_stats", sizeof(struct tt_key),
		     sizeof(struct tt_sched_val), sched_cb);
	err = err ? err : e;
	/* connections before processes: their owners' bytes go with them */
	e = tt_collector_read_conns(c, sink);
	err = err ? err : e;
	tt_ownb_settle(&c->own_live);
	e = read_map(&r, TT_SYS_TCP, "tcp_stats", sizeof(struct tt_key),
		     sizeof(struct tt_tcp_val), tcp_cb);
	err = err ? err : e;
	retire_closed(c);
	tt_keyset_clear(&c->forget);
	e = tt_collector_read_running(c, sink);
	return err ? err : e;
}

void tt_collector_forget(struct tt_collector *c, const struct tt_key *k)
{
	tt_keyset_add(&c->forget, k);
}

/*
 * One subsystem's loss counters into vals (ncpu per kind): one batch
 * lookup of the whole array, or one lookup per kind on a kernel without.
 */
static int drops_of(struct tt_collector *c, int fd, uint64_t *vals, int ncpu)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 keys[TT_DROP_MAX], out, count = TT_DROP_MAX;
	int err;

	if (!c->reader.no_batch) {
		c->reader.calls++;
		err = bpf_map_lookup_batch(fd, NULL, &out, keys, vals, &count,
					   &opts);
		err = err ? -errno : 0;
		if ((!err || err == -ENOENT) && count == TT_DROP_MAX)
			return 0;
		if (!tt_map_refused(err))
			return err ? err : -EIO;
	}
	for (__u32 k = 0; k < TT_DROP_MAX; k++) {
		c->reader.calls++;
		if (bpf_map_lookup_elem(fd, &k, vals + (size_t)k * ncpu))
			memset(vals + (size_t)k * ncpu, 0,
			       sizeof(*vals) * (size_t)ncpu);
	}
	return 0;
}

void tt_collector_drops(struct tt_collector *c, uint64_t out[TT_DROP_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	size_t n = (size_t)(ncpu > 0 ? ncpu : 1) * TT_DROP_MAX;
	uint64_t vals[n];

	/*
	 * The kernel writes all the values, but valgrind has no model of a
	 * batch lookup, and its model of a lookup marks only the first
	 * value_size bytes written: clear them all first.
	 */
	memset(out, 0, sizeof(uint64_t) * TT_DROP_MAX);
	for (int s = 0; s < TT_SYS_MAX; s++) {
		int fd = tt_collector_map_fd(c, s, "drops");

		memset(vals, 0, sizeof(vals));
		if (fd < 0 || ncpu <= 0 || drops_of(c, fd, vals, ncpu))
			continue;
		for (int k = 0; k < TT_DROP_MAX; k++)
			for (int i = 0; i < ncpu; i++)
				out[k] += vals[(size_t)k * ncpu + i];
	}
}
