/* bench/direct.c's context, shared with its event-driven server (bench/direct_serve.c). */
#ifndef DLSSL_BENCH_DIRECT_H
#define DLSSL_BENCH_DIRECT_H

#include <openssl/ssl.h>

#include "serve_loop.h"

struct bench_ctx {
	SSL_CTX *ctx;
	int client_sessions;
	SSL_SESSION *last; /* the latest session the server gave (clients) */
};

/* The TLS calls of tools/serve_loop.c on libssl; their ctx is the SSL_CTX. */
extern const struct serve_tls direct_serve_tls;
void *direct_serve_ctx(struct bench_ctx *x, const struct bench_case *c);

#endif
