/*
 * Interoperation with curl: the dlssl library as an HTTPS (HTTP/1.1)
 * server, over the fd and the callback (io) transports: TLS 1.2 and 1.3,
 * RSA and ECDSA certificates, ALPN (curl offers h2 and http/1.1; the
 * server picks http/1.1), SNI with two certificates, a required client
 * certificate, and session resumption across two requests of one curl
 * run (the server closes each connection, so the second one resumes).
 *
 * Skips (77) when curl is missing.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hard_interop.h"

/*
 * Run curl against the library server for host (resolved to 127.0.0.1),
 * one URL per path, with extra options.  Returns curl's exit status; the
 * bodies and a summary line per transfer are in p's log.
 */
static int
run_curl(struct hard_proc *p, struct hard_srv *sv, const char *host, const char *const *paths,
    const char *const *extra)
{
	const char *argv[64];
	char resolve[300], urls[4][300];
	int n = 0, i, rc;

	snprintf(resolve, sizeof(resolve), "%s:%d:127.0.0.1", host, sv->port);
	argv[n++] = "curl";
	argv[n++] = "--silent";
	argv[n++] = "--show-error";
	argv[n++] = "--cacert";
	argv[n++] = PKI("root-ca.crt");
	argv[n++] = "--resolve";
	argv[n++] = resolve;
	argv[n++] = "--max-time";
	argv[n++] = "60";
	argv[n++] = "--write-out";
	argv[n++] = "\ncurl: code=%{http_code} verify=%{ssl_verify_result} http=%{http_version}\n";
	for (i = 0; extra[i] != NULL && n < 56; i++)
		argv[n++] = extra[i];
	for (i = 0; paths[i] != NULL && i < 4; i++) {
		snprintf(urls[i], sizeof(urls[i]), "https://%s:%d%s", host, sv->port, paths[i]);
		argv[n++] = urls[i];
	}
	argv[n] = NULL;
	ck_assert_int_eq(hard_spawn(p, argv, 0, HARD_PEER_SECONDS), 0);
	rc = hard_proc_wait(p, HARD_IO_SECONDS * hard_slowdown());
	return rc;
}

static struct dlssl_context *
srv_ctx(int ecdsa, const struct dlssl_context_opts *extra)
{
	static const char *const http11[] = { "http/1.1", NULL };
	struct dlssl_context_opts o;

	if (extra != NULL)
		o = *extra;
	else
		memset(&o, 0, sizeof(o));
	/* curl offers h2 first: a server that only speaks HTTP/1.1 says so. */
	if (o.alpn == NULL)
		o.alpn = http11;
	return ecdsa ? hard_server_ctx(PKI("ecdsa-chain.pem"), PKI("ecdsa.key"), &o) :
	    hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), &o);
}

static void
expect_served(struct hard_proc *p, struct hard_srv *sv, int i, const char *path, int rc)
{
	char want[300];

	HARD_PEER_ASSERT(p, sv->res[i].ok, "%s server, connection %d: %s", hard_kind_name(sv->kind),
	    i, sv->res[i].err);
	snprintf(want, sizeof(want), "GET %s HTTP/1.1", path);
	ck_assert_str_eq(sv->res[i].request, want);
	snprintf(want, sizeof(want), "request: GET %s HTTP/1.1", path);
	HARD_PEER_ASSERT(p, hard_log_has(p, want), "curl did not get the body");
	HARD_PEER_ASSERT(p, hard_log_has(p, "curl: code=200 verify=0 http=1.1"),
	    "curl did not finish with 200, verified, HTTP/1.1");
	HARD_PEER_ASSERT(p, rc == 0, "curl exited with %d", rc);
}

/* _i: bit 0 transport, bit 1 TLS 1.3, bit 2 ECDSA. */
START_TEST(versions_and_keys)
{
	int v13 = (_i >> 1) & 1, ecdsa = (_i >> 2) & 1, rc;
	const char *const paths[] = { "/hello", NULL };
	const char *const args12[] = { "--tlsv1.2", "--tls-max", "1.2", NULL };
	const char *const args13[] = { "--tlsv1.3", NULL };
	struct hard_srv sv;
	struct hard_proc p;

	if ((_i & 2) && tt_lacks_tls13("versions_and_keys")) /* bit 1: TLS 1.3 */
		return;
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)(_i & 1);
	sv.ctx = srv_ctx(ecdsa, NULL);
	sv.mode = HS_HTTP;
	hard_srv_start(&sv);
	rc = run_curl(&p, &sv, "localhost", paths, v13 ? args13 : args12);
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, "/hello", rc);
	ck_assert_str_eq(sv.res[0].version, v13 ? "TLSv1.3" : "TLSv1.2");
	ck_assert_str_eq(sv.res[0].alpn, "http/1.1");
	ck_assert_str_eq(sv.res[0].sni, "localhost");
	if (!v13)
		ck_assert_msg(strstr(sv.res[0].cipher, ecdsa ? "ECDSA" : "RSA") != NULL, "cipher %s",
		    sv.res[0].cipher);
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

START_TEST(no_alpn_server)
{
	const char *const paths[] = { "/plain", NULL };
	const char *const none[] = { NULL };
	struct hard_srv sv;
	struct hard_proc p;
	int rc;

	/* A server without ALPN: curl, which offers h2 first, falls back to HTTP/1.1. */
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)_i;
	sv.mode = HS_HTTP;
	sv.ctx = hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), NULL);
	hard_srv_start(&sv);
	rc = run_curl(&p, &sv, "localhost", paths, none);
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, "/plain", rc);
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

START_TEST(sni)
{
	const char *const paths[] = { "/sni", NULL };
	const char *const none[] = { NULL };
	struct dlssl_context_opts co = { 0 };
	struct dlssl_context *second;
	struct hard_srv sv;
	struct hard_proc p;
	int rc;

	second = hard_server_ctx(PKI("wronghost-chain.pem"), PKI("wronghost.key"), NULL);
	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)_i;
	sv.mode = HS_HTTP;
	co.sni_callback = sni_pick;
	co.sni_callback_arg = second;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	/* curl verifies other.example: only the second certificate passes. */
	rc = run_curl(&p, &sv, "other.example", paths, none);
	hard_srv_join(&sv);
	ck_assert_str_eq(sv.res[0].sni, "other.example");
	/* The second context has no ALPN list: HTTP/1.1 without ALPN. */
	HARD_PEER_ASSERT(&p, sv.res[0].ok && rc == 0 && hard_log_has(&p, "servername: other.example"),
	    "%s", sv.res[0].err);
	hard_proc_free(&p);

	hard_srv_start(&sv);
	rc = run_curl(&p, &sv, "localhost", paths, none);
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, "/sni", rc);
	ck_assert_str_eq(sv.res[0].sni, "localhost");
	dlssl_ctx_free(sv.ctx);
	dlssl_ctx_free(second);
	hard_proc_free(&p);
}
END_TEST

START_TEST(client_cert)
{
	const char *const paths[] = { "/private", NULL };
	const char *const with[] = { "--cert", PKI("client-chain.pem"), "--key", PKI("client.key"), NULL };
	const char *const without[] = { NULL };
	struct dlssl_context_opts co = { 0 };
	struct hard_srv sv;
	struct hard_proc p;
	int rc;

	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)_i;
	sv.mode = HS_HTTP;
	co.ca_file = PKI("root-ca.crt");
	co.verify_mode = DLSSL_VERIFY_REQUIRED;
	sv.ctx = srv_ctx(0, &co);
	hard_srv_start(&sv);
	rc = run_curl(&p, &sv, "localhost", paths, with);
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, "/private", rc);
	ck_assert_msg(strstr(sv.res[0].peer, "dlssl test client") != NULL, "peer '%s'", sv.res[0].peer);
	hard_proc_free(&p);

	hard_srv_start(&sv);
	rc = run_curl(&p, &sv, "localhost", paths, without);
	hard_srv_join(&sv);
	HARD_PEER_ASSERT(&p, !sv.res[0].ok && sv.res[0].accepted, "served without a certificate");
	ck_assert_msg(sv.res[0].err_code == DLSSL_ERR_VERIFY, "%s", sv.res[0].err);
	HARD_PEER_ASSERT(&p, rc != 0 && !hard_log_has(&p, "hello from dlssl"), "curl got a body");
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

/* _i: bit 0 transport, bit 1 TLS 1.3. */
START_TEST(resumption)
{
	const char *const paths[] = { "/one", "/two", NULL };
	const char *const args12[] = { "--tlsv1.2", "--tls-max", "1.2", NULL };
	const char *const args13[] = { "--tlsv1.3", NULL };
	struct hard_srv sv;
	struct hard_proc p;
	int rc;

	if ((_i & 2) && tt_lacks_tls13("resumption")) /* bit 1: TLS 1.3 */
		return;
	if (tt_lacks_tls13_resume((_i & 2) != 0))
		return;

	memset(&sv, 0, sizeof(sv));
	sv.kind = (enum tt_kind)(_i & 1);
	sv.mode = HS_HTTP;
	sv.nconn = 2;
	sv.ctx = srv_ctx(0, NULL);
	hard_srv_start(&sv);
	rc = run_curl(&p, &sv, "localhost", paths, (_i & 2) ? args13 : args12);
	hard_srv_join(&sv);
	expect_served(&p, &sv, 0, "/one", rc);
	expect_served(&p, &sv, 1, "/two", rc);
	ck_assert_int_eq(sv.res[0].reused, 0);
	HARD_PEER_ASSERT(&p, sv.res[1].reused == 1, "curl's second connection was not resumed");
	dlssl_ctx_free(sv.ctx);
	hard_proc_free(&p);
}
END_TEST

static Suite *
interop_suite(void)
{
	Suite *s = suite_create("interop_curl");
	TCase *tc = tcase_create("server_vs_curl");

	tcase_add_checked_fixture(tc, hard_interop_setup, hard_interop_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, versions_and_keys, 0, 8);
	tcase_add_loop_test(tc, no_alpn_server, 0, TT_KINDS);
	tcase_add_loop_test(tc, sni, 0, TT_KINDS);
	tcase_add_loop_test(tc, client_cert, 0, TT_KINDS);
	tcase_add_loop_test(tc, resumption, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	static const char *const tools[] = { "curl", "timeout", NULL };

	hard_require_tools(tools);
	return tt_main(interop_suite);
}
