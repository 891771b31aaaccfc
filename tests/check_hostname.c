/*
 * Host name matching (src/hostname.c): dlssl_hostname_matches() as tables
 * of {pattern, name, expected}, CL+SSL's verify-hostname tables ported
 * (reference section 2.3), and dlssl_check_host() on the test PKI.
 *
 * The pattern tables need no libssl.  The certificate tests do: without a
 * libssl they are left out and the program exits 77 (SKIP) once the rest
 * has passed.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlssl.h"
#include "named_library.h"

#ifndef PKI_DIR
#error "PKI_DIR must name tests/pki"
#endif
#define PKI(name) PKI_DIR "/" name

struct match_case {
	const char *pattern;
	const char *name;
	int want;
};

static void
run_table(const struct match_case *t, size_t n, const char *table)
{
	size_t i;
	int got;

	for (i = 0; i < n; i++) {
		/* want -1: an error, which reads as 0 (never as true) with the reason set. */
		got = dlssl_hostname_matches(t[i].pattern, t[i].name);
		ck_assert_msg(got == (t[i].want < 0 ? 0 : t[i].want),
		    "%s[%zu]: dlssl_hostname_matches(\"%s\", \"%s\") = %d, want %d (%s)",
		    table, i, t[i].pattern, t[i].name, got, t[i].want,
		    dlssl_error() ? dlssl_error() : "no error");
		if (t[i].want < 0)
			ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
		else
			ck_assert_ptr_null(dlssl_error());
	}
}

#define RUN_TABLE(t) run_table((t), sizeof(t) / sizeof((t)[0]), #t)

/* ---- Exact names (RFC 6125 6.4.1) ------------------------------------------ */

static const struct match_case exact_cases[] = {
	{ "www.example.com", "www.example.com", 1 },
	{ "www.example.com", "WWW.eXamPle.CoM", 1 },
	{ "WWW.EXAMPLE.COM", "www.example.com", 1 },
	{ "www.example.com", "example.com", 0 },
	{ "example.com", "www.example.com", 0 },
	{ "www.example.com", "www.example.co", 0 },
	{ "www.example.co", "www.example.com", 0 },
	{ "www.example.com", "www.example.comx", 0 },
	{ "localhost", "localhost", 1 },
	{ "localhost", "LOCALHOST", 1 },
	{ "a", "a", 1 },
	{ "_srv._tcp.example.com", "_SRV._tcp.example.com", 1 },
	{ "a-b.example.com", "A-B.example.com", 1 },
	{ "-a.example", "-a.example", 1 },
	{ "xn--bcher-kva.example", "XN--BCHER-KVA.example", 1 },
	/* U-labels are not A-labels: no IDNA conversion happens. */
	{ "b\xc3\xbc" "cher.example", "xn--bcher-kva.example", 0 },
	/* Case folding is ASCII only. */
	{ "www.exampl\xc3\x89.com", "www.exampl\xc3\xa9.com", -1 },
	/* One trailing dot on either side is ignored, not two. */
	{ "www.example.com", "www.example.com.", 1 },
	{ "www.example.com.", "www.example.com", 1 },
	{ "www.example.com.", "www.example.com.", 1 },
	{ "www.example.com..", "www.example.com", 0 },
	/* Malformed patterns simply do not match. */
	{ "", "example.com", 0 },
	{ ".", "example.com", 0 },
	{ ".example.com", "example.com", 0 },
	{ "example.com ", "example.com", 0 },
	{ " example.com", "example.com", 0 },
	{ "example..com", "example.com", 0 },
};

/* ---- Wildcards (RFC 6125 6.4.3) --------------------------------------------- */

static const struct match_case wildcard_cases[] = {
	{ "*.example.com", "www.example.com", 1 },
	{ "*.example.com", "WWW.EXAMPLE.COM", 1 },
	{ "*.EXAMPLE.com", "www.example.COM", 1 },
	{ "*.example.com", "www.example.com.", 1 },
	{ "*.example.com.", "www.example.com", 1 },
	{ "*.example.com", "x.example.com", 1 },
	{ "*.example.com", "a-b.example.com", 1 },
	{ "*.example.com", "-.example.com", 1 },
	{ "*.example.com", "1.example.com", 1 },
	/*
	 * The '*' stands for a host name label, and the labels after it are
	 * host name labels (as OpenSSL's X509_check_host): no '_', no label
	 * starting or ending with '-'.
	 */
	{ "*.example.com", "_dmarc.example.com", 0 },
	{ "*.example.com", "a_b.example.com", 0 },
	{ "_dmarc.example.com", "_dmarc.example.com", 1 },
	{ "*._tcp.example.com", "x._tcp.example.com", 0 },
	{ "*.a_b.example", "x.a_b.example", 0 },
	{ "*.-b.example", "x.-b.example", 0 },
	{ "*.b-.example", "x.b-.example", 0 },
	{ "*.b-c.example", "x.b-c.example", 1 },
	/* Exactly one label: not zero, not two. */
	{ "*.example.com", "example.com", 0 },
	{ "*.example.com", "a.b.example.com", 0 },
	{ "*.example.com", "wwwexample.com", 0 },
	{ "*.example.com", "www.example.org", 0 },
	{ "*.example.com", "www.example.com.org", 0 },
	/* At least two labels after the wildcard. */
	{ "*.com", "example.com", 0 },
	{ "*.com.", "example.com", 0 },
	{ "*.com", "example.com.", 0 },
	{ "*", "example", 0 },
	{ "*", "localhost", 0 },
	{ "*.", "example", 0 },
	{ "*.localhost", "www.localhost", 0 },
	/* No public suffix list: two labels are enough (documented). */
	{ "*.co.uk", "example.co.uk", 1 },
	/* Only the whole left-most label. */
	{ "*.*.example.com", "a.b.example.com", 0 },
	{ "**.example.com", "www.example.com", 0 },
	{ "*.example.*", "www.example.com", 0 },
	{ "www.*.com", "www.example.com", 0 },
	{ "foo.*.example.com", "foo.bar.example.com", 0 },
	{ "www.example.*", "www.example.com", 0 },
	{ "*..com", "a.b.com", 0 },
	{ "*.example..com", "a.example.com", 0 },
	/* Partial wildcards never match. */
	{ "f*.example.com", "foo.example.com", 0 },
	{ "f*.example.com", "f.example.com", 0 },
	{ "*f.example.com", "oof.example.com", 0 },
	{ "f*o.example.com", "foo.example.com", 0 },
	{ "*oo.example.com", "foo.example.com", 0 },
	{ "w*.example.com", "www.example.com", 0 },
	{ "xn--*.example.com", "xn--bcher-kva.example.com", 0 },
	{ "*xn--bcher-kva.example.com", "xn--bcher-kva.example.com", 0 },
	/* A whole-label wildcard stands for an A-label too (decision, 6.4.3). */
	{ "*.example.com", "xn--bcher-kva.example.com", 1 },
	{ "*.xn--bcher-kva.example", "www.xn--bcher-kva.example", 1 },
	{ "*.xn--bcher-kva.example", "www.b\xc3\xbc" "cher.example", -1 },
	/* The reference name is never a pattern. */
	{ "*.example.com", "*.example.com", -1 },
	{ "*.example.com", "f*.example.com", -1 },
	{ "www.example.com", "*.example.com", -1 },
};

/* ---- IP literals: never matched against DNS names or wildcards ------------ */

static const struct match_case ip_cases[] = {
	{ "127.0.0.1", "127.0.0.1", 0 },
	{ "*.0.0.1", "127.0.0.1", 0 },
	{ "*.168.1.1", "192.168.1.1", 0 },
	{ "*.1.1", "192.168.1.1", 0 },
	{ "::1", "::1", 0 },
	{ "*", "::1", 0 },
	{ "2001:db8::1", "2001:DB8::1", 0 },
	{ "*.example.com", "::ffff:192.0.2.1", 0 },
	/* Not IP literals, and not valid names either. */
	{ "127.0.0.1", "127.0.0.1.", -1 },
	{ "::1", "[::1]", -1 },
	{ "fe80::1", "fe80::1%eth0", -1 },
	{ "::1", "::1.", -1 },
};

/* ---- Validation of the reference name ---------------------------------------- */

#define L63 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"
#define L64 L63 "l"
/* 4 * 63 + 1 = 253 octets. */
#define N253 L63 "." L63 "." L63 "." "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghi"
#define N254 N253 "j"

static const struct match_case validation_cases[] = {
	{ "example.com", "", -1 },
	{ "example.com", ".", -1 },
	{ "example.com", "..", -1 },
	{ "example.com", ".example.com", -1 },
	{ "example.com", ".example.com.", -1 },
	{ "example.com", "example..com", -1 },
	{ "example.com", "example.com..", -1 },
	{ "example.com", "exa mple.com", -1 },
	{ "example.com", "example.com ", -1 },
	{ "example.com", "exa%mple.com", -1 },
	{ "example.com", "example.com/", -1 },
	{ "example.com", "user@example.com", -1 },
	{ "example.com", "example.com:443", -1 },
	{ "example.com", "ex\xc3\xa4mple.com", -1 },
	{ "example.com", "example\tcom", -1 },
	{ L63 ".example", L63 ".example", 1 },
	{ L64 ".example", L64 ".example", -1 },
	{ N253, N253, 1 },
	{ N253, N253 ".", 1 },
	{ N254, N254, -1 },
	{ "*." L63 ".example", "a." L63 ".example", 1 },
};

/*
 * ---- CL+SSL's verify-hostname tables (test/verify-hostname.lisp) ------------
 *
 * Ported row for row.  Where DESIGN.md deliberately differs from CL+SSL
 * (partial wildcards, which CL+SSL matched), the row carries CL+SSL's old
 * answer in a comment.
 */
static const struct match_case clplus_success[] = {
	{ "www.example.com", "WWW.eXamPle.CoM", 1 },
	{ "www.example.com.", "www.example.com", 1 },
	{ "www.example.com", "www.example.com.", 1 },
	{ "*.example.com", "www.example.com", 1 },
	{ "b*z.example.com", "buzz.example.com", 0 },   /* CL+SSL: 1 */
	{ "*baz.example.com", "foobaz.example.com", 0 }, /* CL+SSL: 1 */
	{ "baz*.example.com", "baz1.example.com", 0 },   /* CL+SSL: 1 */
};

static const struct match_case clplus_fail[] = {
	{ "*.com", "eXamPle.CoM", 0 },
	{ ".com.", "example.com.", 0 },
	{ "*.www.example.com", "www.example.com.", 0 },
	{ "foo.*.example.com", "foo.bar.example.com.", 0 },
	{ "xn--*.example.com", "xn-foobar.example.com", 0 },
	{ "*fooxn--bar.example.com", "bazfooxn--bar.example.com", 0 },
	{ "*.akamaized.net", "tv.eurosport.com", 0 },
	{ "a*c.example.com", "abcd.example.com", 0 },
	{ "*baz.example.com", "foobuzz.example.com", 0 },
	/* Regression (reference 1.7): CL+SSL let a partial wildcard span a dot. */
	{ "b*z.example.com", "bx.yz.example.com", 0 },
};

START_TEST(test_exact)
{
	RUN_TABLE(exact_cases);
}
END_TEST

START_TEST(test_wildcards)
{
	RUN_TABLE(wildcard_cases);
}
END_TEST

START_TEST(test_ip_literals)
{
	RUN_TABLE(ip_cases);
}
END_TEST

START_TEST(test_validation)
{
	RUN_TABLE(validation_cases);
}
END_TEST

START_TEST(test_clplus_tables)
{
	RUN_TABLE(clplus_success);
	RUN_TABLE(clplus_fail);
}
END_TEST

START_TEST(test_matches_safety)
{
	ck_assert_int_eq(dlssl_hostname_matches(NULL, "example.com"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_hostname_matches("example.com", NULL), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_hostname_matches(NULL, NULL), 0);
	/* A success clears the previous error. */
	ck_assert_int_eq(dlssl_hostname_matches("a.example", "a.example"), 1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_NONE);
	/* The message names the rejected name. */
	ck_assert_int_eq(dlssl_hostname_matches("x", "bad name"), 0);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "bad name"));
	ck_assert_int_eq(dlssl_check_host(NULL, "example.com"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_check_host_flags(NULL, "example.com",
	    DLSSL_CHECK_HOST_NO_CN_FALLBACK), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
}
END_TEST

/* ---- dlssl_check_host() on certificates -------------------------------------- */

struct host_case {
	const char *file;
	const char *name;
	int want;             /* plain dlssl_check_host() */
	int want_strict;      /* with DLSSL_CHECK_HOST_NO_CN_FALLBACK */
};

static const struct host_case host_cases[] = {
	/* The good server: DNS:localhost, IP:127.0.0.1, IP:::1. */
	{ "localhost.crt", "localhost", 1, 1 },
	{ "localhost.crt", "LOCALHOST", 1, 1 },
	{ "localhost.crt", "localhost.", 1, 1 },
	{ "localhost.crt", "127.0.0.1", 1, 1 },
	{ "localhost.crt", "::1", 1, 1 },
	{ "localhost.crt", "0:0:0:0:0:0:0:1", 1, 1 },
	{ "localhost.crt", "0000:0000::0001", 1, 1 },
	{ "localhost.crt", "127.0.0.2", 0, 0 },
	{ "localhost.crt", "::2", 0, 0 },
	{ "localhost.crt", "::ffff:127.0.0.1", 0, 0 },
	{ "localhost.crt", "other.example", 0, 0 },
	{ "localhost.crt", "www.localhost", 0, 0 },
	{ "localhost.crt", "[::1]", -1, -1 },
	{ "localhost.crt", "127.0.0.1.", -1, -1 },
	{ "localhost.crt", "", -1, -1 },
	{ "localhost.der", "localhost", 1, 1 },
	{ "ecdsa.crt", "localhost", 1, 1 },
	{ "ecdsa.crt", "::1", 1, 1 },
	{ "wronghost.crt", "localhost", 0, 0 },
	{ "wronghost.crt", "other.example", 1, 1 },
	{ "wronghost.crt", "OTHER.EXAMPLE.", 1, 1 },
	/* DNS:*.example.com (CN *.example.com). */
	{ "wildcard.crt", "www.example.com", 1, 1 },
	{ "wildcard.crt", "example.com", 0, 0 },
	{ "wildcard.crt", "a.b.example.com", 0, 0 },
	{ "wildcard.crt", "xn--bcher-kva.example.com", 1, 1 },
	/* CN only, no SAN: the fallback. */
	{ "cn-only.crt", "localhost", 1, 0 },
	{ "cn-only.crt", "127.0.0.1", 0, 0 },
	{ "cn-only.crt", "other.example", 0, 0 },
	{ "cn-only-wildcard.crt", "www.example.com", 1, 0 },
	{ "cn-only-wildcard.crt", "example.com", 0, 0 },
	/* Several CNs: each one counts; non-ASCII ones never match. */
	{ "multi-cn.crt", "first.example", 1, 0 },
	{ "multi-cn.crt", "second.example", 1, 0 },
	{ "multi-cn.crt", "third.example", 0, 0 },
	/* Only an iPAddress SAN: no dNSName, so the CN still counts. */
	{ "ip-only-san.der", "localhost", 1, 0 },
	{ "ip-only-san.der", "127.0.0.1", 1, 1 },
	{ "ip-only-san.der", "::1", 0, 0 },
	/*
	 * Malformed dNSNames: "localhost\0.evil.example" neither matches
	 * "localhost" nor lets the CN (localhost) be used; the addresses are
	 * compared as octets, so an IPv4-mapped IPv6 SAN matches only itself.
	 */
	{ "weird-san.der", "localhost", 0, 0 },
	{ "weird-san.der", "good.example", 1, 1 },
	{ "weird-san.der", "10.0.0.1", 1, 1 },
	{ "weird-san.der", "2001:db8::1", 1, 1 },
	{ "weird-san.der", "2001:DB8:0::1", 1, 1 },
	{ "weird-san.der", "::ffff:192.0.2.1", 1, 1 },
	{ "weird-san.der", "192.0.2.1", 0, 0 },
	{ "weird-san.der", "127.0.0.1", 0, 0 },
	/* A subjectAltName that cannot be read: no answer. */
	{ "dup-san.der", "localhost", -1, -1 },
	{ "dup-san.der", "evil.example", -1, -1 },
	{ "bad-san.der", "localhost", -1, -1 },
	/* CN fallback on strings of every type. */
	{ "cn/utf8.der", "www.example.com", 1, 0 },
	{ "cn/ia5.der", "www.example.com", 1, 0 },
	{ "cn/printable.der", "www.google.co.uk", 1, 0 },
	{ "cn/teletex.der", "www.google.co.uk", 1, 0 },
	{ "cn/bmp.der", "google.co.uk", 1, 0 },
	{ "cn/universal.der", "google.co.uk", 1, 0 },
	{ "cn/empty.der", "localhost", 0, 0 },
	/* An invalid CN is an error only when the fallback needs it. */
	{ "cn/bad-printable.der", "www.google.co.uk", -1, 0 },
	{ "cn/bad-bmp-nul.der", "g", -1, 0 },
	/* CL+SSL's fixture-based tests (reference section 2.3). */
	{ "clplus/google.der", "qwe.fr.doubleclick.net", 1, 1 },
	{ "clplus/google.der", "microsoft.com", 0, 0 },
	{ "clplus/google.der", "foobarbaz.android.com", 1, 1 },
	{ "clplus/google.der", "google.com", 1, 1 },
	{ "clplus/google_wildcard.der", "www.google.co.uk", 1, 1 },
	{ "clplus/google_wildcard.der", "microsoft.com", 0, 0 },
	{ "clplus/google_nodns.der", "www.google.co.uk", 1, 0 },
	{ "clplus/google_nodns.der", "microsoft.com", 0, 0 },
	{ "clplus/google_printable.der", "www.google.co.uk", 1, 0 },
	{ "clplus/google_printable.der", "microsoft.com", 0, 0 },
	{ "clplus/google_teletex.der", "www.google.co.uk", 1, 0 },
	{ "clplus/google_teletex.der", "microsoft.com", 0, 0 },
	{ "clplus/google_bmp.der", "google.co.uk", 1, 0 },
	{ "clplus/google_bmp.der", "microsoft.com", 0, 0 },
	{ "clplus/google_universal.der", "google.co.uk", 1, 0 },
	{ "clplus/google_universal.der", "microsoft.com", 0, 0 },
	{ "clplus/google_printable_bad.der", "www.google.co.uk", -1, 0 },
	{ "clplus/localhost.der", "127.0.0.1", 1, 1 },
	{ "clplus/localhost.der", "888.0.0.8", 0, 0 }, /* a DNS name, not an address */
	{ "clplus/localhost.der", "::1", 1, 1 },
	{ "clplus/localhost.der", "localhost", 1, 1 },
};

static void
check_host_case(const struct host_case *c)
{
	struct dlssl_x509 *x = dlssl_x509_load_file(c->file);
	int got;

	ck_assert_msg(x != NULL, "%s: %s", c->file, dlssl_error());
	/* want -1: an error, which reads as 0 with the reason in the thread's error. */
	got = dlssl_check_host(x, c->name);
	ck_assert_msg(got == (c->want < 0 ? 0 : c->want), "dlssl_check_host(%s, \"%s\") = %d, want %d (%s)",
	    c->file, c->name, got, c->want, dlssl_error() ? dlssl_error() : "no error");
	ck_assert_msg((dlssl_error() != NULL) == (c->want < 0), "%s \"%s\": error '%s'", c->file,
	    c->name, dlssl_error() ? dlssl_error() : "none");
	got = dlssl_check_host_flags(x, c->name, DLSSL_CHECK_HOST_NO_CN_FALLBACK);
	ck_assert_msg(got == (c->want_strict < 0 ? 0 : c->want_strict),
	    "dlssl_check_host_flags(%s, \"%s\", NO_CN_FALLBACK) = %d, want %d (%s)",
	    c->file, c->name, got, c->want_strict, dlssl_error() ? dlssl_error() : "no error");
	ck_assert_msg((dlssl_error() != NULL) == (c->want_strict < 0), "%s \"%s\" strict: error '%s'",
	    c->file, c->name, dlssl_error() ? dlssl_error() : "none");
	dlssl_x509_free(x);
}

START_TEST(test_check_host)
{
	char path[1024];
	struct host_case c = host_cases[_i];

	snprintf(path, sizeof(path), "%s", PKI(""));
	ck_assert(strlen(path) + strlen(c.file) < sizeof(path));
	strcat(path, c.file);
	c.file = path;
	check_host_case(&c);
}
END_TEST

START_TEST(test_check_host_errors)
{
	struct dlssl_x509 *x = dlssl_x509_load_file(PKI("localhost.crt"));

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(dlssl_check_host(x, NULL), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_check_host_flags(x, "localhost", 0x80), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_check_host(x, "bad..name"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_check_host(x, "localhost"), 1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_NONE);
	dlssl_x509_free(x);

	x = dlssl_x509_load_file(PKI("dup-san.der"));
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(dlssl_check_host(x, "localhost"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "subjectAltName"));
	dlssl_x509_free(x);

	x = dlssl_x509_load_file(PKI("cn/bad-bmp-nul.der"));
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(dlssl_check_host(x, "g"), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	ck_assert_ptr_nonnull(strstr(dlssl_error(), "NUL"));
	dlssl_x509_free(x);
}
END_TEST

static Suite *
hostname_suite(int have_libssl)
{
	Suite *s = suite_create("hostname");
	TCase *tc;

	tc = tcase_create("matches");
	tcase_add_test(tc, test_matches_safety);
	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_wildcards);
	tcase_add_test(tc, test_ip_literals);
	tcase_add_test(tc, test_validation);
	tcase_add_test(tc, test_clplus_tables);
	suite_add_tcase(s, tc);
	if (have_libssl) {
		tc = tcase_create("check_host");
		tcase_add_test(tc, test_check_host_errors);
		tcase_add_loop_test(tc, test_check_host, 0,
		    (int)(sizeof(host_cases) / sizeof(host_cases[0])));
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed, have_libssl = dlssl_ensure_initialized(NULL) == 0;

	if (!have_libssl)
		fprintf(stderr, "no libssl (%s): certificate tests skipped\n", dlssl_error());
	sr = srunner_create(hostname_suite(have_libssl));
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed != 0)
		return EXIT_FAILURE;
	if (!have_libssl && named_library_var() != NULL) {
		/* The library the caller named is the one under test: not loading it fails. */
		printf("FAIL: %s names a library dlssl cannot load: %s\n", named_library_var(),
		    dlssl_error());
		return EXIT_FAILURE;
	}
	return have_libssl ? EXIT_SUCCESS : 77;
}
