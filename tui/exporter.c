// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * exporter.c - OpenMetrics over HTTP with libmicrohttpd in external epoll
 * mode: no thread, no lock; requests are answered from tracetop's loop.
 *
 * What one client can hold is bounded (see tracetop(8), EXPORTER LIMITS):
 * connections per address (libmicrohttpd refuses the rest at accept), the
 * time to send a request header and to take the response (exporter_guard),
 * and the header's size. The body is rendered once per snapshot and
 * format, and the same response is queued on every connection that asks.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include "tui/exporter.h"
#include "tui/exporter_guard.h"
#include "tui/mhd_lazy.h"

#define MAX_CONNS    1024	 /* at once; beyond, they wait in the backlog */
#define PER_IP_CONNS 8		 /* from one client address */
#define SPARE_FDS    64		 /* kept free for tracetop's own files */
#define IDLE_S	     5		 /* libmicrohttpd's idle timeout, too */
#define CONN_MEMORY  (16 * 1024) /* request line + headers must fit */

enum { FMT_PROMETHEUS, FMT_OPENMETRICS, FMT_N };

struct tt_exporter {
	struct MHD_Daemon *d;
	struct tt_guard *guard;
	int epfd;  /* what the caller polls: libmicrohttpd's epoll, timer */
	int timer; /* the next deadline, or libmicrohttpd's timeout */
	unsigned max_conns;
	struct tt_metrics_opts o;
	struct tt_snapshot *snap;
	struct MHD_Response *body[FMT_N]; /* of snap, made on first ask */
};

/* the table every call goes through; set before the first daemon starts */
static const struct tt_mhd *mhd;

static const char index_page[] =
	"<html><head><title>tracetop</title></head><body>"
	"<h1>tracetop</h1><p><a href=\"/metrics\">/metrics</a></p>"
	"</body></html>\n";

int tt_exporter_parse_listen(const char *listen, struct sockaddr_storage *ss,
			     char *err, size_t errlen)
{
	char host[128] = "127.0.0.1";
	const char *port = listen, *colon;
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	char *end;
	long p;

	memset(ss, 0, sizeof(*ss));
	if (listen[0] == '[') { /* [v6]:port */
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':' ||
		    (size_t)(close - listen - 1) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(close - listen - 1),
			 listen + 1);
		port = close + 2;
	} else if ((colon = strrchr(listen, ':'))) {
		if ((size_t)(colon - listen) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - listen),
			 listen);
		port = colon + 1;
	}
	errno = 0;
	p = strtol(port, &end, 10);
	if (!*port || *end || errno || p < 1 || p > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		return 0;
	}
bad:
	snprintf(err, errlen,
		 "--listen: '%s' is not [ADDR:]PORT (ADDR an IP address, "
		 "PORT 1-65535)",
		 listen);
	return -EINVAL;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r =
		mhd->create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	mhd->add_response_header(r, "Content-Type", type);
	ret = mhd->queue_response(c, status, r);
	mhd->destroy_response(r);
	return ret;
}

/* The body of e->snap in format f, rendered on the first ask. */
static struct MHD_Response *snapshot_body(struct tt_exporter *e, int f)
{
	struct tt_metrics_opts o = e->o;
	struct MHD_Response *r;
	char *text;
	size_t len;

	if (e->body[f])
		return e->body[f];
	o.openmetrics = f == FMT_OPENMETRICS;
	if (tt_metrics_render(e->snap, &o, &text, &len))
		return NULL;
	r = mhd->create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return NULL;
	}
	mhd->add_response_header(r, "Content-Type",
				 o.openmetrics ? TT_CT_OPENMETRICS
					       : TT_CT_PROMETHEUS);
	e->body[f] = r;
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_size, void **state)
{
	struct tt_exporter *e = cls;
	struct MHD_Response *r;
	const char *accept;

	/* the header is in: from now on, the time to take the answer */
	tt_guard_answering(e->guard, c);
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     "only GET\n", 9, MHD_RESPMEM_PERSISTENT);
	if (*data_size) /* a GET with a body: not ours to read */
		return reply(c, MHD_HTTP_BAD_REQUEST, "text/plain", "no body\n",
			     8, MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8",
			     (char *)index_page, sizeof(index_page) - 1,
			     MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "not found\n",
			     10, MHD_RESPMEM_PERSISTENT);
	if (!e->snap)
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain",
			     "no snapshot yet\n", 16, MHD_RESPMEM_PERSISTENT);
	accept = mhd->lookup_connection_value(c, MHD_HEADER_KIND,
					      MHD_HTTP_HEADER_ACCEPT);
	r = snapshot_body(
		e, accept && strstr(accept, "application/openmetrics-text")
			   ? FMT_OPENMETRICS
			   : FMT_PROMETHEUS);
	if (!r)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
			     "out of memory\n", 14, MHD_RESPMEM_PERSISTENT);
	return mhd->queue_response(c, MHD_HTTP_OK, r);
}

/*
 * Room for MAX_CONNS sockets beside what is open now: the soft
 * RLIMIT_NOFILE is raised as far as the hard one allows (sockets above
 * FD_SETSIZE are fine: only epoll sees them), and the limit on
 * connections shrinks to what fits.
 */
static unsigned fit_conns(void)
{
	struct rlimit rl;
	unsigned long open_now = 0, want;
	DIR *d = opendir("/proc/self/fd");

	while (d && readdir(d))
		open_now++;
	if (d)
		closedir(d);
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 64;
	want = open_now + MAX_CONNS + SPARE_FDS;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
				      ? want
				      : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return MAX_CONNS;
	return rl.rlim_cur > open_now + SPARE_FDS + 8
		       ? (unsigned)(rl.rlim_cur - open_now - SPARE_FDS)
		       : 8;
}

static int watch(struct tt_exporter *e)
{
	struct epoll_event ev = { .events = EPOLLIN };
	const union MHD_DaemonInfo *i =
		mhd->get_daemon_info(e->d, MHD_DAEMON_INFO_EPOLL_FD);

	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	e->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (!i || e->epfd < 0 || e->timer < 0 ||
	    epoll_ctl(e->epfd, EPOLL_CTL_ADD, i->epoll_fd, &ev) ||
	    epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->timer, &ev))
		return errno ? -errno : -EIO;
	return 0;
}

int tt_exporter_new(const char *listen, const struct tt_metrics_opts *o,
		    struct tt_exporter **out, char *err, size_t errlen)
{
	struct tt_exporter *e = calloc(1, sizeof(*e));
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_EPOLL; /* no ERROR_LOG: never to the tty */
	int r;

	if (!e) {
		snprintf(err, errlen, "--listen: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	e->epfd = e->timer = -1;
	r = tt_exporter_parse_listen(listen, &ss, err, errlen);
	if (r) {
		free(e);
		return r;
	}
	mhd = tt_mhd_open(err, errlen);
	if (!mhd) {
		free(e);
		return -ENOENT;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	e->o = *o;
	e->max_conns = fit_conns();
	/* a few places stay free for answers being sent */
	e->guard = tt_guard_new(mhd, e->max_conns > 32 ? e->max_conns - 16
						       : e->max_conns);
	if (!e->guard) {
		snprintf(err, errlen, "--listen: %s", strerror(ENOMEM));
		free(e);
		return -ENOMEM;
	}
	e->d = mhd->start_daemon(
		flags, 0, NULL, NULL, on_request, e, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
		e->max_conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)PER_IP_CONNS, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)IDLE_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)CONN_MEMORY, MHD_OPTION_NOTIFY_CONNECTION,
		tt_guard_on_connection, e->guard, MHD_OPTION_NOTIFY_COMPLETED,
		tt_guard_on_completed, e->guard, MHD_OPTION_END);
	if (!e->d) {
		r = errno ? -errno : -EADDRINUSE;
		snprintf(err, errlen, "--listen %s: cannot serve there: %s",
			 listen, strerror(-r));
		tt_exporter_free(e);
		return r;
	}
	r = watch(e);
	if (r) {
		snprintf(err, errlen, "--listen %s: epoll: %s", listen,
			 strerror(-r));
		tt_exporter_free(e);
		return r;
	}
	*out = e;
	return 0;
}

int tt_exporter_fd(const struct tt_exporter *e)
{
	return e->epfd;
}

/* the timer rings at the next deadline, or when libmicrohttpd asks */
static void arm(struct tt_exporter *e, uint64_t now)
{
	uint64_t next = tt_guard_check(e->guard, now);
	MHD_UNSIGNED_LONG_LONG ms;
	struct itimerspec it = { 0 };

	if (mhd->get_timeout(e->d, &ms) == MHD_YES && now + ms < next)
		next = now + ms;
	if (next != UINT64_MAX) {
		next = next > now ? next : now + 1; /* zero would disarm */
		it.it_value.tv_sec = (time_t)(next / 1000);
		it.it_value.tv_nsec = (long)(next % 1000) * 1000000;
	}
	timerfd_settime(e->timer, TFD_TIMER_ABSTIME, &it, NULL);
}

void tt_exporter_run(struct tt_exporter *e)
{
	uint64_t ticks;

	(void)!read(e->timer, &ticks, sizeof(ticks));
	tt_guard_check(e->guard, tt_guard_now_ms());
	mhd->run(e->d);
	arm(e, tt_guard_now_ms());
}

static void drop_bodies(struct tt_exporter *e)
{
	/* a connection still sending one holds its own reference */
	for (int f = 0; f < FMT_N; f++) {
		if (e->body[f])
			mhd->destroy_response(e->body[f]);
		e->body[f] = NULL;
	}
}

void tt_exporter_update(struct tt_exporter *e, struct tt_snapshot *s)
{
	drop_bodies(e);
	tt_snapshot_unref(e->snap);
	e->snap = tt_snapshot_ref(s);
}

void tt_exporter_free(struct tt_exporter *e)
{
	if (!e)
		return;
	drop_bodies(e);
	if (e->d)
		mhd->stop_daemon(e->d);
	if (e->epfd >= 0)
		close(e->epfd);
	if (e->timer >= 0)
		close(e->timer);
	tt_guard_free(e->guard);
	tt_snapshot_unref(e->snap);
	free(e);
}
