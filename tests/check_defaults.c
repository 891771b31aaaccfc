/*
 * Secure defaults, checked against servers that get them wrong: a client
 * made with no options refuses an untrusted certificate, a wrong host
 * name, TLS 1.0 and 1.1, NULL encryption and anonymous key exchange.
 * Each refusal has a positive control: a client that explicitly lowers
 * the same setting gets through, so the refusal is the default's doing.
 *
 * Client and server run in one thread over in-memory callback transports
 * (tests/hard_pipe.c), except where a real socket matters.
 */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hard_common.h"
#include "hard_pipe.h"
#include "tls_test.h"

/* A server context from PKI files and extra options (cipher list, versions). */
static struct dlssl_context *
server(const char *chain, const char *key, const char *ciphers, int min, int max)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	o.certificate_chain_file = chain;
	o.private_key_file = key;
	o.no_default_verify_paths = 1;
	o.cipher_list = ciphers;
	o.min_version = min;
	o.max_version = max;
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "server context (%s): %s", ciphers ? ciphers : "default", dlssl_error());
	return c;
}

/*
 * Try a handshake over in-memory transports (*p keeps the streams, free
 * it with hard_pair_free).  0 when both sides finished; else -1 with the
 * client's error category and message (when the server gave up first,
 * the client reads its alert).
 */
static int
try_pair(struct hard_pair *p, struct dlssl_context *cctx, struct dlssl_context *sctx,
    const char *host, const struct dlssl_stream_opts *copts, int *code, char *msg, size_t n)
{
	struct dlssl_stream_opts co = { 0 }, so = { 0 };
	int i;

	if (copts != NULL)
		co = *copts;
	co.defer_handshake = 1;
	so.defer_handshake = 1;
	*code = DLSSL_ERR_NONE;
	msg[0] = '\0';
	if (hard_pair_open(p, cctx, sctx, host, 1 << 16, 1, NULL, &co, &so) != 0) {
		*code = -1;
		snprintf(msg, n, "%s", p->err);
		return -1;
	}
	if (hard_pair_handshake(p) == 0)
		return 0;
	/* Let the client see whatever the server sent before it gave up. */
	for (i = 0; i < 10 && dlssl_stream_is_open(p->client); i++)
		if (dlssl_handshake(p->client) == 0 && dlssl_listen(p->client) < 0)
			break;
	*code = dlssl_stream_error_code(p->client);
	snprintf(msg, n, "%s", dlssl_stream_error(p->client) ? dlssl_stream_error(p->client) :
	    p->err);
	return -1;
}

/* try_pair(), then free the pair. */
static int
try_once(struct dlssl_context *cctx, struct dlssl_context *sctx, const char *host,
    const struct dlssl_stream_opts *copts, int *code, char *msg, size_t n)
{
	struct hard_pair p;
	int r = try_pair(&p, cctx, sctx, host, copts, code, msg, n);

	hard_pair_free(&p);
	return r;
}

/* The connection failed, and the client says why in the expected category. */
static void
refused(int r, int code, const char *msg, int want, const char *what)
{
	ck_assert_msg(r != 0, "%s: the default client accepted it", what);
	ck_assert_msg(code == want, "%s: want %s, got %s: %s", what, dlssl_error_name(want),
	    dlssl_error_name(code), msg);
}

/* ---- certificates and names ---- */

START_TEST(no_options_refuses_the_test_pki)
{
	struct dlssl_context *s = server(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL, 0, 0);
	char msg[600];
	int code, r;

	/*
	 * No context, no host name, no options at all: verification on, and
	 * with nothing to check the name against (a socketpair has no address),
	 * refused before the handshake.
	 */
	r = try_once(NULL, s, NULL, NULL, &code, msg, sizeof(msg));
	ck_assert_msg(r != 0, "a verifying client without a host name was made");
	ck_assert_msg(strstr(msg, "USAGE") != NULL && strstr(msg, "host name") != NULL, "%s", msg);
	/* With a host name: the system trust store does not know the test CA. */
	r = try_once(NULL, s, "localhost", NULL, &code, msg, sizeof(msg));
	refused(r, code, msg, DLSSL_ERR_VERIFY, "a CA the system does not trust (with a host name)");
	ck_assert_msg(strstr(msg, "X509_V_ERR 20") != NULL, "%s", msg);
	dlssl_ctx_free(s);
}
END_TEST

START_TEST(no_options_refuses_over_a_socket)
{
	struct tt_server sv;
	int fds[2];

	/* The same over a real socket, and NULL options. */
	memset(&sv, 0, sizeof(sv));
	tt_socketpair(fds);
	sv.fd = fds[1];
	sv.ctx = server(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL, 0, 0);
	tt_server_start(&sv);
	/* No host name and no address to check: refused before a byte is sent. */
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), NULL));
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_USAGE, "%s", dlssl_error());
	close(fds[0]);
	tt_server_join(&sv);
	ck_assert_int_eq(sv.ok, 0);
	dlssl_ctx_free(sv.ctx);
}
END_TEST

START_TEST(untrusted_chains)
{
	static const struct {
		const char *chain, *key;
		long x509;
	} bad[] = {
		{ PKI("selfsigned.crt"), PKI("selfsigned.key"), 18 },
		{ PKI("untrusted.crt"), PKI("untrusted.key"), 20 },
		{ PKI("expired-chain.pem"), PKI("expired.key"), 10 },
		{ PKI("notyetvalid-chain.pem"), PKI("notyetvalid.key"), 9 },
		{ PKI("localhost-incomplete-chain.pem"), PKI("localhost.key"), 20 },
	};
	struct dlssl_context *c = tt_client_ctx(), *s;
	char msg[600], want[32];
	size_t i;
	int code, r;

	/* A context that trusts the test root, no other option. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = server(bad[i].chain, bad[i].key, NULL, 0, 0);
		r = try_once(c, s, "localhost", NULL, &code, msg, sizeof(msg));
		refused(r, code, msg, DLSSL_ERR_VERIFY, bad[i].chain);
		snprintf(want, sizeof(want), "X509_V_ERR %ld)", bad[i].x509);
		ck_assert_msg(strstr(msg, want) != NULL, "%s: %s", bad[i].chain, msg);
		dlssl_ctx_free(s);
	}
	dlssl_ctx_free(c);
}
END_TEST

START_TEST(wrong_host_names)
{
	static const char *const wrong[] = { "other.example", "localhost.example", "www.localhost",
		"127.0.0.2", "::2", "example.com" };
	struct dlssl_context *c = tt_client_ctx(),
	    *s = server(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL, 0, 0),
	    *w = server(PKI("wronghost-chain.pem"), PKI("wronghost.key"), NULL, 0, 0);
	char msg[600];
	size_t i;
	int code, r;

	for (i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		r = try_once(c, s, wrong[i], NULL, &code, msg, sizeof(msg));
		refused(r, code, msg, DLSSL_ERR_VERIFY, wrong[i]);
		ck_assert_msg(strstr(msg, "X509_V_ERR 62") != NULL || strstr(msg, "X509_V_ERR 64") != NULL,
		    "%s: %s", wrong[i], msg);
	}
	/* A valid chain for another name. */
	r = try_once(c, w, "localhost", NULL, &code, msg, sizeof(msg));
	refused(r, code, msg, DLSSL_ERR_VERIFY, "other.example's certificate for localhost");
	/* Controls: the right names, also as an IP literal, upper case, with the root dot. */
	ck_assert_msg(try_once(c, s, "localhost", NULL, &code, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_msg(try_once(c, s, "LOCALHOST.", NULL, &code, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_msg(try_once(c, s, "127.0.0.1", NULL, &code, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_msg(try_once(c, s, "::1", NULL, &code, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_msg(try_once(c, w, "other.example", NULL, &code, msg, sizeof(msg)) == 0, "%s",
	    msg);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
	dlssl_ctx_free(w);
}
END_TEST

START_TEST(sni_only_for_names)
{
	struct dlssl_context *c = tt_client_ctx(),
	    *s = server(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL, 0, 0);
	struct hard_pair p;
	char msg[600];
	int code;

	ck_assert_msg(try_pair(&p, c, s, "localhost.", NULL, &code, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_ptr_nonnull(dlssl_stream_servername(p.server));
	ck_assert_str_eq(dlssl_stream_servername(p.server), "localhost"); /* the dot stripped */
	hard_pair_free(&p);
	ck_assert_msg(try_pair(&p, c, s, "127.0.0.1", NULL, &code, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_ptr_null(dlssl_stream_servername(p.server));
	hard_pair_free(&p);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
}
END_TEST

/* ---- protocol versions ---- */

START_TEST(old_protocols_refused)
{
	static const struct {
		int max;
		const char *name;
	} v[] = { { DLSSL_TLS1_0, "TLSv1" }, { DLSSL_TLS1_1, "TLSv1.1" } };
	struct dlssl_context_opts lax = { 0 };
	struct dlssl_context *c = tt_client_ctx(), *old, *s;
	struct hard_pair p;
	char msg[600];
	size_t i;
	int code, r;

	if (!(tt_caps() & DLSSL_CAP_OLD_TLS)) {
		/* A true limit (LibreSSL 3.8.1+): no TLS 1.0 server can be made; asking says so. */
		struct dlssl_context_opts so = { 0 };

		so.min_version = DLSSL_TLS1_0;
		so.max_version = DLSSL_TLS1_1;
		ck_assert_ptr_null(dlssl_make_context(&so));
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
		printf("TLS 1.0 and 1.1: not in this library (%s)\n", dlssl_error());
		dlssl_ctx_free(c);
		return;
	}
	/*
	 * A client that asks for old protocols on purpose (the control).  No
	 * session cache: 1.0.2 and LibreSSL offer a cached session's version,
	 * so the TLS 1.0 session would steer the TLS 1.1 handshake.
	 */
	lax.ca_file = PKI("root-ca.crt");
	lax.min_version = DLSSL_TLS1_0;
	lax.cipher_list = "DEFAULT:@SECLEVEL=0";
	lax.session_cache = DLSSL_SESSION_CACHE_OFF;
	old = dlssl_make_context(&lax);
	ck_assert_msg(old != NULL, "%s", dlssl_error());
	for (i = 0; i < 2; i++) {
		s = server(PKI("localhost-chain.pem"), PKI("localhost.key"), "DEFAULT:@SECLEVEL=0",
		    DLSSL_TLS1_0, v[i].max);
		r = try_once(c, s, "localhost", NULL, &code, msg, sizeof(msg));
		refused(r, code, msg, DLSSL_ERR_TLS, v[i].name);
		ck_assert_msg(strstr(msg, "protocol") != NULL, "%s: %s", v[i].name, msg);
		r = try_pair(&p, old, s, "localhost", NULL, &code, msg, sizeof(msg));
		ck_assert_msg(r == 0, "control for %s: %s", v[i].name, msg);
		ck_assert_str_eq(dlssl_stream_version(p.client), v[i].name);
		hard_pair_free(&p);
		dlssl_ctx_free(s);
	}
	dlssl_ctx_free(old);
	dlssl_ctx_free(c);
}
END_TEST

/* ---- cipher suites ---- */

START_TEST(null_encryption_refused)
{
	struct dlssl_context_opts lax = { 0 };
	struct dlssl_context *c = tt_client_ctx(), *ctl, *s;
	struct hard_pair p;
	char msg[600];
	int code, r;

	s = server(PKI("localhost-chain.pem"), PKI("localhost.key"),
	    "NULL-SHA256:ECDHE-RSA-NULL-SHA:@SECLEVEL=0", 0, DLSSL_TLS1_2);
	r = try_once(c, s, "localhost", NULL, &code, msg, sizeof(msg));
	/* The client offers no NULL cipher: the server's alert ends it. */
	ck_assert_msg(r != 0, "a NULL-cipher server was accepted");
	ck_assert_msg(code == DLSSL_ERR_TLS, "%s", msg);
	lax.ca_file = PKI("root-ca.crt");
	lax.cipher_list = "eNULL:@SECLEVEL=0";
	ctl = dlssl_make_context(&lax);
	ck_assert_msg(ctl != NULL, "%s", dlssl_error());
	r = try_pair(&p, ctl, s, "localhost", NULL, &code, msg, sizeof(msg));
	ck_assert_msg(r == 0, "control: %s", msg);
	ck_assert_msg(strstr(dlssl_stream_cipher(p.client), "NULL") != NULL, "%s",
	    dlssl_stream_cipher(p.client));
	hard_pair_free(&p);
	dlssl_ctx_free(ctl);
	dlssl_ctx_free(s);
	dlssl_ctx_free(c);
}
END_TEST

START_TEST(anonymous_key_exchange_refused)
{
	struct dlssl_context_opts so = { 0 }, lax = { 0 };
	struct dlssl_context *c = tt_client_ctx(), *ctl, *s;
	struct dlssl_stream_opts none = { 0 };
	struct hard_pair p;
	char msg[600];
	int code, r;

	/* A server without a certificate, with anonymous (EC)DH only. */
	so.cipher_list = "aNULL:@SECLEVEL=0";
	so.max_version = DLSSL_TLS1_2;
	so.no_default_verify_paths = 1;
	s = dlssl_make_context(&so);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	r = try_once(c, s, "localhost", NULL, &code, msg, sizeof(msg));
	ck_assert_msg(r != 0, "an anonymous server was accepted");
	ck_assert_msg(code == DLSSL_ERR_TLS, "%s", msg);
	/* Even with verification off, the default cipher list has no anonymous suite. */
	none.verify = DLSSL_VERIFY_NONE;
	r = try_once(c, s, "localhost", &none, &code, msg, sizeof(msg));
	ck_assert_msg(r != 0 && code == DLSSL_ERR_TLS, "verify none: %s", msg);
	/* Control: asking for it, without verification, works. */
	lax.cipher_list = "aNULL:@SECLEVEL=0";
	lax.verify_mode = DLSSL_VERIFY_NONE;
	lax.no_default_verify_paths = 1;
	ctl = dlssl_make_context(&lax);
	ck_assert_msg(ctl != NULL, "%s", dlssl_error());
	r = try_pair(&p, ctl, s, "localhost", NULL, &code, msg, sizeof(msg));
	ck_assert_msg(r == 0, "control: %s", msg);
	/* IANA names: TLS_DH_anon_WITH_... or TLS_ECDH_anon_WITH_... */
	ck_assert_msg(strstr(dlssl_stream_cipher(p.client), "_anon_") != NULL, "%s",
	    dlssl_stream_cipher(p.client));
	hard_pair_free(&p);
	dlssl_ctx_free(ctl);
	dlssl_ctx_free(s);
	dlssl_ctx_free(c);
}
END_TEST

START_TEST(broken_ciphers_unavailable_or_refused)
{
	static const char *const lists[] = { "RC4:@SECLEVEL=0", "DES:@SECLEVEL=0",
		"3DES:@SECLEVEL=0", "EXP:@SECLEVEL=0", "RC4-MD5:EXP-RC4-MD5:@SECLEVEL=0" };
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c = tt_client_ctx(), *s;
	char msg[600];
	size_t i;
	int code, r;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		o.certificate_chain_file = PKI("localhost-chain.pem");
		o.private_key_file = PKI("localhost.key");
		o.no_default_verify_paths = 1;
		o.cipher_list = lists[i];
		o.min_version = DLSSL_TLS1_0;
		o.max_version = DLSSL_TLS1_2;
		s = dlssl_make_context(&o);
		if (s == NULL) {
			/* OpenSSL 3 has none of these in its default provider: configuring fails. */
			ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TLS, "%s: %s", lists[i], dlssl_error());
			ck_assert_ptr_nonnull(strstr(dlssl_error(), lists[i]));
			printf("%s: cannot even be configured (%s)\n", lists[i], dlssl_error());
			continue;
		}
		/* A library that still has them: the default client must not agree. */
		r = try_once(c, s, "localhost", NULL, &code, msg, sizeof(msg));
		ck_assert_msg(r != 0, "%s: accepted by the default client", lists[i]);
		dlssl_ctx_free(s);
	}
	dlssl_ctx_free(c);
}
END_TEST

START_TEST(defaults_as_documented)
{
	struct dlssl_context *c = tt_client_ctx(),
	    *s = server(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL, 0, 0);
	struct hard_pair p;
	char msg[600];
	int code;

	/* Client verification defaults to REQUIRED... */
	ck_assert_int_eq(dlssl_set_client_verify_default(DLSSL_VERIFY_REQUIRED), DLSSL_VERIFY_REQUIRED);
	/* ...and the newest protocol, with an AEAD cipher, is what two defaults agree on. */
	ck_assert_msg(try_pair(&p, c, s, "localhost", NULL, &code, msg, sizeof(msg)) == 0, "%s", msg);
	ck_assert_str_eq(dlssl_stream_version(p.client),
	    (tt_caps() & DLSSL_CAP_TLS13) ? "TLSv1.3" : "TLSv1.2");
	ck_assert_msg(strstr(dlssl_stream_cipher(p.client), "GCM") != NULL ||
	    strstr(dlssl_stream_cipher(p.client), "CHACHA20_POLY1305") != NULL, "%s",
	    dlssl_stream_cipher(p.client));
	ck_assert_int_eq(dlssl_stream_verify_result(p.client), 0);
	/* A server does not ask for client certificates unless told to. */
	ck_assert_ptr_null(dlssl_stream_peer_certificate(p.server));
	hard_pair_free(&p);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
}
END_TEST

static Suite *
defaults_suite(void)
{
	Suite *s = suite_create("defaults");
	TCase *tc = tcase_create("refusals");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, no_options_refuses_the_test_pki);
	tcase_add_test(tc, no_options_refuses_over_a_socket);
	tcase_add_test(tc, untrusted_chains);
	tcase_add_test(tc, wrong_host_names);
	tcase_add_test(tc, sni_only_for_names);
	tcase_add_test(tc, old_protocols_refused);
	tcase_add_test(tc, null_encryption_refused);
	tcase_add_test(tc, anonymous_key_exchange_refused);
	tcase_add_test(tc, broken_ciphers_unavailable_or_refused);
	tcase_add_test(tc, defaults_as_documented);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(defaults_suite);
}
