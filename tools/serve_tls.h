/* The event-driven server's TLS calls over dlssl (tools/serve_tls.c). */
#ifndef DLSSL_TOOLS_SERVE_TLS_H
#define DLSSL_TOOLS_SERVE_TLS_H

#include "dlssl.h"
#include "serve_loop.h"

/* serve_cfg.ctx for serve_tls_dlssl. */
struct serve_tls_ctx {
	struct dlssl_context *ctx;
	int callbacks; /* 1: dlssl_transport_io() over the socket; 0: dlssl_transport_fd() */
};

extern const struct serve_tls serve_tls_dlssl;

#endif
