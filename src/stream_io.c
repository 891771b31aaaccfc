/*
 * Stream I/O (CL+SSL's stream reads and writes): buffered writes, reads,
 * flush and listen.  Each SSL call goes through dlssl__ssl_run()
 * (stream_run.c); a stream whose handshake is pending does it first
 * (handshake.c).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "util.h"

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
	return s->handshake_done ? 0 : dlssl_handshake(s);
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
			size_t chunk = dlssl__transport_takes_all(&s->tr) ? left - left % s->wcap : s->wcap;

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
		saved = dlssl__transport_hold(&s->tr, 0);
		r = dlssl_handshake(s);
		dlssl__transport_unhold(&s->tr, saved, 0);
		if (r != 0)
			return r == -1 ? -1 : 0;
	}
	if (s->api->SSL_pending(s->ssl) > 0)
		return 1;
	/* One byte without waiting (calls on a blocking fd do not block meanwhile). */
	saved = dlssl__transport_hold(&s->tr, 1);
	r = dlssl__ssl_run(s, DL_OP_READ, &s->peek_byte, 1);
	dlssl__transport_unhold(&s->tr, saved, 1);
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
