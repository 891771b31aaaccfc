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

static struct dlssl_context *ctx;

static int
sockfd(SOCKET s)
{
	/* The documented cast (include/dlssl.h, dlssl_transport_fd). */
	return (int)s;
}

/* A connected loopback TCP pair. */
static int
tcp_pair(SOCKET *a, SOCKET *b)
{
	struct sockaddr_in sin;
	int len = sizeof(sin);
	SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

	*a = *b = INVALID_SOCKET;
	if (l == INVALID_SOCKET)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(l, 1) != 0 ||
	    getsockname(l, (struct sockaddr *)&sin, &len) != 0)
		goto fail;
	if ((*a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET ||
	    connect(*a, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    (*b = accept(l, NULL, NULL)) == INVALID_SOCKET)
		goto fail;
	closesocket(l);
	return 0;
fail:
	closesocket(l);
	if (*a != INVALID_SOCKET)
		closesocket(*a);
	*a = INVALID_SOCKET;
	return -1;
}

/* Is the socket in blocking mode?  (Windows cannot say: a timed recv tells.) */
static int
is_blocking(SOCKET s)
{
	DWORD to = 150;
	char c;
	int r, e;

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&to, sizeof(to));
	r = recv(s, &c, 1, MSG_PEEK);
	e = WSAGetLastError();
	to = 0;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&to, sizeof(to));
	if (r == SOCKET_ERROR && e == WSAEWOULDBLOCK)
		return 0;
	if (r == SOCKET_ERROR && e == WSAETIMEDOUT)
		return 1;
	return -1; /* data, EOF or another error: no answer */
}

/* ---- the server thread ---- */

enum script {
	S_ECHO,		/* echo until the client's close_notify, then close */
	S_SINK,		/* read everything and check the pattern; reply with the count */
	S_SILENT,	/* handshake, then wait for done; then close */
	S_SILENT_NOREAD,/* handshake, then wait for done without reading */
	S_LATE,		/* handshake on go, send "x" on go2, close on done */
	S_FIN,		/* handshake, then close the socket without close_notify */
	S_RESET,	/* handshake; on go reset the connection (linger 0, unread data) */
};

struct server {
	SOCKET sock;
	enum script script;
	HANDLE go, go2, done;
	HANDLE thread;
	int ok;
	char msg[512];
	unsigned long long got;
};

static unsigned char
pattern(unsigned long long i)
{
	return (unsigned char)(i * 7 + (i >> 9));
}

#define SFAIL(...) \
	do { \
		snprintf(sv->msg, sizeof(sv->msg), __VA_ARGS__); \
		goto out; \
	} while (0)

static DWORD WINAPI
server_main(LPVOID arg)
{
	struct server *sv = arg;
	struct dlssl_stream_opts o;
	struct dlssl_stream *s = NULL;
	static unsigned char buf[65536];
	long n;

	memset(&o, 0, sizeof(o));
	o.context = ctx;
	o.close_fd = 1;
	if (sv->script == S_LATE)
		WaitForSingleObject(sv->go, INFINITE);
	if ((s = dlssl_make_server_stream(dlssl_transport_fd(sockfd(sv->sock)), &o)) == NULL)
		SFAIL("server stream: %s", dlssl_error());
	sv->sock = INVALID_SOCKET; /* the stream owns it now */
	switch (sv->script) {
	case S_ECHO:
		while ((n = dlssl_read(s, buf, sizeof(buf))) > 0)
			if (dlssl_write(s, buf, (size_t)n) != n || dlssl_flush(s) != 0)
				SFAIL("echo write: %s", dlssl_error());
		if (n != 0)
			SFAIL("echo read: %ld %s", n, dlssl_error());
		break;
	case S_SINK:
		while ((n = dlssl_read(s, buf, sizeof(buf))) > 0) {
			long k;

			for (k = 0; k < n; k++)
				if (buf[k] != pattern(sv->got + (unsigned long long)k))
					SFAIL("byte %llu differs", sv->got + (unsigned long long)k);
			sv->got += (unsigned long long)n;
		}
		if (n != 0)
			SFAIL("sink read: %ld %s", n, dlssl_error());
		break;
	case S_SILENT:
	case S_SILENT_NOREAD:
		WaitForSingleObject(sv->done, INFINITE);
		break;
	case S_LATE:
		WaitForSingleObject(sv->go2, INFINITE);
		if (dlssl_write(s, "x", 1) != 1 || dlssl_flush(s) != 0)
			SFAIL("late write: %s", dlssl_error());
		WaitForSingleObject(sv->done, INFINITE);
		break;
	case S_FIN:
		dlssl_close_abort(s); /* no close_notify; closes the socket */
		break;
	case S_RESET: {
		struct linger lg = { 1, 0 };
		SOCKET raw = (SOCKET)(intptr_t)dlssl_stream_fd(s);

		WaitForSingleObject(sv->go, INFINITE);
		setsockopt(raw, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg));
		dlssl_close_abort(s);
		break;
	}
	}
	sv->ok = 1;
out:
	dlssl_stream_free(s);
	if (sv->sock != INVALID_SOCKET)
		closesocket(sv->sock);
	return 0;
}

static void
server_start(struct server *sv, SOCKET sock, enum script script)
{
	memset(sv, 0, sizeof(*sv));
	sv->sock = sock;
	sv->script = script;
	sv->go = CreateEventW(NULL, TRUE, FALSE, NULL);
	sv->go2 = CreateEventW(NULL, TRUE, FALSE, NULL);
	sv->done = CreateEventW(NULL, TRUE, FALSE, NULL);
	sv->thread = CreateThread(NULL, 0, server_main, sv, 0, NULL);
}

/* Let the server go on and wait for it; 1 if its script succeeded. */
static int
server_join(struct server *sv)
{
	SetEvent(sv->go);
	SetEvent(sv->go2);
	SetEvent(sv->done);
	if (WaitForSingleObject(sv->thread, 30000) != WAIT_OBJECT_0) {
		snprintf(sv->msg, sizeof(sv->msg), "the server thread hangs");
		return 0;
	}
	CloseHandle(sv->thread);
	CloseHandle(sv->go);
	CloseHandle(sv->go2);
	CloseHandle(sv->done);
	return sv->ok;
}

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
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char buf[16];

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	server_start(&sv, b, S_ECHO);
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_fd(s) == sockfd(a), "stream fd %d", dlssl_stream_fd(s));
	WT_CHECK(dlssl_write(s, "hello", 5) == 5 && dlssl_flush(s) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_read_fully(s, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
	/* Not close_fd: the socket is still the caller's, with the server's close_notify. */
	WT_CHECK(recv(a, buf, sizeof(buf), 0) == 3 && buf[0] == 'C', "no close_notify record");
	closesocket(a);
}

/* Megabytes in odd-sized writes: partial sends, record boundaries, large direct writes. */
WT_TEST(bulk_transfer)
{
	SOCKET a, b;
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	static unsigned char buf[300000];
	unsigned long long sent = 0, total = 6ULL << 20;
	size_t sizes[] = { 1, 100, 16384, 16385, 299999, 4096, 7 }, k = 0, n, i;

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	server_start(&sv, b, S_SINK);
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	while (sent < total) {
		n = sizes[k++ % (sizeof(sizes) / sizeof(sizes[0]))];
		if (n > total - sent)
			n = (size_t)(total - sent);
		for (i = 0; i < n; i++)
			buf[i] = pattern(sent + i);
		WT_CHECK(dlssl_write(s, buf, n) == (long)n, "at %llu: %s", sent, dlssl_error());
		sent += n;
	}
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
	WT_CHECK(sv.got == total, "the server got %llu of %llu bytes", sv.got, total);
}

/* A read timeout: ioctlsocket(FIONBIO) and WSAPoll; the blocking mode comes back. */
WT_TEST(read_timeout)
{
	SOCKET a, b;
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char c;
	double t0, dt;
	long r;

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	server_start(&sv, b, S_SILENT);
	o.read_timeout_ms = 300;
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	t0 = dlssl_monotonic();
	r = dlssl_read(s, &c, 1);
	dt = dlssl_monotonic() - t0;
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "read %ld: %s", r, dlssl_error());
	WT_CHECK(dt >= 0.25 && dt < 10, "timed out after %.3f s, not 0.3", dt);
	dlssl_stream_free(s);
	WT_CHECK(is_blocking(a) == 1, "the socket was not made blocking again");
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
	closesocket(a);
}

/* Timeouts set after the handshake switch a blocking socket to polling. */
WT_TEST(timeout_set_later)
{
	SOCKET a, b;
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char c;
	long r;

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	server_start(&sv, b, S_SILENT);
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_set_timeouts(s, 200, 200, 0) == 0, "%s", dlssl_error());
	r = dlssl_read(s, &c, 1);
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "read %ld: %s", r, dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(is_blocking(a) == 1, "the socket was not made blocking again");
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
	closesocket(a);
}

/* A write timeout: the peer stops reading, the send buffers fill, WSAPoll(POLLOUT) times out. */
WT_TEST(write_timeout)
{
	SOCKET a, b;
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	static unsigned char buf[65536];
	int small = 8192;
	unsigned long long sent = 0;
	long r = 0;

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	setsockopt(a, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof(small));
	setsockopt(b, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof(small));
	server_start(&sv, b, S_SILENT_NOREAD);
	o.write_timeout_ms = 300;
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	while (sent < (256ULL << 20) && (r = dlssl_write(s, buf, sizeof(buf))) > 0)
		sent += (unsigned long long)r;
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "write %ld after %llu bytes: %s",
	    r, sent, dlssl_error());
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	closesocket(a);
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
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
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	u_long on = 1;
	char c = 0;
	long r;

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	WT_CHECK(ioctlsocket(a, FIONBIO, &on) == 0, "FIONBIO: %d", WSAGetLastError());
	server_start(&sv, b, S_LATE);
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
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
	WT_CHECK(is_blocking(a) == 0, "the caller's non-blocking socket became blocking");
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
	closesocket(a);
}

/* The peer closes without close_notify: truncation, unless lax_eof. */
WT_TEST(eof_without_close_notify)
{
	SOCKET a, b;
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char c;
	long r;
	int lax;

	for (lax = 0; lax <= 1; lax++) {
		WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
		server_start(&sv, b, S_FIN);
		o.lax_eof = lax;
		s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
		WT_CHECK(s != NULL, "%s", dlssl_error());
		r = dlssl_read(s, &c, 1);
		if (lax)
			WT_CHECK(r == 0, "lax: read %ld: %s", r, dlssl_error());
		else
			WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TRUNCATED, "read %ld: %s", r,
			    dlssl_error());
		dlssl_stream_free(s);
		closesocket(a);
		WT_CHECK(server_join(&sv), "server: %s", sv.msg);
	}
}

/*
 * A reset: WSAECONNRESET becomes ECONNRESET, an I/O error that says so.
 * (Windows reports it to recv and send; wine's recv returns 0 after a
 * reset, so the test sends.)
 */
WT_TEST(connection_reset)
{
	SOCKET a, b;
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	static char buf[4096];
	int r = 0, i;

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	server_start(&sv, b, S_RESET);
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	/* Data the server never reads: closing over it resets the connection. */
	WT_CHECK(dlssl_write(s, "unread", 6) == 6 && dlssl_flush(s) == 0, "%s", dlssl_error());
	Sleep(100);
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
	Sleep(100);
	for (i = 0; i < 10 && r == 0; i++)
		r = dlssl_write(s, buf, sizeof(buf)) < 0 ? -1 : dlssl_flush(s);
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_IO, "write: %d %d %s", r,
	    dlssl_error_code(), dlssl_error());
	WT_CHECK(wt_contains(dlssl_error(), "Connection reset by peer") ||
	    wt_contains(dlssl_error(), "Broken pipe"), "%s", dlssl_error());
	dlssl_stream_free(s);
	closesocket(a);
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
	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	closesocket(a);
	closesocket(b);
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s == NULL && dlssl_error_code() == DLSSL_ERR_USAGE, "closed socket: %s", dlssl_error());
}

/* close_fd: the stream closes the SOCKET (closesocket). */
WT_TEST(close_fd)
{
	SOCKET a, b;
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	int type, len = sizeof(type);

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	server_start(&sv, b, S_ECHO);
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(getsockopt(a, SOL_SOCKET, SO_TYPE, (char *)&type, &len) != 0 &&
	    WSAGetLastError() == WSAENOTSOCK, "the socket is still open");
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
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
	struct server sv;
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char buf[16];

	WT_CHECK(tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	server_start(&sv, b, S_ECHO);
	closed_by_stream = 0;
	s = dlssl_make_client_stream(dlssl_transport_io(&ops, (void *)(uintptr_t)a), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_fd(s) == -1, "an io transport has no fd");
	WT_CHECK(dlssl_write(s, "ping", 4) == 4 && dlssl_flush(s) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_read_fully(s, buf, 4) == 4 && memcmp(buf, "ping", 4) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(closed_by_stream, "the close callback was not called");
	WT_CHECK(server_join(&sv), "server: %s", sv.msg);
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
