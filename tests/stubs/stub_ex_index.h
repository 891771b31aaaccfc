/*
 * Included by the stub libssl sources (tests/stubs, tests/win32): ex_data
 * index allocation where it is a function, in 1.0.2 and LibreSSL (a macro
 * over CRYPTO_get_ex_new_index in OpenSSL 1.1+, stub_crypto.c).
 */
#if defined(STUB_OSSL102) || defined(STUB_LIBRESSL)
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
