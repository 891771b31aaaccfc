/*
 * dlssl's floors beyond the peer's chain, the same on every library
 * (src/policy_peer.c, src/record_guard.c):
 *
 *  - a weak certificate given to one stream is refused as on a context,
 *    with the same message;
 *  - a server's ephemeral DH group below the security level is refused by
 *    a default client, naming the cause, and the server is told with a
 *    handshake_failure alert; lowering the level lets it through; no
 *    default client offers a weak curve; a dlssl server never offers a
 *    weak group;
 *  - records that dlssl's own scan refuses are answered with their TLS
 *    alert, which the peer sees: read raw off the wire, and, where the
 *    alert must be protected, decrypted by a dlssl peer.
 *
 * The ephemeral key cases run `openssl s_server` and `openssl s_client`
 * (skipped, 77, without the openssl program); the others run in memory
 * or over a socket pair.
 */
#include "config.h"

#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hard_interop.h"
#include "hard_pipe.h"

#define POL(name) PKI("policy/" name)
#define RSA_CERT "-cert", PKI("localhost.crt"), "-key", PKI("localhost.key")
#define CHAIN "-cert_chain", PKI("intermediate-ca.crt")
#define DHE_SUITE "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"
#define ECDHE_SUITE "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
#define WEAK_DH_TEXT "the server's ephemeral DH key is too small for security level 2"

/* ---- a weak certificate on one stream ---- */

/* The message a context gives for the 1024-bit certificate. */
static void
context_refusal(char *msg, size_t n)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	o.certificate_chain_file = POL("rsa1024-chain.pem");
	o.private_key_file = POL("rsa1024.key");
	c = dlssl_make_context(&o);
	ck_assert_msg(c == NULL, "a context at the default level uses a 1024-bit RSA certificate");
	snprintf(msg, n, "%s", dlssl_error());
}

/* A stream (server: _server) over a socket pair with the given identity: NULL or the stream. */
static struct dlssl_stream *
stream_with(struct dlssl_context *c, int server, const char *cert, const char *key,
    const char *cipher_list)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int fds[2];

	tt_socketpair(fds);
	o.context = c;
	o.certificate_file = cert;
	o.key_file = key;
	o.cipher_list = cipher_list;
	o.defer_handshake = 1;
	o.verify = server ? DLSSL_VERIFY_DEFAULT : DLSSL_VERIFY_NONE;
	o.close_fd = 1;
	s = server ? dlssl_make_server_stream(dlssl_transport_fd(fds[1]), &o) :
	    dlssl_make_client_stream(dlssl_transport_fd(fds[1]), &o);
	if (s == NULL)
		close(fds[1]);
	close(fds[0]);
	return s;
}

/* _i: 0 a server stream, 1 a client stream. */
START_TEST(stream_certificate_like_context)
{
	struct dlssl_context_opts lowered = { 0 };
	struct dlssl_context *c = dlssl_make_context(NULL), *low;
	struct dlssl_stream *s;
	char want[600];

	ck_assert_msg(c != NULL, "%s", dlssl_error());
	context_refusal(want, sizeof(want));
	s = stream_with(c, _i == 0, POL("rsa1024-chain.pem"), POL("rsa1024.key"), NULL);
	ck_assert_msg(s == NULL, "a %s stream at the default level uses a 1024-bit RSA certificate",
	    _i == 0 ? "server" : "client");
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	ck_assert_msg(strcmp(dlssl_error(), want) == 0, "the stream says '%s', a context '%s'",
	    dlssl_error(), want);
	ck_assert_msg(strstr(want, "EE certificate key too weak at security level 2") != NULL, "%s",
	    want);

	/* Lowered on the context, or by the stream's own cipher list: used. */
	lowered.security_level = DLSSL_SECURITY_LEVEL_NONE;
	low = dlssl_make_context(&lowered);
	ck_assert_msg(low != NULL, "%s", dlssl_error());
	s = stream_with(low, _i == 0, POL("rsa1024-chain.pem"), POL("rsa1024.key"), NULL);
	ck_assert_msg(s != NULL, "security_level NONE: %s", dlssl_error());
	dlssl_stream_free(s);
	s = stream_with(c, _i == 0, POL("rsa1024-chain.pem"), POL("rsa1024.key"),
	    "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0");
	ck_assert_msg(s != NULL, "@SECLEVEL=0 in the stream's cipher list: %s", dlssl_error());
	dlssl_stream_free(s);
	/* A 2048-bit certificate is fine at the default level. */
	s = stream_with(c, _i == 0, PKI("localhost-chain.pem"), PKI("localhost.key"), NULL);
	ck_assert_msg(s != NULL, "a 2048-bit certificate: %s", dlssl_error());
	dlssl_stream_free(s);
	dlssl_ctx_free(low);
	dlssl_ctx_free(c);
}
END_TEST

/* ---- the server's ephemeral key ---- */

/*
 * A client of s_server with the context options: the stream after one
 * reversed line over the cipher suite named, or NULL.
 */
static struct dlssl_stream *
s_server_client(struct hard_proc *p, int port, const struct dlssl_context_opts *extra,
    const char *cipher)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	char got[64];
	int slot;

	o.context = hard_client_ctx(extra, 0);
	o.hostname = "localhost";
	s = hard_client(TT_FD, port, &o, &slot);
	dlssl_ctx_free(o.context);
	if (s == NULL)
		return NULL;
	HARD_PEER_ASSERT(p, hard_line_exchange(s, "hello dhe\n", got, sizeof(got)) == 0,
	    "exchange: %s", dlssl_error());
	ck_assert_str_eq(got, "ehd olleh");
	ck_assert_str_eq(dlssl_stream_cipher(s), cipher);
	return s;
}

START_TEST(weak_server_dh_refused)
{
	const char *const args[] = { RSA_CERT, CHAIN, "-tls1_2", "-dhparam", POL("dh1024.pem"),
		"-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", NULL };
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port = hard_start_s_server(&p, args);

	s = s_server_client(&p, port, NULL, DHE_SUITE);
	HARD_PEER_ASSERT(&p, s == NULL, "a default client accepted a 1024-bit DH group");
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TLS && strstr(dlssl_error(), WEAK_DH_TEXT) &&
	    strstr(dlssl_error(), "@SECLEVEL"), "%s: %s", dlssl_error_name(dlssl_error_code()),
	    dlssl_error());
	/* The server was told why, as OpenSSL 1.1+ tells it (SSL_R_DH_KEY_TOO_SMALL). */
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, "alert handshake failure", 5 * hard_slowdown(), NULL, 0),
	    "s_server saw no handshake_failure alert");

	/* Lowered explicitly: the option, or @SECLEVEL=1 (80 bits) in the cipher list. */
	o.security_level = DLSSL_SECURITY_LEVEL_NONE;
	s = s_server_client(&p, port, &o, DHE_SUITE);
	HARD_PEER_ASSERT(&p, s != NULL, "security_level NONE: %s", dlssl_error());
	ck_assert_int_eq(dlssl_close(s), 0);
	dlssl_stream_free(s);
	memset(&o, 0, sizeof(o));
	o.cipher_list = "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=1";
	s = s_server_client(&p, port, &o, DHE_SUITE);
	HARD_PEER_ASSERT(&p, s != NULL, "@SECLEVEL=1: %s", dlssl_error());
	ck_assert_int_eq(dlssl_close(s), 0);
	dlssl_stream_free(s);
	hard_proc_free(&p);
}
END_TEST

/*
 * A server whose only curve is P-192 (96 bits): no default client offers
 * it (where the library has no levels, dlssl limits the groups itself), so
 * the server finds no common group, on every library.
 */
START_TEST(weak_server_curve_refused)
{
	const char *const args[] = { RSA_CERT, CHAIN, "-tls1_2", "-groups", "P-192",
		"-cipher", "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", NULL };
	struct hard_proc p;
	int port = hard_start_s_server(&p, args);

	HARD_PEER_ASSERT(&p, s_server_client(&p, port, NULL, ECDHE_SUITE) == NULL,
	    "a default client used P-192");
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TLS &&
	    strstr(dlssl_error(), "the peer sent the alert handshake_failure (40)"), "%s: %s",
	    dlssl_error_name(dlssl_error_code()), dlssl_error());
	hard_proc_free(&p);
}
END_TEST

/* A 2048-bit group (s_server's own, sized to its RSA key) passes at the default level. */
START_TEST(strong_server_dh_accepted)
{
	const char *const args[] = { RSA_CERT, CHAIN, "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256",
		NULL };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port = hard_start_s_server(&p, args);

	s = s_server_client(&p, port, NULL, DHE_SUITE);
	HARD_PEER_ASSERT(&p, s != NULL, "a 2048-bit DH group: %s", dlssl_error());
	ck_assert_int_eq(dlssl_close(s), 0);
	dlssl_stream_free(s);
	hard_proc_free(&p);
}
END_TEST

/* A dlssl server asked for DHE only: no group, or one of at least 2048 bits, never a weak one. */
START_TEST(server_offers_no_weak_dh)
{
	char conn[64], *log, *at;
	const char *argv[] = { "openssl", "s_client", "-connect", conn, "-CAfile", PKI("root-ca.crt"),
		"-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0",
		NULL };
	struct hard_srv sv;
	struct hard_proc p;
	long bits;

	memset(&sv, 0, sizeof(sv));
	sv.kind = TT_FD;
	sv.ctx = hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL);
	sv.mode = HS_LINE;
	hard_srv_start(&sv);
	snprintf(conn, sizeof(conn), "127.0.0.1:%d", sv.port);
	ck_assert_int_eq(hard_spawn(&p, argv, 1, HARD_PEER_SECONDS), 0);
	(void)!write(p.in_fd, "hello\n", 6);
	(void)hard_proc_wait(&p, HARD_IO_SECONDS * hard_slowdown());
	hard_close_stdin(&p);
	hard_srv_join(&sv);
	log = hard_read_log(&p);
	at = strstr(log, "Temp Key: DH, ");
	bits = at != NULL ? strtol(at + strlen("Temp Key: DH, "), NULL, 10) : 0;
	HARD_PEER_ASSERT(&p, at == NULL || bits >= 2048, "the server offered a %ld-bit DH group", bits);
	HARD_PEER_ASSERT(&p, at != NULL || !sv.res[0].ok, "a DHE handshake without a DH key");
	printf("dlssl server, DHE only: %s\n", at != NULL ? "a group of 2048 bits or more" :
	    "refused (no DH group)");
	free(log);
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

/* ---- alerts for records the scan refuses ---- */

static const struct bad_record {
	const char *name;
	const unsigned char *bytes; /* a record header (5 bytes) */
	const char *says;
	int alert;
} bad_records[] = {
	{ "a record longer than TLS allows", (const unsigned char *)"\x16\x03\x03\xff\xff",
	  "longer than TLS allows", 22 },
	{ "an empty handshake record", (const unsigned char *)"\x16\x03\x03\x00\x00",
	  "empty handshake record", 10 },
	{ "an empty alert record", (const unsigned char *)"\x15\x03\x03\x00\x00",
	  "empty alert or change_cipher_spec record", 10 },
	{ "an empty change_cipher_spec record", (const unsigned char *)"\x14\x03\x03\x00\x00",
	  "empty alert or change_cipher_spec record", 10 },
};
#define N_BAD (sizeof(bad_records) / sizeof(bad_records[0]))

/* Take everything out of a pipe (at most n bytes kept in out); the count taken. */
static size_t
pipe_take(struct hard_pipe *pp, unsigned char *out, size_t n)
{
	size_t i, len = pp->len;

	for (i = 0; i < len && i < n; i++)
		out[i] = pp->buf[(pp->head + i) % pp->cap];
	pp->head = 0;
	pp->len = 0;
	return len;
}

static void
pipe_put(struct hard_pipe *pp, const unsigned char *p, size_t n)
{
	ck_assert_uint_eq(pp->len, 0);
	pp->head = 0;
	memcpy(pp->buf, p, n);
	pp->len = n;
}

/* A fatal alert record of the given description, unprotected. */
static void
assert_alert(const unsigned char *rec, size_t n, int alert, const char *what)
{
	ck_assert_msg(n == 7, "%s: %zu bytes sent, not one alert record", what, n);
	ck_assert_msg(rec[0] == 21 && rec[1] == 3 && rec[3] == 0 && rec[4] == 2 && rec[5] == 2,
	    "%s: not a fatal alert record: %02x %02x %02x %02x %02x %02x", what, rec[0], rec[1],
	    rec[2], rec[3], rec[4], rec[5]);
	ck_assert_msg(rec[6] == alert, "%s: alert %d, want %d", what, rec[6], alert);
}

static void
open_deferred(struct hard_pair *p, int max_version)
{
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts d = { 0 };
	struct dlssl_context *c, *s;

	co.ca_file = PKI("root-ca.crt");
	co.no_default_verify_paths = 1;
	co.max_version = max_version;
	c = dlssl_make_context(&co);
	s = hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL);
	ck_assert_msg(c != NULL && s != NULL, "%s", dlssl_error());
	d.defer_handshake = 1;
	ck_assert_int_eq(hard_pair_open(p, c, s, "localhost", 1 << 16, 1, NULL, &d, &d), 0);
	/* The streams hold their own references. */
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
}

/*
 * One side refuses the other's first record, which the test puts in its
 * pipe: the other side's pipe then holds the alert, and nothing else.
 * _i: bit 0 the client refuses (else the server), the rest the record.
 */
START_TEST(refusal_sends_alert)
{
	const struct bad_record *b = &bad_records[_i >> 1];
	int client = _i & 1;
	unsigned char out[64];
	struct hard_pair p;
	size_t n;

	open_deferred(&p, 0);
	if (client) {
		ck_assert_int_eq(dlssl_handshake(p.client), DLSSL_WANT_POLLIN);
		(void)pipe_take(&p.c2s, out, sizeof(out)); /* the ClientHello */
	}
	pipe_put(client ? &p.s2c : &p.c2s, b->bytes, 5);
	ck_assert_int_eq(dlssl_handshake(client ? p.client : p.server), -1);
	ck_assert_msg(strstr(dlssl_error(), b->says) != NULL, "%s: %s", b->name, dlssl_error());
	n = pipe_take(client ? &p.c2s : &p.s2c, out, sizeof(out));
	assert_alert(out, n, b->alert, b->name);
	hard_pair_free(&p);
}
END_TEST

/* The same over a socket, as a raw peer sees it: the alert arrives before the close. */
START_TEST(server_alert_on_socket)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_context *c = hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL);
	struct pollfd pf;
	unsigned char got[64];
	size_t n = 0;
	ssize_t r;
	int fds[2];

	tt_socketpair(fds);
	ck_assert_int_eq(write(fds[0], "\x16\x03\x01\xff\xff", 5), 5);
	o.context = c;
	o.deadline = hard_deadline(HARD_IO_SECONDS);
	ck_assert_ptr_null(dlssl_make_server_stream(dlssl_transport_fd(fds[1]), &o));
	ck_assert_msg(strstr(dlssl_error(), "longer than TLS allows") != NULL, "%s", dlssl_error());
	close(fds[1]); /* still ours */
	pf.fd = fds[0];
	pf.events = POLLIN;
	while (n < sizeof(got) && poll(&pf, 1, (int)(5000 * hard_slowdown())) == 1 &&
	    (r = read(fds[0], got + n, sizeof(got) - n)) > 0)
		n += (size_t)r;
	close(fds[0]);
	assert_alert(got, n, 22, "over a socket");
	ck_assert_int_eq(got[2], 1); /* the peer's record version */
	dlssl_ctx_free(c);
}
END_TEST

/*
 * TLS 1.2, the client past its change_cipher_spec: its alert must be
 * protected, so the library sends it; the server decrypts it and names it.
 */
START_TEST(protected_alert_reaches_peer)
{
	unsigned char buf[64];
	struct hard_pair p;
	long r;
	int i;

	open_deferred(&p, DLSSL_TLS1_2);
	ck_assert_int_eq(dlssl_handshake(p.client), DLSSL_WANT_POLLIN);  /* ClientHello */
	ck_assert_int_eq(dlssl_handshake(p.server), DLSSL_WANT_POLLIN);  /* up to ServerHelloDone */
	ck_assert_int_eq(dlssl_handshake(p.client), DLSSL_WANT_POLLIN);  /* its keys and Finished */
	ck_assert_uint_eq(p.s2c.len, 0);
	pipe_put(&p.s2c, (const unsigned char *)"\x16\x03\x03\xff\xff", 5);
	ck_assert_int_eq(dlssl_handshake(p.client), -1);
	ck_assert_msg(strstr(dlssl_error(), "longer than TLS allows") != NULL, "%s", dlssl_error());
	/* The server ends its handshake, then reads the client's alert. */
	r = dlssl_handshake(p.server);
	for (i = 0; i < 10 && r == 0; i++) {
		r = dlssl_read(p.server, buf, sizeof(buf));
		if (r == DLSSL_WANT_POLLIN)
			break;
	}
	ck_assert_msg(r == -1, "the server read on: %ld", r);
	ck_assert_msg(strstr(dlssl_error(), "record_overflow (22)") != NULL, "the server says: %s",
	    dlssl_error());
	hard_pair_free(&p);
}
END_TEST

static Suite *
policy_peer_suite(void)
{
	Suite *s = suite_create("policy_peer");
	TCase *tc;

	tc = tcase_create("own_certificate");
	tcase_add_loop_test(tc, stream_certificate_like_context, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("ephemeral_keys");
	tcase_add_checked_fixture(tc, hard_interop_setup, hard_interop_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, weak_server_dh_refused);
	tcase_add_test(tc, strong_server_dh_accepted);
	tcase_add_test(tc, weak_server_curve_refused);
	tcase_add_test(tc, server_offers_no_weak_dh);
	suite_add_tcase(s, tc);

	tc = tcase_create("alerts");
	tcase_add_checked_fixture(tc, hard_interop_setup, hard_interop_teardown);
	tcase_add_loop_test(tc, refusal_sends_alert, 0, 2 * N_BAD);
	tcase_add_test(tc, server_alert_on_socket);
	tcase_add_test(tc, protected_alert_reaches_peer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	static const char *const tools[] = { "openssl", "timeout", NULL };

	hard_require_tools(tools);
	return tt_main(policy_peer_suite);
}
