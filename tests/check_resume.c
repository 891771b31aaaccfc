/*
 * Session resumption never skips a check (issue 12, items 1-3): a dlssl
 * client and a dlssl server over a socketpair, two connections in a row,
 * TLS 1.2 and TLS 1.3 (_i), where the second connection's verification
 * configuration differs from the first's.  A session made under one
 * configuration must never be offered, or accepted, under another; and
 * where the configuration is the same, resumption still works and the
 * resumed stream carries the verified peer certificate.
 * Interoperation with openssl s_server/s_client: check_resume_openssl.c.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls_test.h"

/* One side of a connection: what it is given and what it saw. */
struct side {
	struct dlssl_stream_opts o;
	int fd;
	/* results */
	int ok;
	int err_code;
	char err[512];
	int reused;
	long verify_result;
	char peer[256];
	char alpn[32];
};

static void
record(struct side *sd, struct dlssl_stream *s)
{
	struct dlssl_x509 *x = dlssl_stream_peer_certificate(s);
	const char *a = dlssl_stream_alpn(s);

	sd->reused = dlssl_stream_session_reused(s);
	sd->verify_result = dlssl_stream_verify_result(s);
	snprintf(sd->peer, sizeof(sd->peer), "%s", x != NULL ? dlssl_x509_subject(x) : "");
	snprintf(sd->alpn, sizeof(sd->alpn), "%s", a != NULL ? a : "");
	dlssl_x509_free(x);
}

static void
failed(struct side *sd, struct dlssl_stream *s)
{
	sd->ok = 0;
	sd->err_code = s != NULL ? dlssl_stream_error_code(s) : dlssl_error_code();
	snprintf(sd->err, sizeof(sd->err), "%s",
	    s != NULL ? (dlssl_stream_error(s) ? dlssl_stream_error(s) : "") :
	    (dlssl_error() ? dlssl_error() : ""));
}

/* Handshake, then one byte each way (a TLS 1.3 client gets its tickets by reading). */
static void
exchange(struct side *sd, struct dlssl_stream *s, int server)
{
	char b = 'x';

	if (server) {
		if (dlssl_read_fully(s, &b, 1) != 1 || dlssl_write(s, &b, 1) != 1 || dlssl_flush(s) != 0) {
			failed(sd, s);
			return;
		}
	} else if (dlssl_write(s, &b, 1) != 1 || dlssl_flush(s) != 0 || dlssl_read_fully(s, &b, 1) != 1) {
		failed(sd, s);
		return;
	}
	record(sd, s);
	sd->ok = 1;
}

static void
run_side(struct side *sd, int server)
{
	struct dlssl_stream *s;

	sd->o.deadline = dlssl_monotonic() + 20;
	sd->o.close_fd = 1;
	s = server ? dlssl_make_server_stream(dlssl_transport_fd(sd->fd), &sd->o) :
	    dlssl_make_client_stream(dlssl_transport_fd(sd->fd), &sd->o);
	if (s == NULL) {
		failed(sd, NULL);
		close(sd->fd); /* still ours */
		return;
	}
	exchange(sd, s, server);
	(void)dlssl_close(s);
	dlssl_stream_free(s);
}

static void *
server_thread(void *arg)
{
	run_side(arg, 1);
	return NULL;
}

/* One connection: the server in a thread, the client here. */
static void
connect_pair(struct side *cl, struct side *sv)
{
	int fds[2];
	pthread_t t;

	tt_socketpair(fds);
	cl->fd = fds[0];
	sv->fd = fds[1];
	cl->ok = sv->ok = 0;
	cl->err[0] = sv->err[0] = '\0';
	ck_assert_int_eq(pthread_create(&t, NULL, server_thread, sv), 0);
	run_side(cl, 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
}

/* A server context for TLS 1.2 (v13 == 0) or 1.3 only; extra may be NULL. */
static struct dlssl_context *
server_ctx(int v13, const char *chain, const char *key, const struct dlssl_context_opts *extra)
{
	struct dlssl_context_opts o;
	struct dlssl_context *c;

	if (extra != NULL)
		o = *extra;
	else
		memset(&o, 0, sizeof(o));
	o.certificate_chain_file = chain;
	o.private_key_file = key;
	o.min_version = o.max_version = v13 ? DLSSL_TLS1_3 : DLSSL_TLS1_2;
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "server context: %s", dlssl_error());
	return c;
}

static struct dlssl_context *
client_ctx(const struct dlssl_context_opts *extra)
{
	struct dlssl_context_opts o;
	struct dlssl_context *c;

	if (extra != NULL)
		o = *extra;
	else
		memset(&o, 0, sizeof(o));
	o.ca_file = PKI("root-ca.crt");
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "client context: %s", dlssl_error());
	return c;
}

/* Skip TLS 1.3 rounds on a library without it (1.0.2). */
#define NEED_VERSION(v13) \
	do { \
		if ((v13) && !(tt_caps() & DLSSL_CAP_TLS13)) \
			return; \
	} while (0)

/* Does this library resume sessions of this version?  (DLSSL_CAP_TLS13_RESUME: LibreSSL's does not.) */
static int
resumes(int v13)
{
	return !v13 || (tt_caps() & DLSSL_CAP_TLS13_RESUME) != 0;
}

/* ---- clients ---- */

/* Item 1: a session made without verification is never offered to a stream that verifies. */
START_TEST(client_none_then_required)
{
	int v13 = _i;
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	sv.o.context = server_ctx(v13, PKI("untrusted.crt"), PKI("untrusted.key"), NULL);
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "localhost";
	cl.o.verify = DLSSL_VERIFY_NONE;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "unverified connection: %s / %s", cl.err, sv.err);

	cl.o.verify = DLSSL_VERIFY_REQUIRED;
	connect_pair(&cl, &sv);
	ck_assert_msg(!cl.ok, "a verifying client accepted an untrusted server (resumed: %d)", cl.reused);
	ck_assert_msg(cl.err_code == DLSSL_ERR_VERIFY, "%s", cl.err);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* Item 1 through the thread's global context (_i bit 1) and the process default (bit 1 clear). */
START_TEST(client_global_context)
{
	int v13 = _i & 1, thread_ctx = (_i & 2) != 0;
	struct dlssl_context *cc = thread_ctx ? client_ctx(NULL) : NULL, *prev = NULL;
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	if (thread_ctx)
		prev = dlssl_set_global_context(cc);
	sv.o.context = server_ctx(v13, PKI("untrusted.crt"), PKI("untrusted.key"), NULL);
	cl.o.hostname = "localhost";
	cl.o.verify = DLSSL_VERIFY_NONE;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "unverified connection: %s / %s", cl.err, sv.err);

	cl.o.verify = DLSSL_VERIFY_DEFAULT; /* REQUIRED */
	connect_pair(&cl, &sv);
	ck_assert_msg(!cl.ok, "a verifying client accepted an untrusted server (resumed: %d)", cl.reused);
	ck_assert_msg(cl.err_code == DLSSL_ERR_VERIFY, "%s", cl.err);
	if (thread_ctx) {
		dlssl_set_global_context(prev);
		dlssl_ctx_free(cc);
	}
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* A session for one host name is never offered for another. */
START_TEST(client_other_host)
{
	int v13 = _i;
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	sv.o.context = server_ctx(v13, PKI("wronghost-chain.pem"), PKI("wronghost.key"), NULL);
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "other.example";
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "first connection: %s / %s", cl.err, sv.err);
	cl.o.hostname = "localhost";
	connect_pair(&cl, &sv);
	ck_assert_msg(!cl.ok && cl.err_code == DLSSL_ERR_VERIFY, "wrong host accepted: %s", cl.err);
	ck_assert_msg(strstr(cl.err, "localhost") != NULL, "%s", cl.err);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* Item 3: a stream without a certificate never resumes a session made with one. */
START_TEST(client_identity)
{
	int v13 = _i;
	struct dlssl_context_opts so = { 0 };
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	so.ca_file = PKI("root-ca.crt");
	so.verify_mode = DLSSL_VERIFY_OPTIONAL;
	sv.o.context = server_ctx(v13, PKI("localhost-chain.pem"), PKI("localhost.key"), &so);
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "localhost";
	cl.o.certificate_file = PKI("client-chain.pem");
	cl.o.key_file = PKI("client.key");
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "with a certificate: %s / %s", cl.err, sv.err);
	ck_assert_msg(strstr(sv.peer, "dlssl test client") != NULL, "server saw '%s'", sv.peer);

	cl.o.certificate_file = cl.o.key_file = NULL;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "without: %s / %s", cl.err, sv.err);
	ck_assert_msg(sv.peer[0] == '\0', "a client without a certificate authenticated as '%s'", sv.peer);
	ck_assert_int_eq(cl.reused, 0);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* A session is offered only with the ALPN list that made it. */
START_TEST(client_alpn)
{
	int v13 = _i;
	static const char *const both[] = { "a", "b", NULL }, *const a[] = { "a", NULL },
	    *const b[] = { "b", NULL };
	struct dlssl_context_opts so = { 0 };
	struct side cl, sv;

	NEED_VERSION(v13);
	if (!(tt_caps() & DLSSL_CAP_ALPN))
		return;
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	so.alpn = both;
	sv.o.context = server_ctx(v13, PKI("localhost-chain.pem"), PKI("localhost.key"), &so);
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "localhost";
	cl.o.alpn = a;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_str_eq(cl.alpn, "a");
	cl.o.alpn = b;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_int_eq(cl.reused, 0);
	ck_assert_str_eq(cl.alpn, "b");
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

static int accept_calls;

static int
accept_all(const struct dlssl_verify_info *info, void *arg)
{
	(void)info;
	(void)arg;
	__atomic_add_fetch(&accept_calls, 1, __ATOMIC_SEQ_CST);
	return 1;
}

/* A handshake the user's callback let through is never resumed without asking it again. */
START_TEST(client_callback_override)
{
	int v13 = _i, before;
	struct dlssl_context_opts co = { 0 };
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	co.verify_callback = accept_all;
	sv.o.context = server_ctx(v13, PKI("untrusted.crt"), PKI("untrusted.key"), NULL);
	cl.o.context = client_ctx(&co);
	cl.o.hostname = "localhost";
	accept_calls = 0;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_int_gt(accept_calls, 0);
	before = accept_calls;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_int_eq(cl.reused, 0);
	ck_assert_int_gt(accept_calls, before);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* A verify callback is a check too: asked on every connection, even for a good chain. */
START_TEST(client_callback_asked_again)
{
	int v13 = _i, before;
	struct dlssl_context_opts co = { 0 };
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	co.verify_callback = accept_all;
	sv.o.context = server_ctx(v13, PKI("localhost-chain.pem"), PKI("localhost.key"), NULL);
	cl.o.context = client_ctx(&co);
	cl.o.hostname = "localhost";
	accept_calls = 0;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	before = accept_calls;
	ck_assert_int_gt(before, 0);
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_int_eq(cl.reused, 0);
	ck_assert_int_gt(accept_calls, before);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* The same configuration resumes, and the resumed stream is as verified as the first. */
START_TEST(client_same_config_resumes)
{
	int v13 = _i;
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	sv.o.context = server_ctx(v13, PKI("localhost-chain.pem"), PKI("localhost.key"), NULL);
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "localhost";
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_int_eq(cl.reused, 0);
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	if (resumes(v13))
		ck_assert_int_eq(cl.reused, 1);
	ck_assert_int_eq(cl.verify_result, 0);
	ck_assert_msg(strstr(cl.peer, "localhost") != NULL, "peer '%s'", cl.peer);

	/* A changed trust store: sessions made before are not offered. */
	ck_assert_int_eq(dlssl_ctx_add_verify_location(cl.o.context, PKI("root-ca.crt")), 0);
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_int_eq(cl.reused, 0);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* ---- servers ---- */

/*
 * Item 2: one server context, a stream that asks for no client certificate
 * (bit 1: an optional one), then a stream that requires one: the client
 * that has none is refused, resumption or not.
 */
START_TEST(server_required_after_lax)
{
	int v13 = _i & 1;
	struct dlssl_context_opts so = { 0 };
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	so.ca_file = PKI("root-ca.crt");
	sv.o.context = server_ctx(v13, PKI("localhost-chain.pem"), PKI("localhost.key"), &so);
	sv.o.verify = (_i & 2) ? DLSSL_VERIFY_OPTIONAL : DLSSL_VERIFY_NONE;
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "localhost";
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);

	sv.o.verify = DLSSL_VERIFY_REQUIRED;
	connect_pair(&cl, &sv);
	ck_assert_msg(!sv.ok, "a server that requires a client certificate served a client "
	    "without one (resumed: %d, peer '%s')", sv.reused, sv.peer);
	ck_assert_msg(sv.err_code == DLSSL_ERR_VERIFY, "%s", sv.err);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* A client certificate the server's callback accepted is asked for again, not resumed. */
START_TEST(server_callback_override)
{
	int v13 = _i, before;
	struct dlssl_context_opts so = { 0 };
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	so.ca_file = PKI("root-ca.crt");
	so.verify_mode = DLSSL_VERIFY_REQUIRED;
	so.verify_callback = accept_all;
	sv.o.context = server_ctx(v13, PKI("localhost-chain.pem"), PKI("localhost.key"), &so);
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "localhost";
	cl.o.certificate_file = PKI("rogue-client.crt");
	cl.o.key_file = PKI("rogue-client.key");
	accept_calls = 0;
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	before = accept_calls;
	ck_assert_int_gt(before, 0);
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	ck_assert_int_eq(sv.reused, 0);
	ck_assert_int_gt(accept_calls, before);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

/* A REQUIRED server resumes a verified client's session, with its verified certificate. */
START_TEST(server_same_config_resumes)
{
	int v13 = _i;
	struct dlssl_context_opts so = { 0 };
	struct side cl, sv;

	NEED_VERSION(v13);
	memset(&cl, 0, sizeof(cl));
	memset(&sv, 0, sizeof(sv));
	so.ca_file = PKI("root-ca.crt");
	so.verify_mode = DLSSL_VERIFY_REQUIRED;
	sv.o.context = server_ctx(v13, PKI("localhost-chain.pem"), PKI("localhost.key"), &so);
	cl.o.context = client_ctx(NULL);
	cl.o.hostname = "localhost";
	cl.o.certificate_file = PKI("client-chain.pem");
	cl.o.key_file = PKI("client.key");
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	connect_pair(&cl, &sv);
	ck_assert_msg(cl.ok && sv.ok, "%s / %s", cl.err, sv.err);
	if (resumes(v13))
		ck_assert_int_eq(sv.reused, 1);
	ck_assert_msg(strstr(sv.peer, "dlssl test client") != NULL, "server saw '%s'", sv.peer);
	ck_assert_int_eq(sv.verify_result, 0);
	dlssl_ctx_free(cl.o.context);
	dlssl_ctx_free(sv.o.context);
}
END_TEST

static Suite *
resume_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("resume");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, client_none_then_required, 0, 2);
	tcase_add_loop_test(tc, client_global_context, 0, 4);
	tcase_add_loop_test(tc, client_other_host, 0, 2);
	tcase_add_loop_test(tc, client_identity, 0, 2);
	tcase_add_loop_test(tc, client_alpn, 0, 2);
	tcase_add_loop_test(tc, client_callback_override, 0, 2);
	tcase_add_loop_test(tc, client_callback_asked_again, 0, 2);
	tcase_add_loop_test(tc, client_same_config_resumes, 0, 2);
	tcase_add_loop_test(tc, server_required_after_lax, 0, 4);
	tcase_add_loop_test(tc, server_callback_override, 0, 2);
	tcase_add_loop_test(tc, server_same_config_resumes, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(resume_suite);
}
