/*
 * The hand-written part of a stub libcrypto: the version functions, the
 * initialisation and the random generator, answering as the library one
 * -DSTUB_<FLAVOR> flag names (values in stub.h).  Everything else the
 * loader binds is generated from the manifest (tests/gen_manifest stub).
 *
 * Each version exports only the names the real one does: 1.0.2 has SSLeay
 * and CRYPTO_num_locks, 1.1.0+ and LibreSSL have OpenSSL_version_num and
 * OPENSSL_init_crypto, 3.x adds OPENSSL_version_major/minor/patch.
 */
#include <stdint.h>
#include <string.h>

#include "stub.h"

#if defined(STUB_OSSL3)
#define TEXT STUB_OSSL3_TEXT
#define NUM STUB_OSSL3_NUM
#define BYTE STUB_OSSL3_BYTE
#define API 30
#elif defined(STUB_OSSL111)
#define TEXT STUB_OSSL111_TEXT
#define NUM STUB_OSSL111_NUM
#define BYTE STUB_OSSL111_BYTE
#define API 11
#elif defined(STUB_OSSL110)
#define TEXT STUB_OSSL110_TEXT
#define NUM STUB_OSSL110_NUM
#define BYTE STUB_OSSL110_BYTE
#define API 11
#elif defined(STUB_FORK)
#define TEXT STUB_FORK_TEXT
#define NUM STUB_FORK_NUM
#define BYTE STUB_FORK_BYTE
#define API 11
#elif defined(STUB_LIBRESSL)
#define TEXT STUB_LIBRESSL_TEXT
#define NUM STUB_LIBRESSL_NUM
#define BYTE STUB_LIBRESSL_BYTE
#define API 11
#elif defined(STUB_OSSL102)
#define TEXT STUB_OSSL102_TEXT
#define NUM STUB_OSSL102_NUM
#define BYTE STUB_OSSL102_BYTE
#define API 10
#else
#error "define one STUB_<FLAVOR>"
#endif

/* OpenSSL_version(OPENSSL_VERSION) is the text; other selectors get a dummy. */
static const char *
version_text(int type)
{
	return type == 0 ? TEXT : "OPENSSLDIR: \"/nonexistent/dlssl-stub\"";
}

#if API >= 11
unsigned long OpenSSL_version_num(void);
const char *OpenSSL_version(int);
int OPENSSL_init_crypto(uint64_t, const void *);

unsigned long
OpenSSL_version_num(void)
{
	return NUM;
}

const char *
OpenSSL_version(int type)
{
	return version_text(type);
}

int
OPENSSL_init_crypto(uint64_t opts, const void *settings)
{
	(void)opts;
	(void)settings;
	return 1;
}
#else
unsigned long SSLeay(void);
const char *SSLeay_version(int);
int CRYPTO_num_locks(void);

unsigned long
SSLeay(void)
{
	return NUM;
}

const char *
SSLeay_version(int type)
{
	return version_text(type);
}

int
CRYPTO_num_locks(void)
{
	return STUB_NUM_LOCKS;
}
#endif

#if API >= 30
/* 3.x numbers are 0xMNN00PP0. */
unsigned int OPENSSL_version_major(void);
unsigned int OPENSSL_version_minor(void);
unsigned int OPENSSL_version_patch(void);

unsigned int
OPENSSL_version_major(void)
{
	return (unsigned int)(NUM >> 28) & 0xf;
}

unsigned int
OPENSSL_version_minor(void)
{
	return (unsigned int)(NUM >> 20) & 0xff;
}

unsigned int
OPENSSL_version_patch(void)
{
	return (unsigned int)(NUM >> 4) & 0xff;
}
#endif

int RAND_bytes(unsigned char *, int);
int RAND_poll(void);
int RAND_status(void);

/* Not random at all: the pattern tells a test which stub answered. */
int
RAND_bytes(unsigned char *buf, int num)
{
	if (num < 0)
		return 0;
	memset(buf, BYTE, (size_t)num);
	return 1;
}

int
RAND_poll(void)
{
	return 1;
}

int
RAND_status(void)
{
	return 1;
}

#if API >= 11 && !defined(STUB_LIBRESSL)
int CRYPTO_get_ex_new_index(int, long, void *, void *, void *, void *);

/* Index 0 of every class is reserved, as in OpenSSL 1.1+. */
int
CRYPTO_get_ex_new_index(int class_index, long argl, void *argp, void *n, void *d, void *f)
{
	static int next[32];

	(void)argl, (void)argp, (void)n, (void)d, (void)f;
	if (class_index < 0 || class_index >= 32)
		return -1;
	return ++next[class_index];
}
#endif
