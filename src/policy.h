/*
 * dlssl's own security policy: what dlssl promises the same way on every
 * library it loads (DESIGN.md "Defaults"), so that nothing of it is left to
 * the library's or the system's configuration.
 *
 *  - policy.c: the default cipher lists and TLS 1.3 suites, the security
 *    level (OpenSSL's, or dlssl's own where the library has none), the verify
 *    depth, names of ciphers and protocol versions in IANA/RFC form;
 *  - policy_chain.c: dlssl's own checks of the peer's chain (key strength,
 *    signature digests, RFC 5280 constraints that some verifiers skip) and
 *    the X509_V_ERR codes normalised to OpenSSL 3.0's numbering;
 *  - tls_text.c (error.h): dlssl's own texts for those codes.
 */
#ifndef DLSSL_POLICY_H
#define DLSSL_POLICY_H

#include "internal.h"

struct dlssl_context;
struct dl_conn;

/* OpenSSL's security level 2: RSA, DSA and DH >= 2048 bits, EC >= 224, no MD5/SHA-1. */
#define DL_POLICY_LEVEL_DEFAULT 2
#define DL_POLICY_LEVEL_MAX 5

/*
 * The context's cipher lists, TLS 1.3 suites and security level, from the
 * options or dlssl's defaults.  "@SECLEVEL=n" in a cipher list sets the
 * level on every library (it is taken out of the list for libraries that do
 * not know it).  0, or -1 with the error set.
 */
int dlssl__policy_ctx_setup(struct dlssl_context *c, const struct dlssl_context_opts *o);
/* A connection's own cipher list (dlssl_stream_opts.cipher_list), as above. */
int dlssl__policy_ssl_cipher_list(struct dl_conn *cn, const char *list);
/* The number to give SSL_CTX_set_verify_depth for dlssl's meaning of depth. */
int dlssl__policy_verify_depth(const struct dlssl__ossl *api, int depth);

/* Names: static strings, or the library's own for what dlssl does not know. */
const char *dlssl__policy_cipher_name(const struct dlssl__ossl *api, const SSL_CIPHER *c);
const char *dlssl__policy_version_name(const struct dlssl__ossl *api, const SSL *ssl);

/* The IANA name of a cipher suite by its two-byte code, or NULL (cipher_names.c). */
const char *dlssl__iana_cipher_name(unsigned int id);

/* A library's X509_V_ERR code in OpenSSL 3.0's numbering (the one dlssl reports). */
long dlssl__policy_x509_code(const struct dlssl__ossl *api, long code);
/*
 * A context's own certificate against its security level, as OpenSSL 1.1+
 * checks it when the certificate is used (the key, and the signature's
 * digest unless self-signed): 0, or the X509_V_ERR code (66, 68) saying why
 * not.  dlssl checks it itself so that every library refuses the same.
 */
long dlssl__policy_own_cert(const struct dlssl__ossl *api, X509 *x, int level);
/*
 * The verify callback's hook.  For a certificate the library rejected,
 * normalises *err (a self-signed leaf is X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
 * everywhere).  When the library accepted the peer's own certificate (the
 * last call, depth 0), runs dlssl's own checks of the whole chain.  Returns
 * the verdict; on a refusal *err, *depth and *cert say which certificate and why.
 */
int dlssl__policy_verify(const struct dlssl__ossl *api, X509_STORE_CTX *store, int ok,
    int level, int peer_is_client, int *err, int *depth, X509 **cert);

#endif
