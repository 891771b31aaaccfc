/*
 * Client session resumption: each context keeps the latest session per
 * host name in a small table.  A TLS 1.3 server sends its tickets after
 * the handshake, so sessions are collected by the new-session callback.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "stream.h"

static int
new_session_cb(SSL *ssl, SSL_SESSION *sess)
{
	struct dlssl_stream *s = dlssl__stream_of(ssl);
	struct dlssl_context *c;
	struct dl_session_entry *e = NULL;
	unsigned int i;
	char *host;

	if (s == NULL || s->is_server || s->hostname == NULL)
		return 0; /* not kept: OpenSSL frees it */
	c = s->ctx;
	if ((host = strdup(s->hostname)) == NULL)
		return 0;
	dl_mutex_lock(&c->lock);
	for (i = 0; i < DL_SESSION_SLOTS && e == NULL; i++)
		if (c->sessions[i].host != NULL && strcmp(c->sessions[i].host, host) == 0)
			e = &c->sessions[i];
	if (e == NULL)
		e = &c->sessions[c->session_next++ % DL_SESSION_SLOTS];
	if (e->session != NULL)
		c->api->SSL_SESSION_free(e->session);
	free(e->host);
	e->host = host;
	e->session = sess;
	dl_mutex_unlock(&c->lock);
	return 1; /* we keep the reference */
}

void
dlssl__sessions_setup(struct dlssl_context *c)
{
	c->api->SSL_CTX_sess_set_new_cb(c->ctx, new_session_cb);
}

void
dlssl__sessions_apply(struct dlssl_context *c, SSL *ssl, const char *host)
{
	unsigned int i;

	if (!c->client_sessions || host == NULL)
		return;
	dl_mutex_lock(&c->lock);
	for (i = 0; i < DL_SESSION_SLOTS; i++) {
		if (c->sessions[i].host != NULL && strcmp(c->sessions[i].host, host) == 0) {
			/* SSL_set_session takes its own reference. */
			(void)c->api->SSL_set_session(ssl, c->sessions[i].session);
			break;
		}
	}
	dl_mutex_unlock(&c->lock);
}

void
dlssl__sessions_free(struct dlssl_context *c)
{
	unsigned int i;

	for (i = 0; i < DL_SESSION_SLOTS; i++) {
		if (c->sessions[i].session != NULL)
			c->api->SSL_SESSION_free(c->sessions[i].session);
		free(c->sessions[i].host);
		c->sessions[i].session = NULL;
		c->sessions[i].host = NULL;
	}
}
