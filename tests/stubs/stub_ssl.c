/*
 * The hand-written part of a stub libssl: initialisation, for the version
 * one -DSTUB_<FLAVOR> flag names.  The rest is generated from the manifest,
 * but for stub_ssl_ex.c (ex_data indexes, shared with the Windows stubs).
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

