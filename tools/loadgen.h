/*
 * A load generator over dlssl: many non-blocking TLS clients on one
 * readiness loop (tools/evloop.h), each connecting to 127.0.0.1:port,
 * completing a verified full handshake, sending its own byte pattern and
 * checking the echo byte for byte.  Used by `dlssl bench idle|conc` and by
 * the load tests (tests/check_scale.c).  One thread; not thread-safe.
 */
#ifndef DLSSL_TOOLS_LOADGEN_H
#define DLSSL_TOOLS_LOADGEN_H

#include <stddef.h>

#include "dlssl.h"

struct loadgen_opts {
	struct dlssl_context *ctx; /* client context */
	const char *servername;    /* SNI and host name checked (NULL: none) */
	int port;                  /* the server, on 127.0.0.1 */
	int conns;                 /* connections open at once */
	int max_connecting;        /* connects + handshakes in flight (0: all at once) */
	size_t payload;            /* bytes each connection sends and reads back */
	int src_addrs;             /* > 1: source addresses 127.0.0.1 .. 127.0.0.N (Linux) */
	double timeout_s;          /* each call gives up after this (0: 60) */
};

struct loadgen_stats {
	long started, held, done, errors;
	long handshakes;
	unsigned long long bytes;  /* echoed and checked */
	double secs;               /* the call's wall time */
	char first_error[256];
};

struct loadgen;

/*
 * Open o->conns connections, each echoing o->payload bytes, and keep them
 * open.  The generator (NULL if out of memory) and the figures in *st;
 * st->held == o->conns when all made it.
 */
struct loadgen *loadgen_open(const struct loadgen_opts *o, struct loadgen_stats *st);
/*
 * On the connections loadgen_open() left open: each sends `payload` more
 * bytes and reads them back.  0 if every one did (figures in *st).
 */
int loadgen_echo(struct loadgen *g, size_t payload, struct loadgen_stats *st);
/* Close every connection with close_notify and free the generator. */
void loadgen_close(struct loadgen *g, struct loadgen_stats *st);
/*
 * Make `total` connections, o->conns at a time: each connects, completes
 * its handshake, echoes o->payload bytes and closes.  0 if all succeeded.
 */
int loadgen_cycle(const struct loadgen_opts *o, long total, struct loadgen_stats *st);
/* The pattern byte of connection `idx` at offset `off`. */
unsigned char loadgen_pattern(long idx, size_t off);

#endif
