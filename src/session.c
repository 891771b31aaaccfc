/*
 * Session resumption that never skips a check.
 *
 * Clients: each context keeps its latest sessions in a small table keyed
 * by the whole verification configuration of the stream that made them
 * (verify mode, host name, trust store generation, the client
 * certificate's fingerprint, the ALPN offer and the stream's cipher list).
 * A session is kept only once the stream's own checks after the handshake
 * passed (and never when the user's verify callback judged the peer, since
 * a resumption would not ask it again):
 * a TLS 1.2 session is made during the handshake and waits on the stream
 * until then; TLS 1.3 tickets arrive after it.
 *
 * Servers: each stream's session id context is derived from its verify
 * mode, its context and the trust store generation, so OpenSSL resumes a
 * session (from its cache or a ticket) only under the configuration that
 * made it.  The checks after every handshake (verify.c) stand behind both.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "libslot.h"

#define DL_SID_PREFIX "dlssl"
#define DL_KEY_MAX 2048

struct dl_key {
	unsigned char buf[DL_KEY_MAX];
	size_t len;
	int overflow;
};

/* Append one length-prefixed field (so that no two configurations encode alike). */
static void
key_add(struct dl_key *k, const void *p, size_t n)
{
	unsigned char h[4] = { (unsigned char)(n >> 24), (unsigned char)(n >> 16),
		(unsigned char)(n >> 8), (unsigned char)n };

	if (k->len + sizeof(h) + n > sizeof(k->buf)) {
		k->overflow = 1;
		return;
	}
	memcpy(k->buf + k->len, h, sizeof(h));
	if (n > 0)
		memcpy(k->buf + k->len + sizeof(h), p, n);
	k->len += sizeof(h) + n;
}

static void
key_add_str(struct dl_key *k, const char *str)
{
	key_add(k, str ? str : "", str ? strlen(str) + 1 : 0);
}

/* The certificate this stream would authenticate with: its SHA-256, or nothing. */
static int
key_add_identity(struct dl_key *k, struct dl_conn *cn)
{
	const struct dlssl__ossl *api = cn->api;
	X509 *x = api->SSL_get_certificate(cn->ssl);
	const EVP_MD *md;
	unsigned char d[64];
	unsigned int n = 0;

	if (x == NULL) {
		key_add(k, "", 0);
		return 0;
	}
	if ((md = api->EVP_get_digestbyname("sha256")) == NULL || api->X509_digest(x, md, d, &n) != 1) {
		api->ERR_clear_error();
		return -1; /* no session rather than a session for the wrong identity */
	}
	key_add(k, d, n);
	return 0;
}

static int
make_key(struct dl_conn *cn, const struct dlssl_stream_opts *o, struct dl_key *k)
{
	struct dlssl_context *c = cn->ctx;
	unsigned char head[8];
	unsigned int tg = atomic_load(&c->trust_gen);
	unsigned char *wire = NULL;
	size_t wlen = 0;

	head[0] = (unsigned char)cn->verify;
	head[1] = (unsigned char)cn->host_is_ip;
	head[2] = (unsigned char)cn->skip_hostname_check;
	head[3] = 0;
	head[4] = (unsigned char)(tg >> 24);
	head[5] = (unsigned char)(tg >> 16);
	head[6] = (unsigned char)(tg >> 8);
	head[7] = (unsigned char)tg;
	k->len = 0;
	k->overflow = 0;
	key_add(k, head, sizeof(head));
	key_add_str(k, cn->hostname);
	if (key_add_identity(k, cn) < 0)
		return -1;
	if (o->alpn != NULL) {
		if (dlssl__alpn_encode(o->alpn, &wire, &wlen) < 0)
			return -1;
		key_add(k, wire, wlen);
		free(wire);
	} else {
		key_add(k, c->alpn_wire, c->alpn_wire_len);
	}
	key_add_str(k, o->cipher_list);
	return k->overflow ? -1 : 0;
}

/* Keep sess (our reference) under key; the table owns it afterwards. */
static void
store(struct dlssl_context *c, const unsigned char *key, size_t keylen, SSL_SESSION *sess)
{
	struct dl_session_entry *e = NULL;
	unsigned char *copy = malloc(keylen);
	unsigned int i;

	if (copy == NULL) {
		c->api->SSL_SESSION_free(sess);
		return;
	}
	memcpy(copy, key, keylen);
	dl_mutex_lock(&c->lock);
	for (i = 0; i < DL_SESSION_SLOTS && e == NULL; i++)
		if (c->sessions[i].key != NULL && c->sessions[i].keylen == keylen &&
		    memcmp(c->sessions[i].key, key, keylen) == 0)
			e = &c->sessions[i];
	if (e == NULL)
		e = &c->sessions[c->session_next++ % DL_SESSION_SLOTS];
	if (e->session != NULL)
		c->api->SSL_SESSION_free(e->session);
	free(e->key);
	e->key = copy;
	e->keylen = keylen;
	e->session = sess;
	dl_mutex_unlock(&c->lock);
}

/* The new session callback of the library in slot (libslot.h). */
static int
new_session_in(int slot, SSL *ssl, SSL_SESSION *sess)
{
	struct dl_conn *cn = dlssl__conn_of(slot, ssl);

	if (cn == NULL || cn->is_server || cn->sess_key == NULL || cn->no_resume)
		return 0; /* not kept: OpenSSL frees it */
	if (!cn->checked) {
		/* Made during the handshake (TLS 1.2): kept only once it is checked. */
		if (cn->sess_pending != NULL)
			cn->api->SSL_SESSION_free(cn->sess_pending);
		cn->sess_pending = sess;
		return 1;
	}
	if (!cn->verified)
		return 0;
	store(cn->ctx, cn->sess_key, cn->sess_keylen, sess);
	return 1; /* we keep the reference */
}

#define DL_NEW_SESSION_CB(n) \
	static int new_session_cb_##n(SSL *ssl, SSL_SESSION *sess) { return new_session_in(n, ssl, sess); }
DL_EACH_LIB_SLOT(DL_NEW_SESSION_CB)
#define DL_NEW_SESSION_CB_ENTRY(n) new_session_cb_##n,
static int (*const new_session_cbs[DL_LIB_SLOTS])(SSL *, SSL_SESSION *) = {
	DL_EACH_LIB_SLOT(DL_NEW_SESSION_CB_ENTRY)
};

int
dlssl__sessions_setup(struct dlssl_context *c)
{
	int slot = dlssl__lib_slot(c->api);

	if (slot < 0)
		return -1;
	c->api->SSL_CTX_sess_set_new_cb(c->ctx, new_session_cbs[slot]);
	return 0;
}

/* The server's session id context: "dlssl", verify mode, context serial, trust generation. */
static int
set_sid_ctx(struct dl_conn *cn, struct dlssl_context *c)
{
	unsigned char sid[sizeof(DL_SID_PREFIX) - 1 + 1 + 8 + 4];
	unsigned int tg = atomic_load(&c->trust_gen);
	size_t n = sizeof(DL_SID_PREFIX) - 1;
	int i;

	memcpy(sid, DL_SID_PREFIX, n);
	sid[n++] = (unsigned char)cn->verify;
	for (i = 7; i >= 0; i--)
		sid[n++] = (unsigned char)(c->serial >> (8 * i));
	for (i = 3; i >= 0; i--)
		sid[n++] = (unsigned char)(tg >> (8 * i));
	if (cn->api->SSL_set_session_id_context(cn->ssl, sid, (unsigned int)n) != 1) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot set the session id context");
		dlssl__ossl_append_errors(cn->api);
		return -1;
	}
	return 0;
}

int
dlssl__sessions_server_context(struct dl_conn *cn, struct dlssl_context *c)
{
	return set_sid_ctx(cn, c);
}

int
dlssl__sessions_apply(struct dl_conn *cn, const struct dlssl_stream_opts *o)
{
	struct dlssl_context *c = cn->ctx;
	struct dl_key k;
	unsigned int i;

	if (cn->is_server)
		return set_sid_ctx(cn, c);
	if (!c->client_sessions || make_key(cn, o, &k) < 0)
		return 0; /* no resumption: every handshake is a full one */
	if ((cn->sess_key = malloc(k.len)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return -1;
	}
	memcpy(cn->sess_key, k.buf, k.len);
	cn->sess_keylen = k.len;
	dl_mutex_lock(&c->lock);
	for (i = 0; i < DL_SESSION_SLOTS; i++) {
		if (c->sessions[i].key != NULL && c->sessions[i].keylen == k.len &&
		    memcmp(c->sessions[i].key, k.buf, k.len) == 0) {
			/* SSL_set_session takes its own reference. */
			(void)c->api->SSL_set_session(cn->ssl, c->sessions[i].session);
			break;
		}
	}
	dl_mutex_unlock(&c->lock);
	return 0;
}

/* Forget the session kept under key (one that failed the checks when resumed). */
static void
forget(struct dlssl_context *c, const unsigned char *key, size_t keylen)
{
	unsigned int i;

	dl_mutex_lock(&c->lock);
	for (i = 0; i < DL_SESSION_SLOTS; i++) {
		struct dl_session_entry *e = &c->sessions[i];

		if (e->key != NULL && e->keylen == keylen && memcmp(e->key, key, keylen) == 0) {
			c->api->SSL_SESSION_free(e->session);
			free(e->key);
			e->key = NULL;
			e->session = NULL;
		}
	}
	dl_mutex_unlock(&c->lock);
}

void
dlssl__sessions_verified(struct dl_conn *cn, int ok)
{
	SSL_SESSION *p = cn->sess_pending;

	cn->checked = 1;
	cn->verified = ok;
	cn->sess_pending = NULL;
	if (!ok && !cn->is_server && cn->sess_key != NULL)
		forget(cn->ctx, cn->sess_key, cn->sess_keylen);
	if (p == NULL)
		return;
	if (ok && !cn->no_resume && cn->sess_key != NULL)
		store(cn->ctx, cn->sess_key, cn->sess_keylen, p);
	else
		cn->api->SSL_SESSION_free(p);
}

void
dlssl__sessions_release(struct dl_conn *cn)
{
	if (cn->sess_pending != NULL)
		cn->api->SSL_SESSION_free(cn->sess_pending);
	cn->sess_pending = NULL;
	free(cn->sess_key);
	cn->sess_key = NULL;
	cn->sess_keylen = 0;
}

void
dlssl__sessions_trust_changed(struct dlssl_context *c)
{
	atomic_fetch_add(&c->trust_gen, 1);
}

void
dlssl__sessions_free(struct dlssl_context *c)
{
	unsigned int i;

	for (i = 0; i < DL_SESSION_SLOTS; i++) {
		if (c->sessions[i].session != NULL)
			c->api->SSL_SESSION_free(c->sessions[i].session);
		free(c->sessions[i].key);
		c->sessions[i].session = NULL;
		c->sessions[i].key = NULL;
	}
}
