/*
 * The loader layer's interface to the API layer.
 *
 * The only code that knows dlopen, sonames and OpenSSL versions lives in
 * src/ossl/.  The API layer reaches OpenSSL only through a published
 * `const struct dlssl__ossl *`, a table of typed function pointers
 * generated from manifest.h, plus the version shims below.
 */
#ifndef DLSSL_OSSL_H
#define DLSSL_OSSL_H

#include <stddef.h>
#include <stdint.h>

#include "dlssl.h"
#include "ossl/decls.h"
#include "ossl/manifest.h"

enum dl_lib { DL_LIB_SSL, DL_LIB_CRYPTO };
enum dl_need { DL_REQ, DL_OPT, DL_REQ_OSSL, DL_LRS };

enum dl_capbit {
	DL_CAPBIT_NONE = 0,
#define DL_CAPBIT_ENUM(name) DL_CAPBIT_##name,
	DLSSL_OSSL_CAPS(DL_CAPBIT_ENUM)
#undef DL_CAPBIT_ENUM
	DL_CAPBIT_MAX_
};

/*
 * Known defects of a library version that dlssl works around (quirks).
 * DL_QUIRK_NEW_VERIFIER: LibreSSL 3.2's new X.509 verifier loses some 260
 * bytes per verification (x509_verify_chain_dup overwrites a stack and a
 * name list it has just made), never looks in hashed certificate
 * directories and accepts chains RFC 5280 forbids; dlssl selects the
 * library's own legacy verifier (X509_V_FLAG_LEGACY_VERIFY) on every
 * context's store.
 */
#define DL_QUIRK_NEW_VERIFIER 0x0001UL

/* The environment, read as secure_getenv does: NULL in a setuid program (env.c). */
const char *dlssl__secure_getenv(const char *name);

/*
 * One generation of the function table.  Published whole, never changed
 * afterwards, never freed (objects made under it may still refer to it).
 */
struct dlssl__ossl {
#define DL_MEMBER(lib, ret, slot, params, sym, alt, since, until, need, cap) \
	ret(*slot) params;
	DLSSL_OSSL_MANIFEST(DL_MEMBER)
#undef DL_MEMBER

	enum dlssl_flavor flavor;
	unsigned long level;      /* DL_V() API level used for manifest ranges */
	unsigned long raw_number; /* OpenSSL_version_num() / SSLeay() */
	unsigned int major, minor, patch;
	unsigned long caps;       /* DLSSL_CAP_* */
	unsigned long quirks;     /* DL_QUIRK_*: known defects dlssl works around */
	unsigned long generation;
	int ex_ssl, ex_ctx;       /* dlssl's own ex_data indexes of SSL and SSL_CTX */
	int host_owned;
	void *ssl_handle;
	void *crypto_handle;
	const struct dlssl_library_info *info;
	const struct dlssl__ossl *previous; /* older generations stay reachable */
	/* The errno of the library's own libc, in a private namespace; else NULL. */
	int *(*lib_errno)(void);
};

/*
 * Our callbacks set the host's errno; a library in a private namespace
 * reads its own libc's (LibreSSL tells a failed read from a clean one by
 * it): hand the value across.
 */
static inline void
dlssl__ossl_pass_errno(const struct dlssl__ossl *api, int e)
{
	if (api->lib_errno != NULL)
		*api->lib_errno() = e;
}

/* Resolved configuration: the API options merged with the environment. */
struct dl_config {
	char *libssl;       /* absolute path, or NULL */
	char *libcrypto;    /* absolute path, or NULL */
	char *libdir;       /* absolute directory, or NULL */
	enum dlssl_source path_source; /* ARGUMENT or ENVIRONMENT when set */
	enum dlssl_mode mode;
	int trace;
};

/* The current table, or NULL (an acquire load: cheap, lock-free). */
const struct dlssl__ossl *dlssl__ossl_current(void);

/*
 * Load if nothing is published (once, under a lock; a failure is not
 * remembered).  With opts != NULL the options are remembered for later
 * reloads; if a table is already published and opts asks for another
 * library, DLSSL_ERR_USAGE.  Returns the table or NULL with the error set.
 */
const struct dlssl__ossl *dlssl__ossl_ensure(const struct dlssl_init_opts *opts);

/*
 * Discover again and publish a new generation.  opts != NULL replaces the
 * remembered options.  On failure the previous table stays published.
 */
const struct dlssl__ossl *dlssl__ossl_reload(const struct dlssl_init_opts *opts, int replace_opts);

/* The report of the latest attempt, or NULL if none was made. */
const struct dlssl_library_info *dlssl__ossl_last_report(void);

/* Is this table the current generation?  Sets DLSSL_ERR_STALE if not. */
int dlssl__ossl_check_current(const struct dlssl__ossl *api);

/* Fetch and clear OpenSSL's error queue into the thread's error text. */
void dlssl__ossl_append_errors(const struct dlssl__ossl *api);

/* Version shims: OpenSSL macros, or calls whose form depends on the version. */
uint64_t dlssl__ossl_ctx_set_options(const struct dlssl__ossl *api, SSL_CTX *ctx, uint64_t op);
uint64_t dlssl__ossl_ssl_set_options(const struct dlssl__ossl *api, SSL *ssl, uint64_t op);
int dlssl__ossl_ctx_set_proto_range(const struct dlssl__ossl *api, SSL_CTX *ctx, int min_version, int max_version);
int dlssl__ossl_set_sni(const struct dlssl__ossl *api, SSL *ssl, const char *name);
int dlssl__ossl_session_reused(const struct dlssl__ossl *api, SSL *ssl);
/* The SSL_OP_NO_COMPRESSION and SSL_OP_NO_SSLv3 bits of the loaded library (0 where it has none). */
uint64_t dlssl__ossl_op_no_compression(const struct dlssl__ossl *api);
uint64_t dlssl__ossl_op_no_sslv3(const struct dlssl__ossl *api);
/* SSL_CIPHER_get_id (0x0300XXXX for TLS suites), whatever its prototype; 0 if unknown. */
uint32_t dlssl__ossl_cipher_id(const struct dlssl__ossl *api, const SSL_CIPHER *c);
long dlssl__ossl_ctx_set_mode(const struct dlssl__ossl *api, SSL_CTX *ctx, long mode);
long dlssl__ossl_ctx_set_session_cache_mode(const struct dlssl__ossl *api, SSL_CTX *ctx, long mode);
int dlssl__ossl_ctx_add_chain_cert(const struct dlssl__ossl *api, SSL_CTX *ctx, X509 *x509);
int dlssl__ossl_ssl_add_chain_cert(const struct dlssl__ossl *api, SSL *ssl, X509 *x509);
void dlssl__ossl_free(const struct dlssl__ossl *api, void *ptr);
/* A new reference to x509 (X509_up_ref, or a copy on 1.0.2); NULL on failure. */
X509 *dlssl__ossl_x509_ref(const struct dlssl__ossl *api, X509 *x509);
int dlssl__ossl_reseed(const struct dlssl__ossl *api);
/* The untrusted certificates the peer sent, during verification (NULL if unknown). */
OPENSSL_STACK *dlssl__ossl_store_untrusted(const struct dlssl__ossl *api, X509_STORE_CTX *store);
/* Allocate dlssl's ex_data indexes (api->ex_ssl, api->ex_ctx) for a new table: 0 or -1. */
int dlssl__ossl_ex_indexes(struct dlssl__ossl *api);
/* ERR_GET_LIB / ERR_GET_REASON: the packing changed in 3.0. */
int dlssl__ossl_err_lib(const struct dlssl__ossl *api, unsigned long e);
int dlssl__ossl_err_reason(const struct dlssl__ossl *api, unsigned long e);

/* BIO methods on every version (bio_compat.c). */
struct dl_bio_callbacks {
	const char *name;
	int (*write)(BIO *, const char *, int);
	int (*read)(BIO *, char *, int);
	long (*ctrl)(BIO *, int, long, void *);
	int (*create)(BIO *);
	int (*destroy)(BIO *);
};
int dlssl__bio_supported(const struct dlssl__ossl *api);
BIO_METHOD *dlssl__bio_method_new(const struct dlssl__ossl *api, const struct dl_bio_callbacks *cb);
void dlssl__bio_set_flags(const struct dlssl__ossl *api, BIO *b, int flags);
void dlssl__bio_clear_flags(const struct dlssl__ossl *api, BIO *b, int flags);
void dlssl__bio_set_init(const struct dlssl__ossl *api, BIO *b, int init);
void dlssl__bio_set_data(const struct dlssl__ossl *api, BIO *b, void *data);
void *dlssl__bio_get_data(const struct dlssl__ossl *api, BIO *b);

#endif /* DLSSL_OSSL_H */
