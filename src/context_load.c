/*
 * Certificates, private keys and trusted CAs for a context, from files or
 * memory, PEM or DER.  Files are read by dlssl and handed to OpenSSL as
 * memory, so every version gets the same treatment and the same errors.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "context.h"
#include "policy.h"
#include "policy_peer.h"
#include "util.h"
#include "compat/file.h"

/* Does tag occur in d? */
static int
contains(const unsigned char *d, size_t len, const char *tag)
{
	size_t i, n = strlen(tag);

	for (i = 0; i + n <= len; i++)
		if (memcmp(d + i, tag, n) == 0)
			return 1;
	return 0;
}

/* OpenSSL's PEM password callback: the password from the options, or the user's callback. */
static int
pem_password(char *buf, int size, int rwflag, void *u)
{
	const struct dl_password *pw = u;
	size_t n;
	int r;

	if (pw == NULL || size <= 0)
		return -1;
	if (pw->cb != NULL) {
		r = pw->cb(buf, (size_t)size, rwflag, pw->arg);
		return r < 0 || r > size ? -1 : r;
	}
	if (pw->password == NULL)
		return -1; /* encrypted and no password: fail, never prompt */
	n = strlen(pw->password);
	if (n > (size_t)size)
		return -1;
	memcpy(buf, pw->password, n);
	return (int)n;
}

/*
 * Prepare to parse data: 1 with a memory BIO for PEM, 0 for DER, -1 with
 * the error set.  Clears OpenSSL's error queue for the parse.
 */
static int
open_mem(const struct dlssl__ossl *api, const unsigned char *data, size_t len, const char *what,
    BIO **b)
{
	*b = NULL;
	if (len > INT_MAX) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s is too large", what);
		return -1;
	}
	api->ERR_clear_error();
	if (!dlssl__pem_present(data, len))
		return 0;
	if ((*b = api->BIO_new_mem_buf(data, (int)len)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return -1;
	}
	return 1;
}

EVP_PKEY *
dlssl__load_key_mem(const struct dlssl__ossl *api, const unsigned char *data, size_t len,
    const struct dl_password *pw, const char *what)
{
	EVP_PKEY *k = NULL;
	const unsigned char *der = data;
	BIO *b;
	int pem = open_mem(api, data, len, what, &b);

	if (pem < 0)
		return NULL;
	if (pem) {
		k = api->PEM_read_bio_PrivateKey(b, NULL, pem_password, (void *)(uintptr_t)pw);
		api->BIO_free(b);
	} else {
		k = api->d2i_AutoPrivateKey(NULL, &der, (long)len);
	}
	if (k == NULL) {
		int encrypted = contains(data, len, "ENCRYPTED");

		if (encrypted && (pw == NULL || (pw->password == NULL && pw->cb == NULL)))
			dlssl__set_errorx(DLSSL_ERR_USAGE, "%s is encrypted and no password was given", what);
		else if (encrypted)
			dlssl__set_errorx(DLSSL_ERR_TLS, "cannot decrypt %s (wrong password?)", what);
		else
			dlssl__set_errorx(DLSSL_ERR_TLS, "%s is not a PEM or DER private key", what);
		dlssl__ossl_append_errors(api);
	}
	/* d2i advances der; k does not point into it (cppcheck thinks it might). */
	/* cppcheck-suppress returnDanglingLifetime */
	return k;
}

static int
is_cert_label(const char *label)
{
	return strcmp(label, "CERTIFICATE") == 0 || strcmp(label, "X509 CERTIFICATE") == 0 ||
	    strcmp(label, "TRUSTED CERTIFICATE") == 0;
}

/*
 * The next certificate block of a PEM text at or after *pos: 1 with *x
 * set, 0 when there is none, -1 with the error set when a block is broken
 * (*n counts the PEM blocks seen, for the message).  Other blocks (a key
 * in the same file) are passed over.
 */
static int
next_cert(const struct dlssl__ossl *api, const unsigned char *d, size_t len, size_t *pos, int *n,
    const char *what, X509 **x)
{
	struct dl_pem b;
	BIO *bio;

	*x = NULL;
	while (dlssl__pem_next(d, len, pos, &b)) {
		++*n;
		if (b.bad_begin) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "%s: PEM block %d has a malformed BEGIN line",
			    what, *n);
			return -1;
		}
		if (!is_cert_label(b.label))
			continue;
		if (!b.complete) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "%s: PEM block %d (%s) has no END line", what,
			    *n, b.label);
			return -1;
		}
		if (b.len > INT_MAX || (bio = api->BIO_new_mem_buf(b.p, (int)b.len)) == NULL) {
			dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
			return -1;
		}
		api->ERR_clear_error();
		*x = api->PEM_read_bio_X509_AUX(bio, NULL, NULL, NULL);
		api->BIO_free(bio);
		if (*x == NULL) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "%s: PEM block %d (%s) is not a valid certificate",
			    what, *n, b.label);
			dlssl__ossl_append_errors(api);
			return -1;
		}
		return 1;
	}
	return 0;
}

X509 *
dlssl__load_cert_mem(const struct dlssl__ossl *api, const unsigned char *data, size_t len,
    const char *what)
{
	X509 *x = NULL;
	const unsigned char *der = data;
	size_t pos = 0;
	int n = 0, r;

	if (len > INT_MAX) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s is too large", what);
		return NULL;
	}
	api->ERR_clear_error();
	if (dlssl__pem_present(data, len)) {
		if ((r = next_cert(api, data, len, &pos, &n, what, &x)) < 0)
			return NULL;
	} else {
		x = api->d2i_X509(NULL, &der, (long)len);
	}
	if (x == NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "%s holds no PEM or DER certificate", what);
		dlssl__ossl_append_errors(api);
	}
	/* cppcheck-suppress returnDanglingLifetime */
	return x;
}

int
dlssl__load_chain_rest(const struct dlssl__ossl *api, const unsigned char *d, size_t len,
    int (*add)(void *arg, X509 *x), void *arg, const char *what)
{
	X509 *x;
	size_t pos = 0;
	int n = 0, r, first = 1;

	if (!dlssl__pem_present(d, len))
		return 0; /* DER holds one certificate */
	while ((r = next_cert(api, d, len, &pos, &n, what, &x)) > 0) {
		if (first) {
			first = 0; /* the leaf, used by the caller */
			api->X509_free(x);
			continue;
		}
		if (add(arg, x) < 0) {
			api->X509_free(x);
			dlssl__set_errorx(DLSSL_ERR_TLS, "%s: cannot add the certificate in PEM block %d",
			    what, n);
			dlssl__ossl_append_errors(api);
			return -1;
		}
	}
	return r;
}

static int
add_to_ctx(void *arg, X509 *x)
{
	struct dlssl_context *c = arg;

	return dlssl__ossl_ctx_add_chain_cert(c->api, c->ctx, x);
}

/* The leaf, then every further PEM certificate as the chain. */
static int
use_chain(struct dlssl_context *c, const unsigned char *d, size_t len, const char *what)
{
	const struct dlssl__ossl *api = c->api;
	X509 *leaf = dlssl__load_cert_mem(api, d, len, what);

	if (leaf == NULL)
		return -1;
	if (dlssl__policy_use_own_cert(api, leaf, c->security_level, what) < 0) {
		api->X509_free(leaf);
		return -1;
	}
	if (api->SSL_CTX_use_certificate(c->ctx, leaf) != 1) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot use the certificate in %s", what);
		dlssl__ossl_append_errors(api);
		api->X509_free(leaf);
		return -1;
	}
	api->X509_free(leaf);
	return dlssl__load_chain_rest(api, d, len, add_to_ctx, c, what);
}

int
dlssl__ctx_load_chain(struct dlssl_context *c, const char *file, const void *data, size_t len)
{
	unsigned char *buf = NULL;
	size_t n = 0;
	int rv;

	if (file != NULL) {
		if (dlssl__read_file(file, &buf, &n) < 0)
			return -1;
		rv = use_chain(c, buf, n, file);
		free(buf);
		return rv;
	}
	return use_chain(c, data, len, "the certificate data");
}

int
dlssl__ctx_load_key(struct dlssl_context *c, const char *file, const void *data, size_t len,
    const struct dl_password *pw)
{
	const struct dlssl__ossl *api = c->api;
	unsigned char *buf = NULL;
	size_t n = 0;
	EVP_PKEY *k;
	const char *what = file ? file : "the private key data";
	int rv = -1;

	if (file != NULL) {
		if (dlssl__read_file(file, &buf, &n) < 0)
			return -1;
		data = buf;
		len = n;
	}
	k = dlssl__load_key_mem(api, data, len, pw, what);
	dlssl__free_secret(buf, n + 1);
	if (k == NULL)
		return -1;
	if (api->SSL_CTX_use_PrivateKey(c->ctx, k) != 1) {
		unsigned long e = api->ERR_peek_error();

		if (dlssl__ossl_err_lib(api, e) == DL_ERR_LIB_X509 &&
		    dlssl__ossl_err_reason(api, e) == DL_X509_R_KEY_VALUES_MISMATCH) {
			dlssl__set_errorx(DLSSL_ERR_USAGE,
			    "the private key in %s does not match the certificate", what);
			api->ERR_clear_error();
		} else {
			dlssl__set_errorx(DLSSL_ERR_TLS, "cannot use the private key in %s", what);
			dlssl__ossl_append_errors(api);
		}
		goto out;
	}
	if (api->SSL_CTX_check_private_key(c->ctx) != 1) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "the private key in %s does not match the certificate",
		    what);
		api->ERR_clear_error();
		goto out;
	}
	rv = 0;
out:
	api->EVP_PKEY_free(k);
	return rv;
}

/* A file or a hashed directory of trusted certificates. */
static int
add_location(struct dlssl_context *c, const char *loc, int want)
{
	const struct dlssl__ossl *api = c->api;
	struct stat st;
	int is_dir;

	if (dlssl__stat(loc, &st) != 0) {
		dlssl__set_error(DLSSL_ERR_IO, "verify location not found: %s", loc);
		return -1;
	}
	is_dir = S_ISDIR(st.st_mode);
	if ((want == 'f' && is_dir) || (want == 'd' && !is_dir)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s is %s", loc,
		    is_dir ? "a directory, not a CA file" : "not a directory");
		return -1;
	}
	if (is_dir)
		return dlssl__ctx_add_dir(c, loc);
	api->ERR_clear_error();
	if (api->SSL_CTX_load_verify_locations(c->ctx, loc, NULL) != 1) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot load trusted certificates from %s", loc);
		dlssl__ossl_append_errors(api);
		return -1;
	}
	return 0;
}

DLSSL_EXPORT int
dlssl_ctx_add_verify_location(struct dlssl_context *c, const char *path)
{
	dlssl__error_clear();
	if (c == NULL || path == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_ctx_add_verify_location: NULL argument");
		return -1;
	}
	if (dlssl__ossl_check_current(c->api) < 0)
		return -1;
	dlssl__sessions_trust_changed(c); /* sessions made under the old trust are not offered */
	return add_location(c, path, 0);
}

DLSSL_EXPORT int
dlssl_ctx_set_default_verify_paths(struct dlssl_context *c)
{
	dlssl__error_clear();
	if (c == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_ctx_set_default_verify_paths: NULL context");
		return -1;
	}
	if (dlssl__ossl_check_current(c->api) < 0)
		return -1;
	dlssl__sessions_trust_changed(c);
	return dlssl__ctx_default_trust(c);
}

static int
trust_one(void *arg, X509 *x)
{
	struct dlssl_context *c = arg;
	X509_STORE *st = c->api->SSL_CTX_get_cert_store(c->ctx);

	/* The store takes its own reference. */
	if (st == NULL || c->api->X509_STORE_add_cert(st, x) != 1)
		return -1;
	c->api->X509_free(x);
	return 0;
}

/* Every PEM certificate in memory becomes a trust anchor. */
static int
trust_mem(struct dlssl_context *c, const unsigned char *d, size_t len)
{
	const struct dlssl__ossl *api = c->api;
	X509 *first;

	if (!dlssl__pem_present(d, len)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "ca_data must hold PEM certificates");
		return -1;
	}
	if ((first = dlssl__load_cert_mem(api, d, len, "ca_data")) == NULL)
		return -1;
	if (trust_one(c, first) < 0) {
		api->X509_free(first);
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot trust the certificates in ca_data");
		dlssl__ossl_append_errors(api);
		return -1;
	}
	return dlssl__load_chain_rest(api, d, len, trust_one, c, "ca_data");
}

int
dlssl__ctx_load_trust(struct dlssl_context *c, const struct dlssl_context_opts *o)
{
	const char *const *l;
	int explicit = o->ca_file || o->ca_path || o->verify_locations || o->ca_data;

	if (o->ca_data != NULL && trust_mem(c, o->ca_data, o->ca_len) < 0)
		return -1;
	if (o->ca_file != NULL && add_location(c, o->ca_file, 'f') < 0)
		return -1;
	if (o->ca_path != NULL && add_location(c, o->ca_path, 'd') < 0)
		return -1;
	for (l = o->verify_locations; l != NULL && *l != NULL; l++)
		if (add_location(c, *l, 0) < 0)
			return -1;
	/* The system store, unless the caller named its own trust or refused it. */
	if (!explicit && !o->no_default_verify_paths)
		return dlssl__ctx_default_trust(c);
	return 0;
}
