/*
 * The handshake (dlssl_handshake): run to completion or to a WANT code,
 * then dlssl's own checks of the peer (verify.c) before any data moves.
 */
#include "config.h"

#include "stream.h"

DLSSL_EXPORT int
dlssl_handshake(struct dlssl_stream *s)
{
	int r;

	if (dlssl__stream_enter(s) < 0)
		return -1;
	if (s->handshake_done)
		return 0;
	r = dlssl__ssl_run(s, DL_OP_HANDSHAKE, NULL, 0);
	if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT)
		return r;
	if (r < 0) {
		dlssl__stream_keep_error(s);
		return -1;
	}
	if (dlssl__verify_after_handshake(&s->conn) < 0) {
		/* The peer is refused: no data either way, whatever the caller tries next. */
		s->failed = 1;
		dlssl__stream_keep_error(s);
		return -1;
	}
	s->handshake_done = 1;
	s->guard.done = 1;
	return 0;
}
