/*
 * Context options that change what a handshake does, the FILE transport,
 * and what a reload does to contexts and streams.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tls_test.h"

/* One connection with the given client options; returns the client or NULL. */
struct conn {
	struct tt_server sv;
	struct dlssl_stream *c;
	int fd;
};

static struct dlssl_stream *
open_conn(struct conn *k, struct dlssl_context *server, struct dlssl_stream_opts *co)
{
	int fds[2];

	memset(&k->sv, 0, sizeof(k->sv));
	tt_socketpair(fds);
	k->sv.fd = fds[1];
	k->sv.ctx = server;
	k->sv.echo = 1;
	tt_server_start(&k->sv);
	k->fd = fds[0];
	co->close_fd = 1;
	if (co->hostname == NULL)
		co->hostname = "localhost";
	k->c = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), co);
	if (k->c == NULL)
		close(fds[0]);
	return k->c;
}

static void
close_conn(struct conn *k)
{
	dlssl_stream_free(k->c);
	k->c = NULL;
	tt_server_join(&k->sv);
}

static int accepted_depths;

static int
accept_all(const struct dlssl_verify_info *info, void *arg)
{
	(void)arg;
	if (!info->preverify_ok)
		accepted_depths++;
	return 1;
}

START_TEST(verify_callback_can_accept)
{
	struct conn k;
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc = tt_server_ctx(PKI("selfsigned.crt"), PKI("selfsigned.key"));

	o.ca_file = PKI("root-ca.crt");
	o.verify_callback = accept_all;
	co.context = dlssl_make_context(&o);
	accepted_depths = 0;
	ck_assert_msg(open_conn(&k, sc, &co) != NULL, "%s", dlssl_error());
	ck_assert_int_ge(accepted_depths, 1);
	close_conn(&k);
	dlssl_ctx_free(co.context);
	dlssl_ctx_free(sc);
}
END_TEST

START_TEST(verify_depth_counts_intermediates)
{
	struct conn k;
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));

	o.ca_file = PKI("root-ca.crt");
	/* OpenSSL's depth counts intermediates: the chain has one. */
	o.verify_depth = 1;
	co.context = dlssl_make_context(&o);
	ck_assert_msg(open_conn(&k, sc, &co) != NULL, "%s", dlssl_error());
	close_conn(&k);
	o.verify_depth = -1;
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	dlssl_ctx_free(co.context);
	dlssl_ctx_free(sc);
}
END_TEST

static int
give_password(char *buf, size_t size, int rwflag, void *arg)
{
	const char *pw = arg;
	size_t n = strlen(pw);

	(void)rwflag;
	if (n > size)
		return -1;
	memcpy(buf, pw, n);
	return (int)n;
}

START_TEST(password_callback)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("localhost-key-enc.pem");
	o.password_callback = give_password;
	o.password_callback_arg = (void *)"dlssl-test";
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "%s", dlssl_error());
	dlssl_ctx_free(c);
	o.password_callback_arg = (void *)"not-it";
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
}
END_TEST

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(65536);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, 65536, f);
	fclose(f);
	return buf;
}

START_TEST(identity_from_memory)
{
	struct conn k;
	struct dlssl_context_opts so = { 0 };
	struct dlssl_stream_opts co = { 0 };
	size_t clen, klen;
	char *chain = slurp(_i ? PKI("localhost.der") : PKI("localhost-chain.pem"), &clen);
	char *key = slurp(_i ? PKI("localhost-key.der") : PKI("localhost.key"), &klen);
	struct dlssl_context *sc;

	so.certificate_chain_data = chain;
	so.certificate_chain_len = clen;
	so.private_key_data = key;
	so.private_key_len = klen;
	sc = dlssl_make_context(&so);
	ck_assert_msg(sc != NULL, "%s", dlssl_error());
	free(chain);
	free(key);
	co.context = tt_client_ctx();
	/* A DER leaf comes without its intermediate: the client must refuse it. */
	if (_i) {
		ck_assert_ptr_null(open_conn(&k, sc, &co));
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_VERIFY);
	} else {
		ck_assert_msg(open_conn(&k, sc, &co) != NULL, "%s", dlssl_error());
	}
	close_conn(&k);
	dlssl_ctx_free(co.context);
	dlssl_ctx_free(sc);
}
END_TEST

START_TEST(ciphers_and_suites)
{
	struct conn k;
	struct dlssl_context_opts so = { 0 }, o = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc;
	int tls13 = (tt_caps() & DLSSL_CAP_CIPHERSUITES) != 0;
	const char *want;

	if (_i == 0 && !tls13) {
		/* No TLS 1.3 suites to choose before 1.1.1: asking is an error. */
		so.ciphersuites = "TLS_AES_128_GCM_SHA256";
		ck_assert_ptr_null(dlssl_make_context(&so));
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
		return;
	}
	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost.key");
	if (tls13)
		so.ciphersuites = "TLS_AES_128_GCM_SHA256";
	so.cipher_list = "ECDHE-RSA-AES128-GCM-SHA256";
	sc = dlssl_make_context(&so);
	ck_assert_msg(sc != NULL, "%s", dlssl_error());
	o.ca_file = PKI("root-ca.crt");
	o.max_version = _i ? DLSSL_TLS1_2 : 0;
	co.context = dlssl_make_context(&o);
	ck_assert_msg(open_conn(&k, sc, &co) != NULL, "%s", dlssl_error());
	/* IANA names on every library (LibreSSL's own is AEAD-AES128-GCM-SHA256). */
	want = _i ? "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" : "TLS_AES_128_GCM_SHA256";
	ck_assert_str_eq(dlssl_stream_cipher(k.c), want);
	ck_assert_str_eq(dlssl_stream_version(k.c), _i ? "TLSv1.2" : "TLSv1.3");
	close_conn(&k);
	dlssl_ctx_free(co.context);
	dlssl_ctx_free(sc);
}
END_TEST

START_TEST(session_cache_off)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	struct conn k;
	char b;
	int round;

	o.ca_file = PKI("root-ca.crt");
	o.session_cache = DLSSL_SESSION_CACHE_OFF;
	co.context = dlssl_make_context(&o);
	for (round = 0; round < 2; round++) {
		co.hostname = NULL;
		ck_assert_ptr_nonnull(open_conn(&k, sc, &co));
		ck_assert_int_eq(dlssl_write(k.c, "x", 1), 1);
		ck_assert_int_eq(dlssl_read_fully(k.c, &b, 1), 1);
		ck_assert_int_eq(dlssl_stream_session_reused(k.c), 0);
		close_conn(&k);
	}
	dlssl_ctx_free(co.context);
	dlssl_ctx_free(sc);
}
END_TEST

/*
 * A hashed CA directory in dir holding the test root (its subject hash from
 * openssl(1)); path gets the link's name.  -1 when openssl(1) is missing.
 */
static int
make_hashed_dir(char *dir, char *path, size_t pathlen)
{
	char cmd[512], hash[64];
	FILE *p;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "openssl x509 -hash -noout -in %s 2>/dev/null", PKI("root-ca.crt"));
	if ((p = popen(cmd, "r")) == NULL || fgets(hash, sizeof(hash), p) == NULL) {
		if (p != NULL)
			pclose(p);
		rmdir(dir);
		return -1;
	}
	pclose(p);
	hash[strcspn(hash, "\n")] = '\0';
	snprintf(path, pathlen, "%s/%s.0", dir, hash);
	ck_assert_int_eq(symlink(PKI("root-ca.crt"), path), 0);
	return 0;
}

START_TEST(hashed_directory)
{
	char dir[] = "/tmp/dlssl-hashed-XXXXXX", path[600];
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	struct conn k;

	if (make_hashed_dir(dir, path, sizeof(path)) < 0) {
		dlssl_ctx_free(sc);
		fprintf(stderr, "hashed_directory: openssl(1) not available, not tested\n");
		return; /* the rest of the suite still runs; CI installs openssl */
	}
	o.ca_path = dir;
	co.context = dlssl_make_context(&o);
	ck_assert_msg(co.context != NULL, "%s", dlssl_error());
	ck_assert_msg(open_conn(&k, sc, &co) != NULL, "%s", dlssl_error());
	close_conn(&k);
	dlssl_ctx_free(co.context);
	unlink(path);
	rmdir(dir);
	dlssl_ctx_free(sc);
}
END_TEST

/*
 * The default trust store is SSL_CERT_FILE and SSL_CERT_DIR when they are
 * set, on every library: 0 the directory alone, 1 the file alone, 2 neither
 * holds the test root (refused).
 */
START_TEST(default_store_from_environment)
{
	char dir[] = "/tmp/dlssl-envdir-XXXXXX", path[600];
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	struct dlssl_stream *c;
	struct conn k;

	if (make_hashed_dir(dir, path, sizeof(path)) < 0) {
		dlssl_ctx_free(sc);
		fprintf(stderr, "default_store_from_environment: openssl(1) not available, not tested\n");
		return;
	}
	setenv("SSL_CERT_FILE", _i == 1 ? PKI("root-ca.crt") : "/nonexistent/ca.pem", 1);
	setenv("SSL_CERT_DIR", _i == 0 ? dir : "/nonexistent", 1);
	co.context = dlssl_make_context(&o);
	ck_assert_msg(co.context != NULL, "%s", dlssl_error());
	c = open_conn(&k, sc, &co);
	if (_i < 2)
		ck_assert_msg(c != NULL, "case %d: %s", _i, dlssl_error());
	else
		ck_assert_msg(c == NULL && dlssl_error_code() == DLSSL_ERR_VERIFY,
		    "case 2: the test root was trusted without SSL_CERT_FILE or SSL_CERT_DIR: %s",
		    dlssl_error());
	close_conn(&k);
	unsetenv("SSL_CERT_FILE");
	unsetenv("SSL_CERT_DIR");
	dlssl_ctx_free(co.context);
	unlink(path);
	rmdir(dir);
	dlssl_ctx_free(sc);
}
END_TEST

START_TEST(file_transport)
{
	struct tt_server sv;
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_stream *c;
	int fds[2];
	FILE *f;
	char buf[8];

	memset(&sv, 0, sizeof(sv));
	tt_socketpair(fds);
	sv.fd = fds[1];
	sv.ctx = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	sv.echo = 1;
	tt_server_start(&sv);
	f = fdopen(fds[0], "r+");
	ck_assert_ptr_nonnull(f);
	co.context = tt_client_ctx();
	co.hostname = "localhost";
	co.no_unwrap = _i; /* 0: through its fd; 1: through stdio */
	c = dlssl_make_client_stream(dlssl_transport_file(f), &co);
	ck_assert_msg(c != NULL, "%s", dlssl_error());
	ck_assert_int_eq(dlssl_stream_fd(c), _i ? -1 : fds[0]);
	ck_assert_int_eq(dlssl_write(c, "abc", 3), 3);
	ck_assert_int_eq(dlssl_read_fully(c, buf, 3), 3);
	ck_assert(memcmp(buf, "abc", 3) == 0);
	ck_assert_int_eq(dlssl_close(c), 0); /* closes the FILE */
	dlssl_stream_free(c);
	tt_server_join(&sv);
	dlssl_ctx_free(co.context);
	dlssl_ctx_free(sv.ctx);
}
END_TEST

START_TEST(certificate_chain_file_on_global_context)
{
	struct dlssl_context *prev = dlssl_set_global_context(NULL);

	ck_assert_int_eq(dlssl_use_certificate_chain_file(PKI("localhost-chain.pem")), 0);
	ck_assert_int_eq(dlssl_use_certificate_chain_file("/nonexistent.pem"), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_IO);
	ck_assert_int_eq(dlssl_use_certificate_chain_file(NULL), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	dlssl_set_global_context(prev);
}
END_TEST

START_TEST(reload_makes_old_objects_stale)
{
	struct conn k;
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	struct dlssl_context *cc = tt_client_ctx(), *g1, *g2;
	unsigned long gen = dlssl_generation();
	char b;

	g1 = dlssl_global_context();
	co.context = cc;
	ck_assert_ptr_nonnull(open_conn(&k, sc, &co));
	ck_assert_int_eq(dlssl_reload(), 0);
	ck_assert_int_eq(dlssl_generation(), gen + 1);
	/* The stream and the contexts belong to the old generation. */
	ck_assert_int_eq(dlssl_write(k.c, "x", 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_read(k.c, &b, 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_stream_error_code(k.c), DLSSL_ERR_STALE);
	co.hostname = NULL;
	{
		int fds[2];

		tt_socketpair(fds);
		ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &co));
		ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
		close(fds[0]);
		close(fds[1]);
	}
	/* The global context was cleared: a new one comes from the new generation. */
	g2 = dlssl_global_context();
	ck_assert_ptr_nonnull(g2);
	(void)g1; /* freed by the reload; only its replacement may be used */
	dlssl_close_abort(k.c); /* freeing old objects still works */
	close_conn(&k);
	dlssl_ctx_free(cc);
	dlssl_ctx_free(sc);
}
END_TEST

START_TEST(add_verify_location_later)
{
	struct conn k;
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_context *sc = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));

	o.no_default_verify_paths = 1; /* trusts nothing yet */
	co.context = dlssl_make_context(&o);
	ck_assert_ptr_null(open_conn(&k, sc, &co));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_VERIFY);
	close_conn(&k);
	ck_assert_int_eq(dlssl_ctx_add_verify_location(co.context, "/nonexistent/ca"), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_IO);
	ck_assert_int_eq(dlssl_ctx_add_verify_location(co.context, PKI("root-ca.crt")), 0);
	ck_assert_int_eq(dlssl_ctx_set_default_verify_paths(co.context), 0);
	co.hostname = NULL;
	ck_assert_msg(open_conn(&k, sc, &co) != NULL, "%s", dlssl_error());
	ck_assert_int_eq(dlssl_stream_is_open(k.c), 1);
	ck_assert_ptr_nonnull(dlssl_stream_ssl(k.c));
	dlssl_close(k.c);
	ck_assert_int_eq(dlssl_stream_is_open(k.c), 0);
	ck_assert_ptr_null(dlssl_stream_ssl(k.c));
	close_conn(&k);
	ck_assert_int_eq(dlssl_ctx_add_verify_location(NULL, "x"), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	dlssl_ctx_free(co.context);
	dlssl_ctx_free(sc);
}
END_TEST

START_TEST(rand_seed_option)
{
	struct dlssl_init_opts o = { 0 };
	unsigned char seed[32] = { 1, 2, 3 }, a[16], b[16];

	o.rand_seed = seed;
	o.rand_seed_len = sizeof(seed);
	ck_assert_int_eq(dlssl_ensure_initialized(&o), 0);
	ck_assert_int_eq(dlssl_random_bytes(a, sizeof(a)), 0);
	ck_assert_int_eq(dlssl_random_bytes(b, sizeof(b)), 0);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	o.rand_seed = NULL;
	ck_assert_int_eq(dlssl_ensure_initialized(&o), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
}
END_TEST

static Suite *
context_suite(void)
{
	Suite *s = suite_create("context");
	TCase *tc = tcase_create("options");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, verify_callback_can_accept);
	tcase_add_test(tc, verify_depth_counts_intermediates);
	tcase_add_test(tc, password_callback);
	tcase_add_loop_test(tc, identity_from_memory, 0, 2);
	tcase_add_loop_test(tc, ciphers_and_suites, 0, 2);
	tcase_add_test(tc, session_cache_off);
	tcase_add_test(tc, hashed_directory);
	tcase_add_loop_test(tc, default_store_from_environment, 0, 3);
	tcase_add_loop_test(tc, file_transport, 0, 2);
	tcase_add_test(tc, certificate_chain_file_on_global_context);
	tcase_add_test(tc, add_verify_location_later);
	tcase_add_test(tc, rand_seed_option);
	suite_add_tcase(s, tc);
	tc = tcase_create("reload");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, reload_makes_old_objects_stale);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(context_suite);
}
