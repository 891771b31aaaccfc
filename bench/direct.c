/*
 * dlssl-bench-direct: the baseline of `dlssl bench`, the same workloads
 * (tools/bench_harness.c) with libssl called directly.  This program and
 * the header check are the only code in the tree that includes OpenSSL's
 * headers and links libssl; it is built only when configure found them,
 * and is never part of libdlssl or the dlssl program.
 *
 * The engine is configured as dlssl configures OpenSSL (src/context.c,
 * src/stream.c, src/verify.c): the same protocol range, suites, options,
 * modes, session cache and session id context, the same certificate chain
 * and trust, SNI and host name verification; over callbacks, a BIO method
 * that calls the same read/send functions.  What it does not do is what a
 * program using libssl directly would not do either: no wrapper around
 * each call, no write buffer (a "flush" is a no-op), so `small` compares
 * dlssl's coalescing against one SSL_write, one record, per piece.
 *
 * Usage: dlssl-bench-direct [--child] WORKLOAD [options]; see
 * tools/bench_harness.h.  `dlssl bench` runs it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "bench_harness.h"
#include "direct.h"

#define SID_CTX "dlssl"

struct bench_conn {
	SSL *ssl;
	int fd;
};

static BIO_METHOD *io_method;
static int ctx_index = -1;

static void
fail(const char *what)
{
	char text[256] = "";
	unsigned long e = ERR_get_error();

	if (e != 0)
		ERR_error_string_n(e, text, sizeof(text));
	ERR_clear_error();
	bench_set_error("%s: %s", what, text[0] ? text : errno ? strerror(errno) : "failed");
}

/* ---- the callback transport: a BIO method over bench_io_read/write ---- */

static int
bio_write(BIO *b, const char *buf, int len)
{
	long r;

	BIO_clear_retry_flags(b);
	if (len <= 0)
		return 0;
	do
		r = bench_io_write(BIO_get_data(b), buf, (size_t)len);
	while (r < 0 && errno == EINTR);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		BIO_set_retry_write(b);
	return (int)r;
}

static int
bio_read(BIO *b, char *buf, int len)
{
	long r;

	BIO_clear_retry_flags(b);
	if (len <= 0)
		return 0;
	do
		r = bench_io_read(BIO_get_data(b), buf, (size_t)len);
	while (r < 0 && errno == EINTR);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		BIO_set_retry_read(b);
	return (int)r;
}

static long
bio_ctrl(BIO *b, int cmd, long larg, void *parg)
{
	(void)b;
	(void)larg;
	(void)parg;
	return cmd == BIO_CTRL_FLUSH || cmd == BIO_CTRL_DUP ? 1 : 0;
}

static int
bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

/* ---- the engine ---- */

static int
x_init(const struct bench_case *c)
{
	(void)c;
	if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS |
	    OPENSSL_INIT_NO_ATEXIT, NULL) != 1) {
		fail("OPENSSL_init_ssl");
		return -1;
	}
	if (c->workload == BW_LOAD)
		return 0;
	io_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "bench");
	if (io_method == NULL || BIO_meth_set_write(io_method, bio_write) != 1 ||
	    BIO_meth_set_read(io_method, bio_read) != 1 ||
	    BIO_meth_set_ctrl(io_method, bio_ctrl) != 1 ||
	    BIO_meth_set_create(io_method, bio_create) != 1) {
		fail("BIO_meth_new");
		return -1;
	}
	ctx_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	return 0;
}

static const char *
x_library(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

static void
x_load_report(char *buf, size_t len)
{
	if (len > 0)
		buf[0] = '\0';
}

/* Clients keep the latest session, as dlssl's per-host table does for one host. */
static int
new_session(SSL *ssl, SSL_SESSION *sess)
{
	struct bench_ctx *x = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ctx_index);

	if (x == NULL || !x->client_sessions || SSL_is_server(ssl))
		return 0;
	if (x->last != NULL)
		SSL_SESSION_free(x->last);
	x->last = sess;
	return 1;
}

static int
use_identity(SSL_CTX *ctx, enum bench_key key)
{
	const char *chain = bench_pem_chain(key), *pem = bench_pem_key(key);
	BIO *b = BIO_new_mem_buf(chain, (int)strlen(chain));
	X509 *x;
	EVP_PKEY *k;
	int ok = 0;

	if (b == NULL)
		return -1;
	if ((x = PEM_read_bio_X509_AUX(b, NULL, NULL, NULL)) != NULL) {
		ok = SSL_CTX_use_certificate(ctx, x) == 1;
		X509_free(x);
	}
	while (ok && (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL)
		if (SSL_CTX_add_extra_chain_cert(ctx, x) != 1) {
			X509_free(x);
			ok = 0;
		}
	BIO_free(b);
	ERR_clear_error(); /* the reader's "no start line" at the end */
	if (!ok || (b = BIO_new_mem_buf(pem, (int)strlen(pem))) == NULL)
		return -1;
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	ok = k != NULL && SSL_CTX_use_PrivateKey(ctx, k) == 1 && SSL_CTX_check_private_key(ctx) == 1;
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

static struct bench_ctx *
x_ctx_new(const struct bench_case *c, int server)
{
	int v = c->tls == 12 ? TLS1_2_VERSION : TLS1_3_VERSION;
	struct bench_ctx *x = calloc(1, sizeof(*x));
	const char *ca;

	if (x == NULL) {
		bench_set_error("out of memory");
		return NULL;
	}
	if ((x->ctx = SSL_CTX_new(TLS_method())) == NULL)
		goto err;
	SSL_CTX_set_ex_data(x->ctx, ctx_index, x);
	SSL_CTX_set_options(x->ctx, SSL_OP_NO_COMPRESSION);
	if (SSL_CTX_set_min_proto_version(x->ctx, v) != 1 ||
	    SSL_CTX_set_max_proto_version(x->ctx, v) != 1)
		goto err;
	if (c->aes128 && c->tls == 12 && SSL_CTX_set_cipher_list(x->ctx, c->key == BK_ECDSA ?
	    "ECDHE-ECDSA-AES128-GCM-SHA256" : "ECDHE-RSA-AES128-GCM-SHA256") != 1)
		goto err;
	if (c->aes128 && c->tls == 13 && SSL_CTX_set_ciphersuites(x->ctx, "TLS_AES_128_GCM_SHA256") != 1)
		goto err;
	SSL_CTX_set_mode(x->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_AUTO_RETRY |
	    SSL_MODE_RELEASE_BUFFERS);
	if (c->workload == BW_RESUME) {
		SSL_CTX_set_session_cache_mode(x->ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_SERVER);
		x->client_sessions = 1;
		SSL_CTX_sess_set_new_cb(x->ctx, new_session);
	} else {
		SSL_CTX_set_session_cache_mode(x->ctx, SSL_SESS_CACHE_OFF);
	}
	SSL_CTX_set_session_id_context(x->ctx, (const unsigned char *)SID_CTX, sizeof(SID_CTX) - 1);
	if (server) {
		if (use_identity(x->ctx, c->key) < 0)
			goto err;
	} else {
		if ((ca = bench_ca_file()) == NULL)
			goto free;
		if (SSL_CTX_load_verify_locations(x->ctx, ca, NULL) != 1)
			goto err;
	}
	return x;
err:
	fail(server ? "server context" : "client context");
free:
	SSL_CTX_free(x->ctx);
	free(x);
	return NULL;
}

static void
x_ctx_free(struct bench_ctx *x)
{
	SSL_SESSION_free(x->last);
	SSL_CTX_free(x->ctx);
	free(x);
}

static struct bench_conn *
x_conn_new(struct bench_ctx *x, int fd, enum bench_transport t, int server)
{
	struct bench_conn *k = calloc(1, sizeof(*k));
	BIO *b;

	if (k == NULL) {
		bench_set_error("out of memory");
		close(fd);
		return NULL;
	}
	k->fd = fd;
	ERR_clear_error();
	if ((k->ssl = SSL_new(x->ctx)) == NULL)
		goto err;
	if (t == BT_IO) {
		if ((b = BIO_new(io_method)) == NULL)
			goto err;
		BIO_set_data(b, &k->fd);
		SSL_set_bio(k->ssl, b, b);
	} else if (SSL_set_fd(k->ssl, fd) != 1) {
		goto err;
	}
	if (server) {
		SSL_set_verify(k->ssl, SSL_VERIFY_NONE, NULL);
		SSL_set_accept_state(k->ssl);
	} else {
		if (SSL_set_tlsext_host_name(k->ssl, BENCH_HOST) != 1 ||
		    SSL_set1_host(k->ssl, BENCH_HOST) != 1)
			goto err;
		SSL_set_verify(k->ssl, SSL_VERIFY_PEER, NULL);
		if (x->client_sessions && x->last != NULL)
			SSL_set_session(k->ssl, x->last);
		SSL_set_connect_state(k->ssl);
	}
	if (SSL_do_handshake(k->ssl) != 1)
		goto err;
	return k;
err:
	fail(server ? "server handshake" : "client handshake");
	SSL_free(k->ssl);
	close(fd);
	free(k);
	return NULL;
}

static long
x_write(struct bench_conn *k, const void *buf, size_t len)
{
	int r = SSL_write(k->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);

	if (r <= 0) {
		fail("write");
		return -1;
	}
	return r;
}

static int
x_flush(struct bench_conn *k)
{
	(void)k;
	return 0;
}

static long
x_read(struct bench_conn *k, void *buf, size_t len)
{
	int r = SSL_read(k->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);

	if (r > 0)
		return r;
	if (SSL_get_error(k->ssl, r) == SSL_ERROR_ZERO_RETURN)
		return 0;
	fail("read");
	return -1;
}

static int
x_reused(struct bench_conn *k)
{
	return SSL_session_reused(k->ssl) == 1;
}

static const char *
x_version(struct bench_conn *k)
{
	return SSL_get_version(k->ssl);
}

static const char *
x_cipher(struct bench_conn *k)
{
	return SSL_get_cipher_name(k->ssl);
}

static void
x_close(struct bench_conn *k)
{
	(void)SSL_shutdown(k->ssl);
	SSL_free(k->ssl);
	if (k->fd >= 0)
		close(k->fd);
	free(k);
}

static const struct bench_engine direct_engine = {
	"direct",
	x_init,
	x_library,
	x_load_report,
	x_ctx_new,
	x_ctx_free,
	x_conn_new,
	x_write,
	x_flush,
	x_read,
	x_reused,
	x_version,
	x_cipher,
	x_close,
	&direct_serve_tls,
	direct_serve_ctx,
};

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--child") == 0) {
		argc--;
		argv++;
	} else if (argc > 1 && strcmp(argv[1], "--serve") == 0) {
		return bench_serve_main(&direct_engine, argc - 2, argv + 2);
	}
	return bench_child_main(&direct_engine, argc - 1, argv + 1);
}
