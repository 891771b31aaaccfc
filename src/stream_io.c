/*
 * Stream I/O: every SSL call goes through dlssl__ssl_run(), which maps
 * SSL_get_error() to a result, waits (with timeouts) when the stream may
 * wait, and turns failures into one error with its category.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat/time.h"
#include "policy_peer.h"
#include "stream.h"
#include "util.h"

DLSSL_EXPORT double
dlssl_monotonic(void)
{
	struct timespec ts;

	dlssl__clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
dlssl__stream_keep_error(struct dlssl_stream *s)
{
	const char *m = dlssl_error();

	s->err_code = dlssl_error_code();
	snprintf(s->err_msg, sizeof(s->err_msg), "%s", m ? m : "");
}

int
dlssl__stream_enter(struct dlssl_stream *s)
{
	dlssl__error_clear();
	if (s == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "NULL stream");
		return -1;
	}
	if (s->failed && s->open) {
		/* Keep the stream's own error: it says what broke it. */
		dlssl__set_errorx(DLSSL_ERR_CLOSED, "the stream failed earlier and can only be closed "
		    "(%s)", s->err_msg);
		return -1;
	}
	s->err_code = DLSSL_ERR_NONE;
	s->err_msg[0] = '\0';
	if (!s->open) {
		dlssl__set_errorx(DLSSL_ERR_CLOSED, "the stream is closed");
		dlssl__stream_keep_error(s);
		return -1;
	}
	if (dlssl__ossl_check_current(s->api) < 0) {
		dlssl__stream_keep_error(s);
		return -1;
	}
	return 0;
}

/* Is the queued error OpenSSL 3's "unexpected eof while reading"? */
static int
is_unexpected_eof(const struct dlssl__ossl *api, unsigned long e)
{
	if (api->flavor != DLSSL_FLAVOR_OPENSSL || api->level < DL_V300)
		return 0;
	return dlssl__ossl_err_lib(api, e) == DL_ERR_LIB_SSL &&
	    dlssl__ossl_err_reason(api, e) == DL_SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

static const char *
op_name(enum dl_op op)
{
	switch (op) {
	case DL_OP_HANDSHAKE:
		return "handshake";
	case DL_OP_READ:
	case DL_OP_PEEK:
		return "read";
	case DL_OP_WRITE:
		return "write";
	case DL_OP_SHUTDOWN:
		return "close_notify";
	}
	return "call";
}

/* The peer closed the connection without close_notify. */
static int
truncated(struct dlssl_stream *s, enum dl_op op)
{
	s->api->ERR_clear_error();
	if (s->lax_eof && (op == DL_OP_READ || op == DL_OP_PEEK)) {
		s->eof = 1;
		return 0;
	}
	dlssl__set_errorx(DLSSL_ERR_TRUNCATED, "the peer closed the connection without close_notify "
	    "during %s (possible truncation attack)", op_name(op));
	return -1;
}

static int
call(struct dlssl_stream *s, enum dl_op op, void *buf, int len)
{
	const struct dlssl__ossl *api = s->api;

	switch (op) {
	case DL_OP_HANDSHAKE:
		return api->SSL_do_handshake(s->ssl);
	case DL_OP_READ:
		return api->SSL_read(s->ssl, buf, len);
	case DL_OP_PEEK:
		return api->SSL_peek(s->ssl, buf, len);
	case DL_OP_WRITE:
		return api->SSL_write(s->ssl, buf, len);
	case DL_OP_SHUTDOWN:
		return api->SSL_shutdown(s->ssl);
	}
	return -1;
}

/* A failed call: one error with the right category. */
static int
failure(struct dlssl_stream *s, enum dl_op op, int err, int r)
{
	const struct dlssl__ossl *api = s->api;
	unsigned long e = api->ERR_peek_error();

	if (op == DL_OP_HANDSHAKE && (dlssl__stream_verify_failed(s) || dlssl__policy_peer_key_failed(s)))
		return -1;
	if (s->proto_error != NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "TLS %s failed: %s", op_name(op), s->proto_error);
		api->ERR_clear_error();
		return -1;
	}
	if (err == DL_SSL_ERROR_SSL && is_unexpected_eof(api, e))
		return truncated(s, op);
	/*
	 * The transport failed during the call: that is the cause, whether the
	 * library says SSL_ERROR_SYSCALL (OpenSSL) or SSL_ERROR_SSL with
	 * "unknown failure occurred" (LibreSSL's TLS 1.3 stack).
	 */
	if ((err == DL_SSL_ERROR_SYSCALL || err == DL_SSL_ERROR_SSL) && s->io_errno != 0) {
		errno = s->io_errno;
		/* A transport callback's own timeout is a timeout, not an I/O error. */
		dlssl__set_error(s->io_errno == ETIMEDOUT ? DLSSL_ERR_TIMEOUT : DLSSL_ERR_IO,
		    "%s failed", op_name(op));
		api->ERR_clear_error();
		return -1;
	}
	if (err == DL_SSL_ERROR_SYSCALL && e == 0 && r <= 0)
		return truncated(s, op);
	dlssl__set_errorx(DLSSL_ERR_TLS, "TLS %s failed", op_name(op));
	dlssl__ossl_append_errors(api);
	return -1;
}

int
dlssl__ssl_run(struct dlssl_stream *s, enum dl_op op, void *buf, int len)
{
	const struct dlssl__ossl *api = s->api;
	struct dlssl_stream *prev;
	int r, err, want_read;

	for (;;) {
		s->io_errno = 0;
		/* Peeking is four times cheaper than clearing on OpenSSL 3. */
		if (api->ERR_peek_error() != 0)
			api->ERR_clear_error();
		prev = dlssl__io_enter(s);
		r = call(s, op, buf, len);
		dlssl__io_leave(prev);
		if (r > 0 || (op == DL_OP_SHUTDOWN && r == 0))
			return r > 0 ? r : 1;
		err = api->SSL_get_error(s->ssl, r);
		switch (err) {
		case DL_SSL_ERROR_ZERO_RETURN:
			s->eof = 1;
			if (op == DL_OP_READ || op == DL_OP_PEEK)
				return 0;
			dlssl__set_errorx(DLSSL_ERR_CLOSED, "the peer closed the TLS session during %s",
			    op_name(op));
			return -1;
		case DL_SSL_ERROR_WANT_READ:
		case DL_SSL_ERROR_WANT_WRITE:
			want_read = err == DL_SSL_ERROR_WANT_READ;
			if (s->wait == DL_WAIT_NEVER)
				return want_read ? DLSSL_WANT_POLLIN : DLSSL_WANT_POLLOUT;
			if (dlssl__transport_wait(s, want_read,
			    op == DL_OP_READ || op == DL_OP_PEEK || (op == DL_OP_HANDSHAKE && want_read)) < 0) {
				s->failed = 1; /* a record may be half written */
				return -1;
			}
			continue;
		default:
			r = failure(s, op, err, r);
			/* OpenSSL forbids further use (and SSL_shutdown) after a fatal error. */
			if (r < 0)
				s->failed = 1;
			return r;
		}
	}
}

/* Send what the write buffer holds. */
DLSSL_EXPORT int
dlssl_flush(struct dlssl_stream *s)
{
	int r;

	if (dlssl__stream_enter(s) < 0)
		return -1;
	if (s->wlen == 0)
		return 0;
	r = dlssl__ssl_run(s, DL_OP_WRITE, s->wbuf, (int)s->wlen);
	if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT) {
		s->wflight = 1;
		return r;
	}
	s->wflight = 0;
	if (r < 0) {
		dlssl__stream_keep_error(s);
		return -1;
	}
	s->wlen = 0;
	return 0;
}

static int
ensure_handshake(struct dlssl_stream *s)
{
	int r;

	if (s->handshake_done)
		return 0;
	r = dlssl_handshake(s);
	return r;
}

/* Append to the write buffer (made on first use). */
static int
take(struct dlssl_stream *s, const unsigned char *p, size_t n)
{
	if (n > s->wcap - s->wlen) {
		/* Never past the buffer: a caller of take() got its sums wrong. */
		s->failed = s->wflight;
		dlssl__set_errorx(DLSSL_ERR_INTERNAL, "%zu bytes do not fit in the write buffer "
		    "(%zu of %zu used)", n, s->wlen, s->wcap);
		dlssl__stream_keep_error(s);
		return -1;
	}
	if (s->wbuf == NULL && (s->wbuf = malloc(s->wcap)) == NULL) {
		/* A partly sent record cannot be completed now: the stream is done. */
		s->failed = s->wflight;
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory for the write buffer");
		dlssl__stream_keep_error(s);
		return -1;
	}
	memcpy(s->wbuf + s->wlen, p, n);
	s->wlen += n;
	if (s->wlen > s->wmax)
		s->wmax = s->wlen;
	return 0;
}

DLSSL_EXPORT long
dlssl_write(struct dlssl_stream *s, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t room, left = len;
	int r;

	if (dlssl__stream_enter(s) < 0)
		return -1;
	if (buf == NULL && len > 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_write: NULL buffer");
		dlssl__stream_keep_error(s);
		return -1;
	}
	if ((r = ensure_handshake(s)) != 0)
		return r;
	if (s->shut) {
		dlssl__set_errorx(DLSSL_ERR_CLOSED, "the stream was shut down for writing");
		dlssl__stream_keep_error(s);
		return -1;
	}
	if (len > LONG_MAX)
		left = len = LONG_MAX;
	while (left > 0) {
		if (s->wflight || s->wlen == s->wcap) {
			if ((r = dlssl_flush(s)) == -1)
				return -1;
			if (r != 0) /* would block: report what was taken so far */
				return left < len ? (long)(len - left) : r;
		}
		if (s->wlen == 0 && left >= s->wcap) {
			/*
			 * Whole buffers go straight from the caller's memory: all at once
			 * when the stream waits, one at a time when a call may return
			 * "would block" (then the retry must come from our buffer, which
			 * holds one).  A stream whose fd's mode is unknown (Windows) may
			 * find out it is non-blocking in the middle of the call.
			 */
			size_t chunk = s->wait == DL_WAIT_POLL ||
			    (s->wait == DL_WAIT_BLOCK && !s->mode_unknown) ? left - left % s->wcap : s->wcap;

			if (chunk > (size_t)INT_MAX)
				chunk = (size_t)INT_MAX - (size_t)INT_MAX % s->wcap;
			r = dlssl__ssl_run(s, DL_OP_WRITE, (void *)(uintptr_t)p, (int)chunk);
			if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT) {
				/*
				 * OpenSSL may have sent part of it: the retry must offer the
				 * same bytes, from our buffer now (ACCEPT_MOVING_WRITE_BUFFER).
				 */
				if (take(s, p, chunk) < 0)
					return -1;
				s->wflight = 1;
				return (long)(len - left + chunk);
			}
			if (r < 0) {
				dlssl__stream_keep_error(s);
				return -1;
			}
			p += chunk;
			left -= chunk;
			continue;
		}
		room = s->wcap - s->wlen;
		if (room > left)
			room = left;
		if (take(s, p, room) < 0)
			return -1;
		p += room;
		left -= room;
	}
	/* A full buffer goes out now; a WANT here is retried by the next call. */
	if (s->wlen == s->wcap && !s->wflight && dlssl_flush(s) == -1)
		return -1;
	errno = 0;
	return (long)len;
}

static long
read_some(struct dlssl_stream *s, unsigned char *p, size_t len)
{
	int r;

	if (len > INT_MAX)
		len = INT_MAX;
	r = dlssl__ssl_run(s, DL_OP_READ, p, (int)len);
	if (r == -1)
		dlssl__stream_keep_error(s);
	return r;
}

DLSSL_EXPORT long
dlssl_read(struct dlssl_stream *s, void *buf, size_t len)
{
	unsigned char *p = buf;
	long r, got = 0;

	if (dlssl__stream_enter(s) < 0)
		return -1;
	if (buf == NULL && len > 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_read: NULL buffer");
		dlssl__stream_keep_error(s);
		return -1;
	}
	if ((r = ensure_handshake(s)) != 0)
		return r;
	if (len == 0)
		return 0;
	if (s->peeked) {
		p[0] = s->peek_byte;
		s->peeked = 0;
		got = 1;
		if (len == 1 || s->api->SSL_pending(s->ssl) <= 0)
			return 1;
		p++;
		len--;
	}
	if (s->eof)
		return got;
	/*
	 * Whoever waits for an answer must have sent the question.  A flush that
	 * would block does not hold up the read (the peer may be waiting to be
	 * read from before it reads): it is retried by the next call.
	 */
	if (s->wlen > 0 && (r = dlssl_flush(s)) == -1)
		return got ? got : -1;
	r = read_some(s, p, len);
	/* Idle (waiting for input, nothing to send): the write buffer goes, wiped. */
	if (r == DLSSL_WANT_POLLIN && s->wlen == 0 && s->wbuf != NULL && !s->wflight) {
		dlssl__free_secret(s->wbuf, s->wmax);
		s->wbuf = NULL;
		s->wmax = 0;
	}
	if (r < 0)
		return got ? got : r;
	errno = 0;
	return got + r;
}

DLSSL_EXPORT long
dlssl_read_fully(struct dlssl_stream *s, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t got = 0;
	long r;

	if (len > LONG_MAX)
		len = LONG_MAX;
	while (got < len) {
		r = dlssl_read(s, p + got, len - got);
		if (r == 0)
			break;
		if (r < 0)
			return r == -1 || got == 0 ? r : (long)got;
		got += (size_t)r;
	}
	return (long)got;
}

DLSSL_EXPORT int
dlssl_listen(struct dlssl_stream *s)
{
	enum dl_wait saved;
	int r;

	if (dlssl__stream_enter(s) < 0)
		return -1;
	if (s->peeked || s->eof)
		return 1;
	if (!s->handshake_done) {
		saved = s->wait;
		s->wait = DL_WAIT_NEVER;
		r = dlssl_handshake(s);
		s->wait = saved;
		if (r != 0)
			return r == -1 ? -1 : 0;
	}
	if (s->api->SSL_pending(s->ssl) > 0)
		return 1;
	/* One byte without waiting (calls on a blocking fd do not block meanwhile). */
	saved = s->wait;
	s->wait = DL_WAIT_NEVER;
	if (saved == DL_WAIT_BLOCK && s->fd >= 0)
		(void)dlssl__transport_nonblock(s, 1);
	r = dlssl__ssl_run(s, DL_OP_READ, &s->peek_byte, 1);
	if (saved == DL_WAIT_BLOCK && s->fd >= 0)
		(void)dlssl__transport_nonblock(s, 0);
	s->wait = saved;
	if (r == 1) {
		s->peeked = 1;
		return 1;
	}
	if (r == 0)
		return 1; /* the end of the stream: a read will not block */
	if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT)
		return 0;
	dlssl__stream_keep_error(s);
	return -1;
}
