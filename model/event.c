// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * event.c - names, kind lists and the text form of events. The text form
 * follows the tools users know (execsnoop, exitsnoop, tcpconnlat,
 * tcplife, killsnoop, oomkill, runqslower): one line per event.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model/event.h"
#include "model/format.h"
#include "model/syscall_names.h"

static const char *const kind_names[TT_EV_KINDS] = {
	[TT_EV_EXEC] = "exec",	     [TT_EV_EXIT] = "exit",
	[TT_EV_CONNECT] = "connect", [TT_EV_ACCEPT] = "accept",
	[TT_EV_CLOSE] = "close",     [TT_EV_RESET] = "reset",
	[TT_EV_RETRANS] = "retrans", [TT_EV_SLOW] = "slow",
	[TT_EV_SIGNAL] = "signal",   [TT_EV_OOM] = "oom",
	[TT_EV_RUNQ] = "runq",
};

const char *tt_ev_kind_name(enum tt_ev_kind k)
{
	return (unsigned)k < TT_EV_KINDS ? kind_names[k] : NULL;
}

int tt_ev_kind_find(const char *name)
{
	for (int k = 0; k < TT_EV_KINDS; k++)
		if (!strcmp(kind_names[k], name))
			return k;
	return -1;
}

#define TCP_KINDS                                                              \
	(1u << TT_EV_CONNECT | 1u << TT_EV_ACCEPT | 1u << TT_EV_CLOSE |        \
	 1u << TT_EV_RESET)

int tt_ev_kinds_parse(const char *list, uint32_t *mask, char *err,
		      size_t errlen)
{
	char buf[256], *tok, *save;
	uint32_t m = 0;

	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, errlen, "'%.40s...' is too long", list);
		return -EINVAL;
	}
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		bool minus = *tok == '-';
		const char *w = tok + minus;
		uint32_t bits;
		int k;

		if (!strcmp(w, "all"))
			bits = (1u << TT_EV_KINDS) - 1;
		else if (!strcmp(w, "default"))
			bits = TT_EV_DEFAULT;
		else if (!strcmp(w, "none"))
			bits = 0, m = 0;
		else if (!strcmp(w, "tcp"))
			bits = TCP_KINDS;
		else if ((k = tt_ev_kind_find(w)) >= 0)
			bits = 1u << k;
		else {
			snprintf(err, errlen,
				 "no event kind '%s' (exec, exit, connect, "
				 "accept, close, reset, retrans, slow, signal, "
				 "oom, runq, tcp, all, default, none)",
				 w);
			return -EINVAL;
		}
		m = minus ? m & ~bits : m | bits;
	}
	*mask = m;
	return 0;
}

char *tt_ev_kinds_str(uint32_t mask, char *buf, size_t len)
{
	size_t off = 0;

	mask &= (1u << TT_EV_KINDS) - 1;
	snprintf(buf, len, "%s", mask ? "" : "none");
	if (mask == (1u << TT_EV_KINDS) - 1)
		snprintf(buf, len, "all");
	else
		for (int k = 0; k < TT_EV_KINDS && off < len; k++)
			if (mask & 1u << k)
				off += (size_t)snprintf(buf + off, len - off,
							"%s%s", off ? "," : "",
							kind_names[k]);
	return buf;
}

const char *tt_ev_connect_result_name(uint32_t r)
{
	static const char *const n[] = { "established", "refused", "timed out",
					 "error" };

	return r < 4 ? n[r] : "error";
}

const char *tt_ev_signal_result_name(int32_t r)
{
	/* enum trace_signal_deliver_result, include/trace/events/signal.h */
	static const char *const n[] = { "delivered", "ignored",
					 "already pending", "overflow",
					 "info lost" };

	return r >= 0 && r < 5 ? n[r] : "?";
}

const char *tt_tcp_state_name(unsigned state)
{
	static const char *const n[] = {
		"?",
		"ESTABLISHED",
		"SYN_SENT",
		"SYN_RECV",
		"FIN_WAIT1",
		"FIN_WAIT2",
		"TIME_WAIT",
		"CLOSE",
		"CLOSE_WAIT",
		"LAST_ACK",
		"LISTEN",
		"CLOSING",
		"NEW_SYN_RECV",
	};

	return state < sizeof(n) / sizeof(n[0]) ? n[state] : "?";
}

/*
 * Waiting is what these are for: a poll loop, a futex wait or a child's
 * wait would fill the stream with calls that are slow by design. Sleeps
 * (nanosleep, clock_nanosleep) stay in: a sleep longer than meant is worth
 * seeing, and a program that sleeps for long is rare enough.
 */
const char *const tt_slow_skip_default =
	"poll,ppoll,select,pselect6,epoll_wait,epoll_pwait,epoll_pwait2,"
	"futex,futex_waitv,futex_wait,wait4,waitid,pause,rt_sigsuspend,"
	"rt_sigtimedwait,io_getevents,io_pgetevents,io_uring_enter,msgrcv,"
	"semop,semtimedop,mq_timedreceive,accept,accept4";

int tt_slow_skip_parse(const char *list, uint64_t skip[8], char *err,
		       size_t errlen)
{
	char buf[1024], *tok, *save;

	memset(skip, 0, 8 * sizeof(skip[0]));
	if (!strcmp(list, "none"))
		return 0;
	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, errlen, "list too long");
		return -EINVAL;
	}
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned nr, found = 0;

		/* names this machine's headers lack are no error: the
		 * default list names syscalls of several architectures */
		for (nr = 0; nr < tt_syscall_count && nr < 512; nr++) {
			const char *n = tt_syscall_name(nr);

			if (n && !strcmp(n, tok)) {
				skip[nr >> 6] |= 1ULL << (nr & 63);
				found = 1;
			}
		}
		if (!found && list != tt_slow_skip_default) {
			snprintf(err, errlen, "no syscall '%s' here", tok);
			return -EINVAL;
		}
	}
	return 0;
}

char *tt_event_args(const struct tt_event *ev, char *buf, size_t len)
{
	size_t off = 0;
	const char *a = ev->exec.argv;
	const char *end = a ? a + ev->exec.argv_len : NULL;

	/* argc strings, but never past argv_len (each NUL-terminated) */
	buf[0] = 0;
	for (unsigned i = 0; a && a < end && i < ev->exec.argc && off + 1 < len;
	     i++) {
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? " " : "", a);
		a += strlen(a) + 1;
	}
	if (ev->exec.cut && off + 1 < len)
		snprintf(buf + off, len - off, " ...");
	return buf;
}

static const char *errname(int e)
{
	const char *n = e > 0 ? strerrorname_np(e) : NULL;

	return n ? n : "error";
}

static const char *signame(int s, char *buf, size_t len)
{
	const char *n = s > 0 && s < 65 ? sigabbrev_np(s) : NULL;

	if (n)
		snprintf(buf, len, "SIG%s", n);
	else
		snprintf(buf, len, "signal %d", s);
	return buf;
}

/* "10.0.0.5:41822 -> 10.0.0.5:443" */
static void tuple(const struct tt_event *ev, char *buf, size_t len)
{
	const char *l = ev->tcp.family == 6 ? "[" : "",
		   *r = ev->tcp.family == 6 ? "]" : "";

	/* a connect that failed never got its local port */
	if (!ev->tcp.sport)
		snprintf(buf, len, "-> %s%s%s:%u", l, ev->tcp.daddr, r,
			 ev->tcp.dport);
	else
		snprintf(buf, len, "%s%s%s:%u -> %s%s%s:%u", l, ev->tcp.saddr,
			 r, ev->tcp.sport, l, ev->tcp.daddr, r, ev->tcp.dport);
}

/* a connect's "  (2 SYN retransmits)", or "" when the first SYN did */
static void syn_retrans(const struct tt_event *ev, char *buf, size_t len)
{
	if (ev->tcp.retransmits)
		snprintf(buf, len, "  (%u SYN retransmit%s)",
			 ev->tcp.retransmits,
			 ev->tcp.retransmits > 1 ? "s" : "");
	else
		buf[0] = 0;
}

static void detail_tcp(const struct tt_event *ev, char *buf, size_t len)
{
	char t[128], a[40], b[16], d[16];

	tuple(ev, t, sizeof(t));
	switch (ev->kind) {
	case TT_EV_CONNECT:
		syn_retrans(ev, a, sizeof(a));
		if (ev->tcp.result == TT_EV_CONN_ERROR)
			snprintf(buf, len, "%s  error %s  %s%s", t,
				 ev->tcp.err ? errname(ev->tcp.err)
					     : "(closed)",
				 tt_fmt_ns(d, sizeof(d), ev->tcp.ns), a);
		else if (ev->tcp.result == TT_EV_ESTABLISHED)
			snprintf(buf, len, "%s  %s%s", t,
				 tt_fmt_ns(d, sizeof(d), ev->tcp.ns), a);
		else
			snprintf(buf, len, "%s  %s  %s%s", t,
				 tt_ev_connect_result_name(ev->tcp.result),
				 tt_fmt_ns(d, sizeof(d), ev->tcp.ns), a);
		break;
	case TT_EV_CLOSE:
		snprintf(buf, len,
			 "%s  lived %s  tx %s  rx %s  retrans %u  rtt %uus", t,
			 tt_fmt_ns(d, sizeof(d), ev->tcp.ns),
			 tt_fmt_bytes(a, sizeof(a), (double)ev->tcp.tx_bytes),
			 tt_fmt_bytes(b, sizeof(b), (double)ev->tcp.rx_bytes),
			 ev->tcp.retransmits, ev->tcp.srtt_us);
		break;
	case TT_EV_RESET:
		snprintf(buf, len, "%s  %s", t,
			 ev->tcp.sent ? "sent" : "received");
		break;
	case TT_EV_RETRANS:
		snprintf(buf, len, "%s  %s", t,
			 tt_tcp_state_name(ev->tcp.state));
		break;
	default: /* accept */
		snprintf(buf, len, "%s", t);
		break;
	}
}

/* the kinds with no outcome apart, whose what is their detail: accept,
 * close, retrans, runq */
static void detail_plain(const struct tt_event *ev, char *buf, size_t len)
{
	char d[16];

	if (ev->kind == TT_EV_RUNQ)
		snprintf(buf, len, "waited %s for CPU %u behind %u %s",
			 tt_fmt_ns(d, sizeof(d), ev->runq.ns), ev->runq.cpu,
			 ev->runq.prev_pid, ev->runq.prev_comm);
	else
		detail_tcp(ev, buf, len);
}

/*
 * pre, tt_event_what() and post in buf, cut where one snprintf of the
 * whole would cut it: the detail of the kinds whose outcome
 * tt_event_result() gives apart is that outcome around their "what".
 */
static char *around_what(const struct tt_event *ev, char *buf, size_t len,
			 const char *pre, const char *post)
{
	size_t n;

	snprintf(buf, len, "%s", pre);
	n = strlen(buf);
	tt_event_what(ev, buf + n, len - n);
	n += strlen(buf + n);
	snprintf(buf + n, len - n, "%s", post);
	return buf;
}

char *tt_event_detail(const struct tt_event *ev, char *buf, size_t len)
{
	char a[80], r[48];

	buf[0] = 0;
	switch (ev->kind) {
	case TT_EV_EXEC:
		if (ev->exec.ret)
			snprintf(a, sizeof(a), "  failed %s",
				 errname(-ev->exec.ret));
		else
			a[0] = 0;
		return around_what(ev, buf, len, "", a);
	case TT_EV_EXIT:
		if (ev->exit.signal)
			snprintf(a, sizeof(a), "killed by %s%s  ",
				 signame(ev->exit.signal, r, sizeof(r)),
				 ev->exit.core ? " (core dumped)" : "");
		else
			snprintf(a, sizeof(a), "code %d  ", ev->exit.code);
		return around_what(ev, buf, len, a, "");
	case TT_EV_SLOW:
	case TT_EV_SIGNAL:
		/* "read(0x3) 1.2s  EAGAIN", "SIGTERM -> 42 sleep  ignored" */
		snprintf(a, sizeof(a), "  %s",
			 tt_event_result(ev, r, sizeof(r)));
		return around_what(ev, buf, len, "", a);
	case TT_EV_OOM:
		return around_what(ev, buf, len, "killed, ", "");
	default:
		detail_plain(ev, buf, len);
		break;
	}
	return buf;
}

char *tt_event_what(const struct tt_event *ev, char *buf, size_t len)
{
	char a[TT_EV_ARGS_LEN + 16], d[16], e[16], s[40];
	const char *name;

	switch (ev->kind) {
	case TT_EV_EXEC:
		tt_event_args(ev, a, sizeof(a));
		snprintf(buf, len, "%s  %s  (ppid %u)", ev->exec.path, a,
			 ev->ppid);
		break;
	case TT_EV_EXIT:
		if (ev->exit.syscalls >= 0)
			snprintf(s, sizeof(s), "  %lld syscalls",
				 (long long)ev->exit.syscalls);
		else
			s[0] = 0;
		snprintf(buf, len, "lived %s  cpu %s%s",
			 tt_fmt_ns(d, sizeof(d), ev->exit.lifetime_ns),
			 tt_fmt_ns(e, sizeof(e), ev->exit.cpu_ns), s);
		break;
	case TT_EV_SLOW:
		name = tt_syscall_name(ev->slow.nr);
		snprintf(buf, len, "%s%s(%#llx) %s", name ? name : "sys_",
			 name ? "" : "?", (unsigned long long)ev->slow.arg0,
			 tt_fmt_ns(d, sizeof(d), ev->slow.ns));
		break;
	case TT_EV_SIGNAL:
		snprintf(buf, len, "%s -> %u %s",
			 signame(ev->signal.sig, s, sizeof(s)),
			 ev->signal.target_pid, ev->signal.target_comm);
		break;
	case TT_EV_OOM:
		snprintf(buf, len, "rss %s, cgroup %s (by %u %s)",
			 tt_fmt_bytes(d, sizeof(d), (double)ev->oom.rss_bytes),
			 ev->oom.cgroup ? ev->oom.cgroup : "?",
			 ev->oom.trigger_pid, ev->oom.trigger_comm);
		break;
	case TT_EV_CONNECT:
		tuple(ev, a, sizeof(a));
		syn_retrans(ev, s, sizeof(s));
		snprintf(buf, len, "%s  %s%s", a,
			 tt_fmt_ns(d, sizeof(d), ev->tcp.ns), s);
		break;
	case TT_EV_RESET:
		tuple(ev, buf, len);
		break;
	default:
		detail_plain(ev, buf, len);
		break;
	}
	return buf;
}

uint64_t tt_event_ns(const struct tt_event *ev)
{
	switch (ev->kind) {
	case TT_EV_EXIT:
		return ev->exit.lifetime_ns;
	case TT_EV_CONNECT:
	case TT_EV_CLOSE:
		return ev->tcp.ns;
	case TT_EV_SLOW:
		return ev->slow.ns;
	case TT_EV_RUNQ:
		return ev->runq.ns;
	default:
		return 0;
	}
}

char *tt_event_result(const struct tt_event *ev, char *buf, size_t len)
{
	char s[40];

	buf[0] = 0;
	switch (ev->kind) {
	case TT_EV_EXEC:
		snprintf(buf, len, "%s",
			 ev->exec.ret ? errname(-ev->exec.ret) : "ok");
		break;
	case TT_EV_EXIT:
		if (ev->exit.signal)
			snprintf(buf, len, "%s%s",
				 signame(ev->exit.signal, s, sizeof(s)),
				 ev->exit.core ? " core" : "");
		else
			snprintf(buf, len, "code %d", ev->exit.code);
		break;
	case TT_EV_CONNECT:
		if (ev->tcp.result == TT_EV_CONN_ERROR && ev->tcp.err)
			snprintf(buf, len, "%s", errname(ev->tcp.err));
		else
			snprintf(buf, len, "%s",
				 tt_ev_connect_result_name(ev->tcp.result));
		break;
	case TT_EV_RESET:
		snprintf(buf, len, "%s", ev->tcp.sent ? "sent" : "received");
		break;
	case TT_EV_SLOW:
		if (ev->slow.ret < 0 && ev->slow.ret >= -4095)
			snprintf(buf, len, "%s", errname((int)-ev->slow.ret));
		else
			snprintf(buf, len, "= %lld", (long long)ev->slow.ret);
		break;
	case TT_EV_SIGNAL:
		snprintf(buf, len, "%s",
			 tt_ev_signal_result_name(ev->signal.result));
		break;
	case TT_EV_OOM:
		snprintf(buf, len, "killed");
		break;
	default:
		break;
	}
	return buf;
}

char *tt_event_line(const struct tt_event *ev, char *buf, size_t len)
{
	char d[TT_EV_ARGS_LEN + TT_EV_PATH_LEN + 64];
	time_t t = (time_t)ev->time;
	struct tm tm;
	int ms = (int)((ev->time - (double)t) * 1000);

	localtime_r(&t, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03d %6u %-15s %-8s %s", tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ms > 999 ? 999 : ms, ev->pid,
		 ev->comm[0] ? ev->comm : "-", tt_ev_kind_name(ev->kind),
		 tt_event_detail(ev, d, sizeof(d)));
	return buf;
}

int tt_event_copy(struct tt_arena *a, struct tt_event *dst,
		  const struct tt_event *src)
{
	*dst = *src;
	if (src->kind == TT_EV_EXEC) {
		char *argv = tt_arena_alloc(a, src->exec.argv_len + 1);

		dst->exec.path = tt_arena_strdup(
			a, src->exec.path ? src->exec.path : "");
		if (!argv || !dst->exec.path)
			return -ENOMEM;
		if (src->exec.argv_len)
			memcpy(argv, src->exec.argv, src->exec.argv_len);
		dst->exec.argv = argv;
	} else if (src->kind == TT_EV_OOM) {
		dst->oom.cgroup = tt_arena_strdup(
			a, src->oom.cgroup ? src->oom.cgroup : "");
		if (!dst->oom.cgroup)
			return -ENOMEM;
	}
	return 0;
}
