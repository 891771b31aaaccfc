/*
 * Private namespaces, reload between any two libraries, the restore story
 * (issue 13), through tests/reload_probe in fresh processes:
 *
 *   - in a host program linked with the system's OpenSSL (tests/reload_linked;
 *     without it, tests/reload_plain mapping the system's libssl with
 *     RTLD_GLOBAL), reload system -> 3.5.7 -> 4.0.2 -> LibreSSL 4.3.2 ->
 *     1.1.1w -> system and back the other way: a verified handshake after
 *     each step, the step before's objects refused as stale, the host's own
 *     error queue untouched, every foreign library isolated by auto mode,
 *     one namespace per pair of files however often it is reloaded, and a
 *     clean exit;
 *   - private mode beside the host's own library, by path and by soname;
 *   - a process with no OpenSSL of its own: auto mode isolates only a pair
 *     whose soname it already maps;
 *   - the files of a loaded directory replaced on disk, then dlssl_reload;
 *   - forked children draw different random bytes, on every library, in
 *     auto and private mode, and again after a reload.
 *
 * The libraries: DLSSL_OSSL_DIR, else OSSL_DIR (../shared/ossl).
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader_common.h"

static const char *ossl;
static char system_ssl[PATH_MAX];

static const char *
prog(const char *name)
{
	return lc_str("%s/tests/%s", LC_BUILDDIR, name);
}

/* The libssl of a library folder (lib/libssl.so.N). */
static const char *
lib_of(const char *name)
{
	const char *dir = lc_str("%s/%s/lib", ossl, name);
	struct dirent *e;
	DIR *d = opendir(dir);
	const char *found = NULL;

	while (d != NULL && found == NULL && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "libssl.so.", 10) == 0)
			found = lc_str("%s/%s", dir, e->d_name);
	if (d != NULL)
		closedir(d);
	ck_assert_msg(found != NULL, "no libssl.so.* in %s", dir);
	return found;
}

/* Line k (from 0) of the probe's output. */
static const char *
line(const char *out, int k)
{
	const char *p = out, *e;

	while (k-- > 0 && p != NULL && (p = strchr(p, '\n')) != NULL)
		p++;
	if (p == NULL || *p == '\0')
		return NULL;
	e = strchr(p, '\n');
	return lc_str("%.*s", e ? (int)(e - p) : (int)strlen(p), p);
}

static int
nlines(const char *out)
{
	int n = 0;

	for (; *out; out++)
		n += *out == '\n';
	return n;
}

/* Run the host program (linked with the system's OpenSSL, or playing one). */
static void
run_host(struct lc_run *r, const char *const *args)
{
	if (access(prog("reload_linked"), X_OK) == 0)
		lc_exec(r, 0, args, NULL);
	else
		lc_exec(r, 0, args, LC_LIST("RP_HOST_GLOBAL=libssl.so.3"));
}

static const char *
host_prog(void)
{
	return access(prog("reload_linked"), X_OK) == 0 ? prog("reload_linked") : prog("reload_plain");
}

/* Every step handshook and passed its checks. */
static void
all_steps_ok(const struct lc_run *r, int n)
{
	int k;

	ck_assert_msg(r->status == 0, "%s", lc_desc(r));
	ck_assert_msg(nlines(r->out) == n, "%d steps reported, not %d: %s", nlines(r->out), n,
	    lc_desc(r));
	for (k = 0; k < n; k++) {
		const char *l = line(r->out, k);

		ck_assert_msg(strcmp(lc_json(l, "handshake"), "true") == 0, "step %d: %s", k, l);
		ck_assert_msg(strcmp(lc_json(l, "fail"), "null") == 0, "step %d: %s", k, l);
	}
}

static long
link_map(const char *out, int k)
{
	return strtol(lc_json(line(out, k), "link_map"), NULL, 10);
}

static void
host_step(const char *out, int k)
{
	const char *l = line(out, k);

	ck_assert_msg(strcmp(lc_json(l, "host_owned"), "true") == 0 && link_map(out, k) == 0,
	    "step %d is not the host's own library: %s", k, l);
	ck_assert_str_eq(lc_json(l, "libssl"), system_ssl);
}

/* Isolated by auto mode, with the reason in the report. */
static void
isolated_step(const char *out, int k)
{
	const char *l = line(out, k);

	ck_assert_msg(link_map(out, k) > 0, "step %d shares the host's namespace: %s", k, l);
	ck_assert_msg(lc_contains(lc_json(l, "isolation"), "auto mode isolated it"), "step %d: %s",
	    k, l);
	ck_assert_str_eq(lc_json(l, "host_owned"), "false");
}

START_TEST(test_chain_forward)
{
	struct lc_run r;
	int k;

	run_host(&r, LC_LIST(host_prog(), "chain", "host", lc_str("auto:%s", lib_of("3.5.7")),
	    lc_str("auto:%s", lib_of("4.0.2")), lc_str("auto:%s", lib_of("libressl-4.3.2")),
	    lc_str("auto:%s", lib_of("1.1.1w")), "host"));
	all_steps_ok(&r, 6);
	host_step(r.out, 0);
	for (k = 1; k <= 4; k++)
		isolated_step(r.out, k);
	host_step(r.out, 5);
	ck_assert(lc_contains(lc_json(line(r.out, 3), "version_text"), "LibreSSL 4.3.2"));
	ck_assert(lc_contains(lc_json(line(r.out, 1), "version_text"), "OpenSSL 3.5.7"));
}
END_TEST

START_TEST(test_chain_backward_reuse)
{
	struct lc_run r;
	int k;

	run_host(&r, LC_LIST(host_prog(), "chain", "host", lc_str("auto:%s", lib_of("1.1.1w")),
	    lc_str("auto:%s", lib_of("libressl-4.3.2")), lc_str("auto:%s", lib_of("4.0.2")),
	    lc_str("auto:%s", lib_of("3.5.7")), lc_str("auto:%s", lib_of("4.0.2")),
	    lc_str("auto:%s", lib_of("3.5.7")), "host"));
	all_steps_ok(&r, 8);
	host_step(r.out, 0);
	for (k = 1; k <= 6; k++)
		isolated_step(r.out, k);
	host_step(r.out, 7);
	/* One namespace per pair of files, however often it is loaded. */
	ck_assert_int_eq(link_map(r.out, 3), link_map(r.out, 5));
	ck_assert_int_eq(link_map(r.out, 4), link_map(r.out, 6));
	ck_assert_int_ne(link_map(r.out, 3), link_map(r.out, 4));
	ck_assert_int_ne(link_map(r.out, 1), link_map(r.out, 2));
}
END_TEST

START_TEST(test_private_beside_host)
{
	struct lc_run r;
	const char *l;

	/* The host's own files, a second time, privately: by path, then by soname. */
	run_host(&r, LC_LIST(host_prog(), "chain", lc_str("private:%s", system_ssl), "private",
	    "private", "host", lc_str("private:%s", lib_of("3.5.7"))));
	all_steps_ok(&r, 5);
	l = line(r.out, 0);
	ck_assert_msg(link_map(r.out, 0) > 0 && strcmp(lc_json(l, "host_owned"), "false") == 0 &&
	    strcmp(lc_json(l, "isolation"), "private mode") == 0, "%s", l);
	ck_assert_str_eq(lc_json(l, "libssl"), system_ssl);
	ck_assert_msg(link_map(r.out, 1) > 0, "%s", line(r.out, 1));
	ck_assert_int_eq(link_map(r.out, 1), link_map(r.out, 2));
	host_step(r.out, 3);
	ck_assert_msg(link_map(r.out, 4) > 0, "%s", line(r.out, 4));
}
END_TEST

START_TEST(test_no_host_openssl)
{
	struct lc_run r;
	int k;

	lc_exec(&r, 0, LC_LIST(prog("reload_plain"), "chain", lc_str("auto:%s", system_ssl),
	    lc_str("auto:%s", lib_of("3.5.7")), lc_str("auto:%s", system_ssl),
	    lc_str("auto:%s", lib_of("libressl-3.2.2")), lc_str("auto:%s", lib_of("1.0.2u")),
	    lc_str("auto:%s", lib_of("4.0.2")), lc_str("private:%s", lib_of("3.5.7"))), NULL);
	all_steps_ok(&r, 7);
	/* Only the pair whose soname the process already maps is isolated. */
	for (k = 0; k < 7; k++)
		if (k != 1 && k != 6)
			ck_assert_msg(link_map(r.out, k) == 0, "step %d: %s", k, line(r.out, k));
	ck_assert_msg(link_map(r.out, 1) > 0 && lc_contains(lc_json(line(r.out, 1), "isolation"),
	    "libssl.so.3"), "%s", line(r.out, 1));
	ck_assert_int_eq(link_map(r.out, 6), link_map(r.out, 1));
}
END_TEST

START_TEST(test_restore_replaced_files)
{
	struct lc_run r;
	static const char *const v[] = { "3.5.7", "1.1.1w", "4.0.2", "3.5.7" };
	int k;

	lc_exec(&r, 0, LC_LIST(prog("reload_plain"), "restore", lc_str("%s/3.5.7/lib", ossl),
	    lc_str("%s/1.1.1w/lib", ossl), lc_str("%s/4.0.2/lib", ossl),
	    lc_str("%s/3.5.7/lib", ossl)), NULL);
	all_steps_ok(&r, 4);
	for (k = 0; k < 4; k++)
		ck_assert_msg(lc_contains(lc_json(line(r.out, k), "version_text"), v[k]),
		    "step %d: %s", k, line(r.out, k));
	/* The same name as the first copy, still mapped: a new file, so isolated. */
	ck_assert_msg(link_map(r.out, 3) > 0, "%s", line(r.out, 3));
}
END_TEST

/* glibc out of room for namespaces: a clear error, and the previous library stays. */
START_TEST(test_namespaces_exhausted)
{
	struct lc_run r;
	const char *last;
	int n, k;

	lc_exec(&r, 0, LC_LIST(prog("reload_plain"), "chain", lc_str("private:%s", lib_of("3.5.7")),
	    lc_str("private:%s", lib_of("1.1.1w")), lc_str("private:%s", lib_of("4.0.2")),
	    lc_str("private:%s", lib_of("libressl-4.3.2")), lc_str("private:%s", lib_of("1.0.2u"))),
	    LC_LIST("GLIBC_TUNABLES=glibc.rtld.nns=1:glibc.rtld.optional_static_tls=0"));
	if (r.status == 0) {
		/* This glibc found room for all five: nothing ran out. */
		all_steps_ok(&r, 5);
		return;
	}
	ck_assert_msg(r.status == 2, "%s", lc_desc(&r));
	n = nlines(r.out);
	ck_assert_msg(n >= 2, "%s", lc_desc(&r));
	for (k = 0; k + 1 < n; k++)
		ck_assert_msg(strcmp(lc_json(line(r.out, k), "handshake"), "true") == 0, "step %d: %s",
		    k, line(r.out, k));
	last = line(r.out, n - 1);
	ck_assert_msg(lc_contains(lc_json(last, "fail"), "static TLS") ||
	    lc_contains(lc_json(last, "fail"), "no more namespaces"), "%s", last);
	ck_assert_msg(lc_contains(lc_json(last, "fail"), "GLIBC_TUNABLES") ||
	    lc_contains(lc_json(last, "fail"), "no more namespaces"), "%s", last);
	/* The library of the step before is still the one in use. */
	ck_assert_str_eq(lc_json(last, "libssl"), lc_json(line(r.out, n - 2), "libssl"));
}
END_TEST

static void
fork_on(const char *label, const char *ssl, const char *mode)
{
	struct lc_run r;

	lc_exec(&r, 0, LC_LIST(prog("reload_plain"), "fork"),
	    LC_LIST(ssl ? lc_str("DLSSL_LIBSSL=%s", ssl) : "DLSSL_LIBSSL", lc_str("DLSSL_MODE=%s", mode)));
	ck_assert_msg(r.status == 0, "%s, %s mode: %s", label, mode, lc_desc(&r));
	ck_assert_int_eq(nlines(r.out), 2);
}

START_TEST(test_fork_every_library)
{
	static const char *const libs[] = { "1.0.2u", "1.1.1w", "3.5.7", "4.0.2", "libressl-3.2.2",
		"libressl-4.3.2" };
	size_t k;

	fork_on("system", NULL, "auto");
	fork_on("system", NULL, "private");
	for (k = 0; k < sizeof(libs) / sizeof(libs[0]); k++) {
		fork_on(libs[k], lib_of(libs[k]), "auto");
		fork_on(libs[k], lib_of(libs[k]), "private");
	}
}
END_TEST

static Suite *
private_suite(void)
{
	Suite *s = suite_create("private");
	TCase *tc = tcase_create("reload");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, lc_reset, NULL);
	tcase_add_test(tc, test_chain_forward);
	tcase_add_test(tc, test_chain_backward_reuse);
	tcase_add_test(tc, test_private_beside_host);
	tcase_add_test(tc, test_no_host_openssl);
	tcase_add_test(tc, test_restore_replaced_files);
	tcase_add_test(tc, test_fork_every_library);
	tcase_add_test(tc, test_namespaces_exhausted);
	suite_add_tcase(s, tc);
	return s;
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CP_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CP_SANITIZED 1
#endif

int
main(void)
{
	static struct lc_run r;
	SRunner *sr;
	int nfailed;

#ifdef CP_SANITIZED
	/* A namespace's libc is invisible to them: its malloc and locks are not intercepted. */
	printf("SKIP: AddressSanitizer and ThreadSanitizer do not support dlmopen namespaces\n");
	return 77;
#endif

	ossl = getenv("DLSSL_OSSL_DIR") && getenv("DLSSL_OSSL_DIR")[0] ? getenv("DLSSL_OSSL_DIR") : OSSL_DIR;
	if (access(ossl, R_OK | X_OK) != 0) {
		printf("SKIP: the real library builds are not at %s (set DLSSL_OSSL_DIR)\n", ossl);
		return 77;
	}
	/* The system's own library, as auto mode finds it with nothing set. */
	if (lc_dlssl(&r, 0, NULL, LC_LIST("info", "--json")) != 0 || lc_json(r.out, "libssl") == NULL ||
	    !lc_contains(lc_json(r.out, "libssl"), "libssl.so.3")) {
		printf("SKIP: no system libssl.so.3 to play the host's library (%s)\n", lc_desc(&r));
		return 77;
	}
	snprintf(system_ssl, sizeof(system_ssl), "%s", lc_json(r.out, "libssl"));
	lc_reset();
	sr = srunner_create(private_suite());
	srunner_run_all(sr, CK_NORMAL);
	nfailed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nfailed == 0 ? 0 : 1;
}
