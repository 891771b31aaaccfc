/* dlssl's checks inside its BIO during the handshake (see record_guard.h). */
#include "config.h"

#include <errno.h>

#include "policy_peer.h"
#include "record_guard.h"
#include "stream.h"

#define DL_ALERT_LEVEL_FATAL 2

/*
 * Send a fatal alert as a plaintext record through the stream's own BIO
 * (a nested call of its write callback): best effort, the connection is
 * failing anyway.  Nothing of the nested call may leak into the outer one:
 * not its retry flags, not its errno.
 */
static void
send_alert(struct dlssl_stream *s, int desc)
{
	const struct dlssl__ossl *api = s->api;
	BIO *b = api->SSL_get_rbio(s->ssl);
	unsigned char rec[7] = { 21, 3, 3, 0, 2, DL_ALERT_LEVEL_FATAL, 0 };
	size_t off = 0;
	int i, r, saved_io = s->io_errno, saved = errno;

	rec[6] = (unsigned char)desc;
	/* The peer's record version (RFC 8446 5.1: 0x0303 but for a first ClientHello). */
	if (s->recscan.version[0] == 3)
		rec[2] = s->recscan.version[1];
	for (i = 0; b != NULL && i < (int)sizeof(rec) && off < sizeof(rec); i++) {
		r = api->BIO_write(b, rec + off, (int)(sizeof(rec) - off));
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	if (b != NULL)
		dlssl__bio_clear_flags(api, b, DL_BIO_FLAGS_READ | DL_BIO_FLAGS_WRITE |
		    DL_BIO_FLAGS_SHOULD_RETRY);
	s->io_errno = saved_io;
	errno = saved;
}

int
dlssl__guard_read(struct dlssl_stream *s, const void *buf, size_t n)
{
	const char *bad;

	if (s->handshake_done)
		return 0;
	if (s->proto_error != NULL)
		return -1; /* refused already: the library gets no more */
	if ((bad = dlssl__recscan_feed(&s->recscan, buf, n)) == NULL)
		return 0;
	s->proto_error = bad; /* the caller's failure() reports it (stream_io.c) */
	if (s->recscan.protected_out)
		return 0; /* the library refuses these bytes itself, with an alert under its keys */
	send_alert(s, s->recscan.alert);
	return -1;
}

int
dlssl__guard_write(struct dlssl_stream *s)
{
	if (s->handshake_done || s->proto_error != NULL || dlssl__policy_peer_key_check(s) == 0)
		return 0;
	/* OpenSSL 1.1+ answers a DH group below the level so (SSL_R_DH_KEY_TOO_SMALL). */
	if (!s->recscan.protected_out)
		send_alert(s, DL_ALERT_HANDSHAKE_FAILURE);
	return -1;
}

void
dlssl__guard_sent(struct dlssl_stream *s, const void *buf, size_t n)
{
	if (!s->handshake_done)
		dlssl__recscan_sent(&s->recscan, buf, n);
}
