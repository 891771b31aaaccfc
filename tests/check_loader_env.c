/*
 * The loader's configuration, each test in a fresh process: the environment
 * (DLSSL_LIBSSL, DLSSL_LIBCRYPTO, DLSSL_LIBDIR, DLSSL_MODE, DLSSL_TRACE),
 * its precedence below the API options and above the system list, the
 * modes, and the errors for relative and missing paths.  The programs are
 * tools/dlssl (`info --json`, the API options through --libssl) and
 * tests/hostprobe (the other options, and a host that mapped OpenSSL).
 *
 * Each child starts without the caller's DLSSL_* variables, except in the
 * tests about the real library the caller selected.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader_common.h"
#include "named_library.h"
#include "ossl/sonames.h"
#include "stub.h"

/* The real library, as `dlssl info` reported it with the caller's environment. */
static char real_json[LC_OUTMAX];

#define ASSERT_EXIT(r, code) \
	ck_assert_msg((r)->status == (code), "want exit %d: %s", (code), lc_desc(r))

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

static const char *
env_dir(const char *dir)
{
	return lc_str("DLSSL_LIBDIR=%s", lc_stub(dir, NULL));
}

static int
info(struct lc_run *r, const char *const *env)
{
	return lc_dlssl(r, 0, env, LC_LIST("info", "--json"));
}

/* An accepted stub: exit 0 and these fields. */
static void
assert_loaded(const struct lc_run *r, const char *source, const char *ssl, const char *ver)
{
	ASSERT_EXIT(r, 0);
	ck_assert_str_eq(lc_json(r->out, "loaded"), "true");
	ck_assert_str_eq(lc_json(r->out, "source"), source);
	ck_assert_str_eq(lc_json(r->out, "libssl"), lc_realpath(ssl));
	ck_assert_str_eq(lc_json(r->out, "version"), ver);
}

/* A refusal: exit 2, nothing loaded, the error naming each of the words. */
static void
assert_refused(const struct lc_run *r, const char *const *words)
{
	const char *e = lc_json(r->out, "error");

	ASSERT_EXIT(r, 2);
	ck_assert_str_eq(lc_json(r->out, "loaded"), "false");
	for (; words != NULL && *words != NULL; words++)
		ck_assert_msg(lc_contains(e, *words), "the error does not name '%s': %s", *words, e);
}

/* ---- paths and their precedence ---- */

START_TEST(test_libssl_libcrypto)
{
	struct lc_run r;
	const char *c;

	info(&r, LC_LIST(env_ssl("ossl3", "libssl.so.3"), env_crypto("ossl3", "libcrypto.so.3")));
	assert_loaded(&r, "environment", lc_stub("ossl3", "libssl.so.3"), STUB_OSSL3_VER);
	ck_assert_str_eq(lc_json(r.out, "libcrypto"), lc_realpath(lc_stub("ossl3", "libcrypto.so.3")));
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 1);
	c = lc_json_at(r.out, "candidates", 0);
	ck_assert_str_eq(lc_json(c, "libcrypto"), lc_stub("ossl3", "libcrypto.so.3"));
	ck_assert_str_eq(lc_json(c, "accepted"), "true");

	/* Without DLSSL_LIBCRYPTO: the libcrypto next to libssl. */
	info(&r, LC_LIST(env_ssl("ossl111", "libssl.so.1.1")));
	assert_loaded(&r, "environment", lc_stub("ossl111", "libssl.so.1.1"), STUB_OSSL111_VER);
	ck_assert_str_eq(lc_json(r.out, "libcrypto"), lc_realpath(lc_stub("ossl111", "libcrypto.so.1.1")));
}
END_TEST

START_TEST(test_paths_over_libdir)
{
	struct lc_run r;

	info(&r, LC_LIST(env_ssl("ossl3", "libssl.so.3"), env_crypto("ossl3", "libcrypto.so.3"),
	    env_dir("ossl111")));
	assert_loaded(&r, "environment", lc_stub("ossl3", "libssl.so.3"), STUB_OSSL3_VER);
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 1);
}
END_TEST

START_TEST(test_libdir)
{
	struct lc_run r;
	const char *c;

	info(&r, LC_LIST(env_dir("ossl111")));
	assert_loaded(&r, "environment", lc_stub("ossl111", "libssl.so.1.1"), STUB_OSSL111_VER);
	ck_assert_str_eq(lc_json(r.out, "libcrypto"), lc_realpath(lc_stub("ossl111", "libcrypto.so.1.1")));
	c = lc_json_at(r.out, "candidates", 0);
	ck_assert_str_eq(lc_json(c, "libssl"), lc_stub("ossl111", "libssl.so.1.1"));

	/* A trailing slash, and an older soname further down the list. */
	info(&r, LC_LIST(lc_str("DLSSL_LIBDIR=%s/", lc_stub("ossl102", NULL))));
	assert_loaded(&r, "environment", lc_stub("ossl102", "libssl.so.1.0.0"), STUB_OSSL102_VER);
}
END_TEST

#define SSL_NAME(ssl, crypto) ssl
#define COMMA() ,
static const char *const system_sonames[] = { DLSSL_SONAME_PAIRS(SSL_NAME, COMMA) };

START_TEST(test_system_list)
{
	struct lc_run r;
	const char *c0;

	/* No variable: the system's sonames, newest first (src/ossl/sonames.h). */
	info(&r, NULL);
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "source"), "system");
	c0 = lc_json_at(r.out, "candidates", 0);
	ck_assert_str_eq(lc_json(c0, "libssl"), system_sonames[0]);
	ck_assert_str_eq(lc_json(c0, "source"), "system");
	ck_assert_msg(!lc_contains(lc_json(r.out, "libssl"), LC_BUILDDIR "/"),
	    "a stub was loaded from the system list: %s", lc_json(r.out, "libssl"));

	/* DLSSL_LIBDIR goes before it. */
	info(&r, LC_LIST(env_dir("ossl111")));
	assert_loaded(&r, "environment", lc_stub("ossl111", "libssl.so.1.1"), STUB_OSSL111_VER);
}
END_TEST

START_TEST(test_caller_env)
{
	struct lc_run r;
	const char *ssl = getenv("DLSSL_LIBSSL");

	/* The caller's selection is what "the real library" means. */
	lc_dlssl(&r, LC_KEEP_DLSSL, NULL, LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "libssl"), lc_json(real_json, "libssl"));
	if (ssl != NULL && ssl[0] != '\0') {
		ck_assert_str_eq(lc_json(r.out, "source"), "environment");
		ck_assert_str_eq(lc_json(r.out, "libssl"), lc_realpath(ssl));
	}
}
END_TEST

START_TEST(test_api_over_env)
{
	struct lc_run r;

	/* dlssl info --libssl: the API's libssl_path over every variable. */
	lc_dlssl(&r, 0, LC_LIST(env_ssl("ossl111", "libssl.so.1.1"), env_dir("ossl102")),
	    LC_LIST("info", "--json", "--libssl", lc_stub("ossl3", "libssl.so.3")));
	assert_loaded(&r, "argument", lc_stub("ossl3", "libssl.so.3"), STUB_OSSL3_VER);

	/* The API's libdir over DLSSL_LIBSSL. */
	lc_hostprobe(&r, 0, LC_LIST(env_ssl("ossl111", "libssl.so.1.1")),
	    LC_LIST("opts", "--libdir", lc_stub("ossl3", NULL)));
	assert_loaded(&r, "argument", lc_stub("ossl3", "libssl.so.3"), STUB_OSSL3_VER);

	/* The API's mode over DLSSL_MODE; the paths still from the environment. */
	lc_hostprobe(&r, 0, LC_LIST(env_ssl("ossl111", "libssl.so.1.1"), "DLSSL_MODE=host"),
	    LC_LIST("opts", "--mode", "private"));
	assert_loaded(&r, "environment", lc_stub("ossl111", "libssl.so.1.1"), STUB_OSSL111_VER);
	ck_assert_str_eq(lc_json(r.out, "mode"), "private");

	/* An invalid mode through the API is a usage error. */
	lc_hostprobe(&r, 0, LC_LIST(env_dir("ossl111")), LC_LIST("opts", "--mode", "99"));
	ASSERT_EXIT(&r, 1);
	ck_assert_str_eq(lc_json(r.out, "error_code"), "USAGE");
	ck_assert_msg(lc_contains(lc_json(r.out, "message"), "mode"), "%s", lc_desc(&r));
}
END_TEST

/* ---- bad paths ---- */

static const struct {
	const char *var;	/* the bad setting */
	int with_libssl;	/* beside a good DLSSL_LIBSSL */
	const char *named;	/* what the error must name */
} relative[] = {
	{ "DLSSL_LIBSSL=libssl.so.3", 0, "DLSSL_LIBSSL" },
	{ "DLSSL_LIBSSL=./libssl.so.3", 0, "DLSSL_LIBSSL" },
	{ "DLSSL_LIBCRYPTO=libcrypto.so.3", 1, "DLSSL_LIBCRYPTO" },
	{ "DLSSL_LIBDIR=lib", 0, "DLSSL_LIBDIR" },
	{ "DLSSL_LIBDIR=tests/stubs/out/ossl3", 0, "DLSSL_LIBDIR" },
};

START_TEST(test_relative_env)
{
	struct lc_run r;
	const char *value = strchr(relative[_i].var, '=') + 1;

	if (relative[_i].with_libssl)
		info(&r, LC_LIST(relative[_i].var, env_ssl("ossl3", "libssl.so.3")));
	else
		info(&r, LC_LIST(relative[_i].var));
	assert_refused(&r, LC_LIST(relative[_i].named, lc_str("'%s'", value), "absolute"));
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 0);
}
END_TEST

START_TEST(test_relative_api)
{
	struct lc_run r;

	lc_dlssl(&r, 0, NULL, LC_LIST("info", "--json", "--libssl", "libssl.so.3"));
	assert_refused(&r, LC_LIST("libssl_path", "'libssl.so.3'", "absolute"));

	lc_hostprobe(&r, 0, NULL, LC_LIST("opts", "--libdir", "out/ossl3"));
	assert_refused(&r, LC_LIST("libdir", "'out/ossl3'"));

	lc_hostprobe(&r, 0, NULL, LC_LIST("opts", "--libssl", lc_stub("ossl3", "libssl.so.3"),
	    "--libcrypto", "libcrypto.so.3"));
	assert_refused(&r, LC_LIST("libcrypto_path", "'libcrypto.so.3'"));
}
END_TEST

START_TEST(test_missing_paths)
{
	struct lc_run r;
	const char *ssl = lc_stub("nonexistent", "libssl.so.3");
	const char *crypto = lc_stub("nonexistent", "libcrypto.so.3");

	/* Named explicitly: an error, never a fall back to the system's. */
	info(&r, LC_LIST(lc_str("DLSSL_LIBSSL=%s", ssl)));
	assert_refused(&r, LC_LIST(ssl, "environment", "cannot open"));
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 1);

	info(&r, LC_LIST(env_ssl("ossl3", "libssl.so.3"), lc_str("DLSSL_LIBCRYPTO=%s", crypto)));
	assert_refused(&r, LC_LIST(crypto, "cannot open"));
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 1);

	info(&r, LC_LIST(lc_str("DLSSL_LIBDIR=%s", lc_stub("nonexistent", NULL))));
	assert_refused(&r, LC_LIST(lc_stub("nonexistent", NULL), "environment", "none of"));
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 0);

	/* A directory without any of the names. */
	info(&r, LC_LIST(env_dir("src")));
	assert_refused(&r, LC_LIST(lc_stub("src", NULL), "none of"));

	/* DLSSL_LIBCRYPTO alone says which half is missing. */
	info(&r, LC_LIST(env_crypto("ossl3", "libcrypto.so.3")));
	assert_refused(&r, LC_LIST("DLSSL_LIBCRYPTO", "libssl"));

	lc_dlssl(&r, 0, NULL, LC_LIST("info", "--json", "--libssl", ssl));
	assert_refused(&r, LC_LIST(ssl, "path given"));
}
END_TEST

/* ---- modes ---- */

static const struct {
	const char *mode;	/* DLSSL_MODE */
	int status;		/* exit status of dlssl info */
	const char *shown;	/* "mode" in the report */
	const char *named;	/* what the error names, when refused */
} modes[] = {
	{ "auto", 0, "auto", NULL },
	{ "private", 0, "private", NULL },
	{ "", 0, "auto", NULL },
	/* Host mode only takes what is mapped: the named stub is not. */
	{ "host", 2, "host", "not mapped" },
	{ "bogus", 2, NULL, "DLSSL_MODE" },
	{ "Host", 2, NULL, "'Host'" },
	{ "auto ", 2, NULL, "DLSSL_MODE" },
};

START_TEST(test_mode_env)
{
	struct lc_run r;

	info(&r, LC_LIST(env_ssl("ossl111", "libssl.so.1.1"), lc_str("DLSSL_MODE=%s", modes[_i].mode)));
	ASSERT_EXIT(&r, modes[_i].status);
	if (modes[_i].shown != NULL)
		ck_assert_str_eq(lc_json(r.out, "mode"), modes[_i].shown);
	if (modes[_i].status == 0) {
		assert_loaded(&r, "environment", lc_stub("ossl111", "libssl.so.1.1"), STUB_OSSL111_VER);
	} else {
		assert_refused(&r, LC_LIST(modes[_i].named));
		ck_assert_str_eq(lc_json(r.out, "generation"), "0");
	}
}
END_TEST

START_TEST(test_host_nothing_mapped)
{
	struct lc_run r;

	info(&r, LC_LIST("DLSSL_MODE=host"));
	assert_refused(&r, LC_LIST("host mode", "no OpenSSL is mapped"));
	ck_assert_str_eq(lc_json(r.out, "mode"), "host");
	ck_assert_int_eq(lc_json_len(r.out, "candidates"), 0);
}
END_TEST

START_TEST(test_host_stub_mapped)
{
	struct lc_run r;
	const char *ssl = lc_stub("ossl3", "libssl.so.3");

	/* A host mapped the stub under its soname: auto and host mode take it. */
	lc_hostprobe(&r, 0, LC_LIST("DLSSL_MODE=host"), LC_LIST("opts", "--preload", ssl));
	assert_loaded(&r, "host", ssl, STUB_OSSL3_VER);
	ck_assert_str_eq(lc_json(r.out, "host_owned"), "true");

	lc_hostprobe(&r, 0, NULL, LC_LIST("opts", "--preload", ssl, "--mode", "auto"));
	assert_loaded(&r, "host", ssl, STUB_OSSL3_VER);
	ck_assert_str_eq(lc_json(r.out, "host_owned"), "true");

	/* Mapped under another name only: found by walking the mapped objects. */
	lc_hostprobe(&r, 0, LC_LIST("DLSSL_MODE=host"),
	    LC_LIST("opts", "--preload", lc_stub("libressl", "libssl.so.55")));
	assert_loaded(&r, "host", lc_stub("libressl", "libssl.so.55"), STUB_LIBRESSL_VER);
	ck_assert_str_eq(lc_json(r.out, "host_owned"), "true");
}
END_TEST

/* A second OpenSSL copy in the process is named in the report's warning. */
START_TEST(test_other_copy_warned)
{
	struct lc_run r;
	const char *host = lc_stub("libressl", "libssl.so.55");

	lc_hostprobe(&r, 0, LC_LIST(lc_str("DLSSL_LIBSSL=%s", lc_stub("ossl111", "libssl.so.1.1"))),
	    LC_LIST("opts", "--preload", host));
	assert_loaded(&r, "environment", lc_stub("ossl111", "libssl.so.1.1"), STUB_OSSL111_VER);
	ck_assert_msg(strstr(lc_json(r.out, "warning"), "another libssl is mapped") != NULL &&
	    strstr(lc_json(r.out, "warning"), "libssl.so.55") != NULL, "warning: %s",
	    lc_json(r.out, "warning"));

	/* Alone in the process: no warning. */
	lc_hostprobe(&r, 0, LC_LIST(lc_str("DLSSL_LIBSSL=%s", lc_stub("ossl111", "libssl.so.1.1"))),
	    LC_LIST("opts"));
	ck_assert_str_eq(lc_json(r.out, "warning"), "null");
}
END_TEST

/* The host (tests/hostprobe) maps the real libssl by soname first. */
START_TEST(test_host_mapped_soname)
{
	static const char *const want[] = { "host", "auto", "private" };
	struct lc_run r;

	lc_hostprobe(&r, 0, LC_LIST(lc_str("DLSSL_MODE=%s", want[_i])), LC_LIST("mapped"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "mode"), want[_i]);
	ck_assert_str_eq(lc_json(r.out, "source"), _i == 2 ? "system" : "host");
	/* Private mode: a copy of its own in a link-map namespace, and why. */
	ck_assert_msg((strtol(lc_json(r.out, "link_map"), NULL, 10) > 0) == (_i == 2), "%s", r.out);
	ck_assert_str_eq(lc_json(r.out, "isolation"), _i == 2 ? "private mode" : "null");
}
END_TEST

/* `dlssl info` names the namespace, in text and in JSON. */
START_TEST(test_info_namespace)
{
	struct lc_run r;

	lc_dlssl(&r, LC_KEEP_DLSSL, LC_LIST("DLSSL_MODE=private"), LC_LIST("info"));
	ASSERT_EXIT(&r, 0);
	ck_assert_msg(lc_contains(r.out, "namespace:    private (link-map "), "%s", r.out);
	ck_assert_msg(lc_contains(r.out, "isolation:    private mode"), "%s", r.out);
	lc_dlssl(&r, LC_KEEP_DLSSL, LC_LIST("DLSSL_MODE=private"), LC_LIST("info", "--json"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "namespace"), "private");
	ck_assert_msg(strtol(lc_json(r.out, "link_map"), NULL, 10) > 0, "%s", r.out);
	/* Auto mode with nothing else mapped: the process's own namespace. */
	lc_dlssl(&r, LC_KEEP_DLSSL, LC_LIST("DLSSL_MODE=auto"), LC_LIST("info"));
	ASSERT_EXIT(&r, 0);
	ck_assert_msg(lc_contains(r.out, "namespace:    the process's own"), "%s", r.out);
	ck_assert_msg(!lc_contains(r.out, "isolation:"), "%s", r.out);
}
END_TEST

/* The host maps the library the caller selected, and names it in DLSSL_LIBSSL. */
START_TEST(test_host_mapped_env)
{
	struct lc_run r;

	lc_hostprobe(&r, 0, LC_LIST("DLSSL_MODE=host",
	    lc_str("DLSSL_LIBSSL=%s", lc_json(real_json, "libssl")),
	    lc_str("DLSSL_LIBCRYPTO=%s", lc_json(real_json, "libcrypto"))), LC_LIST("mapped"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(lc_json(r.out, "libssl"), lc_json(real_json, "libssl"));
	ck_assert_str_eq(lc_json(r.out, "host_owned"), "true");
}
END_TEST

/* ---- DLSSL_TRACE ---- */

/* Occurrences of SUB in S. */
static int
count(const char *s, const char *sub)
{
	int n = 0;

	while (n < 1000 && (s = strstr(s, sub)) != NULL) {
		n++;
		s += strlen(sub);
	}
	return n;
}

START_TEST(test_trace)
{
	struct lc_run r;
	const char *rej = lc_str("dlssl: rejected %s", lc_stub("fallback", "libssl.so.3"));
	const char *acc = lc_str("dlssl: accepted %s", lc_stub("fallback", "libssl.so.1.1"));
	const char *miss = lc_stub("missing3", "libssl.so.3");

	info(&r, LC_LIST(env_dir("fallback"), "DLSSL_TRACE=1"));
	ASSERT_EXIT(&r, 0);
	ck_assert_int_eq(count(r.err, rej), 1);
	ck_assert_int_eq(count(r.err, acc), 1);
	ck_assert_msg(strstr(r.err, rej) < strstr(r.err, acc), "accepted before rejected: %s", r.err);
	ck_assert_msg(lc_contains(r.err, "SSL_read"), "no missing names: %s", r.err);

	/* Off: silent. */
	info(&r, LC_LIST(env_dir("fallback"), "DLSSL_TRACE=0"));
	ASSERT_EXIT(&r, 0);
	ck_assert_str_eq(r.err, "");
	info(&r, LC_LIST(env_dir("fallback")));
	ck_assert_str_eq(r.err, "");

	/* A failure: each candidate and the verdict, once, as they happen. */
	info(&r, LC_LIST(lc_str("DLSSL_LIBSSL=%s", miss), "DLSSL_TRACE=1"));
	ASSERT_EXIT(&r, 2);
	ck_assert_msg(count(r.err, lc_str("dlssl: rejected %s", miss)) == 1,
	    "the candidate is not traced exactly once: %s", r.err);
	ck_assert_msg(count(r.err, "dlssl: failed: ") == 1, "the failure is not traced exactly once: %s",
	    r.err);
}
END_TEST

static Suite *
env_suite(int real, int system)
{
	Suite *s = suite_create("loader_env");
	TCase *tc;

	tc = tcase_create("paths");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_test(tc, test_libssl_libcrypto);
	tcase_add_test(tc, test_paths_over_libdir);
	tcase_add_test(tc, test_libdir);
	tcase_add_test(tc, test_api_over_env);
	tcase_add_loop_test(tc, test_relative_env, 0, sizeof(relative) / sizeof(relative[0]));
	tcase_add_test(tc, test_relative_api);
	tcase_add_test(tc, test_missing_paths);
	if (system)
		tcase_add_test(tc, test_system_list);
	if (real)
		tcase_add_test(tc, test_caller_env);
	suite_add_tcase(s, tc);

	tc = tcase_create("modes");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_loop_test(tc, test_mode_env, 0, sizeof(modes) / sizeof(modes[0]));
	tcase_add_test(tc, test_host_nothing_mapped);
	tcase_add_test(tc, test_host_stub_mapped);
	tcase_add_test(tc, test_other_copy_warned);
	if (system)
		tcase_add_loop_test(tc, test_host_mapped_soname, 0, 3);
		tcase_add_test(tc, test_info_namespace);
	if (real)
		tcase_add_test(tc, test_host_mapped_env);
	suite_add_tcase(s, tc);

	tc = tcase_create("trace");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_test(tc, test_trace);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	static struct lc_run r;
	SRunner *sr;
	int real, system, nfailed;

	real = lc_real_loadable(LC_KEEP_DLSSL, NULL, &r);
	if (real)
		snprintf(real_json, sizeof(real_json), "%s", r.out);
	else if (named_library_var() != NULL) {
		/* The library the caller named is the one under test: not loading it fails. */
		printf("FAIL: %s names a library dlssl cannot load (%s)\n", named_library_var(),
		    lc_json(r.out, "error") ? lc_json(r.out, "error") : lc_desc(&r));
		return 1;
	} else
		printf("note: no libssl loadable with the caller's environment: "
		    "the tests about the real library do not run\n");
	system = lc_real_loadable(0, NULL, &r) &&
	    lc_contains(r.out, "\"source\":\"system\"");
	if (!system)
		printf("note: no system libssl: the system-list tests do not run\n");
	sr = srunner_create(env_suite(real, system));
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
