// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * collector_conns.c - each refresh, the connections: the entries the
 * programs marked changed in the interval (tcp.bpf.c, changed()), merged
 * with the rest as last read (conn_cache.h). A walk of the whole map
 * copied every entry, a quarter of a microsecond each: at 10,000 idle
 * connections 40 % of a refresh, for figures that had not moved.
 *
 * The whole map is read instead at the first read, after a read that
 * failed, when a changed set was full (struct tt_conn_ctl), and when so
 * many changed that one lookup each would cost more than the walk.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <netinet/tcp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bpf/collector_priv.h"
#include "bpf/faults.h"

struct conns_ctx {
	struct tt_collector *c;
	const struct tt_sink *sink;
};

/* One connection as it is now, each refresh, changed or not. */
static int conn_cb(void *ctx, uint64_t cookie, const struct tt_conn_val *v)
{
	struct conns_ctx *r = ctx;
	bool closed = v->flags & TT_CONN_CLOSED;
	struct tt_key owner = { v->id, v->gen };

	if (r->sink->on_conn)
		r->sink->on_conn(r->sink->ctx, cookie, v);
	if (!closed && !(v->state == TCP_ESTABLISHED && v->sport))
		r->c->sweep_due = true;
	if ((v->flags & TT_CONN_OWNED) && (v->own_tx || v->own_rx)) {
		tt_ownb_add(&r->c->own_live, &owner, v->own_tx, v->own_rx);
		if (closed)
			tt_ownb_add(&r->c->own_closing, &owner, v->own_tx,
				    v->own_rx);
	}
	return closed; /* reported once closed */
}

/*
 * Each connection's state from its socket (tt_conn_sweep in tcp.bpf.c), so
 * a state change the programs could not see is not a connection listed
 * for good. A test run runs the program here, once, over the whole map.
 *
 * The lost changes it repairs are those of connections between states
 * (connecting, closing: a tuple not yet whole, a close whose programs
 * were both skipped), so it runs after a read that saw one. A connection
 * established with its tuple whole changes state only when it closes:
 * such a close lost (an established connection reset, both programs
 * skipped) is found by a sweep once in TT_SWEEP_EVERY reads. Reading
 * every socket was a fifth of a refresh at 10,000 idle connections (the
 * walk, not the reads: it touches every entry). What it changes, it
 * marks changed, for the read after it.
 */
static int conn_sweep(struct tt_collector *c)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	struct bpf_program *p;

	if (!c->sweep_due && ++c->sweep_skipped < TT_SWEEP_EVERY)
		return 0;
	c->sweep_due = false;
	c->sweep_skipped = 0;
	p = bpf_object__find_program_by_name(c->sub[TT_SYS_TCP].obj,
					     TT_CONN_SWEEP);
	if (!p || bpf_program__fd(p) < 0)
		return 0; /* refused at load: the probes say so */
	c->reader.calls++;
	return bpf_prog_test_run_opts(bpf_program__fd(p), &opts) ? -errno : 0;
}

/* The control entry, mapped at the first read; NULL when it cannot be
 * (every read is then a whole one, as before the changed sets). */
static struct tt_conn_ctl *ctl_of(struct tt_collector *c)
{
	int fd;
	void *p;

	if (c->conn_ctl || c->conn_ctl_failed)
		return c->conn_ctl;
	fd = tt_collector_map_fd(c, TT_SYS_TCP, "conn_ctl");
	p = fd < 0 ? MAP_FAILED
		   : mmap(NULL, (size_t)sysconf(_SC_PAGESIZE),
			  PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		c->conn_ctl_failed = true;
		return NULL;
	}
	c->conn_ctl = p;
	return p;
}

void tt_collector_conns_free(struct tt_collector *c)
{
	if (c->conn_ctl)
		munmap(c->conn_ctl, (size_t)sysconf(_SC_PAGESIZE));
	c->conn_ctl = NULL;
	tt_conn_cache_free(&c->conns);
}

/*
 * A new interval: the programs mark changes in the other set from now
 * on; this one's keys are taken out. Whole reads take them too, so a set
 * never stays full. Returns whether a whole read is due.
 */
static bool next_interval(struct tt_collector *c, size_t *nkeys)
{
	struct tt_conn_ctl *ctl = ctl_of(c);
	bool whole = !c->conns.valid;
	uint32_t epoch;
	int fd, e;

	*nkeys = 0;
	if (!ctl)
		return true;
	epoch = __atomic_load_n(&ctl->epoch, __ATOMIC_RELAXED);
	fd = tt_collector_map_fd(c, TT_SYS_TCP,
				 epoch & 1 ? "conn_changed1" : "conn_changed0");
	__atomic_store_n(&ctl->epoch, epoch + 1, __ATOMIC_SEQ_CST);
	if (__atomic_exchange_n(&ctl->full, 0, __ATOMIC_SEQ_CST))
		whole = true;
	e = tt_map_take_keys(&c->reader, fd, sizeof(uint64_t), sizeof(uint32_t),
			     nkeys);
	if (e) {
		if (tt_map_refused(e))
			c->conn_ctl_failed = true; /* no batches: walk */
		return true;
	}
	/* a lookup each (a system call) against a walk of all of them */
	return whole || *nkeys > c->conns.n / 4 + 64;
}

struct stage_ctx {
	struct tt_conn_cache *cache;
	bool nomem;
};

static int stage_cb(void *ctx, const void *key, const void *val)
{
	struct stage_ctx *x = ctx;

	if (!tt_conn_cache_put(x->cache, *(const uint64_t *)key, val, false))
		x->nomem = true;
	return 0; /* the closed go after the merge, with the others */
}

/* The connections whose keys the changed set held, one lookup each. */
static int read_changed(struct tt_collector *c, int fd, size_t nkeys)
{
	const uint64_t *keys = c->reader.del; /* tt_map_take_keys */
	struct tt_conn_val v;

	for (size_t i = 0; i < nkeys; i++) {
		bool gone;

		c->reader.calls++;
		gone = bpf_map_lookup_elem(fd, &keys[i], &v) != 0;
		if (gone && errno != ENOENT)
			return -errno;
		if (!tt_conn_cache_put(&c->conns, keys[i], &v, gone))
			return -ENOMEM;
	}
	return 0;
}

int tt_collector_read_conns(struct tt_collector *c, const struct tt_sink *sink)
{
	struct conns_ctx r = { c, sink };
	int fd = tt_collector_map_fd(c, TT_SYS_TCP, "conns");
	int err, e;
	size_t nkeys;
	bool whole;

	if (fd < 0)
		return 0;
	err = tt_faults_read("conns");
	if (err) {
		tt_conn_cache_invalidate(&c->conns);
		return err;
	}
	err = conn_sweep(c);
	whole = next_interval(c, &nkeys);
	tt_conn_cache_begin(&c->conns, whole);
	if (whole) {
		struct stage_ctx x = { &c->conns, false };

		e = tt_map_read(&c->reader, fd, sizeof(uint64_t),
				sizeof(struct tt_conn_val), stage_cb, &x);
		if (!e && x.nomem)
			e = -ENOMEM;
	} else {
		e = read_changed(c, fd, nkeys);
	}
	if (e) {
		tt_conn_cache_invalidate(&c->conns);
		return e;
	}
	e = tt_conn_cache_update(&c->conns, conn_cb, &r);
	if (e)
		return e;
	tt_map_delete(&c->reader, fd, sizeof(uint64_t), c->conns.del,
		      c->conns.ndel);
	return err;
}
