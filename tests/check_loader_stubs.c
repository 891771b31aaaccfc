/*
 * The loader against stub libraries that pose as other versions
 * (tests/stubs/build-stubs.sh).  A stub only answers the version calls and
 * exports the names the manifest lists, so it shows what a real build
 * cannot: how the loader identifies what it opened (flavor, version,
 * capabilities derived from the version, the right pair of files), that a
 * version outside the supported ones is refused with a reason naming it, a
 * library missing required symbols is refused with the complete list, a
 * rejected candidate gives way to the next one in a directory, and a libssl
 * whose libcrypto is not the one named is refused.  It never shows that
 * dlssl works with a version: that is make check-matrix, the whole suite
 * against the real builds in ../shared/ossl (BoringSSL's real build
 * included, which must be refused).  Each case runs tools/dlssl (or
 * tests/hostprobe) in a fresh process.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_common.h"
#include "ossl/ossl.h"
#include "stub.h"

#define ASSERT_EXIT(r, code) \
	ck_assert_msg((r)->status == (code), "want exit %d: %s", (code), lc_desc(r))
#define NRANDOM 16

static const struct {
	const char *dir, *ssl, *crypto;
	const char *text, *ver, *flavor;
	unsigned long num;
	int byte;
	const char *has[8];	/* capabilities it must report */
	const char *lacks[8];	/* capabilities it must not */
} identified[] = {
	{ "ossl3", "libssl.so.3", "libcrypto.so.3", STUB_OSSL3_TEXT, STUB_OSSL3_VER, "OpenSSL",
	    STUB_OSSL3_NUM, STUB_OSSL3_BYTE, { "tls1.3", "alpn", "hostcheck", "bio-method",
	    "ciphersuites", "minmax-proto", "eof-option", "tls1.3-resume" }, { NULL } },
	{ "ossl111", "libssl.so.1.1", "libcrypto.so.1.1", STUB_OSSL111_TEXT, STUB_OSSL111_VER,
	    "OpenSSL", STUB_OSSL111_NUM, STUB_OSSL111_BYTE, { "tls1.3", "alpn", "hostcheck",
	    "bio-method", "ciphersuites", "minmax-proto", "tls1.3-resume" }, { "eof-option" } },
	{ "ossl102", "libssl.so.1.0.0", "libcrypto.so.1.0.0", STUB_OSSL102_TEXT, STUB_OSSL102_VER,
	    "OpenSSL", STUB_OSSL102_NUM, STUB_OSSL102_BYTE, { "alpn", "hostcheck" },
	    { "tls1.3", "bio-method", "ciphersuites", "minmax-proto", "eof-option", "tls1.3-resume" } },
	/* The stub leaves out what LibreSSL may lack (DL_REQ_OSSL): no ciphersuites. */
	{ "libressl", "libssl.so.55", "libcrypto.so.52", STUB_LIBRESSL_TEXT, STUB_LIBRESSL_VER,
	    "LibreSSL", STUB_LIBRESSL_NUM, STUB_LIBRESSL_BYTE, { "tls1.3", "alpn", "hostcheck",
	    "bio-method", "minmax-proto" }, { "ciphersuites", "eof-option", "tls1.3-resume" } },
};

static const char *
env_ssl(const char *dir, const char *file)
{
	return lc_str("DLSSL_LIBSSL=%s", lc_stub(dir, file));
}

static const char *
env_crypto(const char *dir, const char *file)
{
	return lc_str("DLSSL_LIBCRYPTO=%s", lc_stub(dir, file));
}

/* `dlssl random` prints what the stub's RAND_bytes filled in. */
static void
assert_random_from(const char *const *env, int byte)
{
	struct lc_run r;
	char want[2 * NRANDOM + 2];
	int i;

	for (i = 0; i < NRANDOM; i++)
		snprintf(want + 2 * i, 3, "%02x", byte);
	snprintf(want + 2 * NRANDOM, 2, "\n");
	lc_dlssl(&r, 0, env, LC_LIST("random", lc_str("%d", NRANDOM)));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(r.out, want);
}

/*
 * Identification only: the stub's version is accepted, reported as such with
 * the capabilities the loader derives from it, and dlssl's calls reach the
 * stub (its RAND_bytes fills a known byte).
 */
START_TEST(test_identified)
{
	struct lc_run r;
	const char *ssl = lc_stub(identified[_i].dir, identified[_i].ssl);
	const char *crypto = lc_stub(identified[_i].dir, identified[_i].crypto);
	const char *const *env = LC_LIST(env_ssl(identified[_i].dir, identified[_i].ssl),
	    env_crypto(identified[_i].dir, identified[_i].crypto));
	const char *c;
	size_t k;

	lc_dlssl(&r, 0, env, LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "loaded"), "true");
	ck_assert_str_eq(lc_json(r.out, "libssl"), lc_realpath(ssl));
	ck_assert_str_eq(lc_json(r.out, "libcrypto"), lc_realpath(crypto));
	ck_assert_str_eq(lc_json(r.out, "source"), "environment");
	ck_assert_str_eq(lc_json(r.out, "flavor"), identified[_i].flavor);
	ck_assert_str_eq(lc_json(r.out, "version_text"), identified[_i].text);
	ck_assert_str_eq(lc_json(r.out, "version_number"), lc_str("%lu", identified[_i].num));
	ck_assert_str_eq(lc_json(r.out, "version"), identified[_i].ver);
	ck_assert_str_eq(lc_json(r.out, "generation"), "1");
	ck_assert_str_eq(lc_json(r.out, "host_owned"), "false");
	ck_assert_str_eq(lc_json(r.out, "error"), "null");
	for (k = 0; k < 8 && identified[_i].has[k] != NULL; k++)
		ck_assert_msg(lc_json_has(r.out, "capabilities", identified[_i].has[k]),
		    "no %s: %s", identified[_i].has[k], lc_json(r.out, "capabilities"));
	for (k = 0; k < 8 && identified[_i].lacks[k] != NULL; k++)
		ck_assert_msg(!lc_json_has(r.out, "capabilities", identified[_i].lacks[k]),
		    "%s: %s", identified[_i].lacks[k], lc_json(r.out, "capabilities"));
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 1);
	c = lc_json_at(r.out, "candidates", 0);
	ck_assert_str_eq(lc_json(c, "accepted"), "true");
	ck_assert_str_eq(lc_json(c, "missing"), "null");

	assert_random_from(env, identified[_i].byte);

	/* DLSSL_LIBSSL alone: libcrypto found beside it or through it. */
	env = LC_LIST(env_ssl(identified[_i].dir, identified[_i].ssl));
	lc_dlssl(&r, 0, env, LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "libcrypto"), lc_realpath(crypto));
	ck_assert_str_eq(lc_json(r.out, "version"), identified[_i].ver);
	assert_random_from(env, identified[_i].byte);
}
END_TEST

static const struct {
	const char *dir, *ssl;
	const char *named[3];	/* what the reason must name */
} refused[] = {
	{ "fork", "libssl.so.1.1", { STUB_FORK_TEXT, "fork" } },
	{ "ossl110", "libssl.so.1.1", { STUB_OSSL110_TEXT, "not supported" } },
};

START_TEST(test_refused)
{
	struct lc_run r;
	const char *const *env = LC_LIST(env_ssl(refused[_i].dir, refused[_i].ssl));
	const char *c, *e;
	size_t k;

	lc_dlssl(&r, 0, env, LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 2);
	ck_assert_str_eq(lc_json(r.out, "loaded"), "false");
	ck_assert_str_eq(lc_json(r.out, "generation"), "0");
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 1);
	c = lc_json_at(r.out, "candidates", 0);
	ck_assert_str_eq(lc_json(c, "accepted"), "false");
	e = lc_json(r.out, "error");
	for (k = 0; k < 3 && refused[_i].named[k] != NULL; k++) {
		ck_assert_msg(lc_contains(lc_json(c, "reason"), refused[_i].named[k]),
		    "the reason does not name '%s': %s", refused[_i].named[k], c);
		ck_assert_msg(lc_contains(e, refused[_i].named[k]), "%s", e);
	}

	/* A program using dlssl fails with the same reason, exit status 2. */
	lc_dlssl(&r, 0, env, LC_LIST("random", "4"));
	ASSERT_EXIT(&r, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_msg(lc_contains(r.err, refused[_i].named[0]), "%s", lc_desc(&r));
}
END_TEST

/*
 * The required names the missing3 stub leaves out, as the manifest lists
 * them for its version (OpenSSL 3.0.99): the loader must report each.
 */
static int
omitted_required(const char **names, int max)
{
	static const struct {
		const char *sym;
		unsigned long since, until;
		int need;
	} manifest[] = {
#define M(lib, ret, slot, params, sym, alt, since, until, need, cap) { sym, since, until, need },
		DLSSL_OSSL_MANIFEST(M)
#undef M
	};
	const char *omit = " " STUB_MISSING3_OMIT " ", *p;
	unsigned long level = DL_V(3, 0, 99);
	size_t k, len;
	int n = 0;

	for (k = 0; k < sizeof(manifest) / sizeof(manifest[0]) && n < max; k++) {
		if (manifest[k].need == DL_LRS || manifest[k].need == DL_OPT ||
		    level < manifest[k].since || level >= manifest[k].until)
			continue;
		len = strlen(manifest[k].sym);
		for (p = omit; (p = strstr(p, manifest[k].sym)) != NULL; p += len) {
			if (p[-1] == ' ' && p[len] == ' ') {
				names[n++] = manifest[k].sym;
				break;
			}
		}
	}
	return n;
}

/* MISSING (space-separated, "name" or "name/alias") lists exactly these names. */
static void
assert_missing(const char *missing)
{
	const char *want[16], *p;
	char list[1024];
	int n = omitted_required(want, 16), k, words = 0;

	ck_assert_ptr_nonnull(missing);
	/* " name " or " name/alias " in " list ". */
	snprintf(list, sizeof(list), " %s ", missing);
	ck_assert_int_gt(n, 1);
	for (p = list + 1; *p != '\0'; p += strcspn(p, " "), p += strspn(p, " "))
		words++;
	ck_assert_msg(words == n, "%d names missing, want %d: %s", words, n, list);
	for (k = 0; k < n; k++)
		ck_assert_msg(lc_contains(list, lc_str(" %s ", want[k])) ||
		    lc_contains(list, lc_str(" %s/", want[k])),
		    "%s is not reported missing: %s", want[k], list);
}

START_TEST(test_missing)
{
	struct lc_run r;
	const char *want[16], *c;
	int n = omitted_required(want, 16);

	lc_dlssl(&r, 0, LC_LIST(env_ssl("missing3", "libssl.so.3")), LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 2);
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 1);
	c = lc_json_at(r.out, "candidates", 0);
	ck_assert_str_eq(lc_json(c, "accepted"), "false");
	assert_missing(lc_json(c, "missing"));
	ck_assert_msg(lc_contains(lc_json(c, "reason"), lc_str("lacks %d required symbols", n)),
	    "%s", c);
	ck_assert_msg(lc_contains(lc_json(c, "reason"), STUB_OSSL3_TEXT), "%s", c);
	ck_assert_msg(lc_contains(lc_json(r.out, "error"), lc_stub("missing3", "libssl.so.3")),
	    "%s", lc_json(r.out, "error"));

	/* The program's one-line error names every missing symbol too. */
	lc_dlssl(&r, 0, LC_LIST(env_ssl("missing3", "libssl.so.3")), LC_LIST("random", "4"));
	ASSERT_EXIT(&r, 2);
	for (n--; n >= 0; n--)
		ck_assert_msg(lc_contains(r.err, want[n]), "%s not named: %s", want[n], r.err);
}
END_TEST

START_TEST(test_fallback)
{
	struct lc_run r;
	const char *const *env = LC_LIST(lc_str("DLSSL_LIBDIR=%s", lc_stub("fallback", NULL)));
	const char *c0, *c1;

	lc_dlssl(&r, 0, env, LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "version"), STUB_OSSL111_VER);
	ck_assert_str_eq(lc_json(r.out, "libssl"), lc_realpath(lc_stub("fallback", "libssl.so.1.1")));
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 2);
	c0 = lc_json_at(r.out, "candidates", 0);
	c1 = lc_json_at(r.out, "candidates", 1);
	ck_assert_str_eq(lc_json(c0, "libssl"), lc_stub("fallback", "libssl.so.3"));
	ck_assert_str_eq(lc_json(c0, "accepted"), "false");
	assert_missing(lc_json(c0, "missing"));
	ck_assert_str_eq(lc_json(c1, "libssl"), lc_stub("fallback", "libssl.so.1.1"));
	ck_assert_str_eq(lc_json(c1, "accepted"), "true");
	assert_random_from(env, STUB_OSSL111_BYTE);
}
END_TEST

START_TEST(test_mismatch)
{
	struct lc_run r;
	const char *ssl = env_ssl("mismatch", "libssl.so.3");
	const char *c;

	/* Control: the pair itself is good. */
	lc_dlssl(&r, 0, LC_LIST(ssl, env_crypto("mismatch", "libcrypto.so.3")),
	    LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 0);

	/* DLSSL_LIBCRYPTO names a libcrypto this libssl does not use. */
	lc_dlssl(&r, 0, LC_LIST(ssl, env_crypto("mismatch", "libcrypto-other.so.3")),
	    LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 2);
	c = lc_json_at(r.out, "candidates", 0);
	ck_assert_msg(lc_contains(lc_json(c, "reason"), "do not belong together"), "%s", c);
	ck_assert_msg(lc_contains(lc_json(c, "reason"),
	    lc_realpath(lc_stub("mismatch", "libcrypto.so.3"))), "%s", c);

	/*
	 * Same soname, different files: the host mapped another libcrypto.so.3
	 * first, which the dynamic linker would hand to libssl.  Auto mode
	 * sees it coming and loads the pair in a private namespace (glibc),
	 * saying why.
	 */
	lc_hostprobe(&r, 0, LC_LIST(ssl, env_crypto("mismatch", "libcrypto.so.3")),
	    LC_LIST("opts", "--preload", lc_stub("ossl3", "libcrypto.so.3")));
	ASSERT_EXIT(&r, 0);
	ck_assert_msg(strtol(lc_json(r.out, "link_map"), NULL, 10) > 0, "%s", r.out);
	ck_assert_msg(lc_contains(lc_json(r.out, "isolation"), "libcrypto.so.3"), "%s", r.out);
	ck_assert_msg(lc_contains(lc_json(r.out, "isolation"),
	    lc_realpath(lc_stub("ossl3", "libcrypto.so.3"))), "%s", r.out);
	ck_assert_str_eq(lc_json(r.out, "libcrypto"), lc_realpath(lc_stub("mismatch", "libcrypto.so.3")));

	/* The same with libcrypto left to be found beside libssl. */
	lc_hostprobe(&r, 0, LC_LIST(ssl), LC_LIST("opts", "--preload", lc_stub("ossl3", "libcrypto.so.3")));
	ASSERT_EXIT(&r, 0);
	ck_assert_msg(strtol(lc_json(r.out, "link_map"), NULL, 10) > 0, "%s", r.out);
	ck_assert_str_eq(lc_json(r.out, "libcrypto"), lc_realpath(lc_stub("mismatch", "libcrypto.so.3")));
}
END_TEST

static Suite *
stubs_suite(void)
{
	Suite *s = suite_create("loader_stubs");
	TCase *tc;

	tc = tcase_create("flavors");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_loop_test(tc, test_identified, 0, sizeof(identified) / sizeof(identified[0]));
	tcase_add_loop_test(tc, test_refused, 0, sizeof(refused) / sizeof(refused[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("faults");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_fallback);
	tcase_add_test(tc, test_mismatch);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(stubs_suite());
	int nfailed;

	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
