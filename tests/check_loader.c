/*
 * The loader in process (white-box: linked with the static core): the real
 * libssl the caller's environment selects, its report, reload to a stub and
 * back, stale tables, a failed reload.  Tests that need a fresh process run
 * tests/hostprobe: concurrent first callers, retry after a failure.
 *
 * Every in-process test starts from "the real library is loaded" and leaves
 * it so, so the suite also runs with CK_FORK=no (valgrind).
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlssl.h"
#include "loader_common.h"
#include "named_library.h"
#include "ossl/ossl.h"
#include "stub.h"

#define RANDLEN 32

/* The real library, as `dlssl info` reported it with the caller's environment. */
static char real_json[LC_OUTMAX];

/* The stub to switch to: one whose soname differs from the real library's. */
static const char *
other_stub(unsigned int real_major, int *byte, const char **ver)
{
	if (real_major >= 3) {
		*byte = STUB_OSSL111_BYTE;
		*ver = STUB_OSSL111_VER;
		return lc_stub("ossl111", "libssl.so.1.1");
	}
	*byte = STUB_OSSL3_BYTE;
	*ver = STUB_OSSL3_VER;
	return lc_stub("ossl3", "libssl.so.3");
}

static int
all_bytes(const unsigned char *b, size_t n, int byte)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != byte)
			return 0;
	return 1;
}

/* Load the real library (if nothing is loaded yet) and return its report. */
static const struct dlssl_library_info *
real_loaded(void)
{
	const struct dlssl_library_info *i;

	ck_assert_msg(dlssl_ensure_initialized(NULL) == 0, "cannot load: %s", dlssl_error());
	i = dlssl_library_info();
	ck_assert_int_eq(i->loaded, 1);
	ck_assert_str_eq(i->libssl_path, lc_json(real_json, "libssl"));
	return i;
}

/* ---- the real library ---- */

START_TEST(test_random_real)
{
	unsigned char a[RANDLEN], b[RANDLEN];

	real_loaded();
	/* Safety: bad arguments. */
	ck_assert_int_eq(dlssl_random_bytes(NULL, 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_random_bytes(NULL, 0), 0);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_NONE);

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	ck_assert_int_eq(dlssl_random_bytes(a, sizeof(a)), 0);
	ck_assert_int_eq(dlssl_random_bytes(b, sizeof(b)), 0);
	ck_assert_msg(memcmp(a, b, sizeof(a)) != 0, "two calls gave the same bytes");
	ck_assert_msg(!all_bytes(a, sizeof(a), a[0]) && !all_bytes(b, sizeof(b), b[0]),
	    "constant output");
}
END_TEST

/* A function from a handle, as POSIX allows converting dlsym's result. */
static void *
sym(void *h, const char *name, const char *alt)
{
	void *p = dlsym(h, name);

	return p != NULL ? p : dlsym(h, alt);
}

/* The version number and text, read from the loaded libcrypto itself. */
static unsigned long
number_from_library(const char *libcrypto, long link_map, char *text, size_t n)
{
	/* Where dlssl mapped it: the process's namespace, or a private one. */
	void *h = link_map > 0 ? dlmopen((Lmid_t)link_map, libcrypto, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD) :
	    dlopen(libcrypto, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	void *pnum, *ptxt;
	unsigned long (*num)(void);
	const char *(*txt)(int);
	unsigned long v;

	ck_assert_msg(h != NULL, "%s is not mapped: %s", libcrypto, dlerror());
	pnum = sym(h, "OpenSSL_version_num", "SSLeay");
	ptxt = sym(h, "OpenSSL_version", "SSLeay_version");
	ck_assert(pnum != NULL && ptxt != NULL);
	memcpy(&num, &pnum, sizeof(num));
	memcpy(&txt, &ptxt, sizeof(txt));
	v = num();
	snprintf(text, n, "%s", txt(0));
	dlclose(h);
	return v;
}

START_TEST(test_library_info)
{
	const struct dlssl_library_info *i = real_loaded();
	const char *env_ssl = getenv("DLSSL_LIBSSL"), *env_dir = getenv("DLSSL_LIBDIR");
	const char *env_mode = getenv("DLSSL_MODE");
	char text[256], numtext[32];
	unsigned long num;
	size_t k;

	ck_assert_msg(i->libssl_path[0] == '/' && access(i->libssl_path, R_OK) == 0,
	    "libssl_path %s", i->libssl_path);
	ck_assert_str_eq(i->libssl_path, lc_realpath(i->libssl_path));
	ck_assert_ptr_nonnull(i->libcrypto_path);
	ck_assert_msg(i->libcrypto_path[0] == '/' && access(i->libcrypto_path, R_OK) == 0,
	    "libcrypto_path %s", i->libcrypto_path);
	ck_assert_str_eq(i->libcrypto_path, lc_realpath(i->libcrypto_path));

	if (env_ssl != NULL && env_ssl[0] != '\0') {
		ck_assert_int_eq(i->source, DLSSL_SOURCE_ENVIRONMENT);
		ck_assert_str_eq(i->libssl_path, lc_realpath(env_ssl));
	} else if (env_dir != NULL && env_dir[0] != '\0') {
		ck_assert_int_eq(i->source, DLSSL_SOURCE_ENVIRONMENT);
	} else {
		ck_assert_msg(i->source == DLSSL_SOURCE_SYSTEM, "source %s, not system",
		    dlssl_source_name(i->source));
	}
	ck_assert_str_eq(dlssl_mode_name(i->mode),
	    env_mode != NULL && env_mode[0] != '\0' ? env_mode : "auto");
	ck_assert_int_eq(i->host_owned, 0);
	ck_assert_ptr_null(i->error);
	ck_assert_uint_ge(i->generation, 1);
	ck_assert_uint_eq(i->generation, dlssl_generation());
	ck_assert_uint_gt(i->load_ns, 0);

	/* The version, as the library itself tells it. */
	num = number_from_library(i->libcrypto_path, i->link_map, text, sizeof(text));
	/* Private mode has a namespace of its own where glibc offers one. */
	if (env_mode != NULL && strcmp(env_mode, "private") == 0)
		ck_assert_msg(i->link_map > 0 && i->isolation != NULL, "private mode, link_map %ld",
		    i->link_map);
	ck_assert_uint_eq(i->version_number, num);
	ck_assert_str_eq(i->version_text, text);
	snprintf(numtext, sizeof(numtext), "%u.%u.%u", i->version_major, i->version_minor,
	    i->version_patch);
	ck_assert_msg(strstr(text, numtext) != NULL, "'%s' is not version %s", text, numtext);
	if (i->flavor == DLSSL_FLAVOR_OPENSSL) {
		ck_assert_msg(strncmp(text, "OpenSSL ", 8) == 0, "%s", text);
		ck_assert_uint_eq(i->version_major, (num >> 28) & 0xf);
		ck_assert_uint_eq(i->version_minor, (num >> 20) & 0xff);
		if (i->version_major >= 3 || i->version_minor >= 1)
			ck_assert(i->capabilities & DLSSL_CAP_TLS13);
		if (i->version_major >= 3)
			ck_assert_uint_eq(i->capabilities & (DLSSL_CAP_TLS13 | DLSSL_CAP_ALPN |
			    DLSSL_CAP_HOSTCHECK | DLSSL_CAP_BIO_METHOD | DLSSL_CAP_CIPHERSUITES |
			    DLSSL_CAP_MINMAX_PROTO | DLSSL_CAP_EOF_OPTION), DLSSL_CAP_TLS13 |
			    DLSSL_CAP_ALPN | DLSSL_CAP_HOSTCHECK | DLSSL_CAP_BIO_METHOD |
			    DLSSL_CAP_CIPHERSUITES | DLSSL_CAP_MINMAX_PROTO | DLSSL_CAP_EOF_OPTION);
		else
			ck_assert(!(i->capabilities & DLSSL_CAP_EOF_OPTION));
	} else {
		ck_assert_int_eq(i->flavor, DLSSL_FLAVOR_LIBRESSL);
		ck_assert_msg(strncmp(text, "LibreSSL ", 9) == 0, "%s", text);
	}

	/* Every candidate before the accepted one was rejected, with a reason. */
	ck_assert_uint_ge(i->n_candidates, 1);
	for (k = 0; k < i->n_candidates; k++) {
		ck_assert_int_eq(i->candidates[k].accepted, k + 1 == i->n_candidates);
		ck_assert_ptr_nonnull(i->candidates[k].reason);
	}
}
END_TEST

START_TEST(test_safety)
{
	const struct dlssl_library_info *i = real_loaded();
	struct dlssl_init_opts o = { 0 };
	unsigned long gen = dlssl_generation();
	int dummy;

	/* Nonzero reserved fields are refused before anything else. */
	o.reserved[3] = &dummy;
	ck_assert_int_eq(dlssl_ensure_initialized(&o), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_int_eq(dlssl_reload_opts(&o), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_uint_eq(dlssl_generation(), gen);

	/* Asking for another library while one is loaded: use reload instead. */
	memset(&o, 0, sizeof(o));
	o.libssl_path = lc_stub("ossl3", "libssl.so.3");
	ck_assert_int_eq(dlssl_ensure_initialized(&o), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_USAGE);
	ck_assert_msg(lc_contains(dlssl_error(), "reload"), "%s", dlssl_error());

	/* Asking for the library in use is fine. */
	o.libssl_path = i->libssl_path;
	ck_assert_msg(dlssl_ensure_initialized(&o) == 0, "%s", dlssl_error());
	ck_assert_int_eq(dlssl_ensure_initialized(NULL), 0);
	ck_assert_uint_eq(dlssl_generation(), gen);
}
END_TEST

/* ---- reload ---- */

/* Back to the caller's selection (for CK_FORK=no, where state carries over). */
static void
reload_teardown(void)
{
	const struct dlssl_library_info *i = dlssl_library_info();

	if (i->libssl_path == NULL || strcmp(i->libssl_path, lc_json(real_json, "libssl")) != 0)
		(void)dlssl_reload_opts(NULL);
}

START_TEST(test_reload_switch)
{
	const struct dlssl_library_info *i = real_loaded();
	const struct dlssl__ossl *real_table = dlssl__ossl_current(), *stub_table;
	char real_path[4096];
	unsigned long gen0 = dlssl_generation(), gen1, gen2;
	unsigned char buf[RANDLEN];
	struct dlssl_init_opts o = { 0 };
	const char *ver;
	int byte;

	snprintf(real_path, sizeof(real_path), "%s", i->libssl_path);
	o.libssl_path = other_stub(i->version_major, &byte, &ver);
	ck_assert_msg(dlssl_reload_opts(&o) == 0, "reload to %s: %s", o.libssl_path, dlssl_error());
	gen1 = dlssl_generation();
	ck_assert_uint_gt(gen1, gen0);
	i = dlssl_library_info();
	ck_assert_uint_eq(i->generation, gen1);
	ck_assert_str_eq(i->libssl_path, lc_realpath(o.libssl_path));
	ck_assert_int_eq(i->source, DLSSL_SOURCE_ARGUMENT);
	ck_assert_str_eq(lc_str("%u.%u.%u", i->version_major, i->version_minor, i->version_patch), ver);
	ck_assert_int_eq(dlssl_random_bytes(buf, sizeof(buf)), 0);
	ck_assert_msg(all_bytes(buf, sizeof(buf), byte), "random bytes not from the stub");

	/* The table made before the reload is refused. */
	stub_table = dlssl__ossl_current();
	ck_assert_ptr_ne(stub_table, real_table);
	ck_assert_int_eq(dlssl__ossl_check_current(real_table), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl__ossl_check_current(stub_table), 0);

	/* Back to what the environment selects. */
	ck_assert_msg(dlssl_reload_opts(NULL) == 0, "reload back: %s", dlssl_error());
	gen2 = dlssl_generation();
	ck_assert_uint_gt(gen2, gen1);
	i = dlssl_library_info();
	ck_assert_str_eq(i->libssl_path, real_path);
	ck_assert_int_eq(dlssl__ossl_check_current(stub_table), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_random_bytes(buf, sizeof(buf)), 0);
	ck_assert_msg(!all_bytes(buf, sizeof(buf), byte), "random bytes still from the stub");
	/* dlssl loaded and initialised it: it is not the host's. */
	ck_assert_msg(i->host_owned == 0 && i->source != DLSSL_SOURCE_HOST,
	    "after reloading, the library dlssl loaded itself is reported as the host's "
	    "(source %s, host_owned %d)", dlssl_source_name(i->source), i->host_owned);
}
END_TEST

START_TEST(test_reload_same)
{
	const struct dlssl__ossl *before;
	unsigned long gen;
	unsigned char buf[RANDLEN];

	real_loaded();
	before = dlssl__ossl_current();
	gen = dlssl_generation();
	/* Re-reading the same environment still makes a new generation. */
	ck_assert_msg(dlssl_reload() == 0, "%s", dlssl_error());
	ck_assert_uint_eq(dlssl_generation(), gen + 1);
	ck_assert_str_eq(dlssl_library_info()->libssl_path, lc_json(real_json, "libssl"));
	ck_assert_int_eq(dlssl__ossl_check_current(before), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl__ossl_check_current(NULL), -1);
	ck_assert_int_eq(dlssl_random_bytes(buf, sizeof(buf)), 0);
}
END_TEST

START_TEST(test_reload_failure_keeps)
{
	const struct dlssl_library_info *i = real_loaded();
	const struct dlssl__ossl *stub_table;
	struct dlssl_init_opts o = { 0 };
	unsigned char buf[RANDLEN];
	unsigned long gen;
	const char *ver;
	int byte;

	/* On a stub, so the random bytes show which library answers. */
	o.libssl_path = other_stub(i->version_major, &byte, &ver);
	ck_assert_msg(dlssl_reload_opts(&o) == 0, "%s", dlssl_error());
	stub_table = dlssl__ossl_current();
	gen = dlssl_generation();

	/*
	 * A library that does not exist.  (Not a refused stub: one sharing a
	 * soname with a library already mapped would be refused as a mismatched
	 * pair, which is right, but not this test.)
	 */
	o.libssl_path = lc_stub("nonexistent", "libssl.so.3");
	ck_assert_int_eq(dlssl_reload_opts(&o), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_LOAD);
	ck_assert_msg(lc_contains(dlssl_error(), o.libssl_path), "%s", dlssl_error());
	ck_assert_uint_eq(dlssl_generation(), gen);
	ck_assert_ptr_eq(dlssl__ossl_current(), stub_table);
	ck_assert_int_eq(dlssl__ossl_check_current(stub_table), 0);
	ck_assert_int_eq(dlssl_random_bytes(buf, sizeof(buf)), 0);
	ck_assert_msg(all_bytes(buf, sizeof(buf), byte), "the previous library is not in use");

	o.libssl_path = "relative/libssl.so.3";
	ck_assert_int_eq(dlssl_reload_opts(&o), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_LOAD);
	ck_assert_uint_eq(dlssl_generation(), gen);
	ck_assert_int_eq(dlssl_random_bytes(buf, sizeof(buf)), 0);
	ck_assert(all_bytes(buf, sizeof(buf), byte));
}
END_TEST

/* ---- fresh processes ---- */

START_TEST(test_threads)
{
	struct lc_run r;

	lc_hostprobe(&r, LC_KEEP_DLSSL, NULL, LC_LIST("threads", "8"));
	ck_assert_msg(r.status == 0, "%s", lc_desc(&r));
	ck_assert_str_eq(lc_json(r.out, "generation"), "1");
	ck_assert_str_eq(lc_json(r.out, "libssl"), lc_json(real_json, "libssl"));
}
END_TEST

START_TEST(test_retry_opts)
{
	struct lc_run r;
	const char *good = lc_stub("ossl3", "libssl.so.3");

	lc_hostprobe(&r, 0, NULL, LC_LIST("retry-opts", lc_stub("nonexistent", "libssl.so.3"), good));
	ck_assert_msg(r.status == 0, "%s", lc_desc(&r));
	ck_assert_str_eq(lc_json(r.out, "version"), STUB_OSSL3_VER);
	ck_assert_str_eq(lc_json(r.out, "source"), "argument");
}
END_TEST

START_TEST(test_retry_env)
{
	struct lc_run r;
	const char *good = lc_stub("ossl111", "libssl.so.1.1");

	lc_hostprobe(&r, 0, NULL, LC_LIST("retry-env", lc_stub("missing3", "libssl.so.3"), good));
	ck_assert_msg(r.status == 0, "%s", lc_desc(&r));
	ck_assert_str_eq(lc_json(r.out, "version"), STUB_OSSL111_VER);
	ck_assert_str_eq(lc_json(r.out, "source"), "environment");
}
END_TEST

static Suite *
loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc;

	tc = tcase_create("real");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_test(tc, test_random_real);
	tcase_add_test(tc, test_library_info);
	tcase_add_test(tc, test_safety);
	suite_add_tcase(s, tc);

	tc = tcase_create("reload");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, reload_teardown);
	tcase_add_test(tc, test_reload_switch);
	tcase_add_test(tc, test_reload_same);
	tcase_add_test(tc, test_reload_failure_keeps);
	suite_add_tcase(s, tc);

	tc = tcase_create("fresh");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_retry_opts);
	tcase_add_test(tc, test_retry_env);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	static struct lc_run r;
	SRunner *sr;
	int nfailed;

	if (!lc_real_loadable(LC_KEEP_DLSSL, NULL, &r)) {
		const char *named = named_library_var();

		/* The library the caller named is the one under test: not loading it fails. */
		printf("%s: no libssl loadable with this environment%s%s (%s)\n",
		    named ? "FAIL" : "SKIP", named ? "; it names one in " : "", named ? named : "",
		    lc_json(r.out, "error") ? lc_json(r.out, "error") : lc_desc(&r));
		return named ? 1 : 77;
	}
	snprintf(real_json, sizeof(real_json), "%s", r.out);
	printf("real library: %s\n", lc_json(real_json, "libssl"));
	sr = srunner_create(loader_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
