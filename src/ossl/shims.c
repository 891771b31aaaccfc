/*
 * Version shims: OpenSSL calls that are macros in some versions and
 * functions in others, or whose prototype changed.  Each picks its form by
 * what was bound for the detected version, never by a header.
 */
#include "config.h"

#include <string.h>

#include "ossl/ossl.h"

uint64_t
dlssl__ossl_ctx_set_options(const struct dlssl__ossl *api, SSL_CTX *ctx, uint64_t op)
{
	if (api->SSL_CTX_set_options_u64 != NULL)
		return api->SSL_CTX_set_options_u64(ctx, op);
	if (api->SSL_CTX_set_options_ul != NULL)
		return api->SSL_CTX_set_options_ul(ctx, (unsigned long)op);
	/* 1.0.2 and LibreSSL: SSL_CTX_set_options is a macro over SSL_CTX_ctrl. */
	return (uint64_t)(unsigned long)api->SSL_CTX_ctrl(ctx, DL_SSL_CTRL_OPTIONS, (long)op, NULL);
}

uint64_t
dlssl__ossl_ssl_set_options(const struct dlssl__ossl *api, SSL *ssl, uint64_t op)
{
	if (api->SSL_set_options_u64 != NULL)
		return api->SSL_set_options_u64(ssl, op);
	if (api->SSL_set_options_ul != NULL)
		return api->SSL_set_options_ul(ssl, (unsigned long)op);
	return (uint64_t)(unsigned long)api->SSL_ctrl(ssl, DL_SSL_CTRL_OPTIONS, (long)op, NULL);
}

/*
 * Option bits whose value is another in LibreSSL: it has neither SSLv3 nor
 * compression (0 there), and OpenSSL's NO_COMPRESSION bit is its
 * SSL_OP_NO_CLIENT_RENEGOTIATION.
 */
uint64_t
dlssl__ossl_op_no_compression(const struct dlssl__ossl *api)
{
	return api->flavor == DLSSL_FLAVOR_LIBRESSL ? DL_LRS_SSL_OP_NO_COMPRESSION :
	    DL_SSL_OP_NO_COMPRESSION;
}

uint64_t
dlssl__ossl_op_no_sslv3(const struct dlssl__ossl *api)
{
	return api->flavor == DLSSL_FLAVOR_LIBRESSL ? DL_LRS_SSL_OP_NO_SSLv3 : DL_SSL_OP_NO_SSLv3;
}

/* SSL_CIPHER_get_id: unsigned long in 1.0.2 and LibreSSL, uint32_t from 1.1.0; 0 if unbound. */
uint32_t
dlssl__ossl_cipher_id(const struct dlssl__ossl *api, const SSL_CIPHER *c)
{
	if (api->SSL_CIPHER_get_id_lrs != NULL)
		return (uint32_t)api->SSL_CIPHER_get_id_lrs(c);
	if (api->SSL_CIPHER_get_id_ul != NULL)
		return (uint32_t)api->SSL_CIPHER_get_id_ul(c);
	if (api->SSL_CIPHER_get_id != NULL)
		return api->SSL_CIPHER_get_id(c);
	return 0;
}

/* 1.0.2 has no version range: disable each protocol outside it instead. */
#define DL_102_OP_NO_SSLv2 0x01000000U

static int
proto_range_102(const struct dlssl__ossl *api, SSL_CTX *ctx, int min, int max)
{
	uint64_t op = DL_102_OP_NO_SSLv2 | DL_SSL_OP_NO_SSLv3;

	if (min > DL_TLS1_VERSION)
		op |= DL_SSL_OP_NO_TLSv1;
	if (min > DL_TLS1_1_VERSION)
		op |= DL_SSL_OP_NO_TLSv1_1;
	if (min > DL_TLS1_2_VERSION)
		return -1; /* 1.0.2 has nothing above TLS 1.2 */
	if (max != 0 && max < DL_TLS1_2_VERSION)
		op |= DL_SSL_OP_NO_TLSv1_2;
	if (max != 0 && max < DL_TLS1_1_VERSION)
		op |= DL_SSL_OP_NO_TLSv1_1;
	if (max != 0 && max < DL_TLS1_VERSION)
		return -1;
	dlssl__ossl_ctx_set_options(api, ctx, op);
	return 0;
}

int
dlssl__ossl_ctx_set_proto_range(const struct dlssl__ossl *api, SSL_CTX *ctx, int min, int max)
{
	if (api->SSL_CTX_set_min_proto_version_fn != NULL &&
	    api->SSL_CTX_set_max_proto_version_fn != NULL) {
		/* LibreSSL's functions. */
		if (api->SSL_CTX_set_min_proto_version_fn(ctx, (uint16_t)min) != 1 ||
		    api->SSL_CTX_set_max_proto_version_fn(ctx, (uint16_t)max) != 1)
			return -1;
		return 0;
	}
	if (api->flavor == DLSSL_FLAVOR_OPENSSL && api->level < DL_V110)
		return proto_range_102(api, ctx, min, max);
	if (api->SSL_CTX_ctrl(ctx, DL_SSL_CTRL_SET_MIN_PROTO_VERSION, min, NULL) != 1 ||
	    api->SSL_CTX_ctrl(ctx, DL_SSL_CTRL_SET_MAX_PROTO_VERSION, max, NULL) != 1)
		return -1;
	return 0;
}

int
dlssl__ossl_set_sni(const struct dlssl__ossl *api, SSL *ssl, const char *name)
{
	return api->SSL_ctrl(ssl, DL_SSL_CTRL_SET_TLSEXT_HOSTNAME, DL_TLSEXT_NAMETYPE_host_name,
	    (void *)(uintptr_t)name) == 1 ? 0 : -1;
}

int
dlssl__ossl_session_reused(const struct dlssl__ossl *api, SSL *ssl)
{
	if (api->SSL_session_reused != NULL)
		return api->SSL_session_reused(ssl) ? 1 : 0;
	return api->SSL_ctrl(ssl, DL_SSL_CTRL_GET_SESSION_REUSED, 0, NULL) ? 1 : 0;
}

long
dlssl__ossl_ctx_set_mode(const struct dlssl__ossl *api, SSL_CTX *ctx, long mode)
{
	return api->SSL_CTX_ctrl(ctx, DL_SSL_CTRL_MODE, mode, NULL);
}

long
dlssl__ossl_ctx_set_session_cache_mode(const struct dlssl__ossl *api, SSL_CTX *ctx, long mode)
{
	return api->SSL_CTX_ctrl(ctx, DL_SSL_CTRL_SET_SESS_CACHE_MODE, mode, NULL);
}

int
dlssl__ossl_ctx_add_chain_cert(const struct dlssl__ossl *api, SSL_CTX *ctx, X509 *x509)
{
	/* Takes ownership of x509 on success (SSL_CTX_add_extra_chain_cert). */
	return api->SSL_CTX_ctrl(ctx, DL_SSL_CTRL_EXTRA_CHAIN_CERT, 0, x509) == 1 ? 0 : -1;
}

int
dlssl__ossl_ssl_add_chain_cert(const struct dlssl__ossl *api, SSL *ssl, X509 *x509)
{
	/* SSL_add0_chain_cert (1.0.2+): takes ownership on success. */
	return api->SSL_ctrl(ssl, DL_SSL_CTRL_CHAIN_CERT, 0, x509) == 1 ? 0 : -1;
}

void
dlssl__ossl_free(const struct dlssl__ossl *api, void *ptr)
{
	if (ptr == NULL)
		return;
	if (api->CRYPTO_free != NULL)
		api->CRYPTO_free(ptr, __FILE__, __LINE__);
	else
		api->CRYPTO_free_legacy(ptr);
}

X509 *
dlssl__ossl_x509_ref(const struct dlssl__ossl *api, X509 *x509)
{
	if (api->X509_up_ref != NULL)
		return api->X509_up_ref(x509) == 1 ? x509 : NULL;
	return api->X509_dup(x509);
}

int
dlssl__ossl_reseed(const struct dlssl__ossl *api)
{
	/*
	 * RAND_poll reseeds the primary generator from the OS; 3.x child
	 * generators notice the primary's reseed and follow.  This is what a
	 * process restored from a checkpoint needs: the saved DRBG state is
	 * shared with every other restore of the same image.
	 */
	return api->RAND_poll() == 1 ? 0 : -1;
}

/* One new index of a class (0: SSL, 1: SSL_CTX), never 0: SSL_set_app_data's, unallocated. */
static int
ex_index(const struct dlssl__ossl *api, int ctx)
{
	int i, idx = -1;

	for (i = 0; i < 2 && idx <= 0; i++) {
		if (api->SSL_get_ex_new_index_lrs != NULL && api->SSL_CTX_get_ex_new_index_lrs != NULL)
			idx = ctx ? api->SSL_CTX_get_ex_new_index_lrs(0, NULL, NULL, NULL, NULL) :
			    api->SSL_get_ex_new_index_lrs(0, NULL, NULL, NULL, NULL);
		else if (api->SSL_get_ex_new_index != NULL && api->SSL_CTX_get_ex_new_index != NULL)
			idx = ctx ? api->SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL) :
			    api->SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
		else if (api->CRYPTO_get_ex_new_index != NULL)
			idx = api->CRYPTO_get_ex_new_index(ctx ? DL_CRYPTO_EX_INDEX_SSL_CTX :
			    DL_CRYPTO_EX_INDEX_SSL, 0, NULL, NULL, NULL, NULL);
		else if (api->CRYPTO_get_ex_new_index_111 != NULL)
			idx = api->CRYPTO_get_ex_new_index_111(ctx ? DL_CRYPTO_EX_INDEX_SSL_CTX :
			    DL_CRYPTO_EX_INDEX_SSL, 0, NULL, NULL, NULL, NULL);
		else
			return -1;
	}
	return idx;
}

int
dlssl__ossl_ex_indexes(struct dlssl__ossl *api)
{
	/*
	 * Indexes of our own, allocated once per table generation: other code
	 * in the process may use index 0.  SSL_get_ex_new_index is a function
	 * in 1.0.2 and LibreSSL, a macro over CRYPTO_get_ex_new_index in
	 * OpenSSL 1.1+ (whose class numbers differ from 1.0.2's).
	 */
	api->ex_ssl = ex_index(api, 0);
	api->ex_ctx = ex_index(api, 1);
	return api->ex_ssl > 0 && api->ex_ctx > 0 ? 0 : -1;
}

int
dlssl__ossl_err_lib(const struct dlssl__ossl *api, unsigned long e)
{
	if (api->flavor == DLSSL_FLAVOR_OPENSSL && api->level >= DL_V300)
		return (int)((e >> 23) & 0xff); /* bit 31 marks system errors */
	return (int)((e >> 24) & 0xff);
}

int
dlssl__ossl_err_reason(const struct dlssl__ossl *api, unsigned long e)
{
	if (api->flavor == DLSSL_FLAVOR_OPENSSL && api->level >= DL_V300)
		return (int)(e & 0x7fffff);
	return (int)(e & 0xfff);
}

/*
 * The head of 1.0.2's X509_STORE_CTX, public in its x509_vfy.h (the
 * structure became opaque, with X509_STORE_CTX_get0_untrusted, in 1.1.0).
 */
struct dl_store_ctx_102 {
	X509_STORE *ctx;
	int current_method;
	X509 *cert;
	OPENSSL_STACK *untrusted;
};

OPENSSL_STACK *
dlssl__ossl_store_untrusted(const struct dlssl__ossl *api, X509_STORE_CTX *store)
{
	if (api->X509_STORE_CTX_get0_untrusted != NULL)
		return api->X509_STORE_CTX_get0_untrusted(store);
	if (api->flavor == DLSSL_FLAVOR_OPENSSL && api->level < DL_V110)
		return ((struct dl_store_ctx_102 *)(void *)store)->untrusted;
	return NULL;
}
