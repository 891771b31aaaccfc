/*
 * dlssl with the real OpenSSL DLLs for Windows (libssl-3-x64.dll and
 * libcrypto-3-x64.dll, 3.x) under wine: TLS over Winsock SOCKETs, in one
 * process, a client stream in the test's thread and a server stream in a
 * second thread.  What the stub and mock DLLs could not reach:
 *
 *   a verified handshake and echo, with a read timeout that expires
 *   a client certificate required, presented and checked; refused when absent
 *   a verification failure (DLSSL_ERR_VERIFY; dlssl.exe exits 3 for it)
 *   1 MiB in one dlssl_write with a write timeout and a slow reader
 *   1 MiB in one dlssl_write on a socket the caller made non-blocking after
 *   the handshake (the stream learns it midway: src/transport.c's _WIN32
 *   block and src/stream_io.c's write path), in a child process so that a
 *   crash there is a failed test, not a dead runner
 *   Winsock errors through OpenSSL's record layer: a reset connection, a
 *   peer that went away, a value that is not a socket
 *   reloads: from DLLs of other names (the 1.1 stubs) to the real ones; to
 *   another copy of the same names and back (the Windows loader would bind
 *   libssl's import to the libcrypto of that name already loaded: dlssl
 *   redirects it), refused with the reason where that cannot be done; of
 *   the same copy (a new generation, older objects STALE)
 *
 * Layout (tests/win32/run.sh): T\bin\ this program and libdlssl-0.dll,
 * T\pki\ the test PKI, T\real\a, T\real\b and T\real\c%TEMP%
 * three copies of the DLLs,
 * T\stubs\ossl111 the 1.1 stub DLLs.
 */
#include "config.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlssl.h"
#include "stub.h"
#include "wintest.h"
#include "wtnet.h"

#define MIB (1UL << 20)
/* The third copy of the DLLs (tests/win32/run.sh), under a name with a '%'. */
#define PERCENT_COPY "c%TEMP%"

static const char *top, *pki, *self;
static struct dlssl_context *cctx, *sctx, *sctx_clientcert, *sctx_untrusted;

static const char *
pkifile(const char *name)
{
	return wt_join(pki, name);
}

static const char *
real_ssl(const char *copy)
{
	return wt_str("%s\\real\\%s\\libssl-3-x64.dll", top, copy);
}

static const char *
real_crypto(const char *copy)
{
	return wt_str("%s\\real\\%s\\libcrypto-3-x64.dll", top, copy);
}

/* ---- contexts ---- */

static struct dlssl_context *
server_context(const char *chain, const char *key, int want_client_cert)
{
	struct dlssl_context_opts o;

	memset(&o, 0, sizeof(o));
	o.no_default_verify_paths = 1;
	o.certificate_chain_file = pkifile(chain);
	o.private_key_file = pkifile(key);
	if (want_client_cert) {
		o.verify_mode = DLSSL_VERIFY_REQUIRED;
		o.ca_file = pkifile("root-ca.crt");
	}
	return dlssl_make_context(&o);
}

static struct dlssl_context *
client_context(void)
{
	struct dlssl_context_opts o;

	memset(&o, 0, sizeof(o));
	o.no_default_verify_paths = 1;
	o.ca_file = pkifile("root-ca.crt");
	o.verify_mode = DLSSL_VERIFY_REQUIRED;
	return dlssl_make_context(&o);
}

static int
make_contexts(void)
{
	dlssl_ctx_free(cctx);
	dlssl_ctx_free(sctx);
	dlssl_ctx_free(sctx_clientcert);
	dlssl_ctx_free(sctx_untrusted);
	cctx = client_context();
	sctx = server_context("localhost-chain.pem", "localhost.key", 0);
	sctx_clientcert = server_context("localhost-chain.pem", "localhost.key", 1);
	sctx_untrusted = server_context("untrusted.crt", "untrusted.key", 0);
	return cctx && sctx && sctx_clientcert && sctx_untrusted ? 0 : -1;
}

static struct dlssl_stream_opts
client_opts(void)
{
	struct dlssl_stream_opts o;

	memset(&o, 0, sizeof(o));
	o.context = cctx;
	o.hostname = "localhost";
	o.verify = DLSSL_VERIFY_REQUIRED;
	return o;
}

/*
 * A writer's end: close_notify, then read what the server still sends
 * (session tickets, its close_notify) before the socket closes: closing a
 * socket over unread data resets the connection, and the reader would lose
 * the end of the stream.  0, or -1 if the close_notify could not be sent.
 */
static int
finish_writer(struct dlssl_stream *s)
{
	char tmp[256];
	int r = dlssl_shutdown(s);

	while (r == 0 && dlssl_read(s, tmp, sizeof(tmp)) > 0)
		;
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	return r == 0 ? 0 : -1;
}

static void
fill_pattern(unsigned char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = wt_pattern(i);
}

/* ---- tests ---- */

WT_TEST(real_library_loaded)
{
	const struct dlssl_library_info *i = dlssl_library_info();

	WT_CHECK(i != NULL && i->loaded, "not loaded");
	WT_CHECK_STR(i->libssl_path, real_ssl("a"));
	WT_CHECK_STR(i->libcrypto_path, wt_str("%s\\real\\a\\libcrypto-3-x64.dll", top));
	WT_CHECK(i->version_major == 3, "version %s", i->version_text);
	WT_CHECK(wt_contains(i->version_text, "OpenSSL 3."), "%s", i->version_text);
	WT_CHECK(!i->host_owned, "host_owned");
}

/* A verified TLS handshake, an echo, then a read timeout that expires. */
WT_TEST(verified_echo_and_timeout)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char buf[8];
	double t0, dt;
	long r;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, sctx, WT_ECHO_WAIT);
	o.read_timeout_ms = 300;
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_stream_verify_result(s) == 0, "verify result %ld", dlssl_stream_verify_result(s));
	WT_CHECK_STR(dlssl_stream_version(s), "TLSv1.3");
	WT_CHECK(dlssl_write(s, "hello", 5) == 5 && dlssl_flush(s) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_read_fully(s, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "%s", dlssl_error());
	t0 = dlssl_monotonic();
	r = dlssl_read(s, buf, 1);
	dt = dlssl_monotonic() - t0;
	WT_CHECK(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "read %ld: %s", r, dlssl_error());
	WT_CHECK(dt >= 0.25 && dt < 10, "timed out after %.3f s, not 0.3", dt);
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
}

/* The server requires a client certificate: presented and verified, or refused. */
WT_TEST(client_certificate)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char buf[8];
	long r = -1;

	/*
	 * Without one first (a later connection could resume the session that
	 * carried one): the server refuses; the client learns it at its first
	 * read, as the end of the connection (0, under wine) or the alert (-1).
	 */
	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, sctx_clientcert, WT_HANDSHAKE);
	o.close_fd = 1;
	o.read_timeout_ms = 20000;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	if (s != NULL) {
		r = dlssl_read(s, buf, 1);
		dlssl_stream_free(s);
	} else {
		closesocket(a);
	}
	WT_CHECK(r <= 0, "the client read %ld bytes without a certificate", r);
	WT_CHECK(!wt_server_join(&sv), "the server accepted a client without a certificate");
	WT_CHECK(sv.err == DLSSL_ERR_VERIFY || sv.err == DLSSL_ERR_TLS, "server error %d: %s",
	    sv.err, sv.msg);
	WT_CHECK(wt_contains(sv.msg, "certificate"), "%s", sv.msg);

	/* With one (leaf and intermediate): verified, and the server sees who. */
	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, sctx_clientcert, WT_ECHO);
	o = client_opts();
	o.certificate_file = pkifile("client-chain.pem");
	o.key_file = pkifile("client.key");
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(dlssl_write(s, "abc", 3) == 3 && dlssl_flush(s) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_read_fully(s, buf, 3) == 3 && memcmp(buf, "abc", 3) == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_close(s) == 0, "%s", dlssl_error());
	dlssl_stream_free(s);
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	WT_CHECK(wt_contains(sv.peer, "dlssl test client"), "peer '%s'", sv.peer);
}

/* A server certificate from a root the client does not trust. */
WT_TEST(verification_failure)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, sctx_untrusted, WT_HANDSHAKE);
	o.read_timeout_ms = 20000;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s == NULL, "an untrusted server was accepted");
	WT_CHECK(dlssl_error_code() == DLSSL_ERR_VERIFY, "error %d: %s", dlssl_error_code(),
	    dlssl_error());
	WT_CHECK(wt_contains(dlssl_error(), "issuer"), "%s", dlssl_error());
	closesocket(a);
	wt_server_join(&sv);
}

/* 1 MiB in one call; a write timeout makes dlssl wait with WSAPoll as the reader lags. */
WT_TEST(large_write_with_timeout)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	unsigned char *buf = malloc(MIB);
	int small = 16384;
	long r;

	WT_CHECK(buf != NULL, "out of memory");
	fill_pattern(buf, MIB);
	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	setsockopt(a, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof(small));
	setsockopt(b, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof(small));
	sv.slow = 1;
	wt_server_start(&sv, b, sctx, WT_SINK);
	o.write_timeout_ms = 20000;
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	r = dlssl_write(s, buf, MIB);
	free(buf);
	WT_CHECK(r == (long)MIB, "write: %ld %s", r, dlssl_error());
	WT_CHECK(finish_writer(s) == 0, "%s", dlssl_error());
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	WT_CHECK(sv.got == MIB, "the server got %llu of %lu bytes", sv.got, MIB);
}

/*
 * The child's half of large_write_goes_nonblocking: a blocking stream whose
 * socket the caller makes non-blocking after the handshake, then 1 MiB in
 * one dlssl_write to a slow reader; the caller polls and finishes the write.
 * 0 on success, else a message on stderr.
 */
static int
child_nonblock_write(void)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	unsigned char *buf = malloc(MIB);
	u_long on = 1;
	int small = 16384;
	size_t off = 0;
	long r = 0;
	int i, wants = 0;

	if (buf == NULL || wt_tcp_pair(&a, &b) != 0)
		return fprintf(stderr, "setup failed\n"), 1;
	fill_pattern(buf, MIB);
	/* Small socket buffers: the lagging reader makes the sends block early. */
	setsockopt(a, SOL_SOCKET, SO_SNDBUF, (const char *)&small, sizeof(small));
	setsockopt(b, SOL_SOCKET, SO_RCVBUF, (const char *)&small, sizeof(small));
	sv.slow = 1;
	wt_server_start(&sv, b, sctx, WT_SINK);
	o.close_fd = 1;
	if ((s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o)) == NULL)
		return fprintf(stderr, "client: %s\n", dlssl_error()), 1;
	if (ioctlsocket(a, FIONBIO, &on) != 0)
		return fprintf(stderr, "FIONBIO: %d\n", WSAGetLastError()), 1;
	for (i = 0; i < 100000 && off < MIB; i++) {
		WSAPOLLFD p;

		r = dlssl_write(s, buf + off, MIB - off);
		if (r > 0) {
			off += (size_t)r;
			continue;
		}
		if (r != DLSSL_WANT_POLLOUT && r != DLSSL_WANT_POLLIN)
			return fprintf(stderr, "write at %zu: %ld %s\n", off, r, dlssl_error()), 1;
		wants++;
		p.fd = a;
		p.events = r == DLSSL_WANT_POLLIN ? POLLIN : POLLOUT;
		p.revents = 0;
		WSAPoll(&p, 1, 200);
	}
	for (i = 0; i < 1000 && (r = dlssl_flush(s)) != 0; i++) {
		WSAPOLLFD p = { a, POLLOUT, 0 };

		if (r != DLSSL_WANT_POLLOUT && r != DLSSL_WANT_POLLIN)
			return fprintf(stderr, "flush: %ld %s\n", r, dlssl_error()), 1;
		WSAPoll(&p, 1, 200);
	}
	if (off != MIB || r != 0)
		return fprintf(stderr, "wrote %zu of %lu bytes (last %ld)\n", off, MIB, r), 1;
	/* The close_notify, then EOF for the reader: blocking again to finish. */
	on = 0;
	ioctlsocket(a, FIONBIO, &on);
	if (finish_writer(s) < 0)
		return fprintf(stderr, "shutdown: %s\n", dlssl_error()), 1;
	if (!wt_server_join(&sv))
		return fprintf(stderr, "server: %s\n", sv.msg), 1;
	if (sv.got != MIB)
		return fprintf(stderr, "the server got %llu of %lu bytes\n", sv.got, MIB), 1;
	printf("wants %d\n", wants);
	free(buf);
	return 0;
}

WT_TEST(large_write_goes_nonblocking)
{
	struct wt_run r;
	int wants = -1;

	wt_run(&r, self, WT_LIST("--child", "nonblock_write"), NULL, NULL);
	/* 0xC0000005: the write path overran a buffer (src/stream_io.c). */
	WT_CHECK(r.status != (int)0xC0000005, "the child crashed with an access violation "
	    "(a heap overflow in dlssl_write's non-blocking path?): %s", wt_desc(&r));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK(sscanf(r.out, "wants %d", &wants) == 1, "%s", r.out);
	/* The reader lagged: the write did go non-blocking midway. */
	WT_CHECK(wants > 0, "no write would block: %s", r.out);
}

/* WSAECONNRESET through OpenSSL's record layer (tests/win32/wtnet.c). */
WT_TEST(wsa_connection_reset)
{
	const char *why = wt_reset_case(sctx, client_opts());

	WT_CHECK(why == NULL, "%s", why);
}

/* A peer whose connection ends without close_notify (reset): TRUNCATED, named. */
WT_TEST(wsa_eof_without_close_notify)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	char c;
	long r;

	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, sctx, WT_RESET);
	o.read_timeout_ms = 20000;
	s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o);
	WT_CHECK(s != NULL, "%s", dlssl_error());
	WT_CHECK(wt_server_join(&sv), "server: %s", sv.msg);
	r = dlssl_read(s, &c, 1);
	WT_CHECK(r == -1, "read %ld", r);
	WT_CHECK(dlssl_error_code() == DLSSL_ERR_TRUNCATED, "%d %s", dlssl_error_code(),
	    dlssl_error());
	WT_CHECK(wt_contains(dlssl_error(), "close_notify"), "%s", dlssl_error());
	dlssl_stream_free(s);
	closesocket(a);
}

/* A value that is not a SOCKET: WSAENOTSOCK, refused up front. */
WT_TEST(wsa_not_a_socket)
{
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;

	s = dlssl_make_client_stream(dlssl_transport_fd(0x7ff0), &o);
	WT_CHECK(s == NULL, "a stream over a value that is no socket");
	WT_CHECK(dlssl_error_code() == DLSSL_ERR_USAGE || dlssl_error_code() == DLSSL_ERR_IO,
	    "%d %s", dlssl_error_code(), dlssl_error());
	WT_CHECK(dlssl_error() != NULL && dlssl_error()[0] != '\0', "no message");
}

/* A verified echo of WORD over a new connection; NULL, or what failed. */
static const char *
echo_once(const char *word)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream_opts o = client_opts();
	struct dlssl_stream *s;
	size_t n = strlen(word);
	char buf[64];
	const char *why = NULL;

	if (wt_tcp_pair(&a, &b) != 0)
		return wt_str("socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, sctx, WT_ECHO);
	o.close_fd = 1;
	if ((s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o)) == NULL) {
		why = wt_str("client: %s", dlssl_error());
		closesocket(a);
	} else if (dlssl_write(s, word, n) != (long)n || dlssl_flush(s) != 0 ||
	    dlssl_read_fully(s, buf, n) != (long)n || memcmp(buf, word, n) != 0 ||
	    dlssl_close(s) != 0) {
		why = wt_str("echo: %s", dlssl_error());
	}
	dlssl_stream_free(s);
	if (!wt_server_join(&sv) && why == NULL)
		why = wt_str("server: %s", sv.msg);
	return why;
}

/* Is anything named dlssl-* left in the temporary directory?  1 if so. */
static int
temp_leftovers(void)
{
	char tmp[MAX_PATH + 1];
	WIN32_FIND_DATAA fd;
	HANDLE f;
	DWORD n = GetTempPathA(sizeof(tmp), tmp);

	if (n == 0 || n >= sizeof(tmp))
		return 1;
	if ((f = FindFirstFileA(wt_str("%sdlssl-*", tmp), &fd)) == INVALID_HANDLE_VALUE)
		return 0;
	FindClose(f);
	return 1;
}

/*
 * A reload to another copy of the same DLLs (same names, other directory).
 * Windows alone would bind copy b's import of libcrypto-3-x64.dll to the
 * module of that name already loaded (copy a's, which OpenSSL 3 pins);
 * dlssl redirects it to b's own file (an activation context), so TLS runs
 * on copy b: the report names b's libcrypto, which the probe found through
 * libssl's bound imports; the manifest written for that is deleted again.
 * Objects of the old generation are refused.  A
 * reload back to copy a (both copies loaded now) and of the same copy work
 * too.
 */
WT_TEST(reload_same_names)
{
	struct dlssl_init_opts io;
	const struct dlssl_library_info *i;
	struct dlssl_context *old = cctx;
	unsigned long gen = dlssl_generation();
	const char *why;
	SOCKET a, b;
	struct dlssl_stream_opts o;

	memset(&io, 0, sizeof(io));
	io.libssl_path = real_ssl("b");
	WT_CHECK(dlssl_reload_opts(&io) == 0, "%s", dlssl_error());
	i = dlssl_library_info();
	WT_CHECK_STR(i->libssl_path, real_ssl("b"));
	WT_CHECK_STR(i->libcrypto_path, real_crypto("b"));
	WT_CHECK(dlssl_generation() == gen + 1, "generation %lu after %lu", dlssl_generation(), gen);
	/* The redirecting manifest and its directory are gone. */
	WT_CHECK(!temp_leftovers(), "a dlssl-* manifest directory is left in the temporary directory");
	WT_CHECK(wt_tcp_pair(&a, &b) == 0, "socket pair: %d", WSAGetLastError());
	o = client_opts();
	o.context = old;
	WT_CHECK(dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o) == NULL &&
	    dlssl_error_code() == DLSSL_ERR_STALE, "%s", dlssl_error());
	closesocket(a);
	closesocket(b);
	/* make_contexts frees the first generation's contexts (allowed after a reload). */
	WT_CHECK(make_contexts() == 0, "contexts: %s", dlssl_error());
	WT_CHECK((why = echo_once("copy-b")) == NULL, "%s", why);

	io.libssl_path = real_ssl("a");
	WT_CHECK(dlssl_reload_opts(&io) == 0, "%s", dlssl_error());
	WT_CHECK_STR(dlssl_library_info()->libssl_path, real_ssl("a"));
	WT_CHECK_STR(dlssl_library_info()->libcrypto_path, real_crypto("a"));
	WT_CHECK(make_contexts() == 0, "contexts: %s", dlssl_error());
	WT_CHECK((why = echo_once("copy-a")) == NULL, "%s", why);

	WT_CHECK(dlssl_reload() == 0, "%s", dlssl_error());
	WT_CHECK(dlssl_generation() == gen + 3, "generation %lu after %lu", dlssl_generation(), gen);
	WT_CHECK_STR(dlssl_library_info()->libssl_path, real_ssl("a"));
	WT_CHECK(make_contexts() == 0, "contexts: %s", dlssl_error());
	WT_CHECK((why = echo_once("again")) == NULL, "%s", why);
}

/*
 * When the import cannot be redirected (here: a copy under a directory
 * named c%TEMP%, which a manifest would expand to the temporary
 * directory), the reload is refused before libssl is loaded, saying where
 * the import would go, why, and what to do; the library in use stays.
 */
WT_TEST(reload_same_names_refused)
{
	struct dlssl_init_opts io;
	unsigned long gen = dlssl_generation();
	const char *why, *e;

	memset(&io, 0, sizeof(io));
	io.libssl_path = real_ssl(PERCENT_COPY);
	WT_CHECK(dlssl_reload_opts(&io) == -1, "copy %s was loaded", PERCENT_COPY);
	WT_CHECK(dlssl_error_code() == DLSSL_ERR_LOAD, "%d %s", dlssl_error_code(), dlssl_error());
	e = dlssl_error();
	WT_CHECK(wt_contains(e, wt_str("its import of libcrypto-3-x64.dll would bind to %s,",
	    real_crypto("a"))), "%s", e);
	WT_CHECK(wt_contains(e, "use DLLs with other names or restart the process") &&
	    wt_contains(e, "has a '%'"), "%s", e);
	WT_CHECK(dlssl_generation() == gen, "generation %lu after %lu", dlssl_generation(), gen);
	WT_CHECK_STR(dlssl_library_info()->libssl_path, real_ssl("a"));
	WT_CHECK((why = echo_once("still")) == NULL, "%s", why);
}

/*
 * The child's half of reload_other_names: a process that started on DLLs
 * of other names (the 1.1 stubs, libssl-1_1-x64.dll) reloads to the real
 * copy b and talks TLS.  0, or a message on stderr.
 */
static int
child_reload_names(void)
{
	struct dlssl_init_opts io;
	const char *why;

	memset(&io, 0, sizeof(io));
	io.libssl_path = wt_str("%s\\stubs\\ossl111\\libssl-1_1-x64.dll", top);
	if (dlssl_ensure_initialized(&io) < 0)
		return fprintf(stderr, "stub: %s\n", dlssl_error()), 1;
	printf("first %s\n", dlssl_library_info()->version_text);
	io.libssl_path = real_ssl("b");
	if (dlssl_reload_opts(&io) < 0)
		return fprintf(stderr, "reload: %s\n", dlssl_error()), 1;
	printf("then %s\n", dlssl_library_info()->libssl_path);
	if (make_contexts() < 0)
		return fprintf(stderr, "contexts: %s\n", dlssl_error()), 1;
	if ((why = echo_once("hello")) != NULL)
		return fprintf(stderr, "%s\n", why), 1;
	return 0;
}

WT_TEST(reload_other_names)
{
	struct wt_run r;

	wt_run(&r, self, WT_LIST("--child", "reload_names"), NULL, NULL);
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK(wt_contains(r.out, "first " STUB_OSSL111_TEXT), "%s", r.out);
	WT_CHECK(wt_contains(r.out, wt_str("then %s", real_ssl("b"))), "%s", r.out);
}

static const struct wt_test tests[] = {
	WT_ENTRY(real_library_loaded),
	WT_ENTRY(verified_echo_and_timeout),
	WT_ENTRY(client_certificate),
	WT_ENTRY(verification_failure),
	WT_ENTRY(large_write_with_timeout),
	WT_ENTRY(large_write_goes_nonblocking),
	WT_ENTRY(wsa_connection_reset),
	WT_ENTRY(wsa_eof_without_close_notify),
	WT_ENTRY(wsa_not_a_socket),
	WT_ENTRY(reload_other_names),
	WT_ENTRY(reload_same_names_refused),
	WT_ENTRY(reload_same_names), /* last: it reloads */
};

int
main(int argc, char **argv)
{
	WSADATA wsa;
	struct dlssl_init_opts io;
	char *t, *sl;

	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
		fprintf(stderr, "check_real: WSAStartup failed\n");
		return 99;
	}
	if ((t = strdup(wt_bindir())) == NULL || (sl = strrchr(t, '\\')) == NULL)
		return 99;
	self = strdup(wt_join(t, "check_real.exe"));
	*sl = '\0';
	top = t;
	pki = strdup(wt_join(top, "pki"));
	if (argc == 3 && strcmp(argv[1], "--child") == 0 && strcmp(argv[2], "reload_names") == 0)
		return child_reload_names();
	memset(&io, 0, sizeof(io));
	io.libssl_path = strdup(real_ssl("a"));
	io.mode = DLSSL_MODE_PRIVATE;
	if (dlssl_ensure_initialized(&io) < 0) {
		fprintf(stderr, "check_real: cannot load %s: %s\n", io.libssl_path, dlssl_error());
		return 99;
	}
	if (make_contexts() < 0) {
		fprintf(stderr, "check_real: contexts: %s\n", dlssl_error());
		return 99;
	}
	if (argc == 3 && strcmp(argv[1], "--child") == 0 && strcmp(argv[2], "nonblock_write") == 0)
		return child_nonblock_write();
	return wt_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
