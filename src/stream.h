/* Streams: the API layer's wrapper of SSL plus its transport and buffers. */
#ifndef DLSSL_STREAM_H
#define DLSSL_STREAM_H

#include "conn.h"
#include "record_guard.h"
#include "transport.h"

struct dlssl_stream {
	const struct dlssl__ossl *api;
	SSL *ssl;
	struct dl_conn conn;  /* context, verification and sessions: what libssl's callbacks reach */
	int open;
	int handshake_done;

	struct dl_transport tr; /* the bytes' way, with its deadline (transport.h) */
	struct dl_guard guard;  /* dlssl's checks inside the BIO during the handshake */

	/* Buffers. */
	unsigned char *wbuf;  /* allocated on the first buffered write */
	size_t wcap, wlen;
	size_t wmax;          /* how much of wbuf was ever used: what close wipes */
	int wflight;          /* an SSL_write of wbuf awaits its retry */
	int peeked;
	unsigned char peek_byte;
	int eof;
	int failed;           /* a fatal error happened: no more I/O, no close_notify */
	int shut;             /* our close_notify was sent: reads only */

	/* Options. */
	int read_timeout_ms, write_timeout_ms; /* per call: the deadline is tr's */
	int lax_eof;
	void (*close_cb)(void *);
	void *close_arg;

	/* Errors, and answers kept for the getters. */
	int err_code;
	char err_msg[512];
	char alpn[256];
};

/*
 * stream_run.c: run one SSL call to completion according to s->tr.wait.
 * Returns the call's positive result, 0 at a clean end of stream, -1 with
 * the error set, or a DLSSL_WANT_ code.
 */
enum dl_op { DL_OP_HANDSHAKE, DL_OP_READ, DL_OP_PEEK, DL_OP_WRITE, DL_OP_SHUTDOWN };
int dlssl__ssl_run(struct dlssl_stream *s, enum dl_op op, void *buf, int len);
/* Remember the thread's error on the stream. */
void dlssl__stream_keep_error(struct dlssl_stream *s);
/* Entry check for stream calls: open, current generation.  0 or -1. */
int dlssl__stream_enter(struct dlssl_stream *s);

#endif
