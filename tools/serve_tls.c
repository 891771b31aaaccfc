/*
 * The TLS calls of the event-driven server (tools/serve_loop.h) over
 * dlssl: server streams on the non-blocking socket, through
 * dlssl_transport_fd() or, with --transport io, through callbacks that
 * recv/send on it (EAGAIN: the stream returns DLSSL_WANT_ codes).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#ifndef _WIN32
#include <sys/socket.h>
#include <unistd.h>
#endif

#include "net.h"
#include "serve_tls.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static long
io_read(void *h, void *buf, size_t len)
{
	return (long)cli_recv((int)(intptr_t)h, buf, len, 0);
}

static long
io_write(void *h, const void *buf, size_t len)
{
	return (long)cli_send((int)(intptr_t)h, buf, len, MSG_NOSIGNAL);
}

static int
io_close(void *h)
{
	return cli_sock_close((int)(intptr_t)h);
}

static const struct dlssl_io_ops sock_ops = { io_read, io_write, io_close, { 0 } };

static void *
st_accept(void *ctx, int fd)
{
	const struct serve_tls_ctx *x = ctx;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_transport t;
	struct dlssl_stream *s;

	o.context = x->ctx;
	o.close_fd = 1;
	t = x->callbacks ? dlssl_transport_io(&sock_ops, (void *)(intptr_t)fd) : dlssl_transport_fd(fd);
	if ((s = dlssl_make_server_stream(t, &o)) == NULL)
		cli_sock_close(fd);
	return s;
}

static int
st_handshake(void *c)
{
	return dlssl_handshake(c);
}

static long
st_read(void *c, void *buf, size_t len)
{
	return dlssl_read(c, buf, len);
}

static long
st_write(void *c, const void *buf, size_t len)
{
	return dlssl_write(c, buf, len);
}

static int
st_flush(void *c)
{
	return dlssl_flush(c);
}

static void
st_shutdown(void *c)
{
	(void)dlssl_shutdown(c);
}

static void
st_close(void *c, int clean)
{
	if (clean)
		(void)dlssl_close(c);
	else
		(void)dlssl_close_abort(c);
	dlssl_stream_free(c);
}

static const char *
st_error(void *c)
{
	const char *e = dlssl_stream_error(c);

	return e != NULL && e[0] != '\0' ? e : dlssl_error() ? dlssl_error() : "failed";
}

static void
st_describe(void *c, char *buf, size_t len)
{
	const char *sni = dlssl_stream_servername(c);

	snprintf(buf, len, "%s, %s%s%s", dlssl_stream_version(c), dlssl_stream_cipher(c),
	    sni ? ", SNI " : "", sni ? sni : "");
}

const struct serve_tls serve_tls_dlssl = {
	st_accept, st_handshake, st_read, st_write, st_flush, st_shutdown, st_close, st_error,
	st_describe
};
