/*
 * dlssl's key-strength floor (the security level, policy.h) on what is not
 * a peer's certificate chain, the same on every library (policy_peer.c):
 *
 *  - its own certificate, given on a context or on one stream: refused
 *    with the same message everywhere;
 *  - the peer's ephemeral key (a DHE group, an ECDHE curve): where the
 *    library has no security levels (OpenSSL 1.0.2, LibreSSL before 3.6)
 *    dlssl checks it itself before its client answers the server's key
 *    exchange, and sends handshake_failure as OpenSSL 1.1+ does; where the
 *    library refuses it itself, its error is reported in dlssl's words.
 */
#ifndef DLSSL_POLICY_PEER_H
#define DLSSL_POLICY_PEER_H

#include "internal.h"

struct dlssl_stream;

/* 1 when the key is below the level's minimum strength (policy_chain.c). */
int dlssl__policy_key_weak(const struct dlssl__ossl *api, EVP_PKEY *pk, int level);

/*
 * Own certificate x (from what, a file name or a description) against the
 * level: 0, or -1 with the error set (DLSSL_ERR_TLS, naming the reason
 * and the level, and how to lower it).
 */
int dlssl__policy_use_own_cert(const struct dlssl__ossl *api, X509 *x, int level, const char *what);

/*
 * A client about to send its part of the key exchange: is the server's
 * ephemeral key strong enough for the stream's level?  0 yes (or not
 * known yet), -1 no: the stream remembers why (s->proto_error).
 */
int dlssl__policy_peer_key_check(struct dlssl_stream *s);

/*
 * After a failed handshake: was the peer's ephemeral key refused for its
 * strength, by dlssl or by the library?  Then the error is set in dlssl's
 * words and 1 is returned; else 0 and nothing changes.
 */
int dlssl__policy_peer_key_failed(struct dlssl_stream *s);

#endif
