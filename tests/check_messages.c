/*
 * Error messages name what they mention, the same way on every library:
 * protocol versions by name ("TLSv1.2", never "0x0303"), received alerts
 * by dlssl's own name ("handshake_failure (40)"), and no entry of
 * OpenSSL's error queue twice (OpenSSL 3 queues some errors twice).
 */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls_test.h"

/* Every "error:XXXXXXXX:...: " entry of m occurs once. */
static void
assert_no_repeats(const char *m)
{
	const char *p, *q, *end;
	char entry[256];
	size_t n;

	ck_assert_ptr_nonnull(m);
	for (p = strstr(m, "error:"); p != NULL; p = strstr(p + 1, "error:")) {
		end = strstr(p + 6, ": error:");
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n >= sizeof(entry))
			n = sizeof(entry) - 1;
		memcpy(entry, p, n);
		entry[n] = '\0';
		q = strstr(p + n, entry);
		ck_assert_msg(q == NULL, "'%s' repeated in: %s", entry, m);
	}
}

START_TEST(version_range_names_versions)
{
	struct dlssl_context_opts o = { 0 };
	const char *m;

	o.min_version = DLSSL_TLS1_2;
	o.max_version = DLSSL_TLS1_1;
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	m = dlssl_error();
	ck_assert_msg(strstr(m, "TLSv1.2 .. TLSv1.1") != NULL, "%s", m);
	ck_assert_msg(strstr(m, "minimum is above the maximum") != NULL, "%s", m);
	ck_assert_msg(strstr(m, "0x0") == NULL, "%s", m);

	/* The default minimum (TLS 1.2) above an explicit maximum. */
	o.min_version = 0;
	o.max_version = DLSSL_TLS1_0;
	ck_assert_ptr_null(dlssl_make_context(&o));
	m = dlssl_error();
	ck_assert_msg(strstr(m, "TLSv1.2 (the default minimum) .. TLSv1 ") != NULL, "%s", m);

	/* A value that is no version: shown as it was given, with the reason. */
	o.min_version = 12;
	o.max_version = 0;
	ck_assert_ptr_null(dlssl_make_context(&o));
	m = dlssl_error();
	ck_assert_msg(strstr(m, "0x000c .. the highest") != NULL, "%s", m);
	ck_assert_msg(strstr(m, "min_version is not one of DLSSL_TLS1_0 .. DLSSL_TLS1_3") != NULL,
	    "%s", m);
	o.min_version = DLSSL_TLS1_2;
	o.max_version = 0x0305;
	ck_assert_ptr_null(dlssl_make_context(&o));
	m = dlssl_error();
	ck_assert_msg(strstr(m, "TLSv1.2 .. 0x0305 (max_version is not") != NULL, "%s", m);
}
END_TEST

START_TEST(queue_text_once)
{
	struct dlssl_context_opts o = { 0 };

	/* OpenSSL 3.0 queues "bad decrypt" and "pkcs12 cipherfinal error" twice. */
	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("localhost-key-enc.pem");
	o.private_key_password = "not the password";
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	ck_assert_msg(strstr(dlssl_error(), "error:") != NULL, "%s", dlssl_error());
	assert_no_repeats(dlssl_error());

	memset(&o, 0, sizeof(o));
	o.certificate_chain_file = PKI("README");
	o.private_key_file = PKI("localhost.key");
	ck_assert_ptr_null(dlssl_make_context(&o));
	assert_no_repeats(dlssl_error());

	memset(&o, 0, sizeof(o));
	o.cipher_list = "NO-SUCH-CIPHER";
	ck_assert_ptr_null(dlssl_make_context(&o));
	assert_no_repeats(dlssl_error());
}
END_TEST

/* A server thread that records its handshake's error. */
struct peer {
	int fd;
	struct dlssl_context *ctx;
	int code;
	char err[1024];
	pthread_t thread;
};

static void *
peer_main(void *arg)
{
	struct peer *p = arg;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	char b[16];

	o.context = p->ctx;
	s = dlssl_make_server_stream(dlssl_transport_fd(p->fd), &o);
	if (s == NULL) {
		p->code = dlssl_error_code();
		snprintf(p->err, sizeof(p->err), "%s", dlssl_error());
	} else {
		(void)dlssl_read(s, b, sizeof(b));
		dlssl_stream_free(s);
	}
	close(p->fd);
	return NULL;
}

/* Handshake a client of context cc with a server of context sc; the client's error. */
static int
handshake_error(struct dlssl_context *sc, struct dlssl_context *cc, char *msg, size_t size,
    struct peer *p)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int fds[2], code = DLSSL_ERR_NONE;

	tt_socketpair(fds);
	memset(p, 0, sizeof(*p));
	p->fd = fds[1];
	p->ctx = sc;
	ck_assert_int_eq(pthread_create(&p->thread, NULL, peer_main, p), 0);
	o.context = cc;
	o.hostname = "localhost";
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	snprintf(msg, size, "%s", s == NULL ? dlssl_error() : "");
	if (s == NULL)
		code = dlssl_error_code();
	dlssl_stream_free(s);
	close(fds[0]);
	pthread_join(p->thread, NULL);
	return code;
}

static struct dlssl_context *
ctx_of(const char *ca, const char *chain, const char *key, const char *ciphers, int min, int max)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	o.ca_file = ca;
	o.no_default_verify_paths = 1;
	o.certificate_chain_file = chain;
	o.private_key_file = key;
	o.cipher_list = ciphers;
	o.min_version = min;
	o.max_version = max;
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "%s", dlssl_error());
	return c;
}

START_TEST(alert_named_no_shared_cipher)
{
	struct dlssl_context *sc = ctx_of(NULL, PKI("localhost-chain.pem"), PKI("localhost.key"),
	    "ECDHE-RSA-AES128-GCM-SHA256", DLSSL_TLS1_2, DLSSL_TLS1_2);
	struct dlssl_context *cc = ctx_of(PKI("root-ca.crt"), NULL, NULL,
	    "ECDHE-RSA-AES256-GCM-SHA384", DLSSL_TLS1_2, DLSSL_TLS1_2);
	struct peer p;
	char m[1024];

	ck_assert_int_eq(handshake_error(sc, cc, m, sizeof(m), &p), DLSSL_ERR_TLS);
	ck_assert_msg(strstr(m, "the peer sent the alert handshake_failure (40)") != NULL, "%s", m);
	assert_no_repeats(m);
	ck_assert_int_eq(p.code, DLSSL_ERR_TLS);
	assert_no_repeats(p.err);
	dlssl_ctx_free(sc);
	dlssl_ctx_free(cc);
}
END_TEST

START_TEST(alert_named_protocol_version)
{
	struct dlssl_context *sc, *cc;
	struct peer p;
	char m[1024];

	if (!(tt_caps() & DLSSL_CAP_TLS13)) {
		fprintf(stderr, "skipped: the loaded library has no TLS 1.3\n");
		return;
	}
	sc = ctx_of(NULL, PKI("localhost-chain.pem"), PKI("localhost.key"), NULL, DLSSL_TLS1_3, 0);
	cc = ctx_of(PKI("root-ca.crt"), NULL, NULL, NULL, DLSSL_TLS1_2, DLSSL_TLS1_2);
	ck_assert_int_eq(handshake_error(sc, cc, m, sizeof(m), &p), DLSSL_ERR_TLS);
	ck_assert_msg(strstr(m, "the peer sent the alert protocol_version (70)") != NULL, "%s", m);
	assert_no_repeats(m);
	dlssl_ctx_free(sc);
	dlssl_ctx_free(cc);
}
END_TEST

START_TEST(alert_named_unknown_ca)
{
	/* The client does not trust the server's root and says so: unknown_ca. */
	struct dlssl_context *sc = ctx_of(NULL, PKI("localhost-chain.pem"), PKI("localhost.key"),
	    NULL, DLSSL_TLS1_2, DLSSL_TLS1_2);
	struct dlssl_context *cc = ctx_of(PKI("rogue-root-ca.crt"), NULL, NULL, NULL, DLSSL_TLS1_2,
	    DLSSL_TLS1_2);
	struct peer p;
	char m[1024];

	ck_assert_int_eq(handshake_error(sc, cc, m, sizeof(m), &p), DLSSL_ERR_VERIFY);
	ck_assert_int_eq(p.code, DLSSL_ERR_TLS);
	ck_assert_msg(strstr(p.err, "the peer sent the alert unknown_ca (48)") != NULL, "%s", p.err);
	assert_no_repeats(p.err);
	dlssl_ctx_free(sc);
	dlssl_ctx_free(cc);
}
END_TEST

static Suite *
messages_suite(void)
{
	Suite *s = suite_create("messages");
	TCase *tc = tcase_create("messages");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, version_range_names_versions);
	tcase_add_test(tc, queue_text_once);
	tcase_add_test(tc, alert_named_no_shared_cipher);
	tcase_add_test(tc, alert_named_protocol_version);
	tcase_add_test(tc, alert_named_unknown_ca);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(messages_suite);
}
