/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * mhd_lazy.h - libmicrohttpd, opened only when --listen asks for it.
 *
 * Linked in, it brings GnuTLS, p11-kit, nettle, gmp and more, whose
 * constructors run at every start: 2.3 MB of RSS that tracetop carries
 * while libbpf's BTF copy sets its peak, for a TLS stack it never uses.
 * The exporter calls libmicrohttpd through this table instead.
 */
#ifndef TT_MHD_LAZY_H
#define TT_MHD_LAZY_H

#include <stddef.h>
#include <microhttpd.h>

struct tt_mhd {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_run) *run;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_get_timeout) *get_timeout;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer)
		*create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
};

/* The loaded table (once, kept for the process); NULL with err filled. */
const struct tt_mhd *tt_mhd_open(char *err, size_t errlen);

#endif
