/* Streams: the API layer's wrapper of SSL plus its transport and buffers. */
#ifndef DLSSL_STREAM_H
#define DLSSL_STREAM_H

#include <stdio.h>

#include "conn.h"
#include "record_scan.h"

enum dl_tkind { DL_T_FD = 1, DL_T_FILE = 2, DL_T_IO = 3 };

/* How the stream waits: plain blocking calls, poll with timeouts, or never. */
enum dl_wait { DL_WAIT_BLOCK, DL_WAIT_POLL, DL_WAIT_NEVER };

struct dlssl_stream {
	const struct dlssl__ossl *api;
	SSL *ssl;
	struct dl_conn conn;  /* context, verification and sessions: what libssl's callbacks reach */
	int open;
	int handshake_done;

	/* Transport. */
	enum dl_tkind tkind;
	int fd;               /* -1 without one */
	int is_socket;
	int fd_flags;         /* the caller's flags (only Windows changes them: FIONBIO) */
	int fd_flags_changed;
	int mode_unknown;     /* F_GETFL cannot tell (Windows): EWOULDBLOCK means non-blocking */
	int nosigpipe_set;    /* SO_NOSIGPIPE was set by the stream (macOS) */
	int close_fd;
	FILE *file;
	const struct dlssl_io_ops *ops;
	void *handle;
	enum dl_wait wait;
	int io_errno;         /* errno of the last failed transport call */
	int io_eof;
	struct dl_recscan recscan; /* the peer's record headers until the handshake is done */
	const char *proto_error;   /* what that check refused (static text), or NULL */

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
	int read_timeout_ms, write_timeout_ms;
	double deadline;
	int lax_eof;
	void (*close_cb)(void *);
	void *close_arg;

	/* Errors, and answers kept for the getters. */
	int err_code;
	char err_msg[512];
	char alpn[256];
};

/* transport.c */
int dlssl__transport_attach(struct dlssl_stream *s, struct dlssl_transport t,
    const struct dlssl_stream_opts *o);
void dlssl__transport_release(struct dlssl_stream *s);
/* Undo what attaching changed on the caller's fd (Windows FIONBIO, macOS SO_NOSIGPIPE). */
void dlssl__transport_give_back(struct dlssl_stream *s);
/*
 * Timeouts were set: a blocking fd is polled, each call made non-blocking
 * by itself (Windows: the SOCKET is made non-blocking).  0 or -1.
 */
int dlssl__transport_set_timed(struct dlssl_stream *s);
/* For a moment, calls on a blocking fd must not block (on) or may again (off). */
int dlssl__transport_nonblock(struct dlssl_stream *s, int on);
/* Wait until the transport is readable (want_read) or writable; 0, or -1 (TIMEOUT or IO set). */
int dlssl__transport_wait(struct dlssl_stream *s, int want_read, int for_read_op);

/*
 * stream_run.c: run one SSL call to completion according to s->wait.
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
