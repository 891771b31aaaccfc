/* dlssl's checks inside its BIO during the handshake (see record_guard.h). */
#include "config.h"

#include <errno.h>

#include "policy_peer.h"
#include "conn.h"
#include "record_guard.h"

#define DL_ALERT_LEVEL_FATAL 2

/*
 * Send a fatal alert as a plaintext record through the connection's own
 * BIO (a nested call of its write callback): best effort, the connection
 * is failing anyway.  Nothing of the nested call may leak into the outer
 * one: not its retry flags, not its errno (the transport keeps its own
 * error as it was: transport.c).
 */
static void
send_alert(struct dl_guard *g, int desc)
{
	const struct dlssl__ossl *api = g->conn->api;
	BIO *b = api->SSL_get_rbio(g->conn->ssl);
	unsigned char rec[7] = { 21, 3, 3, 0, 2, DL_ALERT_LEVEL_FATAL, 0 };
	size_t off = 0;
	int i, r, saved = errno;

	rec[6] = (unsigned char)desc;
	/* The peer's record version (RFC 8446 5.1: 0x0303 but for a first ClientHello). */
	if (g->recscan.version[0] == 3)
		rec[2] = g->recscan.version[1];
	for (i = 0; b != NULL && i < (int)sizeof(rec) && off < sizeof(rec); i++) {
		r = api->BIO_write(b, rec + off, (int)(sizeof(rec) - off));
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	if (b != NULL)
		dlssl__bio_clear_flags(api, b, DL_BIO_FLAGS_READ | DL_BIO_FLAGS_WRITE |
		    DL_BIO_FLAGS_SHOULD_RETRY);
	errno = saved;
}

int
dlssl__guard_read(struct dl_guard *g, const void *buf, size_t n)
{
	const char *bad;

	if (g->done)
		return 0;
	if (g->proto_error != NULL)
		return -1; /* refused already: the library gets no more */
	if ((bad = dlssl__recscan_feed(&g->recscan, buf, n)) == NULL)
		return 0;
	g->proto_error = bad; /* the caller's failure() reports it (stream_run.c) */
	if (g->recscan.protected_out)
		return 0; /* the library refuses these bytes itself, with an alert under its keys */
	send_alert(g, g->recscan.alert);
	return -1;
}

int
dlssl__guard_write(struct dl_guard *g)
{
	if (g->done || g->proto_error != NULL ||
	    dlssl__policy_peer_key_check(g->conn, &g->proto_error) == 0)
		return 0;
	/* OpenSSL 1.1+ answers a DH group below the level so (SSL_R_DH_KEY_TOO_SMALL). */
	if (!g->recscan.protected_out)
		send_alert(g, DL_ALERT_HANDSHAKE_FAILURE);
	return -1;
}

void
dlssl__guard_sent(struct dl_guard *g, const void *buf, size_t n)
{
	if (!g->done)
		dlssl__recscan_sent(&g->recscan, buf, n);
}
