/*
 * Session resumption never skips a check, against OpenSSL's own programs
 * (issue 12): the dlssl client of `openssl s_server`, which resumes any
 * session a client offers, and the dlssl server to `openssl s_client
 * -sess_out/-sess_in`, which offers a saved session whatever the server's
 * configuration became.  TLS 1.2 and 1.3 (_i bit 0).  Skips (77) without
 * the openssl program.
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hard_interop.h"

#define NEED_VERSION(v13) \
	do { \
		if ((v13) && !(tt_caps() & DLSSL_CAP_TLS13)) \
			return; \
	} while (0)

static const char *
ver_flag(int v13)
{
	return v13 ? "-tls1_3" : "-tls1_2";
}

/* One connection: the stream after one reversed line, or NULL with dlssl_error(). */
static struct dlssl_stream *
talk(int port, struct dlssl_stream_opts *o)
{
	char got[256];
	int slot;
	struct dlssl_stream *s = hard_client(TT_FD, port, o, &slot);

	if (s == NULL)
		return NULL;
	if (hard_line_exchange(s, "hello\n", got, sizeof(got)) != 0) {
		dlssl_stream_free(s);
		return NULL;
	}
	ck_assert_str_eq(got, "olleh");
	return s;
}

/* Item 1: a session s_server made for an unverified stream is not offered to a verifying one. */
START_TEST(client_none_then_required)
{
	int v13 = _i;
	const char *const args[] = { "-cert", PKI("untrusted.crt"), "-key", PKI("untrusted.key"),
		ver_flag(v13), NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port;

	NEED_VERSION(v13);
	port = hard_start_s_server(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	o.verify = DLSSL_VERIFY_NONE;
	s = talk(port, &o);
	HARD_PEER_ASSERT(&p, s != NULL, "unverified connection: %s", dlssl_error());
	dlssl_stream_free(s);

	o.verify = DLSSL_VERIFY_REQUIRED;
	s = talk(port, &o);
	HARD_PEER_ASSERT(&p, s == NULL, "a verifying client accepted an untrusted server (resumed: %d)",
	    dlssl_stream_session_reused(s));
	ck_assert_msg(dlssl_error_code() == DLSSL_ERR_VERIFY, "%s", dlssl_error());
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

/* Item 3: a stream without a certificate does not resume the session of one with a certificate. */
START_TEST(client_identity)
{
	int v13 = _i;
	const char *const args[] = { "-cert", PKI("localhost.crt"), "-key", PKI("localhost.key"),
		"-cert_chain", PKI("intermediate-ca.crt"), "-verify", "2", "-CAfile", PKI("root-ca.crt"),
		ver_flag(v13), NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port;

	NEED_VERSION(v13);
	port = hard_start_s_server(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	o.certificate_file = PKI("client-chain.pem");
	o.key_file = PKI("client.key");
	s = talk(port, &o);
	HARD_PEER_ASSERT(&p, s != NULL, "with a certificate: %s", dlssl_error());
	dlssl_stream_free(s);
	HARD_PEER_ASSERT(&p, hard_wait_log(&p, "dlssl test client", 5, NULL, 0),
	    "s_server did not see the client certificate");

	o.certificate_file = o.key_file = NULL;
	s = talk(port, &o);
	HARD_PEER_ASSERT(&p, s != NULL, "without a certificate: %s", dlssl_error());
	HARD_PEER_ASSERT(&p, dlssl_stream_session_reused(s) == 0,
	    "a stream without a certificate resumed the session of one with a certificate");
	dlssl_stream_free(s);
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

/* The same configuration resumes, verified. */
START_TEST(client_same_config_resumes)
{
	int v13 = _i;
	const char *const args[] = { "-cert", PKI("localhost.crt"), "-key", PKI("localhost.key"),
		"-cert_chain", PKI("intermediate-ca.crt"), ver_flag(v13), NULL };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct hard_proc p;
	int port;

	NEED_VERSION(v13);
	port = hard_start_s_server(&p, args);
	o.context = hard_client_ctx(NULL, 0);
	o.hostname = "localhost";
	s = talk(port, &o);
	HARD_PEER_ASSERT(&p, s != NULL, "%s", dlssl_error());
	dlssl_stream_free(s);
	s = talk(port, &o);
	HARD_PEER_ASSERT(&p, s != NULL, "%s", dlssl_error());
	/* A library without DLSSL_CAP_TLS13_RESUME (LibreSSL) does not resume TLS 1.3. */
	if (!v13 || (tt_caps() & DLSSL_CAP_TLS13_RESUME))
		HARD_PEER_ASSERT(&p, dlssl_stream_session_reused(s) == 1, "not resumed");
	ck_assert_int_eq(dlssl_stream_verify_result(s), 0);
	ck_assert(hard_peer_is(s, PKI("localhost.crt")));
	dlssl_stream_free(s);
	dlssl_ctx_free(o.context);
	hard_proc_free(&p);
}
END_TEST

/* ---- the library as a server to s_client ---- */

struct one_srv {
	int lfd, port;
	struct dlssl_stream_opts o;
	pthread_t thread;
	/* results */
	int ok, err_code, reused;
	char err[512], peer[256];
};

/* Accept one connection; answer "pong:LINE". */
static void *
one_srv_main(void *arg)
{
	struct one_srv *sv = arg;
	struct dlssl_stream_opts o = sv->o;
	struct dlssl_stream *s;
	char line[256];
	size_t n = 0;
	int fd = hard_accept(sv->lfd, 30 * hard_slowdown());

	if (fd < 0) {
		snprintf(sv->err, sizeof(sv->err), "no connection");
		return NULL;
	}
	o.close_fd = 1;
	o.deadline = hard_deadline(HARD_IO_SECONDS);
	if ((s = dlssl_make_server_stream(dlssl_transport_fd(fd), &o)) == NULL) {
		sv->err_code = dlssl_error_code();
		snprintf(sv->err, sizeof(sv->err), "%s", dlssl_error());
		close(fd);
		return NULL;
	}
	while (n + 1 < sizeof(line) && dlssl_read(s, line + n, 1) == 1 && line[n] != '\n')
		n++;
	line[n] = '\0';
	if (n == 0 || dlssl_write(s, "pong:", 5) != 5 || dlssl_write(s, line, n) != (long)n ||
	    dlssl_write(s, "\n", 1) != 1 || dlssl_flush(s) != 0) {
		sv->err_code = dlssl_stream_error_code(s);
		snprintf(sv->err, sizeof(sv->err), "%s", dlssl_stream_error(s) ? dlssl_stream_error(s) :
		    "no request");
	} else {
		sv->ok = 1;
		sv->reused = dlssl_stream_session_reused(s);
		hard_peer_subject(s, sv->peer, sizeof(sv->peer));
	}
	(void)dlssl_close(s);
	dlssl_stream_free(s);
	return NULL;
}

static void
serve_once(struct one_srv *sv, const char *const *extra)
{
	struct hard_proc p;
	const char *argv[64];
	char conn[64];
	int n = 0, i;

	sv->ok = sv->reused = 0;
	sv->err_code = 0;
	sv->err[0] = sv->peer[0] = '\0';
	sv->lfd = hard_listen(&sv->port, 4);
	ck_assert_int_ge(sv->lfd, 0);
	ck_assert_int_eq(pthread_create(&sv->thread, NULL, one_srv_main, sv), 0);
	snprintf(conn, sizeof(conn), "127.0.0.1:%d", sv->port);
	argv[n++] = "openssl";
	argv[n++] = "s_client";
	argv[n++] = "-connect";
	argv[n++] = conn;
	argv[n++] = "-CAfile";
	argv[n++] = PKI("root-ca.crt");
	argv[n++] = "-servername";
	argv[n++] = "localhost";
	argv[n++] = "-brief";
	for (i = 0; extra[i] != NULL && n < 62; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	ck_assert_int_eq(hard_spawn(&p, argv, 1, HARD_PEER_SECONDS), 0);
	(void)!write(p.in_fd, "hello\n", 6);
	(void)hard_proc_wait(&p, HARD_IO_SECONDS * hard_slowdown());
	hard_close_stdin(&p);
	pthread_join(sv->thread, NULL);
	close(sv->lfd);
	hard_proc_kill(&p);
	if (!sv->ok)
		hard_proc_dump(&p);
	hard_proc_free(&p);
}

/* Did s_client save a session?  (LibreSSL's TLS 1.3 server issues no tickets.) */
static int
saved(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size > 0;
}

static char *
sess_file(char *buf, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(buf, n, "%s/dlssl-resume-XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	ck_assert_int_ge(fd = mkstemp(buf), 0);
	close(fd);
	return buf;
}

/*
 * Item 2: s_client saves the session a lax stream (bit 1: OPTIONAL, else
 * NONE) made, and offers it to a stream of the same context that requires
 * a client certificate: refused.
 */
START_TEST(server_required_after_lax)
{
	int v13 = _i & 1;
	char sess[256];
	struct dlssl_context_opts co = { 0 };
	struct one_srv sv;

	NEED_VERSION(v13);
	sess_file(sess, sizeof(sess));
	{
		const char *const first[] = { ver_flag(v13), "-sess_out", sess, NULL };
		const char *const second[] = { ver_flag(v13), "-sess_in", sess, NULL };
		const char *const fresh[] = { ver_flag(v13), NULL };

		memset(&sv, 0, sizeof(sv));
		co.ca_file = PKI("root-ca.crt");
		sv.o.context = hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), &co);
		sv.o.verify = (_i & 2) ? DLSSL_VERIFY_OPTIONAL : DLSSL_VERIFY_NONE;
		serve_once(&sv, first);
		ck_assert_msg(sv.ok, "lax stream: %s", sv.err);
		sv.o.verify = DLSSL_VERIFY_REQUIRED;
		serve_once(&sv, saved(sess) ? second : fresh);
		ck_assert_msg(!sv.ok, "a server that requires a client certificate served s_client "
		    "without one (resumed: %d)", sv.reused);
		ck_assert_msg(sv.err_code == DLSSL_ERR_VERIFY, "%s", sv.err);
		dlssl_ctx_free(sv.o.context);
	}
	unlink(sess);
}
END_TEST

/* A REQUIRED server resumes s_client's verified session, and the peer certificate comes with it. */
START_TEST(server_same_config_resumes)
{
	int v13 = _i;
	char sess[256];
	struct dlssl_context_opts co = { 0 };
	struct one_srv sv;

	NEED_VERSION(v13);
	sess_file(sess, sizeof(sess));
	{
		const char *const first[] = { ver_flag(v13), "-cert", PKI("client.crt"), "-key",
			PKI("client.key"), "-cert_chain", PKI("intermediate-ca.crt"), "-sess_out", sess, NULL };
		const char *const second[] = { ver_flag(v13), "-cert", PKI("client.crt"), "-key",
			PKI("client.key"), "-cert_chain", PKI("intermediate-ca.crt"), "-sess_in", sess, NULL };

		memset(&sv, 0, sizeof(sv));
		co.ca_file = PKI("root-ca.crt");
		co.verify_mode = DLSSL_VERIFY_REQUIRED;
		sv.o.context = hard_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"), &co);
		serve_once(&sv, first);
		ck_assert_msg(sv.ok, "first: %s", sv.err);
		if (!saved(sess)) {
			/* The library's server issued no ticket to resume (TLS 1.3, no DLSSL_CAP_TLS13_RESUME). */
			ck_assert_msg(v13 && !(tt_caps() & DLSSL_CAP_TLS13_RESUME), "s_client saved no session");
			dlssl_ctx_free(sv.o.context);
			unlink(sess);
			return;
		}
		serve_once(&sv, second);
		ck_assert_msg(sv.ok, "second: %s", sv.err);
		/* A library without DLSSL_CAP_TLS13_RESUME (LibreSSL) does not resume TLS 1.3. */
		if (!v13 || (tt_caps() & DLSSL_CAP_TLS13_RESUME))
			ck_assert_int_eq(sv.reused, 1);
		ck_assert_msg(strstr(sv.peer, "dlssl test client") != NULL, "peer '%s'", sv.peer);
		dlssl_ctx_free(sv.o.context);
	}
	unlink(sess);
}
END_TEST

static Suite *
resume_openssl_suite(void)
{
	Suite *s = suite_create("resume_openssl");
	TCase *tc = tcase_create("resume_openssl");

	tcase_add_checked_fixture(tc, hard_interop_setup, hard_interop_teardown);
	tcase_set_timeout(tc, 90);
	tcase_add_loop_test(tc, client_none_then_required, 0, 2);
	tcase_add_loop_test(tc, client_identity, 0, 2);
	tcase_add_loop_test(tc, client_same_config_resumes, 0, 2);
	tcase_add_loop_test(tc, server_required_after_lax, 0, 4);
	tcase_add_loop_test(tc, server_same_config_resumes, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	static const char *const tools[] = { "openssl", NULL };

	hard_require_tools(tools);
	return tt_main(resume_openssl_suite);
}
