/*
 * The baseline's event-driven echo server (`dlssl-bench-direct --serve`):
 * tools/serve_loop.c with libssl called directly, as a plain epoll server
 * on libssl would: one SSL per connection over the socket (SSL_set_fd, or
 * the callback BIO for --transport io), SSL_get_error() for the loop's
 * WANT codes, SSL_MODE_RELEASE_BUFFERS set on the context (bench/direct.c)
 * as dlssl sets it.  The connection handle is the SSL itself.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "bench_harness.h"
#include "direct.h"

static long
result(SSL *ssl, int r)
{
	switch (SSL_get_error(ssl, r)) {
	case SSL_ERROR_WANT_READ:
		return SERVE_WANT_IN;
	case SSL_ERROR_WANT_WRITE:
		return SERVE_WANT_OUT;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		return -1;
	}
}

static void *
ds_accept(void *ctx, int fd)
{
	SSL *ssl;

	ERR_clear_error();
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		close(fd);
		return NULL;
	}
	SSL_set_accept_state(ssl);
	return ssl;
}

static int
ds_handshake(void *c)
{
	int r;

	ERR_clear_error();
	r = SSL_do_handshake(c);
	if (r == 1)
		return 0;
	r = (int)result(c, r);
	return r == 0 ? -1 : r;
}

static long
ds_read(void *c, void *buf, size_t len)
{
	int r;

	ERR_clear_error();
	r = SSL_read(c, buf, len > INT_MAX ? INT_MAX : (int)len);
	return r > 0 ? r : result(c, r);
}

static long
ds_write(void *c, const void *buf, size_t len)
{
	int r;

	ERR_clear_error();
	r = SSL_write(c, buf, len > INT_MAX ? INT_MAX : (int)len);
	if (r > 0)
		return r;
	r = (int)result(c, r);
	return r == 0 ? -1 : r;
}

static int
ds_flush(void *c)
{
	(void)c;
	return 0;
}

static void
ds_shutdown(void *c)
{
	(void)SSL_shutdown(c);
}

static void
ds_close(void *c, int clean)
{
	int fd = SSL_get_fd(c);

	if (clean)
		(void)SSL_shutdown(c);
	SSL_free(c);
	if (fd >= 0)
		close(fd);
}

static const char *
ds_error(void *c)
{
	static char text[256];
	unsigned long e = ERR_peek_error();

	(void)c;
	if (e == 0)
		return errno ? strerror(errno) : "failed";
	ERR_error_string_n(e, text, sizeof(text));
	return text;
}

static void
ds_describe(void *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s, %s", SSL_get_version(c), SSL_get_cipher_name(c));
}

const struct serve_tls direct_serve_tls = {
	ds_accept, ds_handshake, ds_read, ds_write, ds_flush, ds_shutdown, ds_close, ds_error,
	ds_describe
};

void *
direct_serve_ctx(struct bench_ctx *x, const struct bench_case *c)
{
	(void)c;
	return x->ctx;
}
