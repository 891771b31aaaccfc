/*
 * The environment is ignored in a setuid (AT_SECURE) process: DLSSL_LIBSSL,
 * DLSSL_TRACE (dlssl's own, read with secure_getenv) and SSL_CERT_FILE
 * (libcrypto's, read with its own secure getenv) must not change what a
 * setuid-root program loads, prints or trusts.
 *
 * A setuid-root copy of tests/hard_secure_probe, run as user nobody with
 * setpriv(1), against a plain copy run the same way (the control, which
 * must obey the same environment).  Needs root, setpriv and a file system
 * without nosuid; skips (77) saying which is missing.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "hard_common.h"
#include "tls_test.h"

#ifndef HARD_BUILDDIR
#error "HARD_BUILDDIR must name the build tree"
#endif
#define PROBE HARD_BUILDDIR "/tests/hard_secure_probe"

static char dir[256];
static pid_t main_pid;
static uid_t nobody_uid;
static gid_t nobody_gid;

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out, rc = -1;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (out >= 0) {
		rc = 0;
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, (size_t)n) != n)
				rc = -1;
		if (n < 0 || fchown(out, 0, 0) != 0 || fchmod(out, mode) != 0)
			rc = -1;
		close(out);
	}
	close(in);
	return rc;
}

/* Run a copy of the probe as nobody with extra environment: its stdout and stderr. */
static void
run_probe(const char *copy, const char *const *env, char *out, size_t n)
{
	char prog[300], uid[32], gid[32];
	const char *argv[16];
	struct hard_proc p;
	char *log;
	int k = 0, i, rc;

	snprintf(prog, sizeof(prog), "%s/%s", dir, copy);
	snprintf(uid, sizeof(uid), "--reuid=%u", (unsigned)nobody_uid);
	snprintf(gid, sizeof(gid), "--regid=%u", (unsigned)nobody_gid);
	argv[k++] = "env";
	for (i = 0; env[i] != NULL && k < 10; i++)
		argv[k++] = env[i];
	argv[k++] = hard_which("setpriv");
	argv[k++] = uid;
	argv[k++] = gid;
	argv[k++] = "--clear-groups";
	argv[k++] = prog;
	argv[k++] = dir;
	argv[k] = NULL;
	ck_assert_int_eq(hard_spawn(&p, argv, 0, 60), 0);
	rc = hard_proc_wait(&p, 30 * hard_slowdown());
	log = hard_read_log(&p);
	snprintf(out, n, "%s", log);
	free(log);
	hard_proc_free(&p);
	ck_assert_msg(rc == 0, "%s exited with %d:\n%s", copy, rc, out);
}

START_TEST(library_path_and_trace_ignored)
{
	const char *const env[] = { "DLSSL_LIBSSL=/nonexistent/dlssl-suid/libssl.so.3",
		"DLSSL_TRACE=1", NULL };
	char out[4096];

	/* The control obeys: it tries the named file, fails, and traces. */
	run_probe("probe-plain", env, out, sizeof(out));
	ck_assert_msg(strstr(out, "secure=0 loaded=0") != NULL, "plain copy:\n%s", out);
	ck_assert_msg(strstr(out, "/nonexistent/dlssl-suid/libssl.so.3") != NULL, "plain copy:\n%s",
	    out);
	ck_assert_msg(strstr(out, "dlssl: ") != NULL, "plain copy did not trace:\n%s", out);

	/* The setuid copy ignores both: the system library, no trace. */
	run_probe("probe-suid", env, out, sizeof(out));
	ck_assert_msg(strstr(out, "secure=1 ") != NULL, "not AT_SECURE:\n%s", out);
	ck_assert_msg(strstr(out, "loaded=1 source=system ") != NULL, "setuid copy:\n%s", out);
	ck_assert_msg(strstr(out, "dlssl: ") == NULL, "setuid copy traced:\n%s", out);
	printf("setuid probe: %s", out);
}
END_TEST

START_TEST(mode_and_libdir_ignored)
{
	const char *const env[] = { "DLSSL_MODE=host", "DLSSL_LIBDIR=/nonexistent/dlssl-suid", NULL };
	char out[4096];

	run_probe("probe-plain", env, out, sizeof(out));
	ck_assert_msg(strstr(out, "loaded=0") != NULL, "plain copy:\n%s", out);
	run_probe("probe-suid", env, out, sizeof(out));
	ck_assert_msg(strstr(out, "secure=1 loaded=1 source=system ") != NULL, "setuid copy:\n%s", out);
}
END_TEST

START_TEST(trust_store_override_ignored)
{
	char file[300], dirv[300];
	const char *env[3];
	char out[4096];

	/* SSL_CERT_FILE naming the test root makes the default context trust it... */
	snprintf(file, sizeof(file), "SSL_CERT_FILE=%s/root-ca.crt", dir);
	snprintf(dirv, sizeof(dirv), "SSL_CERT_DIR=%s", dir);
	env[0] = file;
	env[1] = dirv;
	env[2] = NULL;
	run_probe("probe-plain", env, out, sizeof(out));
	ck_assert_msg(strstr(out, "loaded=1") != NULL && strstr(out, "trusted_test_root=1") != NULL,
	    "plain copy:\n%s", out);
	/* ... but not in a setuid program. */
	run_probe("probe-suid", env, out, sizeof(out));
	ck_assert_msg(strstr(out, "secure=1 loaded=1") != NULL && strstr(out, "trusted_test_root=0") != NULL,
	    "setuid copy:\n%s", out);
}
END_TEST

static Suite *
secure_suite(void)
{
	Suite *s = suite_create("defaults_secure");
	TCase *tc = tcase_create("at_secure");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, library_path_and_trace_ignored);
	tcase_add_test(tc, mode_and_libdir_ignored);
	tcase_add_test(tc, trust_store_override_ignored);
	suite_add_tcase(s, tc);
	return s;
}

static void
skip(const char *why)
{
	printf("SKIP: %s\n", why);
	fprintf(stderr, "SKIP: %s\n", why);
	exit(77);
}

static void
cleanup(void)
{
	static const char *const files[] = { "probe-suid", "probe-plain", "root-ca.crt",
		"localhost-chain.pem", "localhost.key" };
	char path[400];
	size_t i;

	/* Check's forked test processes exit too: only the main one cleans up. */
	if (dir[0] == '\0' || getpid() != main_pid)
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

int
main(void)
{
	static const char *const tools[] = { "setpriv", "env", "timeout", NULL };
	static const char *const pki[] = { "root-ca.crt", "localhost-chain.pem", "localhost.key" };
	const char *tmp = getenv("TMPDIR");
	struct passwd *pw;
	struct statvfs vfs;
	char from[400], to[400];
	size_t i;
	int rc;

	if (geteuid() != 0)
		skip("making a setuid-root probe needs root");
	hard_require_tools(tools);
	if ((pw = getpwnam("nobody")) == NULL)
		skip("there is no user 'nobody' to run the probe as");
	nobody_uid = pw->pw_uid;
	nobody_gid = pw->pw_gid;
	if (access(PROBE, X_OK) != 0)
		skip("tests/hard_secure_probe was not built");
	/* The temporary directory, else the build tree if that one is mounted nosuid. */
	main_pid = getpid();
	atexit(cleanup);
	for (i = 0; i < 2; i++) {
		snprintf(dir, sizeof(dir), "%s/dlssl-suid-XXXXXX",
		    i == 1 ? HARD_BUILDDIR "/tests" : tmp != NULL && *tmp ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL) {
			dir[0] = '\0';
			continue;
		}
		if (chmod(dir, 0755) == 0 && statvfs(dir, &vfs) == 0 && !(vfs.f_flag & ST_NOSUID))
			break;
		(void)rmdir(dir);
		dir[0] = '\0';
	}
	if (dir[0] == '\0')
		skip("no directory for a setuid probe: the temporary directory and the build tree are "
		    "on nosuid file systems, or cannot be made readable to others");
	snprintf(to, sizeof(to), "%s/probe-suid", dir);
	if (copy_file(PROBE, to, 04755) != 0)
		skip("cannot make the setuid-root copy of the probe");
	snprintf(to, sizeof(to), "%s/probe-plain", dir);
	if (copy_file(PROBE, to, 0755) != 0)
		skip("cannot copy the probe");
	for (i = 0; i < sizeof(pki) / sizeof(pki[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s", PKI_DIR, pki[i]);
		snprintf(to, sizeof(to), "%s/%s", dir, pki[i]);
		if (copy_file(from, to, 0644) != 0)
			skip("cannot copy the test PKI for the probe");
	}
	tt_require_libssl();
	{
		SRunner *sr = srunner_create(secure_suite());

		srunner_run_all(sr, CK_NORMAL);
		rc = srunner_ntests_failed(sr);
		srunner_free(sr);
	}
	return rc == 0 ? 0 : 1;
}
