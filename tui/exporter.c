// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * exporter.c - OpenMetrics over HTTP with libmicrohttpd in external epoll
 * mode: no thread, no lock; requests are answered from tracetop's loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "tui/exporter.h"
#include "tui/mhd_lazy.h"

#define MAX_CONNS      64	   /* beyond: refused at accept */
#define CONN_TIMEOUT_S 5	   /* a slow client is dropped after this */
#define CONN_MEMORY    (16 * 1024) /* request line + headers must fit */

struct tt_exporter {
	struct MHD_Daemon *d;
	struct tt_metrics_opts o;
	struct tt_snapshot *snap;
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_size, void **state)
{
	struct tt_exporter *e = cls;
	struct tt_metrics_opts o = e->o;
	const char *accept;
	char *text;
	size_t len;

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
	o.openmetrics =
		accept && strstr(accept, "application/openmetrics-text");
	if (tt_metrics_render(e->snap, &o, &text, &len))
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain",
			     "out of memory\n", 14, MHD_RESPMEM_PERSISTENT);
	return reply(c, MHD_HTTP_OK,
		     o.openmetrics ? TT_CT_OPENMETRICS : TT_CT_PROMETHEUS, text,
		     len, MHD_RESPMEM_MUST_FREE);
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
	e->d = mhd->start_daemon(
		flags, 0, NULL, NULL, on_request, e, MHD_OPTION_SOCK_ADDR,
		(struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)MAX_CONNS, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)CONN_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)CONN_MEMORY, MHD_OPTION_END);
	if (!e->d) {
		r = errno ? -errno : -EADDRINUSE;
		snprintf(err, errlen, "--listen %s: cannot serve there: %s",
			 listen, strerror(-r));
		free(e);
		return r;
	}
	*out = e;
	return 0;
}

int tt_exporter_fd(const struct tt_exporter *e)
{
	const union MHD_DaemonInfo *i =
		mhd->get_daemon_info(e->d, MHD_DAEMON_INFO_EPOLL_FD);

	return i ? i->epoll_fd : -1;
}

void tt_exporter_run(struct tt_exporter *e)
{
	mhd->run(e->d);
}

void tt_exporter_update(struct tt_exporter *e, struct tt_snapshot *s)
{
	tt_snapshot_unref(e->snap);
	e->snap = tt_snapshot_ref(s);
}

void tt_exporter_free(struct tt_exporter *e)
{
	if (!e)
		return;
	mhd->stop_daemon(e->d);
	tt_snapshot_unref(e->snap);
	free(e);
}
