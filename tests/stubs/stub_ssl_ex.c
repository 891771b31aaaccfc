/*
 * The hand-written ex_data index functions of a stub libssl posing as
 * 1.0.2 or LibreSSL (in OpenSSL 1.1+ they are macros over libcrypto's
 * CRYPTO_get_ex_new_index: tests/stubs/stub_crypto.c).  Built into the
 * Linux stubs (tests/stubs/build-stubs.sh) and the Windows ones
 * (tests/win32/build-stubs.sh) alike.
 */
#if defined(STUB_OSSL102) || defined(STUB_LIBRESSL)
/* Indexes count from 1: index 0 is SSL_set_app_data's. */
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
