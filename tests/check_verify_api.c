/*
 * The API side of issue 12: a verifying client needs a name to check
 * (item 5), dlssl keeps out of ex_data index 0 (item 7), a certificate
 * without its key is reported when the context or stream is made
 * (item 12), getters keep the thread's error (item 13), check_host never
 * reads as true on error (item 11), and contexts that outlive
 * dlssl_reload() stay valid objects that fail cleanly (item 4; run it
 * under AddressSanitizer or valgrind to see a use after free for sure).
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls_test.h"

/* ---- item 5: a client that verifies needs a name ---- */

struct pair {
	struct tt_server sv;
	int fds[2];
};

/* A server for chain/key over a socketpair (tcp: loopback TCP) in a thread. */
static void
start_server(struct pair *p, const char *chain, const char *key, int tcp)
{
	memset(p, 0, sizeof(*p));
	if (tcp)
		tt_tcppair(p->fds);
	else
		tt_socketpair(p->fds);
	p->sv.fd = p->fds[1];
	p->sv.kind = TT_FD;
	p->sv.ctx = tt_server_ctx(chain, key);
	p->sv.echo = 0;
	tt_server_start(&p->sv);
}

static struct dlssl_stream *
client(struct pair *p, struct dlssl_stream_opts *o)
{
	struct dlssl_stream *s;

	o->close_fd = 1;
	o->deadline = dlssl_monotonic() + 20;
	s = dlssl_make_client_stream(dlssl_transport_fd(p->fds[0]), o);
	if (s == NULL)
		close(p->fds[0]);
	return s;
}

static void
finish(struct pair *p, struct dlssl_stream *s)
{
	dlssl_stream_free(s);
	tt_server_join(&p->sv);
	dlssl_ctx_free(p->sv.ctx);
}

START_TEST(required_needs_hostname)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct pair p;

	/* A socketpair has no address to check: refused before any byte is sent. */
	start_server(&p, PKI("localhost-chain.pem"), PKI("localhost.key"), 0);
	o.context = tt_client_ctx();
	s = client(&p, &o);
	ck_assert_msg(s == NULL, "a verifying client without a host name was made");
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_msg(strstr(dlssl_error(), "host name") && strstr(dlssl_error(), "skip_hostname_check"),
	    "%s", dlssl_error());
	finish(&p, NULL);

	/* Explicitly opted out: any name of a trusted certificate. */
	start_server(&p, PKI("wronghost-chain.pem"), PKI("wronghost.key"), 0);
	o.skip_hostname_check = 1;
	s = client(&p, &o);
	ck_assert_msg(s != NULL, "skip_hostname_check: %s", dlssl_error());
	finish(&p, s);

	/* Both at once contradict each other. */
	start_server(&p, PKI("localhost-chain.pem"), PKI("localhost.key"), 0);
	o.hostname = "localhost";
	s = client(&p, &o);
	ck_assert_msg(s == NULL && dlssl_error_code() == DLSSL_ERR_USAGE, "hostname + skip accepted");
	finish(&p, NULL);

	/* Not verifying at all needs no name. */
	start_server(&p, PKI("localhost-chain.pem"), PKI("localhost.key"), 0);
	o.hostname = NULL;
	o.skip_hostname_check = 0;
	o.verify = DLSSL_VERIFY_NONE;
	s = client(&p, &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	finish(&p, s);
	dlssl_ctx_free(o.context);
}
END_TEST

/* A connected TCP socket: the peer's address is the reference (an iPAddress SAN). */
START_TEST(required_checks_peer_address)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct pair p;

	start_server(&p, PKI("localhost-chain.pem"), PKI("localhost.key"), 1);
	o.context = tt_client_ctx();
	s = client(&p, &o);
	ck_assert_msg(s != NULL, "IP:127.0.0.1 in the certificate: %s", dlssl_error());
	ck_assert_str_eq(dlssl_stream_servername(s), "127.0.0.1");
	finish(&p, s);

	start_server(&p, PKI("wronghost-chain.pem"), PKI("wronghost.key"), 1);
	s = client(&p, &o);
	ck_assert_msg(s == NULL, "a certificate without the peer's address was accepted");
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_VERIFY);
	ck_assert_msg(strstr(dlssl_error(), "127.0.0.1") != NULL, "%s", dlssl_error());
	finish(&p, NULL);
	dlssl_ctx_free(o.context);
}
END_TEST

/* ---- item 7: ex_data index 0 belongs to others ---- */

typedef void *(*get_ex_fn)(const void *, int);
typedef int (*set_ex_fn)(void *, int, void *);
typedef void *(*get_ctx_fn)(const void *);

START_TEST(ex_data_index_zero_untouched)
{
	const struct dlssl_library_info *li = dlssl_library_info();
	void *h = dlopen(li->libssl_path, RTLD_NOW | RTLD_NOLOAD);
	get_ex_fn get_ex, get_ctx_ex;
	set_ex_fn set_ex;
	get_ctx_fn get_ctx;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	static int foreign = 42;
	struct pair p;
	void *ssl;

	if (h == NULL) /* another link-map namespace (private mode): not reachable from here */
		return;
	*(void **)&get_ex = dlsym(h, "SSL_get_ex_data");
	*(void **)&set_ex = dlsym(h, "SSL_set_ex_data");
	*(void **)&get_ctx_ex = dlsym(h, "SSL_CTX_get_ex_data");
	*(void **)&get_ctx = dlsym(h, "SSL_get_SSL_CTX");
	ck_assert(get_ex && set_ex && get_ctx_ex && get_ctx);

	start_server(&p, PKI("localhost-chain.pem"), PKI("localhost.key"), 0);
	o.context = tt_client_ctx();
	o.hostname = "localhost";
	o.defer_handshake = 1;
	s = client(&p, &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	ssl = dlssl_stream_ssl(s);
	ck_assert_ptr_null(get_ex(ssl, 0));
	ck_assert_ptr_null(get_ctx_ex(get_ctx(ssl), 0));
	/* Another user of index 0 does not disturb dlssl. */
	ck_assert_int_eq(set_ex(ssl, 0, &foreign), 1);
	ck_assert_msg(dlssl_handshake(s) == 0, "%s", dlssl_error());
	ck_assert_int_eq(dlssl_stream_verify_result(s), 0);
	ck_assert_ptr_eq(get_ex(ssl, 0), &foreign);
	finish(&p, s);
	dlssl_ctx_free(o.context);
	dlclose(h);
}
END_TEST

/* ---- item 12: a certificate goes with its key ---- */

START_TEST(context_cert_without_key)
{
	struct dlssl_context_opts o = { 0 };

	o.certificate_chain_file = PKI("localhost-chain.pem");
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_msg(strstr(dlssl_error(), "private key") != NULL, "%s", dlssl_error());

	memset(&o, 0, sizeof(o));
	o.private_key_file = PKI("localhost.key");
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);

	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("wronghost.key");
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_msg(strstr(dlssl_error(), "does not match") != NULL, "%s", dlssl_error());
}
END_TEST

START_TEST(stream_cert_without_key)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int fds[2];

	/* CL+SSL's use-certificate-chain-file: a chain in the global context, no key. */
	ck_assert_int_eq(dlssl_use_certificate_chain_file(PKI("localhost-chain.pem")), 0);
	tt_socketpair(fds);
	o.defer_handshake = 1;
	s = dlssl_make_server_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s == NULL, "a server stream with a certificate and no key was made");
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_msg(strstr(dlssl_error(), "private key") != NULL, "%s", dlssl_error());

	/* The stream's own key completes it. */
	o.certificate_file = PKI("localhost-chain.pem");
	o.key_file = PKI("localhost.key");
	s = dlssl_make_server_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());
	dlssl_stream_free(s);

	o.key_file = PKI("wronghost.key");
	s = dlssl_make_server_stream(dlssl_transport_fd(fds[0]), &o);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* ---- item 13: getters keep the thread's error ---- */

START_TEST(getters_keep_error)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct dlssl_x509 *x;
	char msg[512];
	struct pair p;

	start_server(&p, PKI("localhost-chain.pem"), PKI("localhost.key"), 0);
	o.context = tt_client_ctx();
	o.hostname = "localhost";
	o.defer_handshake = 1;
	s = client(&p, &o);
	ck_assert_msg(s != NULL, "%s", dlssl_error());

	ck_assert_int_eq(dlssl_hostname_matches("x", "bad name"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	snprintf(msg, sizeof(msg), "%s", dlssl_error());
	x = dlssl_stream_peer_certificate(s); /* none before the handshake */
	ck_assert_ptr_null(x);
	(void)dlssl_stream_version(s);
	(void)dlssl_stream_cipher(s);
	(void)dlssl_stream_alpn(s);
	(void)dlssl_stream_servername(s);
	(void)dlssl_stream_verify_result(s);
	(void)dlssl_stream_session_reused(s);
	(void)dlssl_stream_is_open(s);
	(void)dlssl_stream_fd(s);
	(void)dlssl_stream_ssl(s);
	(void)dlssl_stream_error(s);
	(void)dlssl_stream_error_code(s);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_str_eq(dlssl_error(), msg);

	/* After the handshake too, with a certificate to return. */
	ck_assert_int_eq(dlssl_handshake(s), 0);
	ck_assert_int_eq(dlssl_hostname_matches(NULL, "x"), 0);
	snprintf(msg, sizeof(msg), "%s", dlssl_error());
	x = dlssl_stream_peer_certificate(s);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_str_eq(dlssl_error(), msg);
	dlssl_x509_free(x);
	finish(&p, s);
	dlssl_ctx_free(o.context);
}
END_TEST

/* ---- item 11: never true on error ---- */

START_TEST(check_host_false_on_error)
{
	struct dlssl_x509 *x = dlssl_x509_load_file(PKI("localhost.crt"));

	ck_assert_ptr_nonnull(x);
	/* The classic `if (dlssl_check_host(...))` must not pass on an error. */
	ck_assert_int_eq(dlssl_check_host(x, "bad..name"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_check_host(NULL, "localhost"), 0);
	ck_assert_int_eq(dlssl_check_host(x, "other.example"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_NONE);
	ck_assert_int_eq(dlssl_hostname_matches("*.example.com", "a..example.com"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	dlssl_x509_free(x);
}
END_TEST

/* ---- item 4: contexts outliving a reload ---- */

START_TEST(global_context_survives_reload)
{
	struct dlssl_context *g = dlssl_global_context(), *fresh[8];
	struct dlssl_stream_opts o = { 0 };
	int fds[2], i;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(dlssl_reload(), 0);
	/* Its memory is still ours: no new object may take its place. */
	for (i = 0; i < 8; i++) {
		fresh[i] = dlssl_make_context(NULL);
		ck_assert_ptr_nonnull(fresh[i]);
		ck_assert_msg(fresh[i] != g, "a new context was made in the old global context's memory");
	}
	ck_assert_ptr_ne(dlssl_global_context(), g);
	/* The old one fails cleanly. */
	ck_assert_int_eq(dlssl_ctx_add_verify_location(g, PKI("root-ca.crt")), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	tt_socketpair(fds);
	o.context = g;
	o.hostname = "localhost";
	o.defer_handshake = 1;
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	dlssl_ctx_free(dlssl_ctx_ref(g));
	for (i = 0; i < 8; i++)
		dlssl_ctx_free(fresh[i]);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

/* A context the caller holds across a reload: valid, refused, freed by its owner. */
START_TEST(own_context_survives_reload)
{
	struct dlssl_context *c = tt_client_ctx();
	struct dlssl_stream_opts o = { 0 };
	int fds[2];

	ck_assert_int_eq(dlssl_reload(), 0);
	tt_socketpair(fds);
	o.context = c;
	o.hostname = "localhost";
	o.defer_handshake = 1;
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_ctx_set_default_verify_paths(c), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	dlssl_ctx_free(c);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static Suite *
verify_api_suite(void)
{
	Suite *s = suite_create("verify_api");
	TCase *tc = tcase_create("verify_api");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, required_needs_hostname);
	tcase_add_test(tc, required_checks_peer_address);
	tcase_add_test(tc, ex_data_index_zero_untouched);
	tcase_add_test(tc, context_cert_without_key);
	tcase_add_test(tc, stream_cert_without_key);
	tcase_add_test(tc, getters_keep_error);
	tcase_add_test(tc, check_host_false_on_error);
	tcase_add_test(tc, global_context_survives_reload);
	tcase_add_test(tc, own_context_survives_reload);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(verify_api_suite);
}
