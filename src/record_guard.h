/*
 * What dlssl's BIO (transport.c) checks during the handshake, the same on
 * every library (record_guard.c): the peer's record headers (record_scan.c)
 * and, before a client answers the server's key exchange, the strength of
 * the server's ephemeral key (policy_peer.c).  A refusal is answered with
 * the TLS alert that goes with it: written by dlssl itself while its side
 * still sends unprotected records, else left to the library, which sends
 * it under its keys.
 */
#ifndef DLSSL_RECORD_GUARD_H
#define DLSSL_RECORD_GUARD_H

#include <stddef.h>

#include "record_scan.h"

struct dl_conn;

/*
 * One connection's guard: the stream embeds it, fills in conn and hands
 * it to its transport (transport.h), whose BIO calls the functions below.
 */
struct dl_guard {
	struct dl_conn *conn;      /* the connection checked (its api and SSL carry the alert) */
	int done;                  /* the handshake is done: nothing more is checked */
	struct dl_recscan recscan; /* the peer's record headers until the handshake is done */
	const char *proto_error;   /* what a check refused (static text), or NULL */
};

/* n bytes arrived in buf: 0 to hand them to the library, -1 to fail the read. */
int dlssl__guard_read(struct dl_guard *g, const void *buf, size_t n);
/* The library is about to write: 0 to let it, -1 to fail the write. */
int dlssl__guard_write(struct dl_guard *g);
/* n bytes of buf were sent. */
void dlssl__guard_sent(struct dl_guard *g, const void *buf, size_t n);

#endif
