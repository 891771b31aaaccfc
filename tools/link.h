/*
 * A TLS stream over a connected socket, through the transport chosen with
 * --transport, and the contexts built from the common options.
 */
#ifndef DLSSL_TOOLS_LINK_H
#define DLSSL_TOOLS_LINK_H

#include "dlssl.h"
#include "opts.h"

/* Must outlive the stream made over it. */
struct cli_link {
	enum cli_transport kind;
	int fd;			/* the socket (also while the stream owns it) */
	int timeout_ms;		/* --timeout, 0: none */
	int probing;		/* io: reads return EAGAIN rather than wait */
	int timed_out;		/* io: a callback gave up after timeout_ms */
	int server;		/* close with a linger (see cli_link_close()) */
};

/* A client context from the common options: an exit code (printed if not 0). */
int cli_client_context(const char *cmd, const struct cli_opts *o, struct dlssl_context **ctx);
/* A server context: --cert and --key, --verify and --cafile for client certificates. */
int cli_server_context(const char *cmd, const struct cli_opts *o, struct dlssl_context **ctx);

/*
 * Make a client stream (hostname: SNI and verification) or, with server
 * set, a server stream over the socket fd, and complete the handshake.  The
 * stream owns fd from then on; on failure fd is closed and NULL returned
 * (dlssl_error() tells why; see cli_link_fail()).
 */
struct dlssl_stream *cli_link_open(struct cli_link *l, int fd, int server,
    struct dlssl_context *ctx, const struct cli_opts *o, const char *hostname);
/*
 * dlssl_close() and free the stream, then close the socket; a server first
 * shuts down its sending side and drains what the client still sends for a
 * moment, so that a late close_notify from the client cannot make the
 * kernel reset the connection (and lose the answer) before it was read.
 * Returns rc, or if rc is 0 the close's exit code (message printed).
 */
int cli_link_close(struct cli_link *l, struct dlssl_stream *s, const char *cmd, int rc);
/* dlssl_listen() that never waits, whatever the transport. */
int cli_link_listen(struct cli_link *l, struct dlssl_stream *s);
/* Print "dlssl CMD: WHAT: <error>" and return the exit code (5 for an io timeout). */
int cli_link_fail(const struct cli_link *l, const char *cmd, const char *what);

#endif
