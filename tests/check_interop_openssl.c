/*
 * Interoperation with OpenSSL's own programs: the dlssl library as a
 * client of `openssl s_server` and as a server to `openssl s_client`,
 * over the fd and the callback (io) transports: TLS 1.2 and 1.3, RSA and
 * ECDSA certificates, ALPN, SNI with two certificates, client
 * certificates requested and required, session resumption.
 *
 * The peers run as child processes on 127.0.0.1 (tests/hard_common.c),
 * bounded in time and killed at the end of every test.  Skips (77) when
 * the openssl program is missing.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hard_interop.h"

#define RSA_CERT "-cert", PKI("localhost.crt"), "-key", PKI("localhost.key")
#define ECDSA_CERT "-cert", PKI("ecdsa.crt"), "-key", PKI("ecdsa.key")
#define CHAIN "-cert_chain", PKI("intermediate-ca.crt")

/* ---- the library as a client of s_server ---- */

/* One client connection: handshake, one reversed line, close_notify. */
static struct dlssl_stream *
talk(struct hard_proc *p, enum tt_kind k, int port, struct dlssl_stream_opts *o, int *slot)
{
	char got[256];
	struct dlssl_stream *s = hard_client(k, port, o, slot);

	HARD_PEER_ASSERT(p, s != NULL, "%s client: %s", hard_kind_name(k), dlssl_error());
	HARD_PEER_ASSERT(p, hard_line_exchange(s, "hello interop\n", got, sizeof(got)) == 0,
	    "%s client: exchange: %s", hard_kind_name(k), dlssl_error());
	ck_assert_str_eq(got, "poretni olleh");
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
	const char *const rsa12[] = { RSA_CERT, CHAIN, "-tls1_2", NULL };
	const char *const rsa13[] = { RSA_CERT, CHAIN, "-tls1_3", NULL };
	const char *const ec12[] = { ECDSA_CERT, CHAIN, "-tls1_2", NULL };
	const char *const ec13[] = { ECDSA_CERT, CHAIN, "-tls1_3", NULL };
	const char *const *args = ecdsa ? (v13 ? ec13 : ec12) : (v13 ? rsa13 : rsa12);
	struct hard_proc p;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	const char *cipher;

	if ((_i & 2) && tt_lacks_tls13("client_versions_and_keys")) /* bit 1: TLS 1.3 */
		return;
	port = hard_start_s_server(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_str_eq(dlssl_stream_version(s), v13 ? "TLSv1.3" : "TLSv1.2");
	cipher = dlssl_stream_cipher(s);
	ck_assert_ptr_nonnull(cipher);
	/* A peer that already gave up (a refused handshake) may be gone: no check. */
	if (!v13)
		ck_assert_msg(strstr(cipher, ecdsa ? "ECDSA" : "RSA") != NULL, "cipher %s", cipher);
	ck_assert(hard_peer_is(s, ecdsa ? PKI("ecdsa.crt") : PKI("localhost.crt")));
	ck_assert_int_eq(dlssl_stream_verify_result(s), 0);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, v13 ? "Protocol version: TLSv1.3" :
	    "Protocol version: TLSv1.2", 5, NULL, 0), "s_server saw another protocol");
	hard_proc_free(&p);
}
END_TEST

START_TEST(client_alpn)
{
	enum tt_kind k = (enum tt_kind)_i;
	const char *const args[] = { RSA_CERT, CHAIN, "-alpn", "h2,http/1.1", NULL };
	const char *const offer[] = { "acme/1", "http/1.1", NULL };
	const char *const unknown[] = { "acme/1", NULL };
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	port = hard_start_s_server(&p, args);
	co.alpn = offer;
	o.context = hard_client_ctx(&co, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_ptr_nonnull(dlssl_stream_alpn(s));
	ck_assert_str_eq(dlssl_stream_alpn(s), "http/1.1");
	finish_stream(s);

	/*
	 * No common protocol: s_server answers with a no_application_protocol
	 * alert, which dlssl names itself, in the same words with every library.
	 */
	o.alpn = unknown;
	s = hard_client(k, port, &o, &slot);
	HARD_PEER_ASSERT(&p, s == NULL, "a handshake without a common ALPN protocol succeeded");
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_TLS &&
	    strstr(dlssl_error(), "the peer sent the alert no_application_protocol (120)") &&
	    !strstr(dlssl_error(), "reason("),
	    "%s: %s", dlssl_error_name(dlssl_error_code()), dlssl_error());
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

START_TEST(client_sni)
{
	enum tt_kind k = (enum tt_kind)_i;
	/* s_server sends no chain for its second certificate: trust the intermediate too. */
	const char *const args[] = { RSA_CERT, CHAIN, "-servername", "other.example",
		"-cert2", PKI("wronghost.crt"), "-key2", PKI("wronghost.key"), NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	port = hard_start_s_server(&p, args);
	o.context = hard_client_ctx(NULL, 1);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert(hard_peer_is(s, PKI("localhost.crt")));
	finish_stream(s);

	o.hostname = "other.example";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_msg(hard_peer_is(s, PKI("wronghost.crt")), "the server's SNI certificate was not chosen");
	ck_assert_str_eq(dlssl_stream_servername(s), "other.example");
	finish_stream(s);
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(client_cert_requested)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	const char *ver = (_i & 2) ? "-tls1_3" : "-tls1_2";
	const char *const args[] = { RSA_CERT, CHAIN, "-verify", "2", "-CAfile", PKI("root-ca.crt"),
		ver, NULL };
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	if ((_i & 2) && tt_lacks_tls13("client_cert_requested")) /* bit 1: TLS 1.3 */
		return;
	port = hard_start_s_server(&p, args);
	/* Asked, and without a certificate: the handshake goes on. */
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, !hard_log_has(&p, "dlssl test client"), "a certificate was sent");

	/* With one in the context: sent and verified by s_server. */
	co.certificate_chain_file = PKI("client-chain.pem");
	co.private_key_file = PKI("client.key");
	o.context = hard_client_ctx(&co, 0);
	s = talk(&p, k, port, &o, &slot);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, "dlssl test client", 5, NULL, 0),
	    "s_server did not see the client certificate");
	HARD_PEER_ASSERT(&p, !hard_log_has(&p, "verify error"), "s_server could not verify it");
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(client_cert_required)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	int v13 = (_i & 2) != 0;
	const char *const args[] = { RSA_CERT, CHAIN, "-Verify", "2", "-CAfile", PKI("root-ca.crt"),
		v13 ? "-tls1_3" : "-tls1_2", NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	char got[512];
	int port, slot, fails, code = DLSSL_ERR_NONE;

	if ((_i & 2) && tt_lacks_tls13("client_cert_required")) /* bit 1: TLS 1.3 */
		return;
	port = hard_start_s_server(&p, args);
	/* Without a certificate: refused (in TLS 1.3 the client learns it at its first read). */
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = hard_client(k, port, &o, &slot);
	if (s == NULL) {
		fails = 1;
		code = dlssl_error_code();
		snprintf(got, sizeof(got), "%s", dlssl_error());
	} else {
		fails = hard_line_exchange(s, "hello interop\n", got, sizeof(got)) != 0;
		code = dlssl_stream_error_code(s);
		snprintf(got, sizeof(got), "%s", dlssl_stream_error(s) ? dlssl_stream_error(s) : "");
		dlssl_close_abort(s);
		dlssl_stream_free(s);
	}
	HARD_PEER_ASSERT(&p, fails, "a client without a certificate was served");
	/* TLS 1.2: in the handshake; TLS 1.3: the alert arrives at the first read. */
	/*
	 * TLS 1.2: refused in the handshake.  TLS 1.3: the client's handshake
	 * ends before the server looks at its certificate; the alert arrives at
	 * the first read, or, if the server already closed, the write fails.
	 */
	ck_assert_msg(code == DLSSL_ERR_TLS || ((_i & 2) && code == DLSSL_ERR_IO), "%s: %s",
	    dlssl_error_name(code), got);
	dlssl_ctx_free(o.context);

	/* With a per-stream certificate: served. */
	o.context = hard_client_ctx(NULL, 0);
	o.certificate_file = PKI("client-chain.pem");
	o.key_file = PKI("client.key");
	s = talk(&p, k, port, &o, &slot);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, "dlssl test client", 5, NULL, 0),
	    "s_server did not see the client certificate");
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(client_resumption)
{
	enum tt_kind k = (enum tt_kind)(_i & 1);
	int v13 = (_i & 2) != 0;
	const char *const args[] = { RSA_CERT, CHAIN, v13 ? "-tls1_3" : "-tls1_2", NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port, slot;

	if ((_i & 2) && tt_lacks_tls13("client_resumption")) /* bit 1: TLS 1.3 */
		return;
	if (tt_lacks_tls13_resume((_i & 2) != 0))
		return;

	port = hard_start_s_server(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_int_eq(dlssl_stream_session_reused(s), 0);
	finish_stream(s);
	s = talk(&p, k, port, &o, &slot);
	HARD_PEER_ASSERT(&p, dlssl_stream_session_reused(s) == 1,
	    "the second connection was not resumed (%s)", v13 ? "TLS 1.3" : "TLS 1.2");
	finish_stream(s);
	/* Another host name has its own slot: not resumed. */
	o.hostname = "127.0.0.1";
	s = talk(&p, k, port, &o, &slot);
	ck_assert_int_eq(dlssl_stream_session_reused(s), 0);
	finish_stream(s);
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

/* ---- the library as a server to s_client ---- */

/*
 * Run s_client against the library server with extra options: send one
 * line, and wait for s_client to end (it does when the server sends
 * close_notify after its answer).  Returns s_client's exit status.
 */
static int
run_s_client(struct hard_proc *p, struct hard_srv *sv, const char *const *extra, const char *line)
{
	const char *argv[64];
	char conn[64];
	int n = 0, i, rc;

	snprintf(conn, sizeof(conn), "127.0.0.1:%d", sv->port);
	argv[n++] = "openssl";
	argv[n++] = "s_client";
	argv[n++] = "-connect";
	argv[n++] = conn;
	argv[n++] = "-CAfile";
	argv[n++] = PKI("root-ca.crt");
	argv[n++] = "-verify_return_error";
	argv[n++] = "-brief";
	for (i = 0; extra[i] != NULL && n < 62; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	ck_assert_int_eq(hard_spawn(p, argv, 1, HARD_PEER_SECONDS), 0);
	if (line != NULL)
		(void)!write(p->in_fd, line, strlen(line));
	rc = hard_proc_wait(p, HARD_IO_SECONDS * hard_slowdown());
	hard_close_stdin(p);
	return rc;
}

/* A server context for the scenario (bit 2 of _i: ECDSA). */
static struct dlssl_context *
srv_ctx(int ecdsa, const struct dlssl_context_opts *extra)
{
	return ecdsa ? hard_server_ctx(PKI("ecdsa-chain.pem"), PKI("ecdsa.key"), extra) :
	    hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), extra);
}

static void
expect_served(struct hard_proc *p, struct hard_srv *sv, int i, int rc)
{
	HARD_PEER_ASSERT(p, sv->res[i].ok, "%s server, connection %d: %s", hard_kind_name(sv->kind),
	    i, sv->res[i].err);
	ck_assert_str_eq(sv->res[i].request, "hello from s_client");
	HARD_PEER_ASSERT(p, hard_log_has(p, "pong:hello from s_client"), "s_client did not get the answer");
	HARD_PEER_ASSERT(p, hard_log_has(p, "Verification: OK"), "s_client did not verify the server");
	HARD_PEER_ASSERT(p, rc == 0, "s_client exited with %d", rc);
}

/* _i: bit 0 transport, bit 1 TLS 1.3, bit 2 ECDSA. */
START_TEST(server_versions_and_keys)
{
	int v13 = (_i >> 1) & 1, ecdsa = (_i >> 2) & 1, rc;
	const char *const args[] = { "-servername", "localhost", "-verify_hostname", "localhost",
		v13 ? "-tls1_3" : "-tls1_2", NULL };
	struct hard_srv sv;
	struct hard_proc p;

	if ((_i & 2) && tt_lacks_tls13("server_versions_and_keys")) /* bit 1: TLS 1.3 */
		return;
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)(_i & 1);
	sv.ctx = srv_ctx(ecdsa, NULL);
	sv.mode = HS_LINE;
	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, args, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	ck_assert_str_eq(sv.res[0].version, v13 ? "TLSv1.3" : "TLSv1.2");
	ck_assert_str_eq(sv.res[0].sni, "localhost");
	HARD_PEER_ASSERT(&p, hard_log_has(&p, ecdsa ? "Signature type: ECDSA" : "Signature type: RSA"),
	    "s_client saw another signature type");
	if (!v13)
		ck_assert_msg(strstr(sv.res[0].cipher, ecdsa ? "ECDSA" : "RSA") != NULL, "cipher %s",
		    sv.res[0].cipher);
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

START_TEST(server_alpn)
{
	const char *const prefs[] = { "h2", "http/1.1", NULL };
	const char *const args[] = { "-servername", "localhost", "-alpn", "acme/1,http/1.1", NULL };
	const char *const none[] = { "-servername", "localhost", "-alpn", "acme/1", NULL };
	struct dlssl_context_opts co = { 0 };
	struct hard_srv sv;
	struct hard_proc p;
	int rc;

	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)_i;
	co.alpn = prefs;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, args, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	ck_assert_str_eq(sv.res[0].alpn, "http/1.1");
	hard_proc_free(&p);

	/* Nothing in common: no ALPN, no failure (RFC 7301 allows either). */
	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, none, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	ck_assert_str_eq(sv.res[0].alpn, "");
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
	const char *const other[] = { "-servername", "other.example", "-verify_hostname",
		"other.example", NULL };
	const char *const local[] = { "-servername", "localhost", "-verify_hostname", "localhost", NULL };
	struct dlssl_context_opts co = { 0 };
	struct dlssl_context *second;
	struct hard_srv sv;
	struct hard_proc p;
	int rc;

	second = hard_server_ctx(PKI("wronghost-chain.pem"), PKI("wronghost.key"), NULL);
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)_i;
	co.sni_callback = sni_pick;
	co.sni_callback_arg = second;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, other, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	ck_assert_str_eq(sv.res[0].sni, "other.example");
	HARD_PEER_ASSERT(&p, hard_log_has(&p, "Peer certificate: CN = other.example"),
	    "s_client did not get the second certificate");
	hard_proc_free(&p);

	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, local, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	HARD_PEER_ASSERT(&p, hard_log_has(&p, "Peer certificate: CN = localhost"),
	    "s_client did not get the first certificate");
	dlssl_ctx_free(sv.ctx);
	dlssl_ctx_free(second);
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(server_client_cert)
{
	int v13 = (_i & 2) != 0, rc;
	const char *ver = v13 ? "-tls1_3" : "-tls1_2";
	const char *const with[] = { "-servername", "localhost", ver, "-cert", PKI("client.crt"),
		"-key", PKI("client.key"), "-cert_chain", PKI("intermediate-ca.crt"), NULL };
	const char *const without[] = { "-servername", "localhost", ver, NULL };
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
	rc = run_s_client(&p, &sv, with, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	ck_assert_msg(strstr(sv.res[0].peer, "dlssl test client") != NULL, "peer '%s'", sv.res[0].peer);
	hard_proc_free(&p);

	/* Required, and none sent: the server refuses it as a verification failure. */
	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, without, "hello from s_client\n");
	hard_srv_join(&sv);
	HARD_PEER_ASSERT(&p, !sv.res[0].ok && sv.res[0].accepted, "served without a certificate");
	ck_assert_msg(sv.res[0].err_code == DLSSL_ERR_VERIFY, "%s", sv.res[0].err);
	HARD_PEER_ASSERT(&p, !hard_log_has(&p, "pong:"), "s_client got an answer");
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);

	/* Optional: both are served. */
	co.verify_mode = DLSSL_VERIFY_OPTIONAL;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, without, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	ck_assert_str_eq(sv.res[0].peer, "");
	hard_proc_free(&p);
	hard_srv_start(&sv);
	rc = run_s_client(&p, &sv, with, "hello from s_client\n");
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, rc);
	ck_assert_msg(strstr(sv.res[0].peer, "dlssl test client") != NULL, "peer '%s'", sv.res[0].peer);
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(server_resumption)
{
	int v13 = (_i & 2) != 0, rc;
	char sess[256];
	const char *ver = v13 ? "-tls1_3" : "-tls1_2";
	const char *tmp = getenv("TMPDIR");
	struct hard_srv sv;
	struct hard_proc p;
	int fd;

	if ((_i & 2) && tt_lacks_tls13("server_resumption")) /* bit 1: TLS 1.3 */
		return;
	if (tt_lacks_tls13_resume((_i & 2) != 0))
		return;

	snprintf(sess, sizeof(sess), "%s/dlssl-sess-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	ck_assert_int_ge(fd = mkstemp(sess), 0);
	close(fd);
	{
		const char *const first[] = { "-servername", "localhost", ver, "-sess_out", sess, NULL };
		const char *const second[] = { "-servername", "localhost", ver, "-sess_in", sess, NULL };

		memset(&sv, 0, sizeof(sv));
		sv.kind = (enum tt_kind)(_i & 1);
		sv.ctx = srv_ctx(0, NULL);
		hard_srv_start(&sv);
		rc = run_s_client(&p, &sv, first, "hello from s_client\n");
		hard_srv_join(&sv);
		expect_served(&p, &sv, 0, rc);
		ck_assert_int_eq(sv.res[0].reused, 0);
		hard_proc_free(&p);

		hard_srv_start(&sv);
		rc = run_s_client(&p, &sv, second, "hello from s_client\n");
		hard_srv_join(&sv);
		expect_served(&p, &sv, 0, rc);
		HARD_PEER_ASSERT(&p, sv.res[0].reused == 1, "the server did not resume the session");
		dlssl_ctx_free(sv.ctx);
		hard_proc_free(&p);
	}
	unlink(sess);
}
END_TEST

static Suite *
interop_suite(void)
{
	Suite *s = suite_create("interop_openssl");
	TCase *tc;

	tc = tcase_create("client_vs_s_server");
	tcase_add_checked_fixture(tc, hard_interop_setup, hard_interop_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, client_versions_and_keys, 0, 8);
	tcase_add_loop_test(tc, client_alpn, 0, TT_KINDS);
	tcase_add_loop_test(tc, client_sni, 0, TT_KINDS);
	tcase_add_loop_test(tc, client_cert_requested, 0, 4);
	tcase_add_loop_test(tc, client_cert_required, 0, 4);
	tcase_add_loop_test(tc, client_resumption, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("server_vs_s_client");
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
	static const char *const tools[] = { "openssl", "timeout", NULL };

	hard_require_tools(tools);
	return tt_main(interop_suite);
}
