/*
 * The hand-written part of a stub libssl: initialisation, for the version
 * one -DSTUB_<FLAVOR> flag names.  The rest is generated from the manifest.
 */
#include <stdint.h>

#if defined(STUB_OSSL102)
int SSL_library_init(void);

int
SSL_library_init(void)
{
	return 1;
}
#else
int OPENSSL_init_ssl(uint64_t, const void *);

int
OPENSSL_init_ssl(uint64_t opts, const void *settings)
{
	(void)opts;
	(void)settings;
	return 1;
}
#endif

#if defined(STUB_OSSL102) || defined(STUB_LIBRESSL)
/* ex_data indexes are functions here (a macro over CRYPTO_get_ex_new_index in 1.1+). */
int SSL_get_ex_new_index(long, void *, void *, void *, void *);
int SSL_CTX_get_ex_new_index(long, void *, void *, void *, void *);

static int next_ssl_index = 1, next_ctx_index = 1;

int
SSL_get_ex_new_index(long argl, void *argp, void *n, void *d, void *f)
{
	(void)argl, (void)argp, (void)n, (void)d, (void)f;
	return next_ssl_index++;
}

int
SSL_CTX_get_ex_new_index(long argl, void *argp, void *n, void *d, void *f)
{
	(void)argl, (void)argp, (void)n, (void)d, (void)f;
	return next_ctx_index++;
}
#endif
