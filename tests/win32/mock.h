/*
 * A pass-through "TLS" for the transport tests (tests/win32/check_transport.c):
 * stub DLLs posing as OpenSSL 3 whose libssl frames the application's bytes
 * in plain records ('H' hello, 'D' data, 'C' close_notify: one type byte,
 * a 16-bit big-endian length, the payload) and moves them through the BIO
 * dlssl gives it, and whose libcrypto implements that BIO as OpenSSL does:
 * the method's callbacks, data, init and retry flags.
 *
 * No cryptography at all: it exists so that dlssl's transport layer (its
 * BIO method over a Winsock SOCKET, WSAPoll timeouts, non-blocking sockets,
 * EOF and reset) can run under wine, where no real OpenSSL DLL is
 * installed.  Everything else the loader binds comes from the manifest as
 * in the other stubs (tests/win32/build-stubs.sh builds it as "mock").
 *
 * A server context loads any PEM certificate and key without looking at
 * them (BIO_new_mem_buf, PEM_read_bio_X509_AUX and PEM_read_bio_PrivateKey
 * answer a placeholder; SSL_CTX_use_certificate, SSL_CTX_use_PrivateKey and
 * SSL_CTX_check_private_key accept it), so that `dlssl.exe serve` runs
 * (tests/win32/check_tools.c).  As in OpenSSL, SSL and SSL_CTX keep
 * ex_data at any index (dlssl allocates its own, never 0) and take a
 * session id context of up to 32 bytes, an SSL starting with its
 * context's; any non-empty cipher list and any TLS 1.3 suites are taken.
 */
#ifndef DLSSL_TEST_MOCK_H
#define DLSSL_TEST_MOCK_H

#include "ossl/decls.h"

/* The names mock_ssl.c and mock_crypto.c define (left out of the generated part). */
#define MOCK_NAMES "TLS_method TLS_client_method TLS_server_method SSL_CTX_new SSL_CTX_free SSL_CTX_ctrl SSL_CTX_set_ex_data SSL_CTX_get_ex_data SSL_CTX_set_default_verify_paths SSL_CTX_load_verify_locations SSL_CTX_set_session_id_context SSL_new SSL_free SSL_set_ex_data SSL_get_ex_data SSL_set_session_id_context SSL_set_bio SSL_set_connect_state SSL_set_accept_state SSL_do_handshake SSL_read SSL_peek SSL_write SSL_shutdown SSL_get_error SSL_pending SSL_ctrl SSL_get_version SSL_CTX_use_certificate SSL_CTX_use_PrivateKey SSL_CTX_check_private_key SSL_CTX_set_cipher_list SSL_set_cipher_list SSL_CTX_set_ciphersuites BIO_new_mem_buf PEM_read_bio_X509_AUX PEM_read_bio_PrivateKey BIO_get_new_index BIO_meth_new BIO_meth_free BIO_meth_set_write BIO_meth_set_read BIO_meth_set_ctrl BIO_meth_set_create BIO_meth_set_destroy BIO_meth_set_puts BIO_new BIO_free BIO_free_all BIO_set_data BIO_get_data BIO_set_init BIO_set_flags BIO_clear_flags BIO_read BIO_write BIO_ctrl"

/* The text the mock's libcrypto reports (OpenSSL_version), from stub.h's ossl3. */
#define MOCK_RECORD_MAX 16384

struct bio_method_st {
	int type;
	const char *name;
	dl_bio_write_fn bwrite;
	dl_bio_read_fn bread;
	dl_bio_ctrl_fn ctrl;
	dl_bio_create_fn create;
	dl_bio_destroy_fn destroy;
};

struct bio_st {
	const struct bio_method_st *m;
	void *data;
	int init;
	int flags;
};

/* libcrypto's side, called by the mock libssl. */
int BIO_read(BIO *b, void *data, int len);
int BIO_write(BIO *b, const void *data, int len);
int BIO_free(BIO *b);

#endif
