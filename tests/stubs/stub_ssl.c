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

/* SSL_get_ex_new_index and SSL_CTX_get_ex_new_index where they are functions. */
#include "stub_ex_index.h"
