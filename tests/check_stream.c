/*
 * Streams end to end: a client and a server in one process over a
 * socketpair (or TCP on 127.0.0.1), each scenario over the fd transport and
 * over user callbacks.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls_test.h"

struct run {
	struct dlssl_stream_opts copts;
	struct dlssl_context *cctx;   /* NULL: trust the test root */
	struct tt_server sv;
	/* results */
	struct dlssl_stream *client;
	int client_err;
	char client_msg[512];
	long verify_result;
	char alpn[64];
	int io_ok;                    /* the echo round trip worked */
	int io_err;
};

/* Connect a client to a server with the given chain/key; echo one message. */
static void
run_pair(struct run *r, enum tt_kind kind, const char *chain, const char *key)
{
	int fds[2], slot = -1;
	int own_cctx = r->cctx == NULL;
	char buf[64];

	tt_socketpair(fds);
	if (r->sv.ctx == NULL)
		r->sv.ctx = tt_server_ctx(chain, key);
	r->sv.fd = fds[1];
	r->sv.kind = kind;
	r->sv.echo = 1;
	tt_server_start(&r->sv);
	if (own_cctx)
		r->cctx = tt_client_ctx();
	r->copts.context = r->cctx;
	r->copts.close_fd = 1;
	if (r->copts.hostname == NULL)
		r->copts.hostname = "localhost";
	r->client = dlssl_make_client_stream(tt_transport(kind, fds[0], &slot), &r->copts);
	if (r->client == NULL) {
		r->client_err = dlssl_error_code();
		snprintf(r->client_msg, sizeof(r->client_msg), "%s", dlssl_error() ? dlssl_error() : "");
		close(fds[0]);
	} else {
		r->verify_result = dlssl_stream_verify_result(r->client);
		snprintf(r->alpn, sizeof(r->alpn), "%s",
		    dlssl_stream_alpn(r->client) ? dlssl_stream_alpn(r->client) : "");
		/* With TLS 1.3 a server's refusal may only show at the first read. */
		r->io_ok = dlssl_write(r->client, "ping\n", 5) == 5 && dlssl_flush(r->client) == 0 &&
		    dlssl_read_fully(r->client, buf, 5) == 5 && memcmp(buf, "ping\n", 5) == 0;
		r->io_err = r->io_ok ? 0 : dlssl_error_code();
		if (!r->io_ok)
			snprintf(r->client_msg, sizeof(r->client_msg), "%s", dlssl_error() ? dlssl_error() : "");
		ck_assert_int_eq(dlssl_close(r->client), 0);
	}
	tt_server_join(&r->sv);
	if (own_cctx) {
		dlssl_ctx_free(r->cctx);
		r->cctx = NULL;
	}
	dlssl_ctx_free(r->sv.ctx);
	r->sv.ctx = NULL;
}

static void
finish(struct run *r)
{
	dlssl_stream_free(r->client);
	r->client = NULL;
}

START_TEST(good_certificate)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	run_pair(&r, (enum tt_kind)_i, PKI("localhost-chain.pem"), PKI("localhost.key"));
	ck_assert_msg(r.client != NULL && r.io_ok, "client failed: %s", r.client_msg);
	ck_assert_int_eq(r.sv.ok, 1);
	ck_assert_int_eq(r.verify_result, 0);
	finish(&r);
}
END_TEST

START_TEST(good_certificate_info)
{
	int fds[2], slot = -1;
	struct tt_server sv;
	struct dlssl_stream_opts o;
	struct dlssl_context *cc = tt_client_ctx();
	struct dlssl_stream *s;
	struct dlssl_x509 *peer;

	memset(&sv, 0, sizeof(sv));
	memset(&o, 0, sizeof(o));
	tt_socketpair(fds);
	sv.fd = fds[1];
	sv.kind = (enum tt_kind)_i;
	sv.ctx = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	tt_server_start(&sv);
	o.context = cc;
	o.hostname = "localhost";
	o.close_fd = 1;
	s = dlssl_make_client_stream(tt_transport((enum tt_kind)_i, fds[0], &slot), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	ck_assert_ptr_nonnull(dlssl_stream_version(s));
	ck_assert(strncmp(dlssl_stream_version(s), "TLSv1.", 6) == 0);
	ck_assert_ptr_nonnull(dlssl_stream_cipher(s));
	ck_assert_str_eq(dlssl_stream_servername(s), "localhost");
	peer = dlssl_stream_peer_certificate(s);
	ck_assert_ptr_nonnull(peer);
	ck_assert_int_eq(dlssl_check_host(peer, "localhost"), 1);
	dlssl_x509_free(peer);
	ck_assert_int_eq(dlssl_stream_fd(s), _i == TT_FD ? fds[0] : -1);
	/*
	 * The server's handshake ends after the client's: in TLS 1.3 it still
	 * sends its session tickets then.  Closing first would make it fail on
	 * a closed socket (EPIPE) before it noted the SNI: wait for it.  Our
	 * close_notify to a peer that left is no error (dlssl_close(3)).
	 */
	tt_server_join(&sv);
	ck_assert_msg(sv.ok, "server: %s", sv.err);
	ck_assert_str_eq(sv.servername, "localhost");
	ck_assert_int_eq(dlssl_close(s), 0);
	ck_assert_int_eq(dlssl_close(s), 0); /* idempotent */
	ck_assert_int_eq(dlssl_stream_fd(s), -1);
	ck_assert_int_eq(dlssl_read(s, &o, 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_CLOSED);
	dlssl_stream_free(s);
	dlssl_ctx_free(sv.ctx);
	dlssl_ctx_free(cc);
}
END_TEST

/* A scenario the client must refuse with a verification error. */
static void
expect_verify_failure(enum tt_kind kind, const char *chain, const char *key, const char *host,
    long x509_err)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.copts.hostname = host;
	run_pair(&r, kind, chain, key);
	ck_assert_msg(r.client == NULL, "client accepted %s for %s", chain, host);
	ck_assert_msg(r.client_err == DLSSL_ERR_VERIFY, "category %s: %s",
	    dlssl_error_name(r.client_err), r.client_msg);
	if (x509_err >= 0) {
		char want[32];

		snprintf(want, sizeof(want), "X509_V_ERR %ld", x509_err);
		ck_assert_msg(strstr(r.client_msg, want) != NULL, "wanted %s in: %s", want, r.client_msg);
	}
	ck_assert_int_eq(r.sv.ok, 0); /* the server saw the handshake fail */
}

START_TEST(wrong_host)
{
	expect_verify_failure((enum tt_kind)_i, PKI("wronghost-chain.pem"), PKI("wronghost.key"),
	    "localhost", 62);
}
END_TEST

START_TEST(wrong_host_name_asked)
{
	expect_verify_failure((enum tt_kind)_i, PKI("localhost-chain.pem"), PKI("localhost.key"),
	    "example.org", 62);
}
END_TEST

START_TEST(wrong_ip)
{
	expect_verify_failure((enum tt_kind)_i, PKI("localhost-chain.pem"), PKI("localhost.key"),
	    "192.0.2.1", 64);
}
END_TEST

START_TEST(expired)
{
	expect_verify_failure((enum tt_kind)_i, PKI("expired-chain.pem"), PKI("expired.key"),
	    "localhost", 10);
}
END_TEST

START_TEST(not_yet_valid)
{
	expect_verify_failure((enum tt_kind)_i, PKI("notyetvalid-chain.pem"), PKI("notyetvalid.key"),
	    "localhost", 9);
}
END_TEST

START_TEST(self_signed)
{
	expect_verify_failure((enum tt_kind)_i, PKI("selfsigned.crt"), PKI("selfsigned.key"),
	    "localhost", 18);
}
END_TEST

START_TEST(untrusted_root)
{
	/* The chain ends at a root the client does not trust. */
	expect_verify_failure((enum tt_kind)_i, PKI("untrusted.crt"), PKI("untrusted.key"),
	    "localhost", -1);
}
END_TEST

START_TEST(incomplete_chain)
{
	expect_verify_failure((enum tt_kind)_i, PKI("localhost-incomplete-chain.pem"),
	    PKI("localhost.key"), "localhost", 20);
}
END_TEST

START_TEST(verify_none_accepts)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.copts.verify = DLSSL_VERIFY_NONE;
	r.copts.hostname = "localhost";
	run_pair(&r, (enum tt_kind)_i, PKI("selfsigned.crt"), PKI("selfsigned.key"));
	ck_assert_msg(r.client != NULL && r.io_ok, "verify none refused: %s", r.client_msg);
	finish(&r);
}
END_TEST

START_TEST(ip_literal_matches_ip_san)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.copts.hostname = "127.0.0.1";
	run_pair(&r, (enum tt_kind)_i, PKI("localhost-chain.pem"), PKI("localhost.key"));
	ck_assert_msg(r.client != NULL && r.io_ok, "%s", r.client_msg);
	/* No SNI for an IP literal (RFC 6066 section 3). */
	ck_assert_str_eq(r.sv.servername, "");
	finish(&r);
}
END_TEST

START_TEST(name_forms)
{
	static const struct {
		const char *host, *sni;
	} forms[] = {
		{ "[::1]", "" },            /* IPv6 literal as in URLs: no SNI, iPAddress SAN */
		{ "::1", "" },
		{ "localhost.", "localhost" }, /* one trailing dot stripped for SNI and matching */
		{ "LOCALHOST", "LOCALHOST" },  /* case-insensitive match */
	};
	size_t k;

	for (k = 0; k < sizeof(forms) / sizeof(forms[0]); k++) {
		struct run r;

		memset(&r, 0, sizeof(r));
		r.copts.hostname = forms[k].host;
		run_pair(&r, (enum tt_kind)_i, PKI("localhost-chain.pem"), PKI("localhost.key"));
		ck_assert_msg(r.client != NULL && r.io_ok, "%s: %s", forms[k].host, r.client_msg);
		ck_assert_str_eq(r.sv.servername, forms[k].sni);
		finish(&r);
	}
}
END_TEST

START_TEST(invalid_names_refused)
{
	static const char *const bad[] = { "*.example.com", "exa mple.com", "a..b", ".lead", "x/y" };
	size_t k;
	int fds[2];
	struct dlssl_stream_opts o = { 0 };

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		tt_socketpair(fds);
		o.hostname = bad[k];
		ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o));
		ck_assert_msg(dlssl_error_code() == DLSSL_ERR_USAGE, "%s: %s", bad[k], dlssl_error());
		close(fds[0]);
		close(fds[1]);
	}
}
END_TEST

START_TEST(client_certificate_required)
{
	struct run r;
	struct dlssl_context_opts so = { 0 };

	/* Without a client certificate: refused by the server. */
	memset(&r, 0, sizeof(r));
	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost.key");
	so.ca_file = PKI("root-ca.crt");
	so.verify_mode = DLSSL_VERIFY_REQUIRED;
	r.sv.ctx = dlssl_make_context(&so);
	ck_assert_ptr_nonnull(r.sv.ctx);
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_int_eq(r.sv.ok, 0);
	ck_assert_msg(r.sv.err_code == DLSSL_ERR_VERIFY, "server: %s", r.sv.err);
	ck_assert_ptr_nonnull(strstr(r.sv.err, "no certificate"));
	ck_assert(r.client == NULL || !r.io_ok); /* the client sees the refusal too */
	finish(&r);

	/* With one: accepted. */
	memset(&r, 0, sizeof(r));
	r.sv.ctx = dlssl_make_context(&so);
	r.copts.certificate_file = PKI("client-chain.pem");
	r.copts.key_file = PKI("client.key");
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_msg(r.client != NULL && r.io_ok && r.sv.ok == 1, "client: %s server: %s",
	    r.client_msg, r.sv.err);
	ck_assert_int_eq(r.verify_result, 0);
	finish(&r);
}
END_TEST

START_TEST(encrypted_key)
{
	struct dlssl_context_opts so = { 0 };
	struct dlssl_context *c;

	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost-key-enc.pem");
	c = dlssl_make_context(&so);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE); /* no password */
	so.private_key_password = "wrong";
	ck_assert_ptr_null(dlssl_make_context(&so));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "password"));
	so.private_key_password = "dlssl-test";
	c = dlssl_make_context(&so);
	ck_assert_msg(c != NULL, "%s", dlssl_error());
	dlssl_ctx_free(c);
}
END_TEST

START_TEST(context_errors)
{
	struct dlssl_context_opts o = { 0 };

	o.ca_file = "/nonexistent/ca.pem";
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_IO);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "/nonexistent/ca.pem"));
	memset(&o, 0, sizeof(o));
	o.cipher_list = "NO-SUCH-CIPHER";
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	memset(&o, 0, sizeof(o));
	o.min_version = DLSSL_TLS1_3;
	o.max_version = DLSSL_TLS1_2;
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	memset(&o, 0, sizeof(o));
	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("wronghost.key");
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "does not match"));
	memset(&o, 0, sizeof(o));
	o.verify_locations = (const char *const[]){ PKI("root-ca.crt"), "/nonexistent/dir", NULL };
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "/nonexistent/dir"));
}
END_TEST

START_TEST(disabled_protocol_refused)
{
	struct run r;
	struct dlssl_context_opts so = { 0 }, co = { 0 };
	int code;

	/* The server speaks only TLS 1.2; the client disables 1.2. */
	memset(&r, 0, sizeof(r));
	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost.key");
	so.max_version = DLSSL_TLS1_2;
	r.sv.ctx = dlssl_make_context(&so);
	co.ca_file = PKI("root-ca.crt");
	co.disabled_protocols = DLSSL_PROTO_TLSv1_2;
	r.cctx = dlssl_make_context(&co);
	ck_assert_ptr_nonnull(r.cctx);
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_ptr_null(r.client);
	ck_assert_int_eq(r.client_err, DLSSL_ERR_TLS);
	dlssl_ctx_free(r.cctx);

	/* A server limited to TLS 1.1 is refused by a default client (TLS 1.2 minimum). */
	memset(&r, 0, sizeof(r));
	so.max_version = DLSSL_TLS1_1;
	so.min_version = DLSSL_TLS1_0;
	/* TLS 1.0/1.1 need security level 0 (on every library: dlssl sets 2). */
	so.cipher_list = "DEFAULT:@SECLEVEL=0";
	r.sv.ctx = dlssl_make_context(&so);
	code = dlssl_error_code();
	if (!(tt_caps() & DLSSL_CAP_OLD_TLS)) {
		/* A true limit (LibreSSL 3.8.1+): there is no TLS 1.1 server to refuse. */
		ck_assert_ptr_null(r.sv.ctx);
		ck_assert_int_eq(code, DLSSL_ERR_USAGE);
		return;
	}
	ck_assert_msg(r.sv.ctx != NULL, "%s", dlssl_error());
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_ptr_null(r.client);
	ck_assert_int_eq(r.sv.ok, 0);
}
END_TEST

START_TEST(tls12_only_works)
{
	struct run r;
	struct dlssl_context_opts so = { 0 };

	memset(&r, 0, sizeof(r));
	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost.key");
	so.max_version = DLSSL_TLS1_2;
	r.sv.ctx = dlssl_make_context(&so);
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_msg(r.client != NULL && r.io_ok, "%s", r.client_msg);
	finish(&r);
}
END_TEST

static const char *const client_alpn[] = { "h2", "http/1.1", NULL };
static const char *const server_alpn[] = { "http/1.1", "h2", NULL };

START_TEST(alpn_server_preference)
{
	struct run r;
	struct dlssl_context_opts so = { 0 };

	memset(&r, 0, sizeof(r));
	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost.key");
	so.alpn = server_alpn;
	r.sv.ctx = dlssl_make_context(&so);
	ck_assert_ptr_nonnull(r.sv.ctx);
	r.copts.alpn = client_alpn;
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_msg(r.client != NULL && r.io_ok, "%s", r.client_msg);
	ck_assert_str_eq(r.alpn, "http/1.1");
	ck_assert_str_eq(r.sv.alpn, "http/1.1");
	finish(&r);
}
END_TEST

static int sni_calls;
static struct dlssl_context *sni_other;

static int
pick_by_name(const char *name, struct dlssl_context **use, void *arg)
{
	(void)arg;
	sni_calls++;
	if (name != NULL && strcmp(name, "wildcard.example.com") == 0)
		*use = sni_other;
	return name != NULL && strcmp(name, "refused.example") == 0 ? -1 : 0;
}

START_TEST(sni_switches_context)
{
	struct run r;
	struct dlssl_context_opts so = { 0 };

	sni_calls = 0;
	sni_other = tt_server_ctx(PKI("wildcard-chain.pem"), PKI("wildcard.key"));
	memset(&r, 0, sizeof(r));
	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost.key");
	so.sni_callback = pick_by_name;
	r.sv.ctx = dlssl_make_context(&so);
	r.copts.hostname = "wildcard.example.com";
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_msg(r.client != NULL && r.io_ok, "SNI did not switch: %s", r.client_msg);
	ck_assert_int_ge(sni_calls, 1);
	finish(&r);

	memset(&r, 0, sizeof(r));
	r.sv.ctx = dlssl_make_context(&so);
	r.copts.hostname = "refused.example";
	run_pair(&r, (enum tt_kind)_i, NULL, NULL);
	ck_assert_ptr_null(r.client);
	dlssl_ctx_free(sni_other);
}
END_TEST

START_TEST(session_resumption)
{
	struct run r;
	struct dlssl_context_opts co = { 0 };
	struct dlssl_context *cc, *sc = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	int round, reused[2];

	/* Where TLS 1.3 sessions never resume (no DLSSL_CAP_TLS13_RESUME): TLS 1.2. */
	co.ca_file = PKI("root-ca.crt");
	co.max_version = (tt_caps() & DLSSL_CAP_TLS13_RESUME) || !(tt_caps() & DLSSL_CAP_TLS13) ? 0 : DLSSL_TLS1_2;
	cc = dlssl_make_context(&co);
	ck_assert_ptr_nonnull(cc);

	for (round = 0; round < 2; round++) {
		int fds[2], slot = -1;
		struct dlssl_stream_opts o;
		struct dlssl_stream *s;
		char buf[8];

		memset(&r, 0, sizeof(r));
		memset(&o, 0, sizeof(o));
		tt_socketpair(fds);
		r.sv.fd = fds[1];
		r.sv.kind = (enum tt_kind)_i;
		r.sv.ctx = sc;
		r.sv.echo = 1;
		tt_server_start(&r.sv);
		o.context = cc;
		o.hostname = "localhost";
		o.close_fd = 1;
		s = dlssl_make_client_stream(tt_transport((enum tt_kind)_i, fds[0], &slot), &o);
		ck_assert_msg(s != NULL, "%s", dlssl_error());
		/* Reading lets a TLS 1.3 client receive the server's tickets. */
		ck_assert_int_eq(dlssl_write(s, "x", 1), 1);
		ck_assert_int_eq(dlssl_read_fully(s, buf, 1), 1);
		reused[round] = dlssl_stream_session_reused(s);
		dlssl_stream_free(s);
		tt_server_join(&r.sv);
	}
	ck_assert_int_eq(reused[0], 0);
	ck_assert_int_eq(reused[1], 1);
	dlssl_ctx_free(cc);
	dlssl_ctx_free(sc);
}
END_TEST

static Suite *
stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("scenarios");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, good_certificate, 0, TT_KINDS);
	tcase_add_loop_test(tc, good_certificate_info, 0, TT_KINDS);
	tcase_add_loop_test(tc, wrong_host, 0, TT_KINDS);
	tcase_add_loop_test(tc, wrong_host_name_asked, 0, TT_KINDS);
	tcase_add_loop_test(tc, wrong_ip, 0, TT_KINDS);
	tcase_add_loop_test(tc, expired, 0, TT_KINDS);
	tcase_add_loop_test(tc, not_yet_valid, 0, TT_KINDS);
	tcase_add_loop_test(tc, self_signed, 0, TT_KINDS);
	tcase_add_loop_test(tc, untrusted_root, 0, TT_KINDS);
	tcase_add_loop_test(tc, incomplete_chain, 0, TT_KINDS);
	tcase_add_loop_test(tc, verify_none_accepts, 0, TT_KINDS);
	tcase_add_loop_test(tc, ip_literal_matches_ip_san, 0, TT_KINDS);
	tcase_add_loop_test(tc, name_forms, 0, TT_KINDS);
	tcase_add_test(tc, invalid_names_refused);
	tcase_add_loop_test(tc, client_certificate_required, 0, TT_KINDS);
	tcase_add_loop_test(tc, disabled_protocol_refused, 0, TT_KINDS);
	tcase_add_loop_test(tc, tls12_only_works, 0, TT_KINDS);
	tcase_add_loop_test(tc, alpn_server_preference, 0, TT_KINDS);
	tcase_add_loop_test(tc, sni_switches_context, 0, TT_KINDS);
	tcase_add_loop_test(tc, session_resumption, 0, TT_KINDS);
	tcase_add_test(tc, encrypted_key);
	tcase_add_test(tc, context_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(stream_suite);
}
