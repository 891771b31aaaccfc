/*
 * dlssl's policy for contexts and streams: cipher lists, TLS 1.3 suites,
 * the security level, the verify depth and the names dlssl reports.  See
 * policy.h.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "policy.h"
#include "stream.h"

/*
 * TLS 1.2: AEAD suites with forward secrecy only (ECDHE or DHE, AES-GCM or
 * ChaCha20-Poly1305), named one by one so that no library's idea of
 * "DEFAULT" or "HIGH" enters.  A library ignores the names it does not
 * know (1.0.2 has no ChaCha20).
 */
#define DL_CIPHERS_TLS12 \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305"
/* TLS 1.3: the standard suites (RFC 8446 section 9.1). */
#define DL_SUITES_TLS13 "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
/*
 * Groups offered where the library has no security level to keep weak
 * curves out: every one has the level's strength (128 bits up to level 3,
 * 192 at 4, 256 at 5, as OpenSSL rates them); 1.0.2 has no X25519, hence
 * the second list.  Indexed by level.
 */
static const char *const curves[][2] = {
	{ "X25519:P-256:P-384:P-521", "P-256:P-384:P-521" },
	{ "X25519:P-256:P-384:P-521", "P-256:P-384:P-521" },
	{ "X25519:P-256:P-384:P-521", "P-256:P-384:P-521" },
	{ "X25519:P-256:P-384:P-521", "P-256:P-384:P-521" },
	{ "P-384:P-521", "P-384:P-521" },
	{ "P-521", "P-521" },
};
#define DL_SSL_CTRL_SET_CURVES_LIST 92

#define DL_SECLEVEL_TOKEN "@SECLEVEL="

static int
has_security_levels(const struct dlssl__ossl *api)
{
	return api->SSL_CTX_set_security_level != NULL;
}

/*
 * Take every "@SECLEVEL=n" out of list into *level (the last one counts),
 * writing the rest to out.  0, or -1 for a malformed level.
 */
static int
strip_seclevel(const char *list, char *out, size_t n, int *level)
{
	const char *p = list;
	size_t len = 0;

	while (*p != '\0') {
		size_t tok = strcspn(p, ":, ");

		if (tok > strlen(DL_SECLEVEL_TOKEN) &&
		    strncmp(p, DL_SECLEVEL_TOKEN, strlen(DL_SECLEVEL_TOKEN)) == 0) {
			const char *d = p + strlen(DL_SECLEVEL_TOKEN);

			if (tok != strlen(DL_SECLEVEL_TOKEN) + 1 || *d < '0' ||
			    *d > '0' + DL_POLICY_LEVEL_MAX)
				return -1;
			*level = *d - '0';
		} else if (tok > 0) {
			if (len + tok + 2 > n)
				return -1;
			if (len > 0)
				out[len++] = ':';
			memcpy(out + len, p, tok);
			len += tok;
		}
		p += tok;
		if (*p != '\0')
			p++;
	}
	out[len] = '\0';
	return 0;
}

/*
 * Apply a TLS 1.2 cipher list through set(), with @SECLEVEL handled on
 * every library; *level follows it.  0, or -1 with the error set.
 */
static int
apply_cipher_list(const struct dlssl__ossl *api, const char *list, int *level,
    int (*set)(void *obj, const char *list, const struct dlssl__ossl *api), void *obj)
{
	char *buf = NULL;
	int rv = -1;

	if (strstr(list, DL_SECLEVEL_TOKEN) != NULL) {
		size_t n = strlen(list) + 1;

		if ((buf = malloc(n)) == NULL) {
			dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
			return -1;
		}
		if (strip_seclevel(list, buf, n, level) < 0) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid @SECLEVEL in the cipher list '%s' "
			    "(use @SECLEVEL=0 .. @SECLEVEL=%d)", list, DL_POLICY_LEVEL_MAX);
			goto out;
		}
	}
	api->ERR_clear_error();
	/* Libraries with security levels read @SECLEVEL themselves. */
	if (set(obj, buf != NULL && !has_security_levels(api) ? buf : list, api) != 1) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "no cipher matches the cipher list '%s'", list);
		dlssl__ossl_append_errors(api);
		goto out;
	}
	rv = 0;
out:
	free(buf);
	return rv;
}

static int
set_ctx_list(void *obj, const char *list, const struct dlssl__ossl *api)
{
	return api->SSL_CTX_set_cipher_list(obj, list);
}

static int
set_ssl_list(void *obj, const char *list, const struct dlssl__ossl *api)
{
	return api->SSL_set_cipher_list(obj, list);
}

static int
pick_level(const struct dlssl_context_opts *o, int *level)
{
	if (o->security_level < DLSSL_SECURITY_LEVEL_NONE || o->security_level > DL_POLICY_LEVEL_MAX) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid security_level %d (0: default, "
		    "DLSSL_SECURITY_LEVEL_NONE, or 1 .. %d)", o->security_level, DL_POLICY_LEVEL_MAX);
		return -1;
	}
	*level = o->security_level == 0 ? DL_POLICY_LEVEL_DEFAULT :
	    o->security_level == DLSSL_SECURITY_LEVEL_NONE ? 0 : o->security_level;
	return 0;
}

static int
setup_suites(struct dlssl_context *c, const struct dlssl_context_opts *o)
{
	const struct dlssl__ossl *api = c->api;
	const char *suites = o->ciphersuites != NULL ? o->ciphersuites : DL_SUITES_TLS13;

	if (api->SSL_CTX_set_ciphersuites == NULL) {
		if (o->ciphersuites == NULL)
			return 0; /* the library's TLS 1.3 suites are the standard ones */
		dlssl__set_errorx(DLSSL_ERR_USAGE, "TLS 1.3 cipher suites need OpenSSL 1.1.1 or newer");
		return -1;
	}
	if (api->SSL_CTX_set_ciphersuites(c->ctx, suites) != 1) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "invalid TLS 1.3 cipher suites '%s'", suites);
		dlssl__ossl_append_errors(api);
		return -1;
	}
	return 0;
}

int
dlssl__policy_ctx_setup(struct dlssl_context *c, const struct dlssl_context_opts *o)
{
	const struct dlssl__ossl *api = c->api;
	int level;

	if (pick_level(o, &level) < 0)
		return -1;
	if (o->max_version != 0 && o->max_version < DLSSL_TLS1_2 && !(api->caps & DLSSL_CAP_OLD_TLS)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "TLS 1.0 and 1.1 are not available in %s "
		    "(it speaks TLS 1.2 and 1.3 only)", api->info->version_text);
		return -1;
	}
	if (has_security_levels(api))
		api->SSL_CTX_set_security_level(c->ctx, level);
	if (apply_cipher_list(api, o->cipher_list != NULL ? o->cipher_list : DL_CIPHERS_TLS12,
	    &level, set_ctx_list, c->ctx) < 0 || setup_suites(c, o) < 0)
		return -1;
	if (!has_security_levels(api) && level >= 1 &&
	    api->SSL_CTX_ctrl(c->ctx, DL_SSL_CTRL_SET_CURVES_LIST, 0, (void *)curves[level][0]) != 1 &&
	    api->SSL_CTX_ctrl(c->ctx, DL_SSL_CTRL_SET_CURVES_LIST, 0, (void *)curves[level][1]) != 1) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot limit the groups to %s", curves[level][1]);
		dlssl__ossl_append_errors(api);
		return -1;
	}
	api->ERR_clear_error();
	c->security_level = level;
	return 0;
}

int
dlssl__policy_ssl_cipher_list(struct dlssl_stream *s, const char *list)
{
	int level = s->ctx->security_level;

	if (apply_cipher_list(s->api, list, &level, set_ssl_list, s->ssl) < 0)
		return -1;
	/* Libraries with levels keep the SSL's own; dlssl's checks follow the stream's. */
	s->security_level = level;
	return 0;
}

int
dlssl__policy_verify_depth(const struct dlssl__ossl *api, int depth)
{
	/*
	 * dlssl's meaning is OpenSSL 3.0's (SSL_CTX_set_verify_depth(3)): the
	 * number of intermediate CA certificates allowed between the peer's
	 * certificate and the trust anchor.  OpenSSL 1.0.2 and LibreSSL count
	 * the trust anchor too, so they are given one more.
	 */
	if (api->flavor == DLSSL_FLAVOR_LIBRESSL ||
	    (api->flavor == DLSSL_FLAVOR_OPENSSL && api->level < DL_V110))
		return depth + 1;
	return depth;
}

const char *
dlssl__policy_cipher_name(const struct dlssl__ossl *api, const SSL_CIPHER *c)
{
	const char *name = NULL;

	if (api->SSL_CIPHER_standard_name != NULL)
		name = api->SSL_CIPHER_standard_name(c);
	if (name == NULL || strncmp(name, "TLS_", 4) != 0)
		name = dlssl__iana_cipher_name(dlssl__ossl_cipher_id(api, c) & 0xffffU);
	return name != NULL ? name : api->SSL_CIPHER_get_name(c);
}

const char *
dlssl__policy_version_name(const struct dlssl__ossl *api, const SSL *ssl)
{
	const char *name = dlssl__version_name(api->SSL_version(ssl));

	return name != NULL ? name : api->SSL_get_version(ssl);
}
