/*
 * The libraries the stubs pose as (tests/stubs/build-stubs.sh builds one
 * directory per scenario).  Shared by the stub sources and the tests, so a
 * test's expectations come from the same definitions the stub answers with.
 *
 * STUB_<F>_TEXT   what OpenSSL_version(OPENSSL_VERSION) returns
 * STUB_<F>_NUM    what OpenSSL_version_num() (or SSLeay()) returns
 * STUB_<F>_VER    the "major.minor.patch" dlssl should report
 * STUB_<F>_BYTE   the byte RAND_bytes fills its buffer with, so a test can
 *                 tell which library answered
 */
#ifndef DLSSL_TEST_STUB_H
#define DLSSL_TEST_STUB_H

#define STUB_OSSL3_TEXT "OpenSSL 3.0.99 27 Nov 2026 (dlssl stub)"
#define STUB_OSSL3_NUM 0x30000630UL
#define STUB_OSSL3_VER "3.0.99"
#define STUB_OSSL3_BYTE 0x5a

#define STUB_OSSL111_TEXT "OpenSSL 1.1.1w  11 Sep 2023"
#define STUB_OSSL111_NUM 0x1010117fUL
#define STUB_OSSL111_VER "1.1.1"
#define STUB_OSSL111_BYTE 0x3c

#define STUB_OSSL102_TEXT "OpenSSL 1.0.2u  20 Dec 2019"
#define STUB_OSSL102_NUM 0x1000215fUL
#define STUB_OSSL102_VER "1.0.2"
#define STUB_OSSL102_BYTE 0xc3

#define STUB_LIBRESSL_TEXT "LibreSSL 3.8.2"
#define STUB_LIBRESSL_NUM 0x20000000UL
#define STUB_LIBRESSL_VER "3.8.2"
#define STUB_LIBRESSL_BYTE 0x96

#define STUB_FORK_TEXT "BoringSSL"
#define STUB_FORK_NUM 0x1010107fUL
#define STUB_FORK_BYTE 0x69

#define STUB_OSSL110_TEXT "OpenSSL 1.1.0l  10 Sep 2019"
#define STUB_OSSL110_NUM 0x101000cfUL
#define STUB_OSSL110_BYTE 0x0f

/* Required names the "missing3" stub (an OpenSSL 3 pair) leaves out. */
#define STUB_MISSING3_OMIT "SSL_read X509_check_host OPENSSL_sk_num"

/* The number of locks the 1.0.2 stub asks for. */
#define STUB_NUM_LOCKS 4

#endif
