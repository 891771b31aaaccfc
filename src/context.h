/* Contexts: the API layer's wrapper of SSL_CTX. */
#ifndef DLSSL_CONTEXT_H
#define DLSSL_CONTEXT_H

#include <stdatomic.h>

#include "compat/thread.h"
#include "alpn.h"
#include "internal.h"

/* A client session and the verification configuration that made it (session.c). */
struct dl_session_entry {
	unsigned char *key;
	size_t keylen;
	SSL_SESSION *session;
};

#define DL_SESSION_SLOTS 32

struct dlssl_context {
	const struct dlssl__ossl *api; /* the generation it was made under */
	SSL_CTX *ctx;
	atomic_int refs;
	enum dlssl_verify verify_mode;
	dlssl_verify_callback verify_cb;
	void *verify_arg;
	unsigned char *alpn_wire; /* ALPN list in wire format, or NULL */
	size_t alpn_wire_len;
	dlssl_alpn_select_callback alpn_select;
	void *alpn_select_arg;
	dlssl_sni_callback sni_cb;
	void *sni_arg;
	int security_level;  /* dlssl's checks (policy.c): OpenSSL's meaning, 0 .. 5 */
	unsigned long long serial; /* unique in the process: the servers' session id context */
	atomic_uint trust_gen;     /* bumped when the trust store changes */
	int client_sessions; /* resume client sessions (keyed by the verification configuration) */
	dl_mutex lock;       /* the session slots */
	struct dl_session_entry sessions[DL_SESSION_SLOTS];
	unsigned int session_next;
	struct dlssl_context *retired_next; /* a default context a reload replaced (context.c) */
};

/* Key and password for a PEM read (PEM callback userdata). */
struct dl_password {
	const char *password;
	dlssl_password_callback cb;
	void *arg;
};

/* Certificates, keys and trust (context_load.c). */
int dlssl__ctx_load_chain(struct dlssl_context *c, const char *file, const void *data, size_t len);
int dlssl__ctx_load_key(struct dlssl_context *c, const char *file, const void *data, size_t len,
    const struct dl_password *pw);
int dlssl__ctx_load_trust(struct dlssl_context *c, const struct dlssl_context_opts *o);
/* Trust anchors from a hashed directory; the system's default store (trust_store.c). */
int dlssl__ctx_add_dir(struct dlssl_context *c, const char *dir);
int dlssl__ctx_default_trust(struct dlssl_context *c);
/* Parse a PEM or DER private key from memory (caller frees with EVP_PKEY_free). */
EVP_PKEY *dlssl__load_key_mem(const struct dlssl__ossl *api, const unsigned char *data, size_t len,
    const struct dl_password *pw, const char *what);
/* PEM blocks (pem.c). */
struct dl_pem {
	const unsigned char *p; /* the BEGIN line */
	size_t len;             /* through the END line (or up to what ends the block) */
	char label[64];         /* "CERTIFICATE", ... */
	int complete;           /* it has its END line */
	int bad_begin;          /* the BEGIN line is malformed (no label) */
};
/* The next block at or after *pos, anywhere in d: 1 (and *pos moves past it) or 0. */
int dlssl__pem_next(const unsigned char *d, size_t len, size_t *pos, struct dl_pem *b);
/* Is there a PEM BEGIN line anywhere in d (and d is not DER)? */
int dlssl__pem_present(const unsigned char *d, size_t len);

/*
 * Hand every PEM certificate after the first to add() (which takes
 * ownership on success).  A certificate block that does not parse, or has
 * no END line, is an error naming its number among the file's PEM blocks.
 */
int dlssl__load_chain_rest(const struct dlssl__ossl *api, const unsigned char *d, size_t len,
    int (*add)(void *arg, X509 *x), void *arg, const char *what);
/* Parse the first PEM (any bad block before it is an error) or DER certificate from memory. */
X509 *dlssl__load_cert_mem(const struct dlssl__ossl *api, const unsigned char *data, size_t len,
    const char *what);

/* ALPN of a context (alpn_ctx.c; the wire format is alpn.h). */
int dlssl__ctx_setup_alpn(struct dlssl_context *c, const struct dlssl_context_opts *o);

/* Client session cache (session.c); the per-connection part is in conn.h. */
/* Clients: keep the sessions of verified handshakes.  0, or -1 with the error set. */
int dlssl__sessions_setup(struct dlssl_context *c);
/* The trust store changed: sessions made before no longer match. */
void dlssl__sessions_trust_changed(struct dlssl_context *c);
void dlssl__sessions_free(struct dlssl_context *c);

/* Servers: let the user's SNI callback switch contexts (sni.c). */
void dlssl__ctx_setup_sni(struct dlssl_context *c);

/* The context a stream uses: opts->context or the global one (a new reference). */
struct dlssl_context *dlssl__ctx_for_stream(struct dlssl_context *given);

#endif
