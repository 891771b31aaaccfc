/*
 * dlssl's policy is the same on every library (src/policy*.c): chains
 * that OpenSSL 3.0 refuses at security level 2 or by RFC 5280 are refused
 * everywhere with 3.0's X509_V_ERR code and dlssl's text, whatever the
 * library's own verifier lets through (tests/pki/policy/, see its README);
 * verify_depth has one meaning; cipher and version names are IANA's.
 *
 * Client and server run in one thread over in-memory callback transports.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "hard_common.h"
#include "hard_pipe.h"
#include "tls_test.h"

#define POL(name) PKI("policy/" name)

/* A handshake of a client made from copts (plus the test root) with a server on chain/key. */
static int
handshake(const struct dlssl_context_opts *copts, const char *chain, const char *key,
    char *msg, size_t n, long *verify)
{
	struct dlssl_context_opts so = { 0 }, co = { 0 };
	struct dlssl_stream_opts cs = { 0 }, ss = { 0 };
	struct dlssl_context *c, *s;
	struct hard_pair p;
	int r = -1, i;

	if (copts != NULL)
		co = *copts;
	co.ca_file = PKI("root-ca.crt");
	co.no_default_verify_paths = 1;
	so.certificate_chain_file = chain;
	so.private_key_file = key;
	/* The server itself must be able to use a weak key: the client is under test. */
	so.security_level = DLSSL_SECURITY_LEVEL_NONE;
	s = dlssl_make_context(&so);
	ck_assert_msg(s != NULL, "server %s: %s", chain, dlssl_error());
	c = dlssl_make_context(&co);
	ck_assert_msg(c != NULL, "client: %s", dlssl_error());
	cs.defer_handshake = ss.defer_handshake = 1;
	msg[0] = '\0';
	*verify = -1;
	if (hard_pair_open(&p, c, s, "localhost", 1 << 16, 1, NULL, &cs, &ss) != 0) {
		snprintf(msg, n, "%s", p.err);
	} else if (hard_pair_handshake(&p) == 0) {
		r = 0;
		*verify = dlssl_stream_verify_result(p.client);
	} else {
		for (i = 0; i < 10 && dlssl_stream_is_open(p.client); i++)
			if (dlssl_handshake(p.client) == 0 && dlssl_listen(p.client) < 0)
				break;
		snprintf(msg, n, "%s", dlssl_stream_error(p.client) ? dlssl_stream_error(p.client) : p.err);
		*verify = dlssl_stream_verify_result(p.client);
		if (dlssl_stream_error_code(p.client) != DLSSL_ERR_VERIFY &&
		    dlssl_stream_error_code(p.server) == DLSSL_ERR_TLS) {
			/* The server's library would not use the certificate at all. */
			snprintf(msg, n, "server: %s", dlssl_stream_error(p.server));
			r = -2;
		} else {
			ck_assert_msg(dlssl_stream_error_code(p.client) == DLSSL_ERR_VERIFY, "%s: not a "
			    "verification error: %s", chain, msg);
		}
	}
	hard_pair_free(&p);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
	return r;
}

static const struct {
	const char *chain, *key;
	long code;
	const char *text;
	int strength; /* refused for its key or digest: the security level lets it through */
	int unusable; /* a server may refuse to use it (LibreSSL: no key usage for ECDHE) */
} refused[] = {
	{ POL("rsa1024-chain.pem"), POL("rsa1024.key"), 66, "EE certificate key too weak", 1, 0 },
	{ POL("sha1-chain.pem"), POL("sha1.key"), 68, "CA signature digest algorithm too weak", 1, 0 },
	{ POL("notca-chain.pem"), POL("notca-leaf.key"), 79, "invalid CA certificate", 0, 0 },
	{ POL("nobc-chain.pem"), POL("nobc-leaf.key"), 79, "invalid CA certificate", 0, 0 },
	{ POL("nocertsign-chain.pem"), POL("nocertsign-leaf.key"), 79, "invalid CA certificate", 0, 0 },
	{ POL("pathlen-chain.pem"), POL("pathlen.key"), 25, "path length constraint exceeded", 0, 0 },
	{ POL("clienteku-chain.pem"), POL("clienteku.key"), 26, "unsuitable certificate purpose", 0, 0 },
	{ POL("certsignku-chain.pem"), POL("certsignku.key"), 26, "unsuitable certificate purpose", 0,
	    1 },
	{ PKI("selfsigned.crt"), PKI("selfsigned.key"), 18, "self-signed certificate", 0, 0 },
	{ PKI("expired-chain.pem"), PKI("expired.key"), 10, "certificate has expired", 0, 0 },
};

START_TEST(chains_refused_everywhere)
{
	char msg[600], want[64];
	long v;
	int r = handshake(NULL, refused[_i].chain, refused[_i].key, msg, sizeof(msg), &v);

	ck_assert_msg(r != 0, "%s: accepted", refused[_i].chain);
	if (r == -2) {
		/* Not the client's decision: nothing to compare (the server is the same library). */
		ck_assert_msg(refused[_i].unusable, "%s: %s", refused[_i].chain, msg);
		printf("%s: the server refused to use it: %s\n", refused[_i].chain, msg);
		return;
	}
	snprintf(want, sizeof(want), "X509_V_ERR %ld)", refused[_i].code);
	ck_assert_msg(strstr(msg, want) != NULL, "%s: want %s: %s", refused[_i].chain, want, msg);
	ck_assert_msg(strstr(msg, refused[_i].text) != NULL, "%s: want '%s': %s", refused[_i].chain,
	    refused[_i].text, msg);
	ck_assert_int_eq(v, refused[_i].code);
}
END_TEST

START_TEST(level_lowered_explicitly)
{
	struct dlssl_context_opts o = { 0 };
	char msg[600];
	long v;

	if (!refused[_i].strength)
		return;
	/* The option, and @SECLEVEL in the cipher list (on every library). */
	o.security_level = DLSSL_SECURITY_LEVEL_NONE;
	ck_assert_msg(handshake(&o, refused[_i].chain, refused[_i].key, msg, sizeof(msg), &v) == 0,
	    "%s with security_level NONE: %s", refused[_i].chain, msg);
	ck_assert_int_eq(v, 0);
	memset(&o, 0, sizeof(o));
	o.cipher_list = "ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0";
	o.max_version = DLSSL_TLS1_2;
	ck_assert_msg(handshake(&o, refused[_i].chain, refused[_i].key, msg, sizeof(msg), &v) == 0,
	    "%s with @SECLEVEL=0: %s", refused[_i].chain, msg);
	/* Level 3 refuses even the good 2048-bit chain. */
	memset(&o, 0, sizeof(o));
	o.security_level = 3;
	ck_assert(handshake(&o, PKI("localhost-chain.pem"), PKI("localhost.key"), msg, sizeof(msg),
	    &v) != 0);
	ck_assert_msg(strstr(msg, "X509_V_ERR 66)") != NULL || strstr(msg, "X509_V_ERR 67)") != NULL,
	    "%s", msg);
}
END_TEST

/* A context refuses a weak certificate of its own, on every library (1.1+ does it itself). */
START_TEST(own_weak_certificate_refused)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	if (!refused[_i].strength)
		return;
	o.certificate_chain_file = refused[_i].chain;
	o.private_key_file = refused[_i].key;
	c = dlssl_make_context(&o);
	ck_assert_msg(c == NULL, "%s: a context at the default level uses it", refused[_i].chain);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	ck_assert_msg(strstr(dlssl_error(), refused[_i].text) != NULL &&
	    strstr(dlssl_error(), "security level 2") != NULL, "%s", dlssl_error());
	o.security_level = DLSSL_SECURITY_LEVEL_NONE;
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "%s at level 0: %s", refused[_i].chain, dlssl_error());
	dlssl_ctx_free(c);
}
END_TEST

START_TEST(bad_security_levels)
{
	struct dlssl_context_opts o = { 0 };

	o.security_level = 6;
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	o.security_level = -2;
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	o.security_level = 0;
	o.cipher_list = "DEFAULT:@SECLEVEL=9";
	ck_assert_ptr_null(dlssl_make_context(&o));
	ck_assert_int_ne(dlssl_error_code(), DLSSL_ERR_NONE);
}
END_TEST

/* Two intermediates (policy/deep-chain.pem): depth counts them, OpenSSL 3.0's meaning. */
START_TEST(verify_depth_one_meaning)
{
	struct dlssl_context_opts o = { 0 };
	char msg[600];
	long v;

	o.verify_depth = 2;
	ck_assert_msg(handshake(&o, POL("deep-chain.pem"), POL("deep.key"), msg, sizeof(msg), &v) == 0,
	    "depth 2: %s", msg);
	o.verify_depth = 1;
	ck_assert(handshake(&o, POL("deep-chain.pem"), POL("deep.key"), msg, sizeof(msg), &v) != 0);
	ck_assert_msg(strstr(msg, "X509_V_ERR 22)") != NULL, "depth 1: %s", msg);
	ck_assert_msg(strstr(msg, "certificate chain too long") != NULL, "depth 1: %s", msg);
}
END_TEST

static Suite *
policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("chains");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, chains_refused_everywhere, 0, sizeof(refused) / sizeof(refused[0]));
	tcase_add_loop_test(tc, level_lowered_explicitly, 0, sizeof(refused) / sizeof(refused[0]));
	tcase_add_loop_test(tc, own_weak_certificate_refused, 0, sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, bad_security_levels);
	tcase_add_test(tc, verify_depth_one_meaning);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(policy_suite);
}
