/*
 * Fault injection: peers that close in the middle of the handshake, send
 * garbage instead of a ServerHello, cut the connection without
 * close_notify (at a record boundary and in the middle of a record), reset
 * it, fall silent or stop reading; callback transports that return short
 * reads and writes, EINTR and EAGAIN in seeded patterns (and 64 MiB each
 * way still arrive intact), or that fail and lie.
 *
 * In-memory faults use tests/hard_pipe.c (callback transports driven
 * without blocking); TCP faults use a raw peer thread or a cutting proxy
 * in front of a library server thread.  Seeds are fixed (set HARD_SEED to
 * try another); every run prints the seeds and what the faults did.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hard_common.h"
#include "hard_pipe.h"
#include "tls_test.h"

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

static unsigned long long
base_seed(void)
{
	const char *e = getenv("HARD_SEED");

	return e != NULL && *e ? strtoull(e, NULL, 0) : 20260601ULL;
}

/* Bytes to move each way in the big transfers. */
static unsigned long long
big_size(void)
{
	/* valgrind runs libcrypto's AES some 50 times slower: 4 MiB there. */
	return hard_under_valgrind() ? 4ULL << 20 : 64ULL << 20;
}

/* ---- callback transports: the byte stream survives any pattern ---- */

static void
report(const char *what, unsigned long long seed, const struct hard_pair *p, double secs,
    unsigned long long bytes, const unsigned long long *sums)
{
	printf("%s: seed %llu, %llu bytes each way in %.2f s; callbacks: %lu reads, %lu writes, "
	    "%lu EINTR, %lu EAGAIN, %lu short; fnv c2s %016llx/%016llx s2c %016llx/%016llx\n",
	    what, seed, bytes, secs, p->c.reads + p->s.reads, p->c.writes + p->s.writes,
	    p->c.eintrs + p->s.eintrs, p->c.blocks + p->s.blocks, p->c.shorts + p->s.shorts,
	    sums[0], sums[1], sums[2], sums[3]);
	fflush(stdout);
}

static void
big_transfer(int duplex)
{
	const struct hard_fault f = { 5, 10, 40 };
	unsigned long long seed = base_seed(), n = big_size(), sums[4];
	struct hard_pair p;
	double t0 = dlssl_monotonic();

	ck_assert_msg(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 96 * 1024, seed, &f,
	    NULL, NULL) == 0, "seed %llu: %s", seed, p.err);
	ck_assert_msg(hard_pair_transfer(&p, n, n, duplex, seed, sums) == 0, "seed %llu: %s", seed,
	    p.err);
	report(duplex ? "full duplex" : "one way, then the other", seed, &p, dlssl_monotonic() - t0,
	    n, sums);
	ck_assert(sums[0] == sums[1] && sums[2] == sums[3]);
	ck_assert(p.c.eintrs > 0 && p.c.blocks > 0 && p.c.shorts > 0);
	/* Both ends shut down cleanly over the same faulty transports. */
	ck_assert_msg(dlssl_close(p.client) == 0, "%s", dlssl_error());
	hard_pair_free(&p);
}

START_TEST(intact_64mib_each_way)
{
	big_transfer(0);
}
END_TEST

START_TEST(intact_64mib_full_duplex)
{
	big_transfer(1);
}
END_TEST

/* Extreme patterns, smaller amounts: _i picks the pattern. */
START_TEST(intact_extreme_patterns)
{
	static const struct {
		struct hard_fault f;
		size_t cap;
		unsigned long long bytes;
		const char *name;
	} pat[] = {
		{ { 0, 0, 100 }, 1 << 16, 1 << 20, "every transfer short" },
		{ { 50, 0, 0 }, 1 << 16, 1 << 20, "every other call EINTR" },
		{ { 0, 70, 0 }, 1 << 16, 1 << 20, "70% would-block" },
		{ { 20, 20, 50 }, 7, 64 << 10, "a 7-byte pipe" },
		{ { 0, 0, 0 }, 1, 16 << 10, "a 1-byte pipe" },
		{ { 10, 30, 80 }, 300, 256 << 10, "everything at once, 300-byte pipe" },
	};
	unsigned long long seed = base_seed() + (unsigned long long)_i, sums[4];
	struct hard_pair p;
	double t0 = dlssl_monotonic();

	ck_assert_msg(hard_pair_open(&p, client_ctx, server_ctx, "localhost", pat[_i].cap, seed,
	    &pat[_i].f, NULL, NULL) == 0, "%s, seed %llu: %s", pat[_i].name, seed, p.err);
	ck_assert_msg(hard_pair_transfer(&p, pat[_i].bytes, pat[_i].bytes, 0, seed, sums) == 0,
	    "%s, seed %llu: %s", pat[_i].name, seed, p.err);
	report(pat[_i].name, seed, &p, dlssl_monotonic() - t0, pat[_i].bytes, sums);
	ck_assert(sums[0] == sums[1] && sums[2] == sums[3]);
	hard_pair_free(&p);
}
END_TEST

/*
 * Both ways at once over real non-blocking sockets: each side writes while
 * the other does, and reads what arrives.  Once both kernels' buffers are
 * full, each side must be able to read although its own output is stuck.
 */
START_TEST(full_duplex_nonblocking_sockets)
{
	unsigned long long seed = base_seed(), n = hard_under_valgrind() ? 1 << 20 : 8 << 20, sums[4];
	struct hard_pair p;
	int fds[2];
	double t0 = dlssl_monotonic();

	if (_i == 0)
		tt_tcppair(fds);
	else
		tt_socketpair(fds);
	ck_assert_msg(hard_pair_open_fds(&p, client_ctx, server_ctx, "localhost", fds) == 0, "%s",
	    p.err);
	ck_assert_msg(hard_pair_transfer(&p, n, n, 1, seed, sums) == 0, "%s: %s",
	    _i == 0 ? "TCP" : "Unix socket", p.err);
	report(_i == 0 ? "full duplex, TCP" : "full duplex, Unix socket", seed, &p,
	    dlssl_monotonic() - t0, n, sums);
	hard_pair_free(&p);
}
END_TEST

/* A non-blocking stream closed with output it cannot send: a clean, named failure. */
START_TEST(close_nonblocking_with_pending_output)
{
	static char block[16384];
	struct hard_pair p;
	char msg[512];
	long r;
	int rc, i, code;

	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL,
	    NULL, NULL), 0);
	/* Fill the pipe until a write would block, leaving a record in flight. */
	for (i = 0; i < 100 && (r = dlssl_write(p.client, block, sizeof(block))) > 0; i++)
		;
	ck_assert_msg(r == DLSSL_WANT_POLLOUT || (r > 0 && p.c2s.len == p.c2s.cap), "%ld", r);
	ck_assert_int_eq(dlssl_write(p.client, "tail", 4), DLSSL_WANT_POLLOUT);
	rc = dlssl_close(p.client);
	code = dlssl_error_code();
	snprintf(msg, sizeof(msg), "%s", dlssl_error() ? dlssl_error() : "no message");
	hard_pair_free(&p); /* first: the assertion below may end the test (CK_FORK=no) */
	/* Either a WANT code to call again, or -1 saying what was lost: never -1 with no error. */
	ck_assert_msg(rc == DLSSL_WANT_POLLOUT || (rc == -1 && code != DLSSL_ERR_NONE),
	    "dlssl_close returned %d with error %s (%s)", rc, dlssl_error_name(code), msg);
}
END_TEST

/* Many handshakes under heavy faults (TLS 1.2 and 1.3, fresh seeds). */
START_TEST(handshakes_under_faults)
{
	const struct hard_fault f = { 20, 30, 60 };
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c12;
	struct hard_pair p;
	unsigned long long seed = base_seed() * 31;
	int i;

	o.ca_file = PKI("root-ca.crt");
	o.max_version = DLSSL_TLS1_2;
	c12 = dlssl_make_context(&o);
	ck_assert_ptr_nonnull(c12);
	for (i = 0; i < 40; i++) {
		ck_assert_msg(hard_pair_open(&p, i % 2 ? c12 : client_ctx, server_ctx, "localhost",
		    64 + (size_t)i * 97, seed + (unsigned long long)i, &f, NULL, NULL) == 0,
		    "seed %llu: %s", seed + (unsigned long long)i, p.err);
		ck_assert_str_eq(dlssl_stream_version(p.client), i % 2 ? "TLSv1.2" : tt_newest_version());
		ck_assert_int_eq(dlssl_stream_verify_result(p.client), 0);
		hard_pair_free(&p);
	}
	dlssl_ctx_free(c12);
}
END_TEST

/* ---- in-memory truncation ---- */

/* Open a pair and have the server send n bytes (flushed) without close_notify. */
static void
pair_with_data(struct hard_pair *p, size_t n, int lax)
{
	struct dlssl_stream_opts co = { 0 };
	char buf[4096];
	long r;

	co.lax_eof = lax;
	ck_assert_msg(hard_pair_open(p, client_ctx, server_ctx, "localhost", 1 << 16, base_seed(),
	    NULL, &co, NULL) == 0, "%s", p->err);
	/* A round trip first, so that the TLS 1.3 tickets are read and out of the way. */
	ck_assert_int_eq(dlssl_write(p->client, "ping", 4), 4);
	ck_assert_int_eq(dlssl_flush(p->client), 0);
	ck_assert_int_eq(dlssl_read(p->server, buf, sizeof(buf)), 4);
	ck_assert_int_eq(dlssl_write(p->server, "pong", 4), 4);
	ck_assert_int_eq(dlssl_flush(p->server), 0);
	ck_assert_int_eq(dlssl_read_fully(p->client, buf, 4), 4);
	memset(buf, 'x', sizeof(buf));
	ck_assert_uint_le(n, sizeof(buf));
	ck_assert_int_eq(dlssl_write(p->server, buf, n), (long)n);
	ck_assert_int_eq(dlssl_flush(p->server), 0);
	r = (long)p->s2c.len;
	ck_assert_int_gt(r, (long)n); /* one record: header, data, tag */
}

START_TEST(truncated_at_record_boundary)
{
	struct hard_pair p;
	char buf[2048];

	pair_with_data(&p, 1000, 0);
	p.s2c.wclosed = 1; /* the server's side of the connection is gone, no close_notify */
	ck_assert_int_eq(dlssl_read_fully(p.client, buf, 1000), 1000);
	ck_assert_int_eq(dlssl_read(p.client, buf, sizeof(buf)), -1);
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TRUNCATED, "%s: %s",
	    dlssl_error_name(dlssl_error_code()), dlssl_error());
	ck_assert_int_eq(dlssl_stream_error_code(p.client), DLSSL_ERR_TRUNCATED);
	ck_assert_int_eq(dlssl_stream_is_open(p.client), 0);
	/* A failed stream stays failed, and says why. */
	ck_assert_int_eq(dlssl_read(p.client, buf, 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_CLOSED);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "close_notify"));
	hard_pair_free(&p);
}
END_TEST

START_TEST(truncated_mid_record)
{
	struct hard_pair p;
	char buf[2048];
	long r;

	pair_with_data(&p, 1000, 0);
	p.s2c.len -= 10; /* the last 10 bytes of the record never arrive */
	p.s2c.wclosed = 1;
	r = dlssl_read(p.client, buf, sizeof(buf));
	ck_assert_msg(r == -1, "read %ld bytes of a truncated record", r);
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TRUNCATED, "%s: %s",
	    dlssl_error_name(dlssl_error_code()), dlssl_error());
	hard_pair_free(&p);
}
END_TEST

START_TEST(truncated_lax)
{
	struct hard_pair p;
	char buf[2048];
	long r;

	/* Asked for: a close without close_notify is a clean end. */
	pair_with_data(&p, 1000, 1);
	p.s2c.wclosed = 1;
	ck_assert_int_eq(dlssl_read_fully(p.client, buf, 1000), 1000);
	ck_assert_int_eq(dlssl_read(p.client, buf, sizeof(buf)), 0);
	hard_pair_free(&p);

	/* A record cut short never yields a byte of it, lax or not. */
	pair_with_data(&p, 1000, 1);
	p.s2c.len -= 10;
	p.s2c.wclosed = 1;
	r = dlssl_read(p.client, buf, sizeof(buf));
	ck_assert_msg(r == 0 || (r == -1 && dlssl_error_code() == DLSSL_ERR_TRUNCATED),
	    "read %ld (%s)", r, dlssl_error() ? dlssl_error() : "");
	hard_pair_free(&p);
}
END_TEST

/* The connection ends after 'keep' bytes of a handshake flight (_i picks the cut). */
START_TEST(cut_in_handshake)
{
	static const double where[] = { 0, 0.1, 0.5, 0.9 };
	struct dlssl_stream_opts d = { 0 };
	struct hard_pair p;
	size_t keep;
	int r, code;

	/* The client's first flight, cut: the server fails. */
	d.defer_handshake = 1;
	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL, &d,
	    &d), 0);
	ck_assert_int_eq(dlssl_handshake(p.client), DLSSL_WANT_POLLIN);
	ck_assert_int_gt(p.c2s.len, 100);
	keep = (size_t)((double)p.c2s.len * where[_i]);
	p.c2s.len = keep;
	p.c2s.wclosed = 1;
	r = dlssl_handshake(p.server);
	code = dlssl_error_code();
	ck_assert_msg(r == -1, "the server handshake with %zu bytes of a ClientHello: %d", keep, r);
	ck_assert_msg(code == DLSSL_ERR_TRUNCATED, "%zu bytes: %s: %s", keep, dlssl_error_name(code),
	    dlssl_error());
	hard_pair_free(&p);

	/* The server's first flight, cut: the client fails. */
	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL, &d,
	    &d), 0);
	ck_assert_int_eq(dlssl_handshake(p.client), DLSSL_WANT_POLLIN);
	ck_assert_int_eq(dlssl_handshake(p.server), DLSSL_WANT_POLLIN);
	ck_assert_int_gt(p.s2c.len, 100);
	keep = (size_t)((double)p.s2c.len * where[_i]);
	p.s2c.len = keep;
	p.s2c.wclosed = 1;
	r = dlssl_handshake(p.client);
	code = dlssl_error_code();
	ck_assert_msg(r == -1, "the client handshake with %zu bytes of the server's flight: %d", keep, r);
	ck_assert_msg(code == DLSSL_ERR_TRUNCATED, "%zu bytes: %s: %s", keep, dlssl_error_name(code),
	    dlssl_error());
	hard_pair_free(&p);
}
END_TEST

/* ---- garbage instead of a ServerHello ---- */

static const struct garbage {
	const char *name;
	const unsigned char *bytes;
	size_t len;
	const char *says; /* in the error message, or NULL */
	int prefix;       /* a valid beginning: the client waits for more */
} garbage[] = {
	{ "an HTTP answer", (const unsigned char *)"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n",
	  46, NULL, 0 },
	{ "an SSH banner", (const unsigned char *)"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", 32, NULL, 0 },
	{ "a fatal handshake_failure alert", (const unsigned char *)"\x15\x03\x03\x00\x02\x02\x28", 7,
	  "the peer sent the alert handshake_failure (40)", 0 },
	/* Longer than 2^14 + 2048 (RFC 5246 6.2.3, RFC 8446 5.2): refused from the header alone. */
	{ "a record longer than TLS allows", (const unsigned char *)"\x16\x03\x03\xff\xff", 5,
	  "longer than TLS allows", 0 },
	/* RFC 5246 6.2.1 and RFC 8446 5.1 forbid zero-length handshake fragments: refused. */
	{ "an empty handshake record", (const unsigned char *)"\x16\x03\x03\x00\x00", 5,
	  "empty handshake record", 0 },
	{ "an SSLv2 ServerHello", (const unsigned char *)"\x80\x2e\x04\x00\x01\x00\x02", 7, NULL, 0 },
	{ "a ServerHello of the wrong length",
	  (const unsigned char *)"\x16\x03\x03\x00\x08\x02\x00\x00\x40\x03\x03\x00\x00", 13, NULL, 1 },
};
#define N_GARBAGE (sizeof(garbage) / sizeof(garbage[0]))

/* Random bytes too: _i beyond the table picks a seed. */
START_TEST(garbage_in_memory)
{
	struct dlssl_stream_opts d = { 0 };
	struct hard_pair p;
	unsigned char rnd[512];
	const unsigned char *g;
	size_t glen;
	struct hard_rng rng;
	int r, code;

	if ((size_t)_i < N_GARBAGE) {
		g = garbage[_i].bytes;
		glen = garbage[_i].len;
	} else {
		hard_rng_seed(&rng, base_seed() + (unsigned long long)_i);
		hard_rng_fill(&rng, rnd, sizeof(rnd));
		g = rnd;
		glen = 16 + hard_rng_below(&rng, sizeof(rnd) - 16);
	}
	d.defer_handshake = 1;
	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL, &d,
	    &d), 0);
	ck_assert_int_eq(dlssl_handshake(p.client), DLSSL_WANT_POLLIN);
	memcpy(p.s2c.buf, g, glen);
	p.s2c.len = glen;
	/* The connection stays open: whatever fails, fails on the bytes, not on an EOF. */
	r = dlssl_handshake(p.client);
	code = dlssl_error_code();
	/* What the table says is wrong from its first bytes is refused at once. */
	if ((size_t)_i < N_GARBAGE && !garbage[_i].prefix)
		ck_assert_msg(r != DLSSL_WANT_POLLIN, "%s: the client waits for more", garbage[_i].name);
	if (r == DLSSL_WANT_POLLIN) {
		/* Garbage that is a valid beginning (a record header): then the peer leaves. */
		p.s2c.wclosed = 1;
		r = dlssl_handshake(p.client);
		code = dlssl_error_code();
		ck_assert_msg(r == -1 && (code == DLSSL_ERR_TLS || code == DLSSL_ERR_TRUNCATED),
		    "%s, then EOF: %d %s: %s", (size_t)_i < N_GARBAGE ? garbage[_i].name : "random bytes",
		    r, dlssl_error_name(code), dlssl_error());
	} else {
		ck_assert_msg(r == -1 && code == DLSSL_ERR_TLS, "%s: %d %s: %s",
		    (size_t)_i < N_GARBAGE ? garbage[_i].name : "random bytes", r, dlssl_error_name(code),
		    dlssl_error());
	}
	ck_assert_ptr_nonnull(dlssl_error());
	if ((size_t)_i < N_GARBAGE && garbage[_i].says != NULL)
		ck_assert_msg(strstr(dlssl_error(), garbage[_i].says) != NULL, "%s", dlssl_error());
	hard_pair_free(&p);
}
END_TEST

/* ---- hostile or failing callbacks ---- */

START_TEST(failing_callbacks)
{
	static const struct {
		int read_errno, write_errno;
		long read_result, write_result;
		const char *says;
	} c[] = {
		{ ECONNRESET, 0, 0, 0, "Connection reset" },
		{ 0, EPIPE, 0, 0, "Broken pipe" },
		{ 0, ENOSPC, 0, 0, "No space" },
		{ 0, 0, -1, 0, NULL },       /* -1 with errno left at 0 */
		{ 0, 0, -42, 0, NULL },      /* a negative value that is not -1 */
		{ 0, 0, 0, -7, NULL },
	};
	struct dlssl_stream_opts d = { 0 };
	struct hard_pair p;
	size_t i;
	int r, code;

	d.defer_handshake = 1;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL,
		    &d, &d), 0);
		p.c.read_errno = c[i].read_errno;
		p.c.write_errno = c[i].write_errno;
		p.c.read_result = c[i].read_result;
		p.c.write_result = c[i].write_result;
		/* The client writes its hello, then reads (unless the write fails). */
		r = dlssl_handshake(p.client);
		if (r == DLSSL_WANT_POLLIN) {
			ck_assert_int_eq(dlssl_handshake(p.server), DLSSL_WANT_POLLIN);
			r = dlssl_handshake(p.client);
		}
		code = dlssl_error_code();
		ck_assert_msg(r == -1 && code == DLSSL_ERR_IO, "case %zu: %d %s: %s", i, r,
		    dlssl_error_name(code), dlssl_error() ? dlssl_error() : "");
		if (c[i].says != NULL)
			ck_assert_msg(strstr(dlssl_error(), c[i].says) != NULL, "case %zu: %s", i,
			    dlssl_error());
		hard_pair_free(&p);
		ck_assert_int_eq(p.c.closes, 1);
	}
}
END_TEST

START_TEST(write_callback_returns_zero)
{
	struct dlssl_stream_opts d = { 0 };
	struct hard_pair p;
	long r;

	/* A write callback that makes no progress must not spin forever. */
	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL,
	    NULL, NULL), 0);
	p.c.write_zero = 1;
	(void)d;
	r = dlssl_write(p.client, "hello", 5);
	if (r == 5)
		r = dlssl_flush(p.client);
	ck_assert_msg(r == -1 && dlssl_error_code() == DLSSL_ERR_IO, "%ld %s", r,
	    dlssl_error() ? dlssl_error() : "");
	hard_pair_free(&p);
}
END_TEST

START_TEST(callbacks_claiming_too_much)
{
	struct hard_pair p;
	char buf[16];
	long r;

	/* A write callback that claims more than it was given: taken as all of it. */
	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL,
	    NULL, NULL), 0);
	ck_assert_int_eq(dlssl_write(p.client, "hello", 5), 5);
	p.c.write_result = 1 << 30;
	r = dlssl_flush(p.client);
	ck_assert_msg(r == 0 || (r == -1 && dlssl_error_code() == DLSSL_ERR_IO), "%ld", r);
	/* Nothing was really written: the server waits, without harm. */
	r = dlssl_read(p.server, buf, sizeof(buf));
	ck_assert(r == DLSSL_WANT_POLLIN);
	hard_pair_free(&p);
}
END_TEST

START_TEST(close_callback_once)
{
	struct dlssl_stream_opts bad = { 0 };
	struct hard_pair p;
	struct hard_end e;
	struct hard_pipe a, b;

	/* Closed once by dlssl_close, never again by free. */
	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL,
	    NULL, NULL), 0);
	ck_assert_int_eq(dlssl_close(p.client), 0);
	ck_assert_int_eq(p.c.closes, 1);
	dlssl_stream_free(p.client);
	p.client = NULL;
	ck_assert_int_eq(p.c.closes, 1);
	hard_pair_free(&p);
	ck_assert_int_eq(p.s.closes, 1);

	/* A stream that could not be made leaves the transport alone. */
	memset(&e, 0, sizeof(e));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	e.in = &a;
	e.out = &b;
	bad.hostname = "not a host name";
	bad.context = client_ctx;
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_io(&hard_end_ops, &e), &bad));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(e.closes, 0);
	ck_assert_int_eq(e.reads + e.writes, 0);
}
END_TEST

/* ---- TCP peers that misbehave ---- */

enum rp_kind {
	RP_CLOSE_AT_ONCE,    /* accept, close */
	RP_READ_THEN_CLOSE,  /* read the hello, close */
	RP_READ_THEN_RESET,  /* read the hello, reset (RST) */
	RP_GARBAGE,          /* read the hello, send garbage, wait for the client to leave */
	RP_SILENT            /* read and say nothing until released */
};

struct rawpeer {
	int fd;
	enum rp_kind kind;
	const unsigned char *garbage;
	size_t glen;
	atomic_int release;
	pthread_t thread;
};

static void
read_some(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[16384];

	if (poll(&p, 1, (int)(5000 * hard_slowdown())) == 1)
		(void)!read(fd, buf, sizeof(buf));
}

static void *
rawpeer_main(void *arg)
{
	struct rawpeer *rp = arg;
	struct linger lg = { 1, 0 };
	char buf[4096];
	int i;

	switch (rp->kind) {
	case RP_CLOSE_AT_ONCE:
		break;
	case RP_READ_THEN_CLOSE:
		read_some(rp->fd);
		break;
	case RP_READ_THEN_RESET:
		read_some(rp->fd);
		setsockopt(rp->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		break;
	case RP_GARBAGE:
		read_some(rp->fd);
		(void)!send(rp->fd, rp->garbage, rp->glen, MSG_NOSIGNAL);
		/* A blocking io callback cannot time out: leave at once after a valid prefix. */
		if (rp->release)
			break;
		/* Until the client gives up (or 5 s pass). */
		for (i = 0; i < 500; i++) {
			struct pollfd p = { rp->fd, POLLIN, 0 };

			if (poll(&p, 1, 10) == 1 && read(rp->fd, buf, sizeof(buf)) <= 0)
				break;
		}
		break;
	case RP_SILENT:
		for (i = 0; i < 3000 && !rp->release; i++) {
			struct pollfd p = { rp->fd, POLLIN, 0 };

			if (poll(&p, 1, 10) == 1 && read(rp->fd, buf, sizeof(buf)) <= 0)
				break;
		}
		break;
	}
	close(rp->fd);
	return NULL;
}

/* A client stream (transport k) against a raw peer: the client fd in *cfd. */
static struct dlssl_stream *
client_vs_raw(struct rawpeer *rp, enum tt_kind k, enum rp_kind kind, struct dlssl_stream_opts *o,
    int *cfd, int *slot)
{
	int fds[2];
	struct dlssl_stream *s;

	tt_tcppair(fds);
	rp->fd = fds[1];
	rp->kind = kind;
	ck_assert_int_eq(pthread_create(&rp->thread, NULL, rawpeer_main, rp), 0);
	o->context = client_ctx;
	o->hostname = "localhost";
	*cfd = fds[0];
	s = dlssl_make_client_stream(tt_transport(k, fds[0], slot), o);
	return s;
}

/* _i: bit 0 transport; the peer closes, or resets, after reading the ClientHello or before. */
START_TEST(tcp_peer_closes_in_handshake)
{
	static const enum rp_kind kinds[] = { RP_CLOSE_AT_ONCE, RP_READ_THEN_CLOSE, RP_READ_THEN_RESET };
	enum tt_kind k = (enum tt_kind)(_i & 1);
	struct dlssl_stream_opts o = { 0 };
	struct rawpeer rp;
	int fd, slot, code;
	size_t i;
	struct dlssl_stream *s;

	for (i = 0; i < 3; i++) {
		memset(&o, 0, sizeof(o));
		memset(&rp, 0, sizeof(rp));
		o.deadline = hard_deadline(10);
		s = client_vs_raw(&rp, k, kinds[i], &o, &fd, &slot);
		code = dlssl_error_code();
		ck_assert_msg(s == NULL, "a handshake with a peer that left succeeded");
		pthread_join(rp.thread, NULL);
		/* A reset is an I/O error; a plain close a truncation (or EPIPE writing to it). */
		if (kinds[i] == RP_READ_THEN_RESET)
			ck_assert_msg(code == DLSSL_ERR_IO && strstr(dlssl_error(), "reset") != NULL,
			    "%s: %s", dlssl_error_name(code), dlssl_error());
		else
			ck_assert_msg(code == DLSSL_ERR_TRUNCATED || code == DLSSL_ERR_IO, "case %zu: %s: %s",
			    i, dlssl_error_name(code), dlssl_error());
		ck_assert_int_ne(fcntl(fd, F_GETFD), -1); /* still the caller's */
		close(fd);
	}
}
END_TEST

/* _i: bit 0 transport, the rest the garbage. */
START_TEST(tcp_garbage_instead_of_server_hello)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	const struct garbage *g = &garbage[_i >> 1];
	struct dlssl_stream_opts o = { 0 };
	struct rawpeer rp;
	int fd, slot, code;
	struct dlssl_stream *s;

	rp.garbage = g->bytes;
	rp.glen = g->len;
	rp.release = g->prefix;
	o.deadline = hard_deadline(3);
	s = client_vs_raw(&rp, k, RP_GARBAGE, &o, &fd, &slot);
	code = dlssl_error_code();
	ck_assert_msg(s == NULL, "%s: the handshake succeeded", g->name);
	/* Garbage that begins validly leaves the client waiting until the peer leaves. */
	if (g->prefix)
		ck_assert_msg(code == DLSSL_ERR_TRUNCATED, "%s: %s: %s", g->name, dlssl_error_name(code),
		    dlssl_error());
	else
		ck_assert_msg(code == DLSSL_ERR_TLS, "%s: %s: %s", g->name, dlssl_error_name(code),
		    dlssl_error());
	if (g->says != NULL)
		ck_assert_msg(strstr(dlssl_error(), g->says) != NULL, "%s", dlssl_error());
	close(fd);
	pthread_join(rp.thread, NULL);
}
END_TEST

/* The library server against a client that sends half a ClientHello, or garbage. */
START_TEST(tcp_server_gets_half_a_client_hello)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	struct dlssl_stream_opts d = { 0 }, so = { 0 };
	struct hard_pair p;
	unsigned char hello[4096];
	size_t n, cut;
	int fds[2], slot, code;
	struct dlssl_stream *s;

	/* A real ClientHello, from the library itself. */
	d.defer_handshake = 1;
	ck_assert_int_eq(hard_pair_open(&p, client_ctx, server_ctx, "localhost", 1 << 16, 1, NULL, &d,
	    &d), 0);
	ck_assert_int_eq(dlssl_handshake(p.client), DLSSL_WANT_POLLIN);
	n = p.c2s.len;
	ck_assert_uint_le(n, sizeof(hello));
	memcpy(hello, p.c2s.buf, n);
	hard_pair_free(&p);

	for (cut = 1; cut < n; cut += n / 3) {
		tt_tcppair(fds);
		ck_assert_int_eq(send(fds[0], hello, cut, 0), (ssize_t)cut);
		shutdown(fds[0], SHUT_WR);
		so.context = server_ctx;
		so.deadline = hard_deadline(10);
		s = dlssl_make_server_stream(tt_transport(k, fds[1], &slot), &so);
		code = dlssl_error_code();
		ck_assert_msg(s == NULL, "served half a ClientHello");
		ck_assert_msg(code == DLSSL_ERR_TRUNCATED, "%zu of %zu bytes: %s: %s", cut, n,
		    dlssl_error_name(code), dlssl_error());
		close(fds[0]);
		close(fds[1]);
	}
}
END_TEST

/* ---- a cutting proxy in front of a library server ---- */

struct proxy {
	int cfd, ufd;          /* client side, upstream side */
	atomic_long limit;     /* bytes server -> client after arming; -1: no limit */
	atomic_int armed;
	int rst;               /* end with a reset instead of a close */
	long after_arm;
	pthread_t thread;
	struct tt_server up;
};

static void *
proxy_main(void *arg)
{
	struct proxy *px = arg;
	struct pollfd p[2];
	char buf[16384];
	struct linger lg = { 1, 0 };
	ssize_t n;
	size_t take;
	int i, done = 0;

	while (!done) {
		p[0].fd = px->cfd;
		p[1].fd = px->ufd;
		p[0].events = p[1].events = POLLIN;
		if (poll(p, 2, (int)(10000 * hard_slowdown())) <= 0)
			break;
		for (i = 0; i < 2 && !done; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n <= 0) {
				done = 1;
				break;
			}
			take = (size_t)n;
			if (i == 1 && px->armed && px->limit >= 0 && px->after_arm + n > px->limit) {
				take = (size_t)(px->limit - px->after_arm);
				done = 1;
			}
			if (i == 1 && px->armed)
				px->after_arm += (long)take;
			if (take > 0)
				(void)!send(i == 0 ? px->ufd : px->cfd, buf, take, MSG_NOSIGNAL);
		}
	}
	if (px->rst)
		setsockopt(px->cfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(px->cfd);
	close(px->ufd);
	return NULL;
}

/* client <-> proxy <-> echo server; returns the client stream (transport k). */
static struct dlssl_stream *
via_proxy(struct proxy *px, enum tt_kind k, int *slot)
{
	struct dlssl_stream_opts o = { 0 };
	int up[2], cl[2];
	struct dlssl_stream *s;

	tt_tcppair(up);
	tt_tcppair(cl);
	memset(&px->up, 0, sizeof(px->up));
	px->up.fd = up[1];
	px->up.kind = TT_FD;
	px->up.ctx = server_ctx;
	px->up.echo = 1;
	px->ufd = up[0];
	px->cfd = cl[1];
	px->armed = 0;
	px->after_arm = 0;
	tt_server_start(&px->up);
	ck_assert_int_eq(pthread_create(&px->thread, NULL, proxy_main, px), 0);
	o.context = client_ctx;
	o.hostname = "localhost";
	o.close_fd = 1;
	o.deadline = hard_deadline(10);
	s = dlssl_make_client_stream(tt_transport(k, cl[0], slot), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	return s;
}

static void
proxy_join(struct proxy *px)
{
	pthread_join(px->thread, NULL);
	tt_server_join(&px->up);
}

/* _i: bit 0 transport, bit 1 reset instead of close. */
START_TEST(tcp_cut_mid_record)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	struct proxy px;
	char buf[1200];
	int slot, code;
	long r;
	struct dlssl_stream *s;

	memset(&px, 0, sizeof(px));
	px.rst = (_i & 2) != 0;
	px.limit = -1;
	s = via_proxy(&px, k, &slot);
	/* A round trip, so the handshake's last bytes (TLS 1.3 tickets) are through. */
	ck_assert_int_eq(dlssl_write(s, "ping", 4), 4);
	ck_assert_int_eq(dlssl_read_fully(s, buf, 4), 4);
	/* Then the answer to 1000 bytes is cut 50 bytes into its record. */
	px.limit = 50;
	px.armed = 1;
	memset(buf, 'y', 1000);
	ck_assert_int_eq(dlssl_write(s, buf, 1000), 1000);
	ck_assert_int_eq(dlssl_flush(s), 0);
	r = dlssl_read(s, buf, sizeof(buf));
	code = dlssl_error_code();
	ck_assert_msg(r == -1, "read %ld bytes of a record that was cut", r);
	if (px.rst)
		ck_assert_msg(code == DLSSL_ERR_IO || code == DLSSL_ERR_TRUNCATED, "%s: %s",
		    dlssl_error_name(code), dlssl_error());
	else
		ck_assert_msg(code == DLSSL_ERR_TRUNCATED, "%s: %s", dlssl_error_name(code), dlssl_error());
	dlssl_stream_free(s);
	proxy_join(&px);
}
END_TEST

/* ---- deadlines and timeouts against real sockets ---- */

/* A library server that handshakes, then neither reads nor writes until released. */
struct idle_server {
	int fd;
	atomic_int release;
	pthread_t thread;
	atomic_int ok; /* 1 once its handshake is done, -1 if it failed */
};

static void *
idle_main(void *arg)
{
	struct idle_server *is = arg;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int i;

	o.context = server_ctx;
	o.deadline = hard_deadline(10);
	s = dlssl_make_server_stream(dlssl_transport_fd(is->fd), &o);
	is->ok = s != NULL ? 1 : -1;
	for (i = 0; i < 3000 && !is->release; i++)
		usleep(10000);
	if (s != NULL)
		dlssl_close_abort(s);
	dlssl_stream_free(s);
	close(is->fd);
	return NULL;
}

static struct dlssl_stream *
client_vs_idle(struct idle_server *is, int *cfd, int unix_socket)
{
	struct dlssl_stream_opts o = { 0 };
	int fds[2];
	struct dlssl_stream *s;

	if (unix_socket)
		tt_socketpair(fds);
	else
		tt_tcppair(fds);
	memset(is, 0, sizeof(*is));
	is->fd = fds[1];
	ck_assert_int_eq(pthread_create(&is->thread, NULL, idle_main, is), 0);
	o.context = client_ctx;
	o.hostname = "localhost";
	o.deadline = hard_deadline(10);
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	*cfd = fds[0];
	/* In TLS 1.3 the client is done first: wait for the server's side too. */
	while (is->ok == 0)
		usleep(1000);
	ck_assert_int_eq(is->ok, 1);
	return s;
}

static void
idle_done(struct idle_server *is, int cfd)
{
	is->release = 1;
	pthread_join(is->thread, NULL);
	close(cfd);
}

START_TEST(write_deadline_peer_stopped_reading)
{
	static char block[65536];
	struct idle_server is;
	int fd, writes = 0;
	long r = 0;
	double t0, dl;
	struct dlssl_stream *s = client_vs_idle(&is, &fd, 0);

	/* An absolute deadline, no per-call timeout: the total is bounded. */
	t0 = dlssl_monotonic();
	dl = t0 + 0.5;
	ck_assert_int_eq(dlssl_stream_set_timeouts(s, 0, 0, dl), 0);
	while (writes < 100000 && (r = dlssl_write(s, block, sizeof(block))) > 0)
		writes++;
	ck_assert_int_eq(r, -1);
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TIMEOUT, "%s", dlssl_error());
	ck_assert_msg(dlssl_monotonic() >= dl - 0.01, "gave up %.3f s early", dl - dlssl_monotonic());
	ck_assert_msg(dlssl_monotonic() - dl < 2 * hard_slowdown(), "%.3f s late",
	    dlssl_monotonic() - dl);
	ck_assert_int_gt(writes, 0);
	dlssl_stream_free(s);
	idle_done(&is, fd);
}
END_TEST

START_TEST(close_honours_the_deadline)
{
	static char fill[1 << 16];
	struct idle_server is;
	int fd, fl, sz = 4096;
	double t0;
	ssize_t n;
	/*
	 * A Unix socket: unlike TCP, which appends small writes to its last
	 * buffer, it refuses every write once full, so the stream's flush
	 * cannot proceed after the socket was filled behind its back.
	 */
	struct dlssl_stream *s = client_vs_idle(&is, &fd, 1);

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	fl = fcntl(fd, F_GETFL);
	ck_assert_int_eq(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
	while ((n = send(fd, fill, sizeof(fill), MSG_NOSIGNAL)) > 0)
		;
	while ((n = send(fd, fill, 1, MSG_NOSIGNAL)) > 0)
		;
	ck_assert_int_eq(fcntl(fd, F_SETFL, fl), 0); /* as the stream had it */
	ck_assert_int_eq(dlssl_write(s, "buffered", 8), 8);
	t0 = dlssl_monotonic();
	ck_assert_int_eq(dlssl_stream_set_timeouts(s, 0, 0, t0 + 0.3), 0);
	/* The flush in close cannot finish: close gives up at the deadline and releases all. */
	ck_assert_int_eq(dlssl_close(s), -1);
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TIMEOUT, "%s", dlssl_error());
	ck_assert_msg(dlssl_monotonic() - t0 < 2 * hard_slowdown(), "close took %.3f s",
	    dlssl_monotonic() - t0);
	ck_assert_int_eq(dlssl_stream_is_open(s), 0);
	dlssl_stream_free(s);
	idle_done(&is, fd);
}
END_TEST

/* _i: bit 0 transport of the client... the fd only: a read timeout needs an fd to poll. */
START_TEST(read_timeout_silent_peer_handshake)
{
	struct dlssl_stream_opts o = { 0 };
	struct rawpeer rp;
	int fd, slot;
	double t0 = dlssl_monotonic();
	struct dlssl_stream *s;

	/* The peer reads the ClientHello and says nothing: a per-read timeout ends the handshake. */
	memset(&rp, 0, sizeof(rp));
	o.read_timeout_ms = 300;
	s = client_vs_raw(&rp, TT_FD, RP_SILENT, &o, &fd, &slot);
	ck_assert_ptr_null(s);
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TIMEOUT, "%s", dlssl_error());
	ck_assert(dlssl_monotonic() - t0 >= 0.25);
	ck_assert_msg(dlssl_monotonic() - t0 < 3 * hard_slowdown(), "%.3f s", dlssl_monotonic() - t0);
	/* Given back as it was: blocking. */
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	rp.release = 1;
	close(fd);
	pthread_join(rp.thread, NULL);
}
END_TEST

START_TEST(read_timeout_silent_client)
{
	struct dlssl_stream_opts o = { 0 };
	int fds[2];
	double t0 = dlssl_monotonic();

	/* A client that connects and never sends its hello. */
	tt_tcppair(fds);
	o.context = server_ctx;
	o.read_timeout_ms = 300;
	ck_assert_ptr_null(dlssl_make_server_stream(dlssl_transport_fd(fds[1]), &o));
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TIMEOUT, "%s", dlssl_error());
	ck_assert(dlssl_monotonic() - t0 >= 0.25);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* A server that drips one byte of application data every 50 ms. */
struct drip {
	int fd;
	pthread_t thread;
	atomic_int stop;
};

static void *
drip_main(void *arg)
{
	struct drip *d = arg;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int i;

	o.context = server_ctx;
	o.deadline = hard_deadline(10);
	s = dlssl_make_server_stream(dlssl_transport_fd(d->fd), &o);
	for (i = 0; s != NULL && i < 200 && !d->stop; i++) {
		if (dlssl_write(s, "d", 1) != 1 || dlssl_flush(s) != 0)
			break;
		usleep(50000);
	}
	if (s != NULL)
		dlssl_close_abort(s);
	dlssl_stream_free(s);
	close(d->fd);
	return NULL;
}

START_TEST(deadline_caps_a_slow_drip)
{
	struct dlssl_stream_opts o = { 0 };
	struct drip d;
	char buf[1000];
	int fds[2];
	double t0;
	long r;
	struct dlssl_stream *s;

	tt_tcppair(fds);
	memset(&d, 0, sizeof(d));
	d.fd = fds[1];
	ck_assert_int_eq(pthread_create(&d.thread, NULL, drip_main, &d), 0);
	o.context = client_ctx;
	o.hostname = "localhost";
	o.deadline = hard_deadline(10);
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	/* Per-read timeouts never fire (a byte comes every 50 ms); the deadline does. */
	t0 = dlssl_monotonic();
	ck_assert_int_eq(dlssl_stream_set_timeouts(s, 200, 0, t0 + 0.6), 0);
	r = dlssl_read_fully(s, buf, sizeof(buf));
	ck_assert_msg(r == -1 && dlssl_error_code() == DLSSL_ERR_TIMEOUT, "%ld %s", r,
	    dlssl_error() ? dlssl_error() : "");
	ck_assert_msg(dlssl_monotonic() - t0 < 0.6 + 2 * hard_slowdown(), "%.3f s",
	    dlssl_monotonic() - t0);
	d.stop = 1;
	dlssl_stream_free(s);
	close(fds[0]);
	pthread_join(d.thread, NULL);
}
END_TEST

static Suite *
faults_suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc;

	tc = tcase_create("callback_transport");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, intact_64mib_each_way);
	tcase_add_test(tc, intact_64mib_full_duplex);
	tcase_add_loop_test(tc, intact_extreme_patterns, 0, 6);
	tcase_add_loop_test(tc, full_duplex_nonblocking_sockets, 0, 2);
	tcase_add_test(tc, close_nonblocking_with_pending_output);
	tcase_add_test(tc, handshakes_under_faults);
	tcase_add_test(tc, failing_callbacks);
	tcase_add_test(tc, write_callback_returns_zero);
	tcase_add_test(tc, callbacks_claiming_too_much);
	tcase_add_test(tc, close_callback_once);
	suite_add_tcase(s, tc);

	tc = tcase_create("truncation_and_garbage");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, truncated_at_record_boundary);
	tcase_add_test(tc, truncated_mid_record);
	tcase_add_test(tc, truncated_lax);
	tcase_add_loop_test(tc, cut_in_handshake, 0, 4);
	tcase_add_loop_test(tc, garbage_in_memory, 0, (int)N_GARBAGE + 8);
	suite_add_tcase(s, tc);

	tc = tcase_create("tcp_peers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, tcp_peer_closes_in_handshake, 0, TT_KINDS);
	tcase_add_loop_test(tc, tcp_garbage_instead_of_server_hello, 0, 2 * (int)N_GARBAGE);
	tcase_add_loop_test(tc, tcp_server_gets_half_a_client_hello, 0, TT_KINDS);
	tcase_add_loop_test(tc, tcp_cut_mid_record, 0, 4);
	tcase_add_test(tc, write_deadline_peer_stopped_reading);
	tcase_add_test(tc, close_honours_the_deadline);
	tcase_add_test(tc, read_timeout_silent_peer_handshake);
	tcase_add_test(tc, read_timeout_silent_client);
	tcase_add_test(tc, deadline_caps_a_slow_drip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(faults_suite);
}
