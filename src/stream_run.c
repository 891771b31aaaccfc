/*
 * Running one SSL call on a stream: dlssl__ssl_run() maps SSL_get_error()
 * to a result, waits through the transport (with timeouts) when the stream
 * may wait, and turns failures into one error with its category; the entry
 * check of stream calls and the error a stream keeps.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "policy_peer.h"
#include "stream.h"

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

	if (op == DL_OP_HANDSHAKE && (dlssl__verify_failed(&s->conn) ||
	    dlssl__policy_peer_key_failed(&s->conn, s->guard.proto_error)))
		return -1;
	if (s->guard.proto_error != NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "TLS %s failed: %s", op_name(op), s->guard.proto_error);
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
	if ((err == DL_SSL_ERROR_SYSCALL || err == DL_SSL_ERROR_SSL) && dlssl__transport_errno(&s->tr) != 0) {
		errno = dlssl__transport_errno(&s->tr);
		/* A transport callback's own timeout is a timeout, not an I/O error. */
		dlssl__set_error(errno == ETIMEDOUT ? DLSSL_ERR_TIMEOUT : DLSSL_ERR_IO,
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
	int r, err, want_read;

	for (;;) {
		dlssl__transport_clear_errno(&s->tr);
		/* Peeking is four times cheaper than clearing on OpenSSL 3. */
		if (api->ERR_peek_error() != 0)
			api->ERR_clear_error();
		r = call(s, op, buf, len);
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
			if (dlssl__transport_never_waits(&s->tr))
				return want_read ? DLSSL_WANT_POLLIN : DLSSL_WANT_POLLOUT;
			if (dlssl__transport_wait(&s->tr, want_read, op == DL_OP_READ || op == DL_OP_PEEK ||
			    (op == DL_OP_HANDSHAKE && want_read) ? s->read_timeout_ms : s->write_timeout_ms) < 0) {
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
