/*
 * dlssl's key-strength floor on its own certificates and on the peer's
 * ephemeral keys, the same on every library (policy_peer.h).
 */
#include "config.h"

#include "policy.h"
#include "policy_peer.h"
#include "stream.h"

/* What s->proto_error holds when dlssl refused the key (compared by address). */
static const char weak_dh[] = "the server's ephemeral DH key is too small";
static const char weak_ec[] = "the server's ephemeral ECDH key is too small";

#define DL_LOWER_IT "lower it with security_level or @SECLEVEL in the cipher list"

int
dlssl__policy_use_own_cert(const struct dlssl__ossl *api, X509 *x, int level, const char *what)
{
	long weak = dlssl__policy_own_cert(api, x, level);

	if (weak == 0)
		return 0;
	dlssl__set_errorx(DLSSL_ERR_TLS, "cannot use the certificate in %s: %s at security level "
	    "%d (" DL_LOWER_IT ")", what, dlssl__x509_error_text(weak), level);
	return -1;
}

int
dlssl__policy_peer_key_check(struct dlssl_stream *s)
{
	const struct dlssl__ossl *api = s->api;
	EVP_PKEY *pk = NULL;
	int weak;

	if (s->is_server || s->security_level <= 0 || s->proto_error != NULL)
		return 0;
	/* (It queues no error: the library may be writing an alert for one it queued.) */
	if (api->SSL_ctrl(s->ssl, DL_SSL_CTRL_GET_SERVER_TMP_KEY, 0, &pk) != 1 || pk == NULL)
		return 0; /* none yet (the ClientHello), or RSA key exchange (not in dlssl's lists) */
	weak = dlssl__policy_key_weak(api, pk, s->security_level);
	if (weak)
		s->proto_error = api->EVP_PKEY_get_base_id(pk) == DL_EVP_PKEY_DH ? weak_dh : weak_ec;
	api->EVP_PKEY_free(pk);
	return weak ? -1 : 0;
}

/* Did the library itself refuse the server's DH group (security levels)? */
static int
library_refused_dh(const struct dlssl__ossl *api)
{
	unsigned long e = api->ERR_peek_error();

	if (api->SSL_CTX_set_security_level == NULL || e == 0)
		return 0;
	return dlssl__ossl_err_lib(api, e) == DL_ERR_LIB_SSL &&
	    dlssl__ossl_err_reason(api, e) == DL_SSL_R_DH_KEY_TOO_SMALL;
}

int
dlssl__policy_peer_key_failed(struct dlssl_stream *s)
{
	const char *why = s->proto_error;

	if (why != weak_dh && why != weak_ec) {
		if (s->is_server || !library_refused_dh(s->api))
			return 0;
		why = weak_dh;
	}
	s->api->ERR_clear_error();
	dlssl__set_errorx(DLSSL_ERR_TLS, "TLS handshake failed: %s for security level %d (" DL_LOWER_IT
	    ")", why, s->security_level);
	return 1;
}
