/*
 * The hand-written part of a stub libssl DLL (tests/win32/build-stubs.sh):
 * initialisation, for the version one -DSTUB_<FLAVOR> flag names, calling
 * into the stub libcrypto the way the real libssl does.  That call gives
 * the DLL an import of its libcrypto, which the loader follows to check
 * that libssl and libcrypto belong together (tests/stubs/stub_ssl.c needs
 * none: an ELF libssl names its libcrypto with DT_NEEDED).
 */
#include <stdint.h>

#if defined(STUB_OSSL102)
unsigned long SSLeay(void);
int SSL_library_init(void);

int
SSL_library_init(void)
{
	return SSLeay() != 0;
}
#else
int OPENSSL_init_crypto(uint64_t, const void *);
int OPENSSL_init_ssl(uint64_t, const void *);

int
OPENSSL_init_ssl(uint64_t opts, const void *settings)
{
	return OPENSSL_init_crypto(opts, settings);
}
#endif

/* SSL_get_ex_new_index and SSL_CTX_get_ex_new_index where they are functions. */
#include "stub_ex_index.h"
