/*
 * Interoperation with GnuTLS, an implementation that shares no code with
 * OpenSSL: the dlssl library as a client of `gnutls-serv --echo` and as a
 * server to `gnutls-cli`, over the fd and the callback (io) transports:
 * TLS 1.2 and 1.3, RSA and ECDSA certificates, ALPN, SNI with two
 * certificates, client certificates requested and required, session
 * resumption.
 *
 * Skips (77) when gnutls-serv or gnutls-cli (Debian: gnutls-bin) is missing.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hard_interop.h"

#define PRIO12 "--priority=NORMAL:-VERS-ALL:+VERS-TLS1.2"
#define PRIO13 "--priority=NORMAL:-VERS-ALL:+VERS-TLS1.3"
#define RSA_PAIR "--x509certfile", PKI("localhost-chain.pem"), "--x509keyfile", PKI("localhost.key")
#define ECDSA_PAIR "--x509certfile", PKI("ecdsa-chain.pem"), "--x509keyfile", PKI("ecdsa.key")
#define OTHER_PAIR "--x509certfile", PKI("wronghost-chain.pem"), "--x509keyfile", PKI("wronghost.key")

/* ---- the library as a client of gnutls-serv ---- */

/*
 * Start `gnutls-serv --echo` on a free port; it cannot report a port it
 * picked itself, so a port taken in the meantime means another try.
 */
static int
start_serv(struct hard_proc *p, const char *const *extra)
{
	const char *argv[64];
	char port[16];
	int n, i, tries;

	for (tries = 0; tries < 5; tries++) {
		n = 0;
		snprintf(port, sizeof(port), "%d", hard_free_port());
		argv[n++] = "gnutls-serv";
		argv[n++] = "--echo";
		argv[n++] = "--port";
		argv[n++] = port;
		for (i = 0; extra[i] != NULL && n < 62; i++)
			argv[n++] = extra[i];
		argv[n] = NULL;
		ck_assert_int_eq(hard_spawn(p, argv, 0, HARD_PEER_SECONDS), 0);
		/* A peer that already gave up (a refused handshake) may be gone: no check. */
	if (hard_wait_log(p, "listening on IPv4", 10 * hard_slowdown(), NULL, 0) &&
		    hard_wait_log(p, "...done", 2, NULL, 0) && !hard_log_has(p, "...failed"))
			return atoi(port);
		hard_proc_free(p);
	}
	ck_abort_msg("gnutls-serv did not start");
	return -1;
}

static struct dlssl_stream *
talk(struct hard_proc *p, enum tt_kind k, int port, struct dlssl_stream_opts *o, int *slot)
{
	char got[256];
	struct dlssl_stream *s = hard_client(k, port, o, slot);

	HARD_PEER_ASSERT(p, s != NULL, "%s client: %s", hard_kind_name(k), dlssl_error());
	HARD_PEER_ASSERT(p, hard_line_exchange(s, "hello gnutls\n", got, sizeof(got)) == 0,
	    "%s client: exchange: %s", hard_kind_name(k), dlssl_error());
	ck_assert_str_eq(got, "hello gnutls");
	return s;
}

static void
finish_stream(struct dlssl_stream *s)
{
	ck_assert_msg(dlssl_close(s) == 0, "close: %s", dlssl_error());
	dlssl_stream_free(s);
}

/* _i: bit 0 transport, bit 1 TLS 1.3, bit 2 ECDSA. */
START_TEST(client_versions_and_keys)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	int v13 = (_i >> 1) & 1, ecdsa = (_i >> 2) & 1, port, slot;
	const char *const rsa[] = { RSA_PAIR, v13 ? PRIO13 : PRIO12, NULL };
	const char *const ec[] = { ECDSA_PAIR, v13 ? PRIO13 : PRIO12, NULL };
	struct hard_proc p;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	const char *cipher;

	if ((_i & 2) && tt_lacks_tls13("client_versions_and_keys")) /* bit 1: TLS 1.3 */
		return;
	port = start_serv(&p, ecdsa ? ec : rsa);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_str_eq(dlssl_stream_version(s), v13 ? "TLSv1.3" : "TLSv1.2");
	cipher = dlssl_stream_cipher(s);
	ck_assert_ptr_nonnull(cipher);
	if (!v13)
		ck_assert_msg(strstr(cipher, ecdsa ? "ECDSA" : "RSA") != NULL, "cipher %s", cipher);
	ck_assert(hard_peer_is(s, ecdsa ? PKI("ecdsa.crt") : PKI("localhost.crt")));
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, v13 ? "Version: TLS1.3" : "Version: TLS1.2", 5, NULL, 0),
	    "gnutls-serv saw another protocol");
	hard_proc_free(&p);
}
END_TEST

START_TEST(client_alpn)
{
	enum tt_kind k = (enum tt_kind)_i;
	const char *const args[] = { RSA_PAIR, "--alpn=h2", "--alpn=http/1.1", NULL };
	const char *const offer[] = { "acme/1", "http/1.1", NULL };
	const char *const unknown[] = { "acme/1", NULL };
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	port = start_serv(&p, args);
	co.alpn = offer;
	o.context = hard_client_ctx(&co, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_ptr_nonnull(dlssl_stream_alpn(s));
	ck_assert_str_eq(dlssl_stream_alpn(s), "http/1.1");
	finish_stream(s);

	/* No common protocol: gnutls-serv (without --alpn-fatal) goes on without. */
	o.alpn = unknown;
	s = talk(&p, k, port, &o, &slot);
	ck_assert_ptr_null(dlssl_stream_alpn(s));
	finish_stream(s);
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

START_TEST(client_sni)
{
	enum tt_kind k = (enum tt_kind)_i;
	const char *const args[] = { RSA_PAIR, OTHER_PAIR, NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	port = start_serv(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert(hard_peer_is(s, PKI("localhost.crt")));
	finish_stream(s);
	o.hostname = "other.example";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_msg(hard_peer_is(s, PKI("wronghost.crt")), "gnutls-serv did not pick by SNI");
	finish_stream(s);
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(client_cert_requested)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	const char *const args[] = { RSA_PAIR, "--x509cafile", PKI("root-ca.crt"), "--verify-client-cert",
		(_i & 2) ? PRIO13 : PRIO12, NULL };
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	if ((_i & 2) && tt_lacks_tls13("client_cert_requested")) /* bit 1: TLS 1.3 */
		return;
	port = start_serv(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, !hard_log_has(&p, "dlssl test client"), "a certificate was sent");

	co.certificate_chain_file = PKI("client-chain.pem");
	co.private_key_file = PKI("client.key");
	o.context = hard_client_ctx(&co, 0);
	s = talk(&p, k, port, &o, &slot);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, "dlssl test client", 5, NULL, 0),
	    "gnutls-serv did not get the client certificate");
	HARD_PEER_ASSERT(&p, !hard_log_has(&p, "NOT trusted"), "gnutls-serv did not trust it");
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(client_cert_required)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	const char *const args[] = { RSA_PAIR, "--x509cafile", PKI("root-ca.crt"),
		"--require-client-cert", (_i & 2) ? PRIO13 : PRIO12, NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	char got[512];
	int port, slot, fails, code;

	if ((_i & 2) && tt_lacks_tls13("client_cert_required")) /* bit 1: TLS 1.3 */
		return;
	port = start_serv(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = hard_client(k, port, &o, &slot);
	if (s == NULL) {
		fails = 1;
		code = dlssl_error_code();
		snprintf(got, sizeof(got), "%s", dlssl_error());
	} else {
		fails = hard_line_exchange(s, "hello gnutls\n", got, sizeof(got)) != 0;
		code = dlssl_stream_error_code(s);
		snprintf(got, sizeof(got), "%s", dlssl_stream_error(s) ? dlssl_stream_error(s) : "");
		dlssl_close_abort(s);
		dlssl_stream_free(s);
	}
	HARD_PEER_ASSERT(&p, fails, "a client without a certificate was served");
	/*
	 * TLS 1.2: refused in the handshake.  TLS 1.3: the client's handshake
	 * ends before the server looks at its certificate; the alert arrives at
	 * the first read, or, if the server already closed, the write fails.
	 */
	ck_assert_msg(code == DLSSL_ERR_TLS || ((_i & 2) && code == DLSSL_ERR_IO), "%s: %s",
	    dlssl_error_name(code), got);
	dlssl_ctx_free(o.context);

	o.context = hard_client_ctx(NULL, 0);
	o.certificate_file = PKI("client-chain.pem");
	o.key_file = PKI("client.key");
	s = talk(&p, k, port, &o, &slot);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, "dlssl test client", 5, NULL, 0),
	    "gnutls-serv did not get the client certificate");
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(client_resumption)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	int v13 = (_i & 2) != 0;
	const char *const args[] = { RSA_PAIR, v13 ? PRIO13 : PRIO12, NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	if ((_i & 2) && tt_lacks_tls13("client_resumption")) /* bit 1: TLS 1.3 */
		return;
	if (tt_lacks_tls13_resume((_i & 2) != 0))
		return;

	port = start_serv(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_int_eq(dlssl_stream_session_reused(s), 0);
	finish_stream(s);
	s = talk(&p, k, port, &o, &slot);
	HARD_PEER_ASSERT(&p, dlssl_stream_session_reused(s) == 1,
	    "the second connection was not resumed (%s)", v13 ? "TLS 1.3" : "TLS 1.2");
	finish_stream(s);
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

/* ---- the library as a server to gnutls-cli ---- */

/* Run gnutls-cli: send one line, wait for it to end after the server's close_notify. */
static int
run_cli(struct hard_proc *p, struct hard_srv *sv, const char *const *extra, const char *line)
{
	const char *argv[64];
	char port[16];
	int n = 0, i, rc;

	snprintf(port, sizeof(port), "%d", sv->port);
	argv[n++] = "gnutls-cli";
	argv[n++] = "--port";
	argv[n++] = port;
	argv[n++] = "--x509cafile";
	argv[n++] = PKI("root-ca.crt");
	for (i = 0; extra[i] != NULL && n < 61; i++)
		argv[n++] = extra[i];
	argv[n++] = "127.0.0.1";
	argv[n] = NULL;
	ck_assert_int_eq(hard_spawn(p, argv, 1, HARD_PEER_SECONDS), 0);
	/* Wait for the handshake before typing, as a user would. */
	if (hard_wait_log(p, "Simple Client Mode", HARD_IO_SECONDS * hard_slowdown(), NULL, 0) &&
	    line != NULL)
		(void)!write(p->in_fd, line, strlen(line));
	rc = hard_proc_wait(p, HARD_IO_SECONDS * hard_slowdown());
	hard_close_stdin(p);
	return rc;
}

static struct dlssl_context *
srv_ctx(int ecdsa, const struct dlssl_context_opts *extra)
{
	return ecdsa ? hard_server_ctx(PKI("ecdsa-chain.pem"), PKI("ecdsa.key"), extra) :
	    hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), extra);
}

static void
expect_served(struct hard_proc *p, struct hard_srv *sv, int i)
{
	HARD_PEER_ASSERT(p, sv->res[i].ok, "%s server, connection %d: %s", hard_kind_name(sv->kind),
	    i, sv->res[i].err);
	ck_assert_str_eq(sv->res[i].request, "hello from gnutls-cli");
	HARD_PEER_ASSERT(p, hard_log_has(p, "pong:hello from gnutls-cli"),
	    "gnutls-cli did not get the answer");
	HARD_PEER_ASSERT(p, hard_log_has(p, "The certificate is trusted"),
	    "gnutls-cli did not verify the server");
}

#define LOCAL "--sni-hostname=localhost", "--verify-hostname=localhost"

/* _i: bit 0 transport, bit 1 TLS 1.3, bit 2 ECDSA. */
START_TEST(server_versions_and_keys)
{
	int v13 = (_i >> 1) & 1, ecdsa = (_i >> 2) & 1;
	const char *const args[] = { LOCAL, v13 ? PRIO13 : PRIO12, NULL };
	struct hard_srv sv;
	struct hard_proc p;

	if ((_i & 2) && tt_lacks_tls13("server_versions_and_keys")) /* bit 1: TLS 1.3 */
		return;
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)(_i & 1);
	sv.ctx = srv_ctx(ecdsa, NULL);
	hard_srv_start(&sv);
	run_cli(&p, &sv, args, "hello from gnutls-cli\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0);
	ck_assert_str_eq(sv.res[0].version, v13 ? "TLSv1.3" : "TLSv1.2");
	ck_assert_str_eq(sv.res[0].sni, "localhost");
	HARD_PEER_ASSERT(&p, hard_log_has(&p, v13 ? "(TLS1.3" : "(TLS1.2"), "another protocol");
	HARD_PEER_ASSERT(&p, hard_log_has(&p, ecdsa ? "ECDSA" : "RSA"), "another key type");
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

START_TEST(server_alpn)
{
	const char *const prefs[] = { "h2", "http/1.1", NULL };
	const char *const args[] = { LOCAL, "--alpn=acme/1", "--alpn=http/1.1", NULL };
	struct dlssl_context_opts co = { 0 };
	struct hard_srv sv;
	struct hard_proc p;

	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)_i;
	co.alpn = prefs;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	run_cli(&p, &sv, args, "hello from gnutls-cli\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0);
	ck_assert_str_eq(sv.res[0].alpn, "http/1.1");
	HARD_PEER_ASSERT(&p, hard_log_has(&p, "Application protocol: http/1.1") ||
	    hard_log_has(&p, "ALPN: http/1.1"), "gnutls-cli did not report the protocol");
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

static int
sni_pick(const char *name, struct dlssl_context **use, void *arg)
{
	if (name != NULL && strcmp(name, "other.example") == 0)
		*use = arg;
	return 0;
}

START_TEST(server_sni)
{
	const char *const other[] = { "--sni-hostname=other.example", "--verify-hostname=other.example",
		NULL };
	const char *const local[] = { LOCAL, NULL };
	struct dlssl_context_opts co = { 0 };
	struct dlssl_context *second;
	struct hard_srv sv;
	struct hard_proc p;

	second = hard_server_ctx(PKI("wronghost-chain.pem"), PKI("wronghost.key"), NULL);
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)_i;
	co.sni_callback = sni_pick;
	co.sni_callback_arg = second;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	run_cli(&p, &sv, other, "hello from gnutls-cli\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0);
	ck_assert_str_eq(sv.res[0].sni, "other.example");
	HARD_PEER_ASSERT(&p, hard_log_has(&p, "CN=other.example"), "not the second certificate");
	hard_proc_free(&p);

	hard_srv_start(&sv);
	run_cli(&p, &sv, local, "hello from gnutls-cli\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0);
	HARD_PEER_ASSERT(&p, hard_log_has(&p, "subject `CN=localhost'"), "not the first certificate");
	dlssl_ctx_free(sv.ctx);
	dlssl_ctx_free(second);
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(server_client_cert)
{
	const char *prio = (_i & 2) ? PRIO13 : PRIO12;
	const char *const with[] = { LOCAL, prio, "--x509certfile", PKI("client-chain.pem"),
		"--x509keyfile", PKI("client.key"), NULL };
	const char *const without[] = { LOCAL, prio, NULL };
	struct dlssl_context_opts co = { 0 };
	struct hard_srv sv;
	struct hard_proc p;

	if ((_i & 2) && tt_lacks_tls13("server_client_cert")) /* bit 1: TLS 1.3 */
		return;
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)(_i & 1);
	co.ca_file = PKI("root-ca.crt");
	co.verify_mode = DLSSL_VERIFY_REQUIRED;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	run_cli(&p, &sv, with, "hello from gnutls-cli\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0);
	ck_assert_msg(strstr(sv.res[0].peer, "dlssl test client") != NULL, "peer '%s'", sv.res[0].peer);
	hard_proc_free(&p);

	hard_srv_start(&sv);
	run_cli(&p, &sv, without, "hello from gnutls-cli\n");
	hard_srv_join(&sv);
	HARD_PEER_ASSERT(&p, !sv.res[0].ok && sv.res[0].accepted, "served without a certificate");
	ck_assert_msg(sv.res[0].err_code == DLSSL_ERR_VERIFY, "%s", sv.res[0].err);
	HARD_PEER_ASSERT(&p, !hard_log_has(&p, "pong:"), "gnutls-cli got an answer");
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(server_resumption)
{
	const char *const args[] = { LOCAL, (_i & 2) ? PRIO13 : PRIO12, "--resume", NULL };
	struct hard_srv sv;
	struct hard_proc p;

	if ((_i & 2) && tt_lacks_tls13("server_resumption")) /* bit 1: TLS 1.3 */
		return;
	if (tt_lacks_tls13_resume((_i & 2) != 0))
		return;

	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)(_i & 1);
	sv.ctx = srv_ctx(0, NULL);
	sv.nconn = 2;
	hard_srv_start(&sv);
	run_cli(&p, &sv, args, "hello from gnutls-cli\n");
	hard_srv_join(&sv);
	/* The first connection only handshakes (and, in TLS 1.3, takes a ticket). */
	HARD_PEER_ASSERT(&p, sv.res[0].accepted && sv.res[0].version[0] != '\0', "first: %s",
	    sv.res[0].err);
	ck_assert_int_eq(sv.res[0].reused, 0);
	expect_served(&p, &sv, 1);
	HARD_PEER_ASSERT(&p, sv.res[1].reused == 1, "the server did not resume the session");
	HARD_PEER_ASSERT(&p, hard_log_has(&p, "This is a resumed session"), "gnutls-cli: not resumed");
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

static Suite *
interop_suite(void)
{
	Suite *s = suite_create("interop_gnutls");
	TCase *tc;

	tc = tcase_create("client_vs_gnutls_serv");
	tcase_add_checked_fixture(tc, hard_interop_setup, hard_interop_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, client_versions_and_keys, 0, 8);
	tcase_add_loop_test(tc, client_alpn, 0, TT_KINDS);
	tcase_add_loop_test(tc, client_sni, 0, TT_KINDS);
	tcase_add_loop_test(tc, client_cert_requested, 0, 4);
	tcase_add_loop_test(tc, client_cert_required, 0, 4);
	tcase_add_loop_test(tc, client_resumption, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("server_vs_gnutls_cli");
	tcase_add_checked_fixture(tc, hard_interop_setup, hard_interop_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, server_versions_and_keys, 0, 8);
	tcase_add_loop_test(tc, server_alpn, 0, TT_KINDS);
	tcase_add_loop_test(tc, server_sni, 0, TT_KINDS);
	tcase_add_loop_test(tc, server_client_cert, 0, 4);
	tcase_add_loop_test(tc, server_resumption, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	static const char *const tools[] = { "gnutls-serv", "gnutls-cli", "timeout", NULL };

	hard_require_tools(tools);
	return tt_main(interop_suite);
}
