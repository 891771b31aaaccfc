/*
 * One connection as contexts and their verification policy see it: the
 * stream (stream.h) embeds one and fills it in when it starts; the checks
 * (verify.c, sni.c) and the sessions (session.c) keep their results here.
 * libssl's callbacks reach it through dlssl's own ex_data index on the SSL
 * (dlssl__conn_of), so this layer never needs struct dlssl_stream and
 * never calls up into the streams, and no thread-local passes it around.
 */
#ifndef DLSSL_CONN_H
#define DLSSL_CONN_H

#include "context.h"

struct dl_conn {
	const struct dlssl__ossl *api; /* the stream's generation and SSL (set together, never changed) */
	SSL *ssl;
	struct dlssl_context *ctx;     /* a reference */
	struct dlssl_context *sni_ctx; /* a reference to the context SNI switched to */
	int is_server;

	/* Verification (verify.c). */
	char *hostname;          /* normalised: no trailing dot, no brackets */
	int host_is_ip;
	enum dlssl_verify verify;
	int security_level;      /* the context's, or the stream's own cipher list's */
	int skip_hostname_check; /* the caller opted out of the host name check */
	int verify_overridden;   /* the user's callback accepted a failed check */
	int no_resume;           /* the user's callback judged it: never resume this session */
	int checked;             /* the checks after the handshake ran ... */
	int verified;            /* ... and passed */
	long verify_err;
	int verify_depth;
	char verify_subject[256];

	/* Sessions (session.c). */
	unsigned char *sess_key; /* client: the verification configuration */
	size_t sess_keylen;
	SSL_SESSION *sess_pending; /* client: a session made during the handshake, kept once verified */
};

/* verify.c */
/* The connection's verification from the options (fd: a socket whose peer address may name the server). */
int dlssl__verify_setup(struct dl_conn *cn, const struct dlssl_stream_opts *o, int fd);
/* After every handshake: dlssl's own checks, then the session kept or forgotten.  0 or -1. */
int dlssl__verify_after_handshake(struct dl_conn *cn);
/* After a failed handshake: 1 with a VERIFY error if verification caused it, else 0. */
int dlssl__verify_failed(struct dl_conn *cn);

/* session.c */
/* Client: offer a session made under this connection's verification configuration, if any.
 * Server: the session id context of that configuration.  0 or -1. */
int dlssl__sessions_apply(struct dl_conn *cn, const struct dlssl_stream_opts *o);
/* After the handshake was checked: keep the session it made (clients); free what is pending. */
void dlssl__sessions_verified(struct dl_conn *cn, int ok);
/* Server: the session id context of the connection's configuration under context c (SNI). */
int dlssl__sessions_server_context(struct dl_conn *cn, struct dlssl_context *c);
/* Release the connection's session state. */
void dlssl__sessions_release(struct dl_conn *cn);

/* conn.c */
/* Make the SSL point at cn (dlssl's own ex_data index of cn->api). */
void dlssl__conn_attach(struct dl_conn *cn);
/* The connection of an SSL made under generation api, or NULL. */
struct dl_conn *dlssl__conn_get(const struct dlssl__ossl *api, const SSL *ssl);
/* Inside a callback of the library in slot (libslot.h): the connection of ssl, or NULL. */
struct dl_conn *dlssl__conn_of(int slot, const SSL *ssl);

#endif
