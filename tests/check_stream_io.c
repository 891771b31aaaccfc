/*
 * Stream I/O behaviour: timeouts, end of stream and truncation, non-blocking
 * transports, listen, buffering, fd flags, stdio, the global context.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls_test.h"

/* A raw server thread: handshake, then do what the test asks. */
enum behaviour { B_SILENT, B_CLOSE_NOTIFY, B_TCP_CLOSE, B_STOP_READING, B_ECHO_LINES };

struct raw_server {
	int fd;
	enum behaviour b;
	struct dlssl_context *ctx;
	atomic_int release; /* B_SILENT / B_STOP_READING wait for this */
	pthread_t thread;
	int ok;
};

static void *
raw_main(void *arg)
{
	struct raw_server *rs = arg;
	struct dlssl_stream_opts o;
	struct dlssl_stream *s;
	char buf[256];
	int i;

	memset(&o, 0, sizeof(o));
	o.context = rs->ctx;
	s = dlssl_make_server_stream(dlssl_transport_fd(rs->fd), &o);
	if (s == NULL) {
		close(rs->fd);
		return NULL;
	}
	rs->ok = 1;
	switch (rs->b) {
	case B_SILENT:
	case B_STOP_READING:
		for (i = 0; i < 3000 && !atomic_load(&rs->release); i++)
			usleep(10000);
		dlssl_close_abort(s);
		break;
	case B_CLOSE_NOTIFY:
		(void)dlssl_write(s, "bye", 3);
		dlssl_close(s);
		break;
	case B_TCP_CLOSE:
		(void)dlssl_write(s, "bye", 3);
		(void)dlssl_flush(s);
		dlssl_close_abort(s); /* no close_notify */
		break;
	case B_ECHO_LINES:
		while (dlssl_read(s, buf, sizeof(buf)) > 0) {
			(void)dlssl_write(s, "ok\n", 3);
			(void)dlssl_flush(s);
		}
		dlssl_close(s);
		break;
	}
	dlssl_stream_free(s);
	close(rs->fd);
	return NULL;
}

static struct dlssl_context *server_ctx, *client_ctx;

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	server_ctx = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	client_ctx = tt_client_ctx();
}

static void
teardown(void)
{
	dlssl_ctx_free(server_ctx);
	dlssl_ctx_free(client_ctx);
}

/* Start a raw server and connect a client with the given options. */
static struct dlssl_stream *
connect_to(struct raw_server *rs, enum behaviour b, struct dlssl_stream_opts *o, int *cfd)
{
	int fds[2];
	struct dlssl_stream *s;

	tt_tcppair(fds);
	memset(rs, 0, sizeof(*rs));
	rs->fd = fds[1];
	rs->b = b;
	rs->ctx = server_ctx;
	ck_assert_int_eq(pthread_create(&rs->thread, NULL, raw_main, rs), 0);
	o->context = client_ctx;
	o->hostname = "localhost";
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	*cfd = fds[0];
	return s;
}

START_TEST(read_timeout)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	int fd;
	char c;
	double t0;
	struct dlssl_stream *s;

	s = connect_to(&rs, B_SILENT, &o, &fd);
	/* After the handshake, which may be slow under valgrind. */
	ck_assert_int_eq(dlssl_stream_set_timeouts(s, 200, 0, 0), 0);
	t0 = dlssl_monotonic();
	ck_assert_int_eq(dlssl_read(s, &c, 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TIMEOUT);
	ck_assert_int_eq(dlssl_stream_error_code(s), DLSSL_ERR_TIMEOUT);
	ck_assert(dlssl_monotonic() - t0 >= 0.15);
	atomic_store(&rs.release, 1);
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	close(fd);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(write_timeout_and_abort)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	static char block[16384];
	int fd, writes = 0;
	long r = 0;
	double t0;
	struct dlssl_stream *s;

	s = connect_to(&rs, B_STOP_READING, &o, &fd);
	ck_assert_int_eq(dlssl_stream_set_timeouts(s, 0, 300, 0), 0);
	/* The peer never reads: the socket buffers fill, then writes time out. */
	while (writes < 100000 && (r = dlssl_write(s, block, sizeof(block))) > 0)
		writes++;
	ck_assert_int_eq(r, -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TIMEOUT);
	ck_assert_int_gt(writes, 0);
	t0 = dlssl_monotonic();
	dlssl_close_abort(s);
	ck_assert(dlssl_monotonic() - t0 < 0.2); /* abort never waits */
	dlssl_stream_free(s);
	atomic_store(&rs.release, 1);
	close(fd);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(many_small_writes_time_out)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	int fd, writes = 0;
	long r = 0;
	struct dlssl_stream *s;

	o.buffer_size = 1024;
	s = connect_to(&rs, B_STOP_READING, &o, &fd);
	ck_assert_int_eq(dlssl_stream_set_timeouts(s, 0, 300, 0), 0);
	while (writes < 1000000 && (r = dlssl_write(s, "0123456789abcdef", 16)) > 0)
		writes++;
	ck_assert_int_eq(r, -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TIMEOUT);
	ck_assert_int_gt(writes, 100);
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	atomic_store(&rs.release, 1);
	close(fd);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(deadline_in_handshake)
{
	int fds[2];
	struct dlssl_stream_opts o = { 0 };
	double t0 = dlssl_monotonic();

	/* The peer never answers the ClientHello. */
	tt_tcppair(fds);
	o.context = client_ctx;
	o.hostname = "localhost";
	o.deadline = t0 + 0.3;
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TIMEOUT);
	ck_assert(dlssl_monotonic() - t0 >= 0.25);
	/* Given back as it was: blocking, open. */
	ck_assert_int_eq(fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(clean_eof)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	char buf[8];
	int fd;
	struct dlssl_stream *s = connect_to(&rs, B_CLOSE_NOTIFY, &o, &fd);

	ck_assert_int_eq(dlssl_read_fully(s, buf, 3), 3);
	ck_assert_int_eq(dlssl_read(s, buf, sizeof(buf)), 0);
	ck_assert_int_eq(dlssl_read(s, buf, sizeof(buf)), 0);
	dlssl_stream_free(s);
	close(fd);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(truncation_is_an_error)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	char buf[8];
	int fd;
	struct dlssl_stream *s = connect_to(&rs, B_TCP_CLOSE, &o, &fd);

	ck_assert_int_eq(dlssl_read_fully(s, buf, 3), 3);
	pthread_join(rs.thread, NULL); /* the server closed its socket */
	ck_assert_int_eq(dlssl_read(s, buf, sizeof(buf)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TRUNCATED);
	dlssl_stream_free(s);
	close(fd);
}
END_TEST

START_TEST(truncation_lax)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	char buf[8];
	int fd;
	struct dlssl_stream *s;

	o.lax_eof = 1;
	s = connect_to(&rs, B_TCP_CLOSE, &o, &fd);
	ck_assert_int_eq(dlssl_read_fully(s, buf, 3), 3);
	pthread_join(rs.thread, NULL);
	ck_assert_int_eq(dlssl_read(s, buf, sizeof(buf)), 0);
	dlssl_stream_free(s);
	close(fd);
}
END_TEST

START_TEST(listen_never_blocks)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	char buf[8];
	int fd, i, got = 0;
	struct dlssl_stream *s = connect_to(&rs, B_ECHO_LINES, &o, &fd);

	ck_assert_int_eq(dlssl_listen(s), 0);
	ck_assert_int_eq(dlssl_write(s, "q\n", 2), 2);
	ck_assert_int_eq(dlssl_flush(s), 0);
	for (i = 0; i < 500 && !got; i++) {
		got = dlssl_listen(s);
		ck_assert_int_ge(got, 0);
		if (!got)
			usleep(10000);
	}
	ck_assert_int_eq(got, 1);
	ck_assert_int_eq(dlssl_read_fully(s, buf, 3), 3);
	ck_assert(memcmp(buf, "ok\n", 3) == 0);
	ck_assert_int_eq(dlssl_listen(s), 0);
	/* The caller's fd stayed blocking all along. */
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	dlssl_stream_free(s);
	close(fd);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(fd_flags_restored)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	int fd;
	struct dlssl_stream *s;

	o.read_timeout_ms = 1000; /* timed, yet the fd's flags stay the caller's (issue 12) */
	s = connect_to(&rs, B_ECHO_LINES, &o, &fd);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	dlssl_close(s);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD), -1); /* not closed: close_fd was not set */
	dlssl_stream_free(s);
	close(fd);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(nonblocking_fd)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	int fds[2], r, rounds = 0;
	char buf[8];
	long n;
	struct dlssl_stream *s;

	tt_tcppair(fds);
	memset(&rs, 0, sizeof(rs));
	rs.fd = fds[1];
	rs.b = B_ECHO_LINES;
	rs.ctx = server_ctx;
	ck_assert_int_eq(pthread_create(&rs.thread, NULL, raw_main, &rs), 0);
	ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
	o.context = client_ctx;
	o.hostname = "localhost";
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	while ((r = dlssl_handshake(s)) != 0 && rounds++ < 1000) {
		struct pollfd p = { fds[0], r == DLSSL_WANT_POLLIN ? POLLIN : POLLOUT, 0 };

		ck_assert_msg(r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT, "%s", dlssl_error());
		ck_assert_int_ge(poll(&p, 1, 5000), 1);
	}
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(dlssl_write(s, "x\n", 2), 2);
	while ((r = dlssl_flush(s)) != 0 && rounds++ < 2000)
		ck_assert(r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT);
	ck_assert_int_eq(r, 0);
	while ((n = dlssl_read(s, buf, 3)) < 0 && rounds++ < 3000) {
		struct pollfd p = { fds[0], POLLIN, 0 };

		ck_assert_msg(n == DLSSL_WANT_POLLIN || n == DLSSL_WANT_POLLOUT, "%s", dlssl_error());
		ck_assert_int_ge(poll(&p, 1, 5000), 1);
	}
	ck_assert_int_gt(n, 0);
	ck_assert_int_ne(fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0); /* the caller's choice kept */
	dlssl_stream_free(s);
	close(fds[0]);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(stdio_over_stream)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	char line[32];
	int fd;
	FILE *f;
	struct dlssl_stream *s = connect_to(&rs, B_ECHO_LINES, &o, &fd);

	f = dlssl_stream_fdopen(s, "r+");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_gt(fprintf(f, "hello %d\n", 42), 0);
	ck_assert_int_eq(fflush(f), 0);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "ok\n");
	ck_assert_int_eq(fclose(f), 0); /* closes and frees the stream */
	close(fd);
	pthread_join(rs.thread, NULL);
}
END_TEST

static int closed_calls;

static void
on_close(void *arg)
{
	closed_calls += *(int *)arg;
}

START_TEST(close_callback_and_owned_fd)
{
	struct raw_server rs;
	struct dlssl_stream_opts o = { 0 };
	int fd, one = 1;
	struct dlssl_stream *s;

	closed_calls = 0;
	o.close_callback = on_close;
	o.close_callback_arg = &one;
	o.close_fd = 1;
	s = connect_to(&rs, B_ECHO_LINES, &o, &fd);
	ck_assert_int_eq(dlssl_close(s), 0);
	ck_assert_int_eq(closed_calls, 1);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1); /* the stream owned the fd */
	ck_assert_int_eq(dlssl_close(s), 0);
	ck_assert_int_eq(closed_calls, 1);
	dlssl_stream_free(s);
	pthread_join(rs.thread, NULL);
}
END_TEST

START_TEST(half_close)
{
	struct tt_server sv;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int fds[2];
	char buf[16];
	long n, got = 0;

	memset(&sv, 0, sizeof(sv));
	tt_socketpair(fds);
	sv.fd = fds[1];
	sv.ctx = server_ctx;
	sv.echo = 1; /* echoes until our close_notify, then closes */
	tt_server_start(&sv);
	o.context = client_ctx;
	o.hostname = "localhost";
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	ck_assert_int_eq(dlssl_write(s, "half", 4), 4);
	ck_assert_int_eq(dlssl_shutdown(s), 0);
	ck_assert_int_eq(dlssl_shutdown(s), 0);
	ck_assert_int_eq(dlssl_write(s, "x", 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_CLOSED);
	/* The answer still arrives, then the peer's own close_notify. */
	while (got < 4 && (n = dlssl_read(s, buf + got, sizeof(buf) - (size_t)got)) > 0)
		got += n;
	ck_assert_int_eq(got, 4);
	ck_assert(memcmp(buf, "half", 4) == 0);
	ck_assert_int_eq(dlssl_read(s, buf, sizeof(buf)), 0);
	ck_assert_int_eq(dlssl_close(s), 0);
	dlssl_stream_free(s);
	tt_server_join(&sv);
}
END_TEST

static long
timeout_read(void *h, void *buf, size_t len)
{
	(void)h;
	(void)buf;
	(void)len;
	errno = ETIMEDOUT;
	return -1;
}

static long
sink_write(void *h, const void *buf, size_t len)
{
	(void)h;
	(void)buf;
	return (long)len;
}

START_TEST(callback_timeout_is_a_timeout)
{
	static const struct dlssl_io_ops ops = { timeout_read, sink_write, NULL, { 0 } };
	struct dlssl_stream_opts o = { 0 };

	o.context = client_ctx;
	o.hostname = "localhost";
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_io(&ops, NULL), &o));
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TIMEOUT, "%s", dlssl_error());
}
END_TEST

START_TEST(ca_in_memory)
{
	struct tt_server sv;
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	char pem[16384];
	size_t n;
	FILE *f = fopen(PKI("root-ca.crt"), "rb");
	int fds[2];

	ck_assert_ptr_nonnull(f);
	n = fread(pem, 1, sizeof(pem), f);
	fclose(f);
	co.ca_data = pem;
	co.ca_len = n;
	o.context = dlssl_make_context(&co);
	ck_assert_msg(o.context != NULL, "%s", dlssl_error());
	memset(&sv, 0, sizeof(sv));
	tt_socketpair(fds);
	sv.fd = fds[1];
	sv.ctx = server_ctx;
	tt_server_start(&sv);
	o.hostname = "localhost";
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	dlssl_stream_free(s);
	tt_server_join(&sv);
	dlssl_ctx_free(o.context);
	co.ca_data = "not a certificate";
	co.ca_len = 17;
	ck_assert_ptr_null(dlssl_make_context(&co));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
}
END_TEST

START_TEST(global_context)
{
	struct dlssl_context *g = dlssl_global_context(), *prev;
	int ran = 0;

	ck_assert_ptr_nonnull(g);
	prev = dlssl_set_global_context(client_ctx);
	ck_assert_ptr_eq(prev, NULL);
	ck_assert_ptr_eq(dlssl_global_context(), client_ctx);
	ck_assert_ptr_eq(dlssl_set_global_context(NULL), client_ctx);
	ck_assert_ptr_eq(dlssl_global_context(), g);
	DLSSL_WITH_GLOBAL_CONTEXT(dlssl_ctx_ref(client_ctx), 1) {
		ck_assert_ptr_eq(dlssl_global_context(), client_ctx);
		ran++;
	}
	ck_assert_int_eq(ran, 1);
	ck_assert_ptr_eq(dlssl_global_context(), g);
}
END_TEST

START_TEST(bad_arguments)
{
	struct dlssl_stream_opts o = { 0 };
	int fds[2];

	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(-1), NULL));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_io(NULL, NULL), NULL));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	tt_socketpair(fds);
	o.hostname = "bad host!";
	o.context = client_ctx;
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_ne(fcntl(fds[0], F_GETFD), -1); /* not taken on failure */
	close(fds[0]);
	close(fds[1]);
	ck_assert_int_eq(dlssl_read(NULL, fds, 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	dlssl_stream_free(NULL);
	dlssl_ctx_free(NULL);
	ck_assert_int_eq(dlssl_close(NULL), 0);
}
END_TEST

static Suite *
io_suite(void)
{
	Suite *s = suite_create("stream_io");
	TCase *tc = tcase_create("io");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, read_timeout);
	tcase_add_test(tc, write_timeout_and_abort);
	tcase_add_test(tc, many_small_writes_time_out);
	tcase_add_test(tc, deadline_in_handshake);
	tcase_add_test(tc, clean_eof);
	tcase_add_test(tc, truncation_is_an_error);
	tcase_add_test(tc, truncation_lax);
	tcase_add_test(tc, listen_never_blocks);
	tcase_add_test(tc, fd_flags_restored);
	tcase_add_test(tc, nonblocking_fd);
	tcase_add_test(tc, stdio_over_stream);
	tcase_add_test(tc, close_callback_and_owned_fd);
	tcase_add_test(tc, half_close);
	tcase_add_test(tc, callback_timeout_is_a_timeout);
	tcase_add_test(tc, ca_in_memory);
	tcase_add_test(tc, global_context);
	tcase_add_test(tc, bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(io_suite);
}
