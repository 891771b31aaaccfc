/*
 * Transports (transport.c): where a stream's bytes go, an fd, a FILE or
 * the caller's callbacks, behind dlssl's BIO.  A transport is an object of
 * its own: the stream (stream.h) embeds one and drives it through these
 * functions, telling each call what to wait for; the transport keeps its
 * descriptor's state, its last error, its deadline and the clock it reads.
 * The BIO's data is the transport, never the stream.
 */
#ifndef DLSSL_TRANSPORT_H
#define DLSSL_TRANSPORT_H

#include <stdio.h>

#include "internal.h"

enum dl_tkind { DL_T_FD = 1, DL_T_FILE = 2, DL_T_IO = 3 };

/* How the transport waits: plain blocking calls, poll with timeouts, or never. */
enum dl_wait { DL_WAIT_BLOCK, DL_WAIT_POLL, DL_WAIT_NEVER };

struct dl_guard; /* record_guard.h: the checks run inside the BIO */

struct dl_transport {
	const struct dlssl__ossl *api; /* the library whose BIO carries the bytes */
	enum dl_tkind kind;
	int fd;               /* -1 without one */
	int is_socket;
	int fd_flags;         /* the caller's flags (only Windows changes them: FIONBIO) */
	int fd_flags_changed;
	int mode_unknown;     /* F_GETFL cannot tell (Windows): EWOULDBLOCK means non-blocking */
	int nosigpipe_set;    /* SO_NOSIGPIPE was set by the transport (macOS) */
	int close_fd;
	FILE *file;
	const struct dlssl_io_ops *ops;
	void *handle;
	enum dl_wait wait;
	int io_errno;         /* errno of the last failed transport call */
	int io_eof;
	struct dl_guard *guard; /* checked on each transfer, or NULL */
	double deadline;      /* on clock(): no wait goes past it; 0 for none */
	double (*clock)(void); /* seconds, monotonic (dlssl_monotonic) */
};

/*
 * Attach the caller's transport t to ssl (through a BIO of api's method):
 * close_fd, no_unwrap, the deadline and whether waits are timed come
 * from o.  guard (may be NULL) checks each transfer.  0, or -1 with the
 * error set (then nothing is owned).
 */
int dlssl__transport_attach(struct dl_transport *tr, const struct dlssl__ossl *api, SSL *ssl,
    struct dlssl_transport t, const struct dlssl_stream_opts *o, struct dl_guard *guard);
/* Give back what attaching changed and close what the transport owns. */
void dlssl__transport_release(struct dl_transport *tr);
/* Undo what attaching changed on the caller's fd (Windows FIONBIO, macOS SO_NOSIGPIPE). */
void dlssl__transport_give_back(struct dl_transport *tr);
/*
 * Timeouts were set: a blocking fd is polled, each call made non-blocking
 * by itself (Windows: the SOCKET is made non-blocking).  0 or -1.
 */
int dlssl__transport_set_timed(struct dl_transport *tr);
/*
 * For a moment nothing waits (dlssl_listen): the wait mode becomes
 * DL_WAIT_NEVER and, with calls_too, calls on a blocking fd do not block
 * either.  Returns the mode that dlssl__transport_unhold (with the same
 * calls_too) puts back.
 */
enum dl_wait dlssl__transport_hold(struct dl_transport *tr, int calls_too);
void dlssl__transport_unhold(struct dl_transport *tr, enum dl_wait saved, int calls_too);
/*
 * Wait until the transport is readable (want_read) or writable, for at most
 * timeout_ms (0: no timeout) from now and not past tr->deadline; 0, or -1
 * (TIMEOUT or IO set).
 */
int dlssl__transport_wait(struct dl_transport *tr, int want_read, int timeout_ms);

/* What a stream asks of its transport: it reads and writes no field itself. */
static inline void
dlssl__transport_init(struct dl_transport *tr)
{
	tr->fd = -1;
}

/* The fd under the stream, or -1 (FILE and callback transports have none until attached). */
static inline int
dlssl__transport_fd(const struct dl_transport *tr)
{
	return tr->fd;
}

/* Non-blocking: a call that would block returns "would block" to the caller. */
static inline int
dlssl__transport_never_waits(const struct dl_transport *tr)
{
	return tr->wait == DL_WAIT_NEVER;
}

/*
 * A whole write may go in one call: the transport waits (polls), or blocks
 * on an fd whose mode is known (not Windows' unknown one, which may turn
 * out non-blocking in the middle of the call).
 */
static inline int
dlssl__transport_takes_all(const struct dl_transport *tr)
{
	return tr->wait == DL_WAIT_POLL || (tr->wait == DL_WAIT_BLOCK && !tr->mode_unknown);
}

/* errno of the transport's last failed call (0: none since the last clear). */
static inline int
dlssl__transport_errno(const struct dl_transport *tr)
{
	return tr->io_errno;
}

static inline void
dlssl__transport_clear_errno(struct dl_transport *tr)
{
	tr->io_errno = 0;
}

/* No wait goes past deadline (on tr->clock; 0: none). */
static inline void
dlssl__transport_set_deadline(struct dl_transport *tr, double deadline)
{
	tr->deadline = deadline;
}

#endif
