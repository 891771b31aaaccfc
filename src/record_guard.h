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

struct dlssl_stream;

/* n bytes arrived in buf: 0 to hand them to the library, -1 to fail the read. */
int dlssl__guard_read(struct dlssl_stream *s, const void *buf, size_t n);
/* The library is about to write: 0 to let it, -1 to fail the write. */
int dlssl__guard_write(struct dlssl_stream *s);
/* n bytes of buf were sent. */
void dlssl__guard_sent(struct dlssl_stream *s, const void *buf, size_t n);

#endif
