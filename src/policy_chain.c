/*
 * dlssl's own checks of the peer's chain, and the verification codes it
 * reports, the same on every library (policy.h).
 *
 * A library's verifier decides first; dlssl looks at the chain again only
 * once the library accepted all of it (the verify callback for the peer's
 * own certificate), and refuses what OpenSSL 3.0 would refuse but an older
 * or laxer verifier lets through: keys and signature digests below the
 * security level where the library has no levels (1.0.2, older LibreSSL),
 * and the RFC 5280 section 6.1.4 constraints (basicConstraints, path length,
 * key usage, extended key usage) that LibreSSL 3.2's verifier skips.
 */
#include "config.h"

#include <string.h>

#include "policy.h"
#include "policy_peer.h"

/* X509_V_ERR codes in OpenSSL 3.0's numbering. */
#define DL_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT 18
#define DL_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY 20
#define DL_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE 21
#define DL_V_ERR_CERT_CHAIN_TOO_LONG 22
#define DL_V_ERR_PATH_LENGTH_EXCEEDED 25
#define DL_V_ERR_INVALID_PURPOSE 26
#define DL_V_ERR_INVALID_EXTENSION 41
#define DL_V_ERR_EE_KEY_TOO_SMALL 66
#define DL_V_ERR_CA_KEY_TOO_SMALL 67
#define DL_V_ERR_CA_MD_TOO_WEAK 68
#define DL_V_ERR_INVALID_CA 79

/* keyUsage bit numbers (RFC 5280 section 4.2.1.3), for ASN1_BIT_STRING_get_bit. */
#define KU_BIT_DIGITAL_SIGNATURE 0
#define KU_BIT_KEY_ENCIPHERMENT 2
#define KU_BIT_KEY_AGREEMENT 4
#define KU_BIT_KEY_CERT_SIGN 5

/* Netscape and Microsoft Server Gated Crypto: OpenSSL accepts them for TLS servers. */
#define DL_NID_ns_sgc 139
#define DL_NID_ms_sgc 137

struct dl_code_map {
	int from, to;
};

/* OpenSSL 1.1.x numbered these differently from 3.0. */
static const struct dl_code_map map_111[] = {
	{ 24, 79 }, { 76, 77 }, { 77, 24 }, { 78, 76 }, { 79, 94 }, { 0, 0 }
};
static const struct dl_code_map map_102[] = {
	{ 24, 79 }, { 65, 69 }, { 66, 70 }, { 67, 72 }, { 0, 0 }
};
static const struct dl_code_map map_libressl[] = {
	{ 24, 79 }, { 65, 69 }, { 66, 70 }, { 67, 66 }, { 68, 67 }, { 69, 68 }, { 0, 0 }
};

long
dlssl__policy_x509_code(const struct dlssl__ossl *api, long code)
{
	const struct dl_code_map *m;

	if (api->flavor == DLSSL_FLAVOR_LIBRESSL)
		m = map_libressl;
	else if (api->level < DL_V110)
		m = map_102;
	else if (api->level < DL_V300)
		m = map_111;
	else
		return code;
	for (; m->from != 0; m++)
		if (m->from == code)
			return m->to;
	return code;
}

/* Minimum security bits of each level (SSL_CTX_set_security_level(3)). */
static const int level_bits[] = { 0, 80, 112, 128, 192, 256 };

/* OpenSSL's key type (EVP_PKEY_get_base_id) for the library's; EdDSA and X25519 differ in LibreSSL. */
static int
key_type(const struct dlssl__ossl *api, int type)
{
	if (api->flavor != DLSSL_FLAVOR_LIBRESSL)
		return type;
	if (type == DL_LRS_EVP_PKEY_ED25519)
		return DL_EVP_PKEY_ED25519;
	if (type == DL_LRS_EVP_PKEY_ED448)
		return DL_EVP_PKEY_ED448;
	if (type == DL_LRS_EVP_PKEY_X25519)
		return DL_EVP_PKEY_X25519;
	if (type == DL_EVP_PKEY_ED25519 || type == DL_EVP_PKEY_ED448 || type == DL_EVP_PKEY_X25519 ||
	    type == DL_EVP_PKEY_X448)
		return 0; /* other objects, or none, in LibreSSL */
	return type;
}

/* The security bits of a key (NIST SP 800-57 part 1, table 2); type as OpenSSL numbers it. */
static int
key_bits(int type, int bits)
{
	switch (type) {
	case DL_EVP_PKEY_RSA:
	case DL_EVP_PKEY_RSA_PSS:
	case DL_EVP_PKEY_DSA:
	case DL_EVP_PKEY_DH:
		return bits >= 15360 ? 256 : bits >= 7680 ? 192 : bits >= 3072 ? 128 :
		    bits >= 2048 ? 112 : bits >= 1024 ? 80 : 0;
	case DL_EVP_PKEY_EC:
		return bits / 2;
	case DL_EVP_PKEY_ED25519:
	case DL_EVP_PKEY_X25519:
		return 128;
	case DL_EVP_PKEY_ED448:
	case DL_EVP_PKEY_X448:
		return 224;
	default:
		return 256; /* a kind dlssl cannot judge: the library's verdict stands */
	}
}

int
dlssl__policy_key_weak(const struct dlssl__ossl *api, EVP_PKEY *pk, int level)
{
	if (level <= 0 || pk == NULL)
		return 0;
	if (level > DL_POLICY_LEVEL_MAX)
		level = DL_POLICY_LEVEL_MAX;
	return key_bits(key_type(api, api->EVP_PKEY_get_base_id(pk)), api->EVP_PKEY_get_bits(pk)) <
	    level_bits[level];
}

/* The collision resistance of a signature's digest, as OpenSSL 3.0 rates it. */
static int
digest_bits(int md)
{
	switch (md) {
	case DL_NID_md5:
		return 39;
	case DL_NID_sha1:
		return 63;
	case DL_NID_sha224:
		return 112;
	case DL_NID_sha256:
		return 128;
	case DL_NID_sha384:
		return 192;
	case DL_NID_sha512:
		return 256;
	default:
		return 256; /* EdDSA, RSA-PSS, ...: no separate digest to rate */
	}
}

/*
 * Issued by itself (names and key identifiers agree).  1.0.2 and LibreSSL
 * also demand keyCertSign of the issuer here: a self-signed leaf without it
 * is still self-issued, as OpenSSL 3.0 sees it.
 */
static int
self_issued(const struct dlssl__ossl *api, X509 *x)
{
	int r = api->X509_check_issued(x, x);

	return r == DL_X509_V_OK || r == DL_X509_V_ERR_KEYUSAGE_NO_CERTSIGN;
}

/* The key's and the signature's strength against the level; 0 or a code. */
static long
check_strength(const struct dlssl__ossl *api, X509 *x, int i, int n, int level)
{
	EVP_PKEY *pk;
	int weak, md = 0, pkey = 0;

	if (level <= 0)
		return 0;
	if ((pk = api->X509_get_pubkey(x)) != NULL) {
		weak = dlssl__policy_key_weak(api, pk, level);
		api->EVP_PKEY_free(pk);
		if (weak)
			return i == 0 ? DL_V_ERR_EE_KEY_TOO_SMALL : DL_V_ERR_CA_KEY_TOO_SMALL;
	}
	/* The trust anchor's own signature does not count. */
	if (i < n - 1 && api->OBJ_find_sigid_algs(api->X509_get_signature_nid(x), &md, &pkey) == 1 &&
	    digest_bits(md) < level_bits[level])
		return DL_V_ERR_CA_MD_TOO_WEAK;
	return 0;
}

long
dlssl__policy_own_cert(const struct dlssl__ossl *api, X509 *x, int level)
{
	/* As OpenSSL 1.1+ when a certificate is used: a self-signed one's signature does not count. */
	return check_strength(api, x, 0, self_issued(api, x) ? 1 : 2, level);
}

/* An extension, decoded: NULL when absent; *bad when present but unusable. */
static void *
get_ext(const struct dlssl__ossl *api, X509 *x, int nid, int *bad)
{
	int crit = -1;
	void *v = api->X509_get_ext_d2i(x, nid, &crit, NULL);

	if (v == NULL && crit != -1)
		*bad = 1; /* undecodable (crit >= 0) or repeated (-2) */
	api->ERR_clear_error();
	return v;
}

/* Does the keyUsage extension, if present, allow any of the bits?  1 yes, 0 no, -1 bad. */
static int
key_usage_allows(const struct dlssl__ossl *api, X509 *x, const int *bits, int nbits)
{
	int bad = 0, r = 0, i;
	ASN1_BIT_STRING *ku = get_ext(api, x, DL_NID_key_usage, &bad);

	if (ku == NULL)
		return bad ? -1 : 1;
	for (i = 0; i < nbits && !r; i++)
		r = api->ASN1_BIT_STRING_get_bit(ku, bits[i]) != 0;
	api->ASN1_BIT_STRING_free(ku);
	return r;
}

/* Does the extendedKeyUsage extension, if present, allow the purpose?  1, 0, -1 bad. */
static int
ext_key_usage_allows(const struct dlssl__ossl *api, X509 *x, int purpose)
{
	int bad = 0, r = 0, i, nid;
	OPENSSL_STACK *eku = get_ext(api, x, DL_NID_ext_key_usage, &bad);

	if (eku == NULL)
		return bad ? -1 : 1;
	for (i = 0; i < api->OPENSSL_sk_num(eku) && !r; i++) {
		nid = api->OBJ_obj2nid(api->OPENSSL_sk_value(eku, i));
		r = nid == purpose || (purpose == DL_NID_server_auth &&
		    (nid == DL_NID_ns_sgc || nid == DL_NID_ms_sgc));
	}
	api->EXTENDED_KEY_USAGE_free(eku);
	return r;
}

/* The TLS purpose of every certificate in the chain (X509_check_purpose(3)). */
static long
check_purpose(const struct dlssl__ossl *api, X509 *x, int i, int peer_is_client)
{
	static const int server_ku[] = { KU_BIT_DIGITAL_SIGNATURE, KU_BIT_KEY_ENCIPHERMENT,
		KU_BIT_KEY_AGREEMENT };
	static const int client_ku[] = { KU_BIT_DIGITAL_SIGNATURE, KU_BIT_KEY_AGREEMENT };
	int r;

	r = ext_key_usage_allows(api, x, peer_is_client ? DL_NID_client_auth : DL_NID_server_auth);
	if (r < 0)
		return DL_V_ERR_INVALID_EXTENSION;
	if (r == 0)
		return DL_V_ERR_INVALID_PURPOSE;
	if (i > 0)
		return 0; /* a CA's keyUsage is checked by check_ca() */
	r = peer_is_client ? key_usage_allows(api, x, client_ku, 2) :
	    key_usage_allows(api, x, server_ku, 3);
	return r < 0 ? DL_V_ERR_INVALID_EXTENSION : r == 0 ? DL_V_ERR_INVALID_PURPOSE : 0;
}

/*
 * An issuer (i > 0) must be a CA allowed to sign certificates, and its
 * path length constraint must hold for the *below non-self-issued CAs
 * under it (RFC 5280 sections 4.2.1.3, 4.2.1.9, 6.1.4 (k)-(n)).
 */
static long
check_ca(const struct dlssl__ossl *api, X509 *x, int i, int below)
{
	static const int cert_sign[] = { KU_BIT_KEY_CERT_SIGN };
	int bad = 0, r;
	long pathlen = -1;
	struct dl_basic_constraints *bc = get_ext(api, x, DL_NID_basic_constraints, &bad);

	if (bad)
		return DL_V_ERR_INVALID_EXTENSION;
	if (bc == NULL || !bc->ca) {
		if (bc != NULL)
			api->BASIC_CONSTRAINTS_free((BASIC_CONSTRAINTS *)bc);
		return DL_V_ERR_INVALID_CA;
	}
	if (bc->pathlen != NULL)
		pathlen = api->ASN1_INTEGER_get(bc->pathlen);
	api->BASIC_CONSTRAINTS_free((BASIC_CONSTRAINTS *)bc);
	if ((r = key_usage_allows(api, x, cert_sign, 1)) <= 0)
		return r < 0 ? DL_V_ERR_INVALID_EXTENSION : DL_V_ERR_INVALID_CA;
	if (i > 1 && pathlen >= 0 && below > pathlen)
		return DL_V_ERR_PATH_LENGTH_EXCEEDED;
	return 0;
}

/* Every certificate of the verified chain, leaf first; 0 or the first failure's code. */
static long
check_chain(const struct dlssl__ossl *api, OPENSSL_STACK *chain, int level, int peer_is_client,
    int *at)
{
	int n = api->OPENSSL_sk_num(chain), i, below = 0, si;
	long e = 0;
	X509 *x;

	for (i = 0; i < n && e == 0; i++) {
		x = api->OPENSSL_sk_value(chain, i);
		si = self_issued(api, x);
		*at = i;
		e = check_strength(api, x, i, n, level);
		if (e == 0)
			e = check_purpose(api, x, i, peer_is_client);
		/* A self-issued trust anchor is trusted as it is (it may be a v1 root). */
		if (e == 0 && i > 0 && !(i == n - 1 && si))
			e = check_ca(api, x, i, below);
		if (i > 0 && !si)
			below++;
	}
	return e;
}

/*
 * Older verifiers say "unable to get local issuer certificate" (20) where
 * OpenSSL 3.0 names the cause: a lone self-signed leaf (18), an issuer
 * without keyCertSign that they would not even consider (79), a chain cut
 * short by the verify depth (22).
 */
static void
no_issuer(const struct dlssl__ossl *api, X509_STORE_CTX *store, OPENSSL_STACK *chain, int *err,
    int *depth, X509 **cert)
{
	OPENSSL_STACK *u = dlssl__ossl_store_untrusted(api, store);
	int i;

	if (*cert == NULL)
		return;
	if (*depth == 0 && self_issued(api, *cert) &&
	    (chain == NULL || api->OPENSSL_sk_num(chain) <= 1)) {
		*err = DL_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT;
		return;
	}
	for (i = 0; u != NULL && i < api->OPENSSL_sk_num(u); i++) {
		X509 *c = api->OPENSSL_sk_value(u, i);

		if (api->X509_check_issued(c, *cert) == DL_X509_V_ERR_KEYUSAGE_NO_CERTSIGN) {
			*err = DL_V_ERR_INVALID_CA;
			*cert = c;
			(*depth)++;
			return;
		}
	}
	if (*depth > 0 && *depth >= api->X509_VERIFY_PARAM_get_depth(api->X509_STORE_CTX_get0_param(store)))
		*err = DL_V_ERR_CERT_CHAIN_TOO_LONG;
}

int
dlssl__policy_verify(const struct dlssl__ossl *api, X509_STORE_CTX *store, int ok, int level,
    int peer_is_client, int *err, int *depth, X509 **cert)
{
	OPENSSL_STACK *chain = api->X509_STORE_CTX_get0_chain(store);
	int at = 0;
	long e;

	if (!ok) {
		*err = (int)dlssl__policy_x509_code(api, *err);
		if (*err == DL_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
		    *err == DL_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE)
			no_issuer(api, store, chain, err, depth, cert);
		return 0;
	}
	if (*depth != 0 || chain == NULL)
		return 1;
	if ((e = check_chain(api, chain, level, peer_is_client, &at)) == 0)
		return 1;
	*err = (int)e;
	*depth = at;
	*cert = api->OPENSSL_sk_value(chain, at);
	return 0;
}
