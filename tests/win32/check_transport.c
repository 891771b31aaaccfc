/*
 * dlssl's transport layer on Windows, under wine: streams over Winsock
 * SOCKETs (the fd transport), user callbacks and FILEs, through the mock
 * OpenSSL of tests/win32/mock.h (plain records instead of TLS: no real
 * OpenSSL DLL exists here).  What runs for real is dlssl's side: its BIO
 * method, recv/send on the SOCKET with WSAGetLastError mapped to errno,
 * ioctlsocket(FIONBIO) for timeouts and its restoration, WSAPoll waits,
 * a caller's non-blocking socket (DLSSL_WANT_ codes), EOF without
 * close_notify, a connection reset, a value that is not a socket, and
 * close_fd.
 *
 * Each test makes a connected loopback pair: the client stream runs in the
 * test's thread, the server stream in a second thread following a script.
 */
#include "config.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlssl.h"
#include "stub.h"
#include "wintest.h"
#include "wtnet.h"

static struct dlssl_context *ctx;

static struct dlssl_stream_opts
client_opts(void)
{
	struct dlssl_stream_opts o;

	memset(&o, 0, sizeof(o));
	o.context = ctx;
	o.verify = DLSSL_VERIFY_NONE;
	return o;
}

/* ---- tests ---- */

/* Blocking sockets, no timeouts: handshake, echo, close_notify both ways. */
WT_TEST(echo_blocking)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char buf[16];

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, ctx, WT_ECHO);
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_fd(s) == wt_sockfd(a), "stream fd %d", dlssl_stream_fd(s));
	WT_CHECK(dlssl_write(s, "hello", 5) == 5 && dlssl_flush(s) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_read_fully(s, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	/* Not close_fd: the socket is still the caller's, with the server's close_notify. */
	WT_CHECK(recv(a, buf, sizeof(buf), 0) == 3 && buf[0] == 'C', "no close_notify record");
	closesocket(a);
}

/* Megabytes in odd-sized writes: partial sends, record boundaries, large direct writes. */
WT_TEST(bulk_transfer)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	static unsigned char buf[300000];
	unsigned long long sent = 0, total = 6ULL << 20;
	size_t sizes[] = { 1, 100, 16384, 16385, 299999, 4096, 7 }, k = 0, n, i;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, ctx, WT_SINK);
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	while (sent < total) {
		n = sizes[k++ % (sizeof(sizes) / sizeof(sizes[0]))];
		if (n > total - sent)
			n = (size_t)(total - sent);
		for (i = 0; i < n; i++)
			buf[i] = wt_pattern(sent + i);
		WT_CHECK(dlssl_write(s, buf, n) == (long)n, "at %llu: %s", sent, dlssl_error());
		sent += n;
	}
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	WT_CHECK(sv.got == total, "the server got %llu of %llu bytes", sv.got, total);
}

/* A read timeout: ioctlsocket(FIONBIO) and WSAPoll; the blocking mode comes back. */
WT_TEST(read_timeout)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char c;
	double t0, dt;
	long r;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, ctx, WT_SILENT);
	o.read_timeout_ms = 300;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	t0 = dlssl_monotonic();
	r = dlssl_read(s, &c, 1);
	dt = dlssl_monotonic() - t0;
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "read %ld: %s", r, dlssl_error());
	WT_CHECK(dt >= 0.25 && dt < 10, "timed out after %.3f s, not 0.3", dt);
	dlssl_stream_free(s);
	WT_CHECK(wt_is_blocking(a) == 1, "the socket was not made blocking again");
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	closesocket(a);
}

/* Timeouts set after the handshake switch a blocking socket to polling. */
WT_TEST(timeout_set_later)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char c;
	long r;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, ctx, WT_SILENT);
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_set_timeouts(s, 200, 200, 0) == 0, "%s", dlssl_error());
	r = dlssl_read(s, &c, 1);
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "read %ld: %s", r, dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(wt_is_blocking(a) == 1, "the socket was not made blocking again");
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	closesocket(a);
}

/* A write timeout: the peer stops reading, the send buffers fill, WSAPoll(POLLOUT) times out. */
WT_TEST(write_timeout)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	static unsigned char buf[65536];
	int small = 8192;
	unsigned long long sent = 0;
	long r = 0;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	setsockopt(a, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof(small));
	setsockopt(b, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof(small));
	wt_server_start(&sv, b, ctx, WT_SILENT_NOREAD);
	o.write_timeout_ms = 300;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	while (sent < (256ULL << 20) && (r = dlssl_write(s, buf, sizeof(buf))) > 0)
		sent += (unsigned long long)r;
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "write %ld after %llu bytes: %s",
	    r, sent, dlssl_error());
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	closesocket(a);
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
}

/* Polls until the stream call stops saying "want"; the last result. */
static long
drive(struct dlssl_stream *s, int op, void *buf, size_t len)
{
	long r = 0;
	int i;

	for (i = 0; i < 200; i++) {
		WSAPOLLFD p;

		r = op == 0 ? dlssl_handshake(s) : dlssl_read(s, buf, len);
		if (r != DLSSL_WANT_POLLIN && r != DLSSL_WANT_POLLOUT)
			return r;
		p.fd = (SOCKET)(intptr_t)dlssl_stream_fd(s);
		p.events = r == DLSSL_WANT_POLLIN ? POLLIN : POLLOUT;
		p.revents = 0;
		WSAPoll(&p, 1, 100);
	}
	return r;
}

/* The caller's non-blocking socket: WANT codes, and it stays non-blocking. */
WT_TEST(nonblocking_caller)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	u_long on = 1;
	char c = 0;
	long r;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	WT_CHECK(ioctlsocket(a, FIONBIO, &on) == 0, "FIONBIO: %d", WSAGetLastError());
	wt_server_start(&sv, b, ctx, WT_LATE);
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	/* The server has not answered: the handshake waits for input, without blocking. */
	r = dlssl_handshake(s);
	WT_CHECK(r == DLSSL_WANT_POLLIN, "handshake: %ld %s", r, dlssl_error());
	SetEvent(sv.go);
	r = drive(s, 0, NULL, 0);
	WT_CHECK(r == 0, "handshake: %ld %s", r, dlssl_error());
	WT_CHECK(dlssl_read(s, &c, 1) == DLSSL_WANT_POLLIN, "read without data did not say WANT_POLLIN");
	WT_CHECK(dlssl_listen(s) == 0, "listen with no data");
	SetEvent(sv.go2);
	r = drive(s, 1, &c, 1);
	WT_CHECK(r == 1 && c == 'x', "read: %ld '%c' %s", r, c, dlssl_error());
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	WT_CHECK(wt_is_blocking(a) == 0, "the caller's non-blocking socket became blocking");
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	closesocket(a);
}

/* The peer closes without close_notify: truncation, unless lax_eof. */
WT_TEST(eof_without_close_notify)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char c;
	long r;
	int lax;

	for (lax = 0; lax <= 1; lax++) {
		WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
		wt_server_start(&sv, b, ctx, WT_FIN);
		o.lax_eof = lax;
		s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
		WT_CHECK(s != NULL, "%s", dlssl_error());
		r = dlssl_read(s, &c, 1);
		if (lax)
			WT_CHECK(r == 0, "lax: read %ld: %s", r, dlssl_error());
		else
			WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TRUNCATED, "read %ld: %s", r,
			    dlssl_error());
		dlssl_stream_free(s);
		closesocket(a);
		WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	}
}

/*
 * A reset: WSAECONNRESET becomes ECONNRESET, an I/O error that says so.
 * (Windows reports it to recv and send; wine's recv returns 0 after a
 * reset, so the test sends.)
 */
WT_TEST(connection_reset)
{
	const char *why = wt_reset_case(ctx, client_opts());

	WT_CHECK(why == NULL, "%s", why);
}

/* Only a SOCKET is an fd transport on Windows. */
WT_TEST(not_a_socket)
{
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	SOCKET a, b;

	s = dlssl_make_client_stream(dlssl_transport_fd(_fileno(stdout)), &o);
	WT_CHECK(s == NULL && dlssl_error_code() == DLSSL_ERR_USAGE, "C runtime fd: %s", dlssl_error());
	WT_CHECK(wt_contains(dlssl_error(), "Not a socket"), "%s", dlssl_error());
	s = dlssl_make_client_stream(dlssl_transport_fd(-1), &o);
	WT_CHECK(s == NULL && dlssl_error_code() == DLSSL_ERR_USAGE, "-1: %s", dlssl_error());
	/* A socket that was closed. */
	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	closesocket(a);
	closesocket(b);
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s == NULL && dlssl_error_code() == DLSSL_ERR_USAGE, "closed socket: %s", dlssl_error());
}

/* close_fd: the stream closes the SOCKET (closesocket). */
WT_TEST(close_fd)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	int type, len = sizeof(type);

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, ctx, WT_ECHO);
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(getsockopt(a, SOL_SOCKET, SO_TYPE, (char *)&type, &len) != 0 &&
	    WSAGetLastError() == WSAENOTSOCK, "the socket is still open");
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
}

/* User callbacks (recv/send on the socket): unchanged on Windows. */
static long
cb_read(void *h, void *buf, size_t len)
{
	int r = recv((SOCKET)(uintptr_t)h, buf, len > 65536 ? 65536 : (int)len, 0);

	if (r < 0)
		errno = WSAGetLastError() == WSAEWOULDBLOCK ? EAGAIN : EIO;
	return r;
}

static long
cb_write(void *h, const void *buf, size_t len)
{
	int r = send((SOCKET)(uintptr_t)h, buf, len > 65536 ? 65536 : (int)len, 0);

	if (r < 0)
		errno = WSAGetLastError() == WSAEWOULDBLOCK ? EAGAIN : EIO;
	return r;
}

static int closed_by_stream;

static int
cb_close(void *h)
{
	closed_by_stream = 1;
	return closesocket((SOCKET)(uintptr_t)h);
}

WT_TEST(callback_transport)
{
	static const struct dlssl_io_ops ops = { cb_read, cb_write, cb_close, { NULL } };
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char buf[16];

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, ctx, WT_ECHO);
	closed_by_stream = 0;
	s = dlssl_make_client_stream(dlssl_transport_io(&ops, (void *)(uintptr_t)a), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_fd(s) == -1, "an io transport has no fd");
	WT_CHECK(dlssl_write(s, "ping", 4) == 4 && dlssl_flush(s) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_read_fully(s, buf, 4) == 4 && memcmp(buf, "ping", 4) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(closed_by_stream, "the close callback was not called");
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
}

/* A FILE is never unwrapped to its C runtime fd on Windows: stdio carries it. */
WT_TEST(file_transport_not_unwrapped)
{
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	FILE *f = tmpfile();

	WT_CHECK(f != NULL, "tmpfile");
	o.defer_handshake = 1;
	s = dlssl_make_client_stream(dlssl_transport_file(f), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_fd(s) == -1, "unwrapped to fd %d", dlssl_stream_fd(s));
	dlssl_stream_free(s); /* closes f */
}

static const struct wt_test tests[] = {
	WT_ENTRY(echo_blocking),
	WT_ENTRY(bulk_transfer),
	WT_ENTRY(read_timeout),
	WT_ENTRY(timeout_set_later),
	WT_ENTRY(write_timeout),
	WT_ENTRY(nonblocking_caller),
	WT_ENTRY(eof_without_close_notify),
	WT_ENTRY(connection_reset),
	WT_ENTRY(not_a_socket),
	WT_ENTRY(close_fd),
	WT_ENTRY(callback_transport),
	WT_ENTRY(file_transport_not_unwrapped),
};

int
main(int argc, char **argv)
{
	WSADATA wsa;
	struct dlssl_init_opts io;
	struct dlssl_context_opts co;
	const char *bin = wt_bindir(), *top, *lib;
	char *t, *sl;

	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		fprintf(stderr, "check_transport: WSAStartup failed\n");
		return 99;
	}
	if ((t = strdup(bin)) == NULL || (sl = strrchr(t, '\\')) == NULL)
		return 99;
	*sl = '\0';
	top = t;
	lib = wt_str("%s\\stubs\\mock\\libssl-3-x64.dll", top);
	memset(&io, 0, sizeof(io));
	io.libssl_path = lib;
	io.mode = DLSSL_MODE_PRIVATE;
	if (dlssl_ensure_initialized(&io) < 0) {
		fprintf(stderr, "check_transport: cannot load the mock OpenSSL %s: %s\n", lib, dlssl_error());
		return 99;
	}
	if (strcmp(dlssl_library_info()->version_text, STUB_OSSL3_TEXT) != 0)
		return 99;
	memset(&co, 0, sizeof(co));
	co.no_default_verify_paths = 1;
	if ((ctx = dlssl_make_context(&co)) == NULL) {
		fprintf(stderr, "check_transport: context: %s\n", dlssl_error());
		return 99;
	}
	return wt_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
