/*
 * Statements of the man pages that no other test shows, one test each:
 *
 *  dlssl_read(3)   after the peer's close_notify, dlssl_read returns 0 (again
 *                  and again) and the stream can still write: the peer may
 *                  have only half-closed; at the end of the stream dlssl_read
 *                  does not flush; on a non-blocking stream a flush that
 *                  would block does not hold up a read; dlssl_read_fully
 *                  returns -1 for an error after some bytes.
 *  dlssl_make_client_stream(3)
 *                  dlssl reads nothing past the peer's close_notify, so after
 *                  dlssl_close an fd (given without close_fd) is the caller's
 *                  again with the bytes that followed; a FILE made unbuffered
 *                  before a plain exchange leaves the TLS bytes that follow
 *                  to the stream, unwrapped or through stdio.
 *  dlssl_make_context(3)
 *                  ca_data trusts every PEM certificate it holds and refuses
 *                  DER; naming any CA (or no_default_verify_paths) leaves the
 *                  system store out.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls_test.h"

static struct dlssl_context *server_ctx, *client_ctx;

static void
setup(void)
{
	server_ctx = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	client_ctx = tt_client_ctx();
}

static void
teardown(void)
{
	dlssl_ctx_free(server_ctx);
	dlssl_ctx_free(client_ctx);
}

/* A peer thread: a server stream over fd, then what the test asks. */
struct peer {
	int fd;
	void (*run)(struct peer *, struct dlssl_stream *);
	atomic_int go;      /* set by the test when the peer may go on */
	char got[64];       /* what the peer read */
	long ngot;
	int ok;
	pthread_t thread;
};

static void *
peer_main(void *arg)
{
	struct peer *p = arg;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;

	o.context = server_ctx;
	s = dlssl_make_server_stream(dlssl_transport_fd(p->fd), &o);
	if (s != NULL) {
		p->run(p, s);
		dlssl_stream_free(s);
	}
	close(p->fd);
	return NULL;
}

static void
wait_go(struct peer *p)
{
	int i;

	for (i = 0; i < 1000 && !atomic_load(&p->go); i++)
		usleep(10000);
}

/* Wait for what a WANT code asks (bounded). */
static void
wait_for(int fd, long want)
{
	struct pollfd pf = { fd, want == DLSSL_WANT_POLLIN ? POLLIN : POLLOUT, 0 };

	ck_assert_msg(want == DLSSL_WANT_POLLIN || want == DLSSL_WANT_POLLOUT, "%ld: %s", want,
	    dlssl_error());
	ck_assert_int_ge(poll(&pf, 1, 5000), 0);
}

/* A verified client over fds[0] (not owned; O_NONBLOCK if nonblock) to a peer over fds[1]. */
static struct dlssl_stream *
start_client(struct peer *p, void (*run)(struct peer *, struct dlssl_stream *), int fds[2],
    int nonblock)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int r, i;

	tt_socketpair(fds);
	memset(p, 0, sizeof(*p));
	p->fd = fds[1];
	p->run = run;
	ck_assert_int_eq(pthread_create(&p->thread, NULL, peer_main, p), 0);
	if (nonblock)
		ck_assert_int_eq(fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK), 0);
	o.context = client_ctx;
	o.hostname = "localhost";
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	for (i = 0; i < 1000 && (r = dlssl_handshake(s)) != 0; i++)
		wait_for(fds[0], r);
	ck_assert_int_eq(dlssl_handshake(s), 0);
	return s;
}

static struct dlssl_stream *
start(struct peer *p, void (*run)(struct peer *, struct dlssl_stream *), int fds[2])
{
	return start_client(p, run, fds, 0);
}

/* Half-close, then read what the other side still sends until its close_notify. */
static void
half_close_then_read(struct peer *p, struct dlssl_stream *s)
{
	long n;

	if (dlssl_shutdown(s) != 0)
		return;
	wait_go(p);
	while (p->ngot < (long)sizeof(p->got) &&
	    (n = dlssl_read(s, p->got + p->ngot, sizeof(p->got) - (size_t)p->ngot)) > 0)
		p->ngot += n;
	p->ok = dlssl_read(s, p->got, 1) == 0;
}

START_TEST(read_after_peer_half_close)
{
	struct peer p;
	int fds[2];
	char b[8];
	struct dlssl_stream *s = start(&p, half_close_then_read, fds);

	/* The peer's close_notify: the end of the stream, every time it is asked. */
	ck_assert_int_eq(dlssl_read(s, b, sizeof(b)), 0);
	ck_assert_int_eq(dlssl_read(s, b, sizeof(b)), 0);
	ck_assert_int_eq(dlssl_listen(s), 1);
	ck_assert(dlssl_stream_is_open(s));
	/* Written now, buffered: a read at the end of the stream does not send it. */
	ck_assert_int_eq(dlssl_write(s, "answer", 6), 6);
	ck_assert_int_eq(dlssl_read(s, b, sizeof(b)), 0);
	atomic_store(&p.go, 1);
	usleep(100000);
	ck_assert_int_eq(p.ngot, 0);
	/* dlssl_flush (or dlssl_close) does; the half-closed peer reads it. */
	ck_assert_int_eq(dlssl_flush(s), 0);
	ck_assert_int_eq(dlssl_close(s), 0);
	dlssl_stream_free(s);
	pthread_join(p.thread, NULL);
	ck_assert_int_eq(p.ngot, 6);
	ck_assert(memcmp(p.got, "answer", 6) == 0);
	ck_assert_msg(p.ok, "the peer did not see our close_notify");
	close(fds[0]);
}
END_TEST

/* Send a line, then stop reading until told, then read everything. */
static void
talk_then_stall(struct peer *p, struct dlssl_stream *s)
{
	char buf[16384];
	long n;

	if (dlssl_write(s, "hello", 5) != 5 || dlssl_flush(s) != 0)
		return;
	wait_go(p);
	while ((n = dlssl_read(s, buf, sizeof(buf))) > 0)
		p->ngot += n;
	p->ok = n == 0;
}

START_TEST(nonblocking_read_not_held_up_by_output)
{
	static char big[1 << 16];
	struct peer p;
	int fds[2], i, sndbuf = 4096;
	long r = 0, sent = 0;
	char b[8];
	struct dlssl_stream *s = start_client(&p, talk_then_stall, fds, 1);

	ck_assert_int_eq(setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	/* Fill the socket: the peer is not reading, so output ends up waiting. */
	for (i = 0; i < 1000; i++) {
		r = dlssl_write(s, big, sizeof(big));
		if (r < 0)
			break;
		sent += r;
	}
	ck_assert_msg(r == DLSSL_WANT_POLLOUT, "write returned %ld: %s", r, dlssl_error());
	/* The peer's "hello" is still read, though the flush before it would block. */
	for (i = 0; i < 1000; i++) {
		r = dlssl_read(s, b, sizeof(b));
		if (r != DLSSL_WANT_POLLIN && r != DLSSL_WANT_POLLOUT)
			break;
		wait_for(fds[0], DLSSL_WANT_POLLIN);
	}
	ck_assert_msg(r == 5, "read returned %ld: %s", r, dlssl_error());
	ck_assert(memcmp(b, "hello", 5) == 0);
	/* Now let the peer drain; everything written arrives. */
	atomic_store(&p.go, 1);
	for (i = 0; i < 2000 && (r = dlssl_flush(s)) != 0; i++)
		wait_for(fds[0], r);
	ck_assert_int_eq(r, 0);
	for (i = 0; i < 1000 && (r = dlssl_shutdown(s)) != 0; i++)
		wait_for(fds[0], r);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(dlssl_close(s), 0);
	dlssl_stream_free(s);
	pthread_join(p.thread, NULL);
	ck_assert_int_eq(p.ngot, sent);
	close(fds[0]);
}
END_TEST

/* Close the TLS session (close_notify both ways), then talk in the clear. */
static void
close_then_plain(struct peer *p, struct dlssl_stream *s)
{
	char b[8];

	if (dlssl_shutdown(s) != 0)
		return;
	/* close_notify and the clear text go out together. */
	if (write(p->fd, "PLAIN", 5) != 5)
		return;
	p->ok = dlssl_read(s, b, sizeof(b)) == 0;
	dlssl_close(s);
	wait_go(p);
	p->ngot = read(p->fd, p->got, sizeof(p->got));
}

START_TEST(fd_handed_back_after_close_notify)
{
	struct peer p;
	int fds[2];
	char b[8];
	struct dlssl_stream *s = start(&p, close_then_plain, fds);

	ck_assert_int_eq(dlssl_read(s, b, sizeof(b)), 0);
	ck_assert_int_eq(dlssl_close(s), 0);
	dlssl_stream_free(s);
	/* Nothing after the peer's close_notify was read: the clear text is there. */
	ck_assert_int_eq(read(fds[0], b, 5), 5);
	ck_assert(memcmp(b, "PLAIN", 5) == 0);
	ck_assert_int_eq(write(fds[0], "BACK", 4), 4);
	atomic_store(&p.go, 1);
	pthread_join(p.thread, NULL);
	ck_assert_msg(p.ok, "the peer did not see our close_notify");
	ck_assert_int_eq(p.ngot, 4);
	ck_assert(memcmp(p.got, "BACK", 4) == 0);
	close(fds[0]);
}
END_TEST

/*
 * STARTTLS with a pipelining client: "STARTTLS\r\n" and the ClientHello
 * arrive together, and the server reads the line through stdio.
 */
struct starttls_client {
	int fd;
	int ok;
	pthread_t thread;
};

static void *
starttls_client_main(void *arg)
{
	struct starttls_client *c = arg;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	char b[8];

	if (write(c->fd, "STARTTLS\r\n", 10) != 10)
		return NULL;
	o.context = client_ctx;
	o.hostname = "localhost";
	o.read_timeout_ms = 10000;
	s = dlssl_make_client_stream(dlssl_transport_fd(c->fd), &o);
	if (s != NULL) {
		c->ok = dlssl_write(s, "ping", 4) == 4 && dlssl_read_fully(s, b, 4) == 4 &&
		    memcmp(b, "pong", 4) == 0;
		dlssl_stream_free(s);
	}
	return NULL;
}

/* An unbuffered FILE: _i 0 unwrapped to its fd, 1 through stdio (no_unwrap). */
START_TEST(file_transport_read_ahead)
{
	struct starttls_client c;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	char line[32], b[8];
	int fds[2];
	FILE *f;

	tt_socketpair(fds);
	memset(&c, 0, sizeof(c));
	c.fd = fds[0];
	ck_assert_int_eq(pthread_create(&c.thread, NULL, starttls_client_main, &c), 0);
	f = fdopen(fds[1], "r+");
	ck_assert_ptr_nonnull(f);
	/* Unbuffered: stdio reads no further than the line. */
	ck_assert_int_eq(setvbuf(f, NULL, _IONBF, 0), 0);
	usleep(200000); /* let the ClientHello arrive behind the line */
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "STARTTLS\r\n");
	o.context = server_ctx;
	o.no_unwrap = _i;
	o.read_timeout_ms = 10000;
	s = dlssl_make_server_stream(dlssl_transport_file(f), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	ck_assert_int_eq(dlssl_stream_fd(s), _i ? -1 : fds[1]);
	ck_assert_int_eq(dlssl_read_fully(s, b, 4), 4);
	ck_assert(memcmp(b, "ping", 4) == 0);
	ck_assert_int_eq(dlssl_write(s, "pong", 4), 4);
	ck_assert_int_eq(dlssl_flush(s), 0);
	pthread_join(c.thread, NULL);
	ck_assert(c.ok);
	ck_assert_int_eq(dlssl_close(s), 0); /* closes the FILE (and so fds[1]) */
	dlssl_stream_free(s);
	close(fds[0]);
}
END_TEST

/* A handshake of a client with context cc against the localhost server: the error code. */
static int
verify_with(struct dlssl_context *cc)
{
	struct tt_server sv;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int fds[2], code;

	ck_assert_msg(cc != NULL, "%s", dlssl_error());
	memset(&sv, 0, sizeof(sv));
	tt_socketpair(fds);
	sv.fd = fds[1];
	sv.ctx = server_ctx;
	tt_server_start(&sv);
	o.context = cc;
	o.hostname = "localhost";
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	code = s != NULL ? DLSSL_ERR_NONE : dlssl_error_code();
	if (s == NULL)
		close(fds[0]);
	dlssl_stream_free(s);
	tt_server_join(&sv);
	dlssl_ctx_free(cc);
	return code;
}

static size_t
slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, size, f);
	fclose(f);
	ck_assert_uint_lt(n, size);
	return n;
}

START_TEST(ca_data_trusts_every_pem_certificate)
{
	static char pem[16384], der[4096];
	struct dlssl_context_opts o = { 0 };
	size_t n;

	/* The test root second, after another root: both are trust anchors. */
	n = slurp(PKI("rogue-root-ca.crt"), pem, sizeof(pem));
	n += slurp(PKI("root-ca.crt"), pem + n, sizeof(pem) - n);
	o.ca_data = pem;
	o.ca_len = n;
	ck_assert_int_eq(verify_with(dlssl_make_context(&o)), DLSSL_ERR_NONE);
	/* Only the other root: the server does not verify. */
	o.ca_len = slurp(PKI("rogue-root-ca.crt"), pem, sizeof(pem));
	ck_assert_int_eq(verify_with(dlssl_make_context(&o)), DLSSL_ERR_VERIFY);
	/* DER is refused. */
	o.ca_data = der;
	o.ca_len = slurp(PKI("localhost.der"), der, sizeof(der));
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_msg(strstr(dlssl_error(), "PEM") != NULL, "%s", dlssl_error());
}
END_TEST

START_TEST(named_ca_leaves_system_store_out)
{
	struct dlssl_context_opts o = { 0 };

	/* The system store, as OpenSSL reads it, is the test root. */
	ck_assert_int_eq(setenv("SSL_CERT_FILE", PKI("root-ca.crt"), 1), 0);
	ck_assert_int_eq(setenv("SSL_CERT_DIR", PKI("clplus"), 1), 0);
	if (verify_with(dlssl_make_context(NULL)) != DLSSL_ERR_NONE) {
		/* A library that does not read SSL_CERT_FILE cannot show it this way. */
		fprintf(stderr, "skipped: the loaded library ignores SSL_CERT_FILE\n");
		unsetenv("SSL_CERT_FILE");
		unsetenv("SSL_CERT_DIR");
		return;
	}
	o.ca_file = PKI("rogue-root-ca.crt");
	ck_assert_int_eq(verify_with(dlssl_make_context(&o)), DLSSL_ERR_VERIFY);
	memset(&o, 0, sizeof(o));
	o.no_default_verify_paths = 1;
	ck_assert_int_eq(verify_with(dlssl_make_context(&o)), DLSSL_ERR_VERIFY);
	/* dlssl_ctx_set_default_verify_paths adds it back. */
	{
		struct dlssl_context *c = dlssl_make_context(&o);

		ck_assert_ptr_nonnull(c);
		ck_assert_int_eq(dlssl_ctx_set_default_verify_paths(c), 0);
		ck_assert_int_eq(verify_with(c), DLSSL_ERR_NONE);
	}
	unsetenv("SSL_CERT_FILE");
	unsetenv("SSL_CERT_DIR");
}
END_TEST

/* Send three bytes, then drop the connection without close_notify. */
static void
three_then_cut(struct peer *p, struct dlssl_stream *s)
{
	p->ok = dlssl_write(s, "abc", 3) == 3 && dlssl_flush(s) == 0;
	dlssl_close_abort(s);
	shutdown(p->fd, SHUT_RDWR);
}

START_TEST(read_fully_loses_bytes_before_an_error)
{
	struct peer p;
	int fds[2];
	char b[8];
	struct dlssl_stream *s = start(&p, three_then_cut, fds);

	/* Three bytes come, then the truncation: -1, and the three are gone. */
	ck_assert_int_eq(dlssl_read_fully(s, b, sizeof(b)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TRUNCATED);
	ck_assert_int_eq(dlssl_read(s, b, sizeof(b)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_CLOSED);
	ck_assert_int_eq(dlssl_close_abort(s), 0);
	dlssl_stream_free(s);
	pthread_join(p.thread, NULL);
	ck_assert(p.ok);
	close(fds[0]);
}
END_TEST

static Suite *
claims_suite(void)
{
	Suite *s = suite_create("doc_claims");
	TCase *tc = tcase_create("claims");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, read_after_peer_half_close);
	tcase_add_test(tc, nonblocking_read_not_held_up_by_output);
	tcase_add_test(tc, fd_handed_back_after_close_notify);
	tcase_add_test(tc, read_fully_loses_bytes_before_an_error);
	tcase_add_loop_test(tc, file_transport_read_ahead, 0, 2);
	tcase_add_test(tc, ca_data_trusts_every_pem_certificate);
	tcase_add_test(tc, named_ca_leaves_system_store_out);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(claims_suite);
}
