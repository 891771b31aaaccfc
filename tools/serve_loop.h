/*
 * The event-driven server of `dlssl serve` (echo and --http): a few worker
 * threads, each with its own readiness loop (tools/evloop.h) over
 * non-blocking connections, sharing one listening socket.  The TLS calls
 * go through a small table, so the same loop runs over dlssl
 * (tools/serve_tls.c) and over libssl called directly (bench/direct_serve.c,
 * the baseline of `dlssl bench idle|conc`).  Neither this file nor
 * serve_loop.c includes dlssl.h or an OpenSSL header.
 */
#ifndef DLSSL_TOOLS_SERVE_LOOP_H
#define DLSSL_TOOLS_SERVE_LOOP_H

#include <stddef.h>

/* Results of the TLS calls, besides byte counts, 0 and -1 (as dlssl's). */
#define SERVE_WANT_IN (-2)
#define SERVE_WANT_OUT (-3)

struct serve_tls {
	/* A server connection over the non-blocking socket fd, which it owns
	 * from now on (closed on failure).  NULL on failure. */
	void *(*start)(void *ctx, int fd);
	/* 0 done, SERVE_WANT_*, -1. */
	int (*handshake)(void *c);
	/* Bytes (>0), 0 at the peer's close_notify, SERVE_WANT_*, -1. */
	long (*read)(void *c, void *buf, size_t len);
	/* Bytes taken (>0, maybe fewer than len), SERVE_WANT_*, -1. */
	long (*write)(void *c, const void *buf, size_t len);
	/* 0 when everything written went out, SERVE_WANT_*, -1. */
	int (*flush)(void *c);
	/* Send close_notify now if the socket takes it (never waiting); reads may go on. */
	void (*notify)(void *c);
	/* Close (clean: try to send close_notify, never waiting), free, close the fd. */
	void (*close)(void *c, int clean);
	/* Verbose logs: the last error, and "TLSv1.3, TLS_AES_256_GCM_SHA384". */
	const char *(*error)(void *c);
	void (*describe)(void *c, char *buf, size_t len);
};

struct serve_cfg {
	const char *name;          /* for messages: "dlssl serve" */
	const struct serve_tls *tls;
	void *ctx;                 /* passed to tls->start */
	int lfd;                   /* listening socket (made non-blocking here) */
	int workers;               /* threads, each with its own loop (>= 1) */
	long max_clients;          /* connections at once, all workers together */
	int handshake_ms;          /* a handshake must end within this (0: no limit) */
	int idle_ms;               /* a connection silent for this long is closed (0: never) */
	int http;                  /* answer one HTTP request, then close; else echo */
	int verbose;               /* log each connection and each failure to stderr */
};

/* Serve until the process is killed.  Returns an exit code only on a setup failure. */
int serve_loop_run(const struct serve_cfg *cfg);

/*
 * Raise the soft RLIMIT_NOFILE to the hard limit (where there is one) and
 * return how many connections fit beside `reserve` other descriptors; one
 * line on stderr says what was done.  On Windows: a fixed 16384.
 */
long serve_fd_capacity(const char *name, long reserve);

/* The number of online CPUs (at least 1). */
int serve_ncpu(void);

#endif
