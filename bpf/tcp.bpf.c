// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tcp.bpf.c - per process TCP bytes, connects, accepts, retransmits and
 * resets; per connection the 4-tuple, state, bytes, retransmits, smoothed
 * RTT and connect latency. Tracepoints only (no kprobes):
 *
 *  sock_send_length / sock_recv_length  bytes, attributed to current task
 *  inet_sock_set_state                  connect, accept, close, latency
 *  tcp_retransmit_skb, tcp_*_reset      charged to the socket's owner
 *
 * State changes and retransmits run in softirq context, where the current
 * task is whoever was interrupted, so they are charged to the process that
 * owns the socket: the connector (recorded at SYN_SENT, which runs in
 * connect()), or for an accepted socket the first process to read or write
 * it (that is also when the accept is counted).
 *
 * Connections are keyed by the socket cookie, not the struct sock address:
 * a closed socket's memory is soon reused by a new one, and its entry lives
 * until user space has reported it, so an address key would hand the new
 * connection the old one's tuple, owner and bytes.
 *
 * A state change can be lost (see tt_sock_state_again), so user space
 * runs tt_conn_sweep before a read now and then, which takes every
 * connection's state from its socket: no connection stays listed after its
 * socket is gone.
 *
 * Every change to a connection marks it changed (changed()), once an
 * interval: a refresh reads those entries and keeps the others from the
 * read before, so ten thousand idle connections cost no walk of the map.
 */
#include "events.bpf.h"

#define AF_INET		2
#define AF_INET6	10
#define IPPROTO_TCP	6
#define MSG_PEEK	2
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT	2
#define TCP_SYN_RECV	3
#define TCP_CLOSE	7
#define RCV_SHUTDOWN	1
#define SEND_SHUTDOWN	2
#define ETIMEDOUT	110
#define ECONNREFUSED	111

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, TT_MAP_GROWS);
	__uint(max_entries, TT_MAX_PROCS);
	__type(key, struct tt_key);
	__type(value, struct tt_tcp_val);
} tcp_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, TT_MAP_GROWS);
	__uint(max_entries, TT_MAX_CONNS);
	__type(key, __u64);
	__type(value, struct tt_conn_val);
} conns SEC(".maps");

/* which connections changed, by interval parity (struct tt_conn_ctl);
 * preallocated: marking runs in softirqs too, and must not fail for want
 * of memory */
struct conn_changed {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TT_CONN_CHANGED);
	__type(key, __u64);
	__type(value, __u32);
};
struct conn_changed conn_changed0 SEC(".maps");
struct conn_changed conn_changed1 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_conn_ctl);
} conn_ctl SEC(".maps");

static const struct tt_tcp_val tcp_zero;

/*
 * c (key) changed: its key goes into this interval's changed set, once an
 * interval, so a refresh reads the connections that moved and keeps the
 * rest from its last read. Called after the change's last write to c:
 * user space moves the epoch on before it empties the set and reads the
 * entries, so a change made after that is marked in the next interval.
 */
static __always_inline void changed(struct tt_conn_val *c, __u64 key)
{
	__u32 zero = 0, one = 1;
	struct tt_conn_ctl *ctl = bpf_map_lookup_elem(&conn_ctl, &zero);
	__u32 epoch;
	long err;

	if (!ctl)
		return;
	epoch = *(volatile __u32 *)&ctl->epoch;
	if (c->epoch == epoch)
		return;
	c->epoch = epoch;
	if (epoch & 1)
		err = bpf_map_update_elem(&conn_changed1, &key, &one,
					  BPF_NOEXIST);
	else
		err = bpf_map_update_elem(&conn_changed0, &key, &one,
					  BPF_NOEXIST);
	if (err && err != -17) /* EEXIST: a new entry for a key marked */
		ctl->full = 1;
}

static __always_inline struct tt_tcp_val *stats_of(__u32 id, __u32 gen)
{
	struct tt_key k = { .id = id, .gen = gen };

	return tt_lookup_or_init(&tcp_stats, &k, &tcp_zero, TT_DROP_TCP_MAP);
}

/*
 * The current process owns c from now on. Its tcp_stats entry is made
 * here, once: the owner's I/O is counted in c only, and user space adds
 * it to that entry.
 */
static __always_inline struct tt_tcp_val *own(struct tt_conn_val *c)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct tt_key k;

	tt_task_key(t, &k);
	c->id = k.id;
	c->gen = k.gen;
	c->flags |= TT_CONN_OWNED;
	bpf_get_current_comm(c->comm, sizeof(c->comm));
	return stats_of(k.id, k.gen);
}

/* A key that no other socket will ever have (generated on first use). */
static __always_inline __u64 conn_key(const struct sock *sk)
{
	return bpf_get_socket_cookie((void *)sk);
}

/* Create the entry for sk (owned by current if own_it); NULL when full. */
static __always_inline struct tt_conn_val *conn_new(const struct sock *sk,
						    __u32 flags, bool own_it)
{
	__u64 key = conn_key(sk);
	struct tt_conn_val c = {};
	long err;

	c.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	c.sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	c.dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	c.state = BPF_CORE_READ(sk, __sk_common.skc_state);
	c.flags = flags;
	c.sk = (__u64)(unsigned long)sk;
	if (c.family == AF_INET) {
		BPF_CORE_READ_INTO(&c.saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(&c.daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&c.saddr, sk,
				   __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&c.daddr, sk,
				   __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	if (own_it)
		own(&c);
	err = bpf_map_update_elem(&conns, &key, &c, BPF_NOEXIST);
	if (err && err != -17) {
		tt_drop(TT_DROP_CONN_MAP);
		return NULL;
	}
	return bpf_map_lookup_elem(&conns, &key);
}

/* A TCP event of kind about sk (and its entry c, when there is one), its
 * process the connection's owner: state changes run in softirq context,
 * where current is whoever was interrupted. */
static __always_inline struct tt_ev_tcp *tcp_event(__u32 kind,
						   const struct sock *sk,
						   const struct tt_conn_val *c,
						   __u64 now)
{
	struct tt_ev_tcp *e;

	/* -p or -u: a connection no watched process owns (a passive end
	 * never read or written, a reset without a socket) is not theirs */
	if (!tt_no_filter() && !(c && (c->flags & TT_CONN_OWNED)))
		return NULL;
	e = tt_ev_reserve(kind, sizeof(*e), now);
	if (!e)
		return NULL;
	__builtin_memset(e, 0, sizeof(*e));
	e->h.uid = (__u32)-1;
	e->h.ts = now;
	e->h.kind = kind;
	if (c && (c->flags & TT_CONN_OWNED)) {
		e->h.pid = c->id;
		e->h.tid = c->id;
		e->h.gen = c->gen;
		__builtin_memcpy(e->h.comm, c->comm, TT_COMM_LEN);
	}
	if (c) {
		e->family = c->family;
		e->sport = c->sport;
		e->dport = c->dport;
		__builtin_memcpy(e->saddr, c->saddr, 16);
		__builtin_memcpy(e->daddr, c->daddr, 16);
	} else if (sk) {
		e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
		e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
		e->dport = __builtin_bswap16(
			BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (e->family == AF_INET) {
			BPF_CORE_READ_INTO(&e->saddr, sk,
					   __sk_common.skc_rcv_saddr);
			BPF_CORE_READ_INTO(&e->daddr, sk,
					   __sk_common.skc_daddr);
		} else {
			BPF_CORE_READ_INTO(
				&e->saddr, sk,
				__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
			BPF_CORE_READ_INTO(
				&e->daddr, sk,
				__sk_common.skc_v6_daddr.in6_u.u6_addr8);
		}
	}
	if (sk)
		e->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	return e;
}

/* An active open ended: established, or failed with sk_err. */
static __noinline void connect_event(const struct sock *sk,
				     const struct tt_conn_val *c, __u64 now,
				     bool ok)
{
	struct tt_ev_tcp *e = tcp_event(TT_EV_CONNECT, sk, c, now);
	int err;

	if (!e)
		return;
	err = ok ? 0 : BPF_CORE_READ(sk, sk_err);
	e->err = err;
	e->result = ok			  ? TT_EV_ESTABLISHED
		    : err == ECONNREFUSED ? TT_EV_REFUSED
		    : err == ETIMEDOUT	  ? TT_EV_TIMEDOUT
					  : TT_EV_CONN_ERROR;
	e->ns = c->syn_ns ? now - c->syn_ns : 0;
	e->retransmits = c->retransmits; /* of its SYN */
	tt_ev_submit(e);
}

/* An established connection closed: what tcplife prints, from the
 * kernel's own counts in the socket (all of its life, not only what we
 * saw). */
/*
 * The socket's byte counts are sequence space: bytes_acked has our SYN
 * (an active open's; a passive one starts past it) and our FIN once
 * acked, bytes_received the peer's FIN. Payload is what is left.
 */
static __always_inline __u64 payload(__u64 seq_bytes, __u32 flags)
{
	return seq_bytes > flags ? seq_bytes - flags : 0;
}

static __noinline void close_event(const struct sock *sk,
				   const struct tt_conn_val *c, __u64 now)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock((void *)sk);
	__u8 shut = BPF_CORE_READ(sk, sk_shutdown);
	struct tt_ev_tcp *e;

	if (!tp)
		return;
	e = tcp_event(TT_EV_CLOSE, sk, c, now);
	if (!e)
		return;
	e->ns = now - c->est_ns;
	e->tx_bytes = payload(tp->bytes_acked,
			      !(c->flags & TT_CONN_PASSIVE) +
				      ((shut & SEND_SHUTDOWN) &&
				       tp->snd_una == tp->write_seq));
	e->rx_bytes = payload(tp->bytes_received, !!(shut & RCV_SHUTDOWN));
	e->retransmits = tp->total_retrans;
	e->srtt_us = tp->srtt_us >> 3;
	e->flags = c->flags & TT_CONN_PASSIVE;
	tt_ev_submit(e);
}

/*
 * A reset sent with no socket (a segment for a port nobody listens on):
 * the tuple from the segment it answers, seen from our side.
 */
static __noinline void reset_event_skb(const struct sk_buff *skb, __u64 now)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 th = BPF_CORE_READ(skb, transport_header);
	struct tt_ev_tcp *e;
	struct tcphdr t;
	__u8 ver = 0;

	if (bpf_probe_read_kernel(&ver, 1, head + nh) ||
	    bpf_probe_read_kernel(&t, sizeof(t), head + th))
		return;
	e = tcp_event(TT_EV_RESET, NULL, NULL, now);
	if (!e)
		return;
	e->flags = TT_EV_RESET_SENT;
	e->sport = __builtin_bswap16(t.dest);
	e->dport = __builtin_bswap16(t.source);
	if (ver >> 4 == 4) {
		struct iphdr ip;

		e->family = AF_INET;
		if (!bpf_probe_read_kernel(&ip, sizeof(ip), head + nh)) {
			__builtin_memcpy(e->saddr, &ip.daddr, 4);
			__builtin_memcpy(e->daddr, &ip.saddr, 4);
		}
	} else {
		struct ipv6hdr ip;

		e->family = AF_INET6;
		if (!bpf_probe_read_kernel(&ip, sizeof(ip), head + nh)) {
			__builtin_memcpy(e->saddr, &ip.daddr, 16);
			__builtin_memcpy(e->daddr, &ip.saddr, 16);
		}
	}
	tt_ev_submit(e);
}

static __noinline void reset_event(const struct sock *sk,
				   const struct tt_conn_val *c, __u64 now,
				   __u32 flags)
{
	struct tt_ev_tcp *e = tcp_event(TT_EV_RESET, sk, c, now);

	if (!e)
		return;
	e->flags = flags;
	tt_ev_submit(e);
}

static __noinline void retrans_event(const struct sock *sk,
				     const struct tt_conn_val *c, __u64 now)
{
	struct tt_ev_tcp *e = tcp_event(TT_EV_RETRANS, sk, c, now);

	if (!e)
		return;
	if (c)
		e->retransmits = c->retransmits;
	tt_ev_submit(e);
}

/*
 * The bytes go to the connection, and to the process that does the I/O,
 * even on a shared socket. When that process is the owner, as it nearly
 * always is, they go to the connection's own_tx/own_rx instead of its
 * tcp_stats entry, and user space adds them there: a second hash lookup
 * per event was a third of what one cost. A closed connection may be gone
 * from the map before user space reads it again: its late bytes, if any,
 * take the long way.
 */
static __always_inline void on_io(struct sock *sk, int bytes, bool tx)
{
	struct tcp_sock *tp;
	struct tt_conn_val *c;
	struct tt_tcp_val *v;
	struct tt_key k;
	__u64 key;
	bool owner;

	if (bytes <= 0 || !tt_current_watched())
		return;
	/* one helper call instead of three probe reads: NULL if not TCP */
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return;
	key = conn_key(sk);
	c = bpf_map_lookup_elem(&conns, &key);
	if (!c) {
		c = conn_new(sk, 0, true); /* opened before we attached */
		/* or a closed socket's late I/O after its entry was read
		 * and deleted: reported once, then deleted again (the sweep
		 * would flag it only at the next read, listing it twice) */
		if (c && c->state == TCP_CLOSE)
			c->flags |= TT_CONN_CLOSED;
	}
	if (!c)
		return;
	if (!(c->flags & TT_CONN_OWNED)) {
		v = own(c);
		if (v && (c->flags & TT_CONN_PASSIVE))
			__sync_fetch_and_add(&v->accepts, 1);
		if (tt_ev_on(TT_EV_ACCEPT) && (c->flags & TT_CONN_PASSIVE)) {
			struct tt_ev_tcp *e = tcp_event(TT_EV_ACCEPT, sk, c,
							bpf_ktime_get_ns());

			if (e) {
				e->flags = TT_CONN_PASSIVE;
				e->h.tid = bpf_get_current_pid_tgid();
				e->h.uid = bpf_get_current_uid_gid();
				tt_ev_submit(e);
			}
		}
	}
	c->srtt_us = tp->srtt_us >> 3;
	if (tx)
		__sync_fetch_and_add(&c->tx_bytes, bytes);
	else
		__sync_fetch_and_add(&c->rx_bytes, bytes);
	tt_task_key(bpf_get_current_task_btf(), &k);
	owner = k.id == c->id && k.gen == c->gen &&
		(c->flags & (TT_CONN_OWNED | TT_CONN_CLOSED)) == TT_CONN_OWNED;
	if (owner && tx)
		__sync_fetch_and_add(&c->own_tx, bytes);
	else if (owner)
		__sync_fetch_and_add(&c->own_rx, bytes);
	changed(c, key);
	if (owner)
		return;
	v = stats_of(k.id, k.gen);
	if (!v)
		return;
	if (tx)
		__sync_fetch_and_add(&v->tx_bytes, bytes);
	else
		__sync_fetch_and_add(&v->rx_bytes, bytes);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(tt_sock_send, struct sock *sk, int ret, int flags)
{
	tt_run(0);
	on_io(sk, ret, true);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(tt_sock_recv, struct sock *sk, int ret, int flags)
{
	tt_run(1);
	if (!(flags & MSG_PEEK)) /* peeked bytes are read again later */
		on_io(sk, ret, false);
	return 0;
}

static __always_inline void on_state(const struct sock *sk, int oldstate,
				     int newstate)
{
	struct tt_conn_val *c;
	struct tt_tcp_val *v;
	__u64 key, now;
	bool first;

	if (BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP)
		return;
	key = conn_key(sk);
	if (newstate == TCP_SYN_SENT) {
		/* inside connect(): current is the connecting process */
		if (!tt_current_watched())
			return;
		/* a socket may connect() again after a failed attempt, or
		 * after connect(AF_UNSPEC): its owner keeps the bytes */
		c = bpf_map_lookup_elem(&conns, &key);
		if (c && (c->flags & TT_CONN_OWNED) &&
		    (c->own_tx || c->own_rx)) {
			v = stats_of(c->id, c->gen);
			if (v) {
				__sync_fetch_and_add(&v->tx_bytes, c->own_tx);
				__sync_fetch_and_add(&v->rx_bytes, c->own_rx);
			}
		}
		bpf_map_delete_elem(&conns, &key);
		c = conn_new(sk, 0, true);
		if (!c)
			return;
		c->syn_ns = bpf_ktime_get_ns();
		c->state = newstate;
		changed(c, key);
		v = stats_of(c->id, c->gen);
		if (v)
			__sync_fetch_and_add(&v->connects, 1);
		return;
	}
	c = bpf_map_lookup_elem(&conns, &key);
	if (!c) {
		/* passive open completes: owner known at first I/O */
		if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED) {
			c = conn_new(sk, TT_CONN_PASSIVE, false);
			if (c) {
				c->state = newstate;
				c->est_ns = bpf_ktime_get_ns();
				changed(c, key);
			}
		}
		return;
	}
	now = bpf_ktime_get_ns();
	/* the second of the two runs (tt_sock_state_again) finds the change
	 * made: its events are out already */
	first = c->state != newstate;
	if (first && oldstate == TCP_SYN_SENT && newstate == TCP_CLOSE &&
	    tt_ev_on(TT_EV_CONNECT))
		connect_event(sk, c, now, false);
	if (first && newstate == TCP_CLOSE && c->est_ns &&
	    tt_ev_on(TT_EV_CLOSE))
		close_event(sk, c, now);
	if (oldstate == TCP_SYN_SENT && newstate == TCP_ESTABLISHED) {
		if (!c->est_ns)
			c->est_ns = now;
		if (c->syn_ns && !c->connect_ns) /* the first of the two runs */
			c->connect_ns = now - c->syn_ns;
		/* connect() sets SYN_SENT before it picks the local port */
		c->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
		if (c->family == AF_INET)
			BPF_CORE_READ_INTO(&c->saddr, sk,
					   __sk_common.skc_rcv_saddr);
		else
			BPF_CORE_READ_INTO(
				&c->saddr, sk,
				__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		if (first && tt_ev_on(TT_EV_CONNECT))
			connect_event(sk, c, now, true);
	}
	c->state = newstate;
	if (newstate == TCP_CLOSE)
		c->flags |= TT_CONN_CLOSED;
	changed(c, key);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tt_sock_state, const struct sock *sk, const int oldstate,
	     const int newstate)
{
	tt_run(2);
	on_state(sk, oldstate, newstate);
	return 0;
}

/*
 * The kernel never runs a BPF program nested in itself on one CPU: it
 * skips the run (and counts it in the program's recursion_misses). State
 * changes happen in process context (connect, close) and in softirqs, and
 * a softirq may run as an interrupt ends, nested in whatever the CPU was
 * running: tt_sock_state itself, busy with another socket. Such skips left
 * connections in SYN_SENT with port 0, or listed in FIN_WAIT1 for good
 * while the kernel had them in TIME-WAIT (integ_tcpclose.c).
 *
 * A second program on the tracepoint does the same work again: the kernel
 * skips a program only while that same program runs below, so of the two
 * runs one happens. Doing a change twice is harmless (it sets a state,
 * and connect_ns only once), except SYN_SENT, which creates the entry and
 * counts the connect: that one only comes from connect(), in process
 * context, where nothing is ever skipped, so this program leaves it alone.
 */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tt_sock_state_again, const struct sock *sk, const int oldstate,
	     const int newstate)
{
	tt_run(6);
	if (newstate != TCP_SYN_SENT)
		on_state(sk, oldstate, newstate);
	return 0;
}

/*
 * Every connection's state from its socket: run by user space (a test
 * run of this program, never attached) before each read of the map. The
 * socket may be gone: its memory then holds another cookie (reused, or
 * poisoned when freed) or still its own with state CLOSE (tcp_done() sets
 * it before the socket is freed); either way the connection is closed.
 * Reading it is safe: bpf_probe_read_kernel() never faults, and slab
 * memory stays mapped. Also repairs a tuple whose change was lost.
 */
static long sweep_one(struct bpf_map *map, __u64 *key, struct tt_conn_val *c,
		      void *ctx)
{
	const struct sock *sk = (const void *)(unsigned long)c->sk;
	__u64 cookie = 0;
	__u8 state = 0;

	if (!sk || (c->flags & TT_CONN_CLOSED))
		return 0;
	if (BPF_CORE_READ_INTO(&cookie, sk, __sk_common.skc_cookie.counter) ||
	    BPF_CORE_READ_INTO(&state, sk, __sk_common.skc_state))
		return 0;
	if (cookie != *key || state == TCP_CLOSE) {
		c->state = TCP_CLOSE;
		c->flags |= TT_CONN_CLOSED;
		changed(c, *key);
		return 0;
	}
	if (c->state == state && (c->sport || state != TCP_ESTABLISHED))
		return 0;
	c->state = state;
	if (!c->sport && state == TCP_ESTABLISHED)
		c->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	changed(c, *key);
	return 0;
}

SEC("raw_tp")
int tt_conn_sweep(void *ctx)
{
	bpf_for_each_map_elem(&conns, sweep_one, NULL, 0);
	return 0;
}

static __always_inline struct tt_conn_val *charge(const struct sock *sk,
						  bool retrans)
{
	__u64 key = conn_key(sk);
	struct tt_conn_val *c;
	struct tt_tcp_val *v;

	c = bpf_map_lookup_elem(&conns, &key);
	if (!c)
		return NULL;
	if (retrans) {
		__sync_fetch_and_add(&c->retransmits, 1);
		changed(c, key);
	}
	if (!(c->flags & TT_CONN_OWNED))
		return c;
	v = stats_of(c->id, c->gen);
	if (!v)
		return c;
	if (retrans)
		__sync_fetch_and_add(&v->retransmits, 1);
	else
		__sync_fetch_and_add(&v->resets, 1);
	return c;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(tt_tcp_retransmit, const struct sock *sk)
{
	struct tt_conn_val *c;

	tt_run(3);
	c = charge(sk, true);
	if (tt_ev_on(TT_EV_RETRANS) && (c || tt_no_filter()))
		retrans_event(sk, c, bpf_ktime_get_ns());
	return 0;
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(tt_tcp_send_reset, const struct sock *sk,
	     const struct sk_buff *skb)
{
	struct tt_conn_val *c = NULL;

	tt_run(4);
	if (sk)
		c = charge(sk, false);
	if (!tt_ev_on(TT_EV_RESET))
		return 0;
	/* under -p/-u only the resets of connections we follow */
	if (sk && (c || tt_no_filter()))
		reset_event(sk, c, bpf_ktime_get_ns(), TT_EV_RESET_SENT);
	else if (!sk && skb && tt_no_filter())
		reset_event_skb(skb, bpf_ktime_get_ns());
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(tt_tcp_receive_reset, struct sock *sk)
{
	struct tt_conn_val *c;

	tt_run(5);
	c = charge(sk, false);
	if (tt_ev_on(TT_EV_RESET) && (c || tt_no_filter()))
		reset_event(sk, c, bpf_ktime_get_ns(), 0);
	return 0;
}
