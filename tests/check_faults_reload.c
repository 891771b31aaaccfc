/*
 * A library that changes or disappears under running code:
 *  - dlssl_reload() while other threads hold streams, contexts and
 *    certificates of the old generation and keep using them: every call
 *    either works or fails cleanly with DLSSL_ERR_STALE, never crashes
 *    (run it under TSan and ASan too: `make check-tsan`, `make check-asan`);
 *  - a reload to a library that fails to bind (the loader tests' stub
 *    tests/stubs/out/missing3) is refused and the old library stays in use;
 *  - a process whose only libssl fails to bind, or does not exist, gets a
 *    clean DLSSL_ERR_LOAD from every entry point (in a child process, so
 *    that this one keeps its library).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hard_common.h"
#include "hard_pipe.h"
#include "tls_test.h"

#ifndef HARD_BUILDDIR
#error "HARD_BUILDDIR must name the build tree"
#endif
#define MISSING3 HARD_BUILDDIR "/tests/stubs/out/missing3"

extern char **environ;

/* ---- threads using the library while it is reloaded ---- */

enum worker_kind {
	W_PAIRS,   /* new contexts and streams, again and again */
	W_GLOBAL,  /* client streams on the global (default) context */
	W_HOLDER,  /* one pair made before the reloads, used until it fails */
	W_X509     /* certificates loaded and read */
};

struct worker {
	enum worker_kind kind;
	int id;
	atomic_int *stop;
	pthread_t thread;
	unsigned long ok, stale, other;
	char first_other[768];
	int holder_failed_code;
};

static void
other_failure(struct worker *w, int code, const char *what, const char *msg)
{
	if (w->other++ == 0)
		snprintf(w->first_other, sizeof(w->first_other), "%s: %s: %s", what,
		    dlssl_error_name(code), msg ? msg : "(no message)");
}

/* Account for a failure: STALE is the one acceptable way to fail. */
static void
failed(struct worker *w, int code, const char *what, const char *msg)
{
	if (code == DLSSL_ERR_STALE)
		w->stale++;
	else
		other_failure(w, code, what, msg);
}

static int
pair_code(const struct hard_pair *p)
{
	if (strstr(p->err, ": STALE: ") != NULL)
		return DLSSL_ERR_STALE;
	return DLSSL_ERR_INTERNAL; /* anything else is reported with its text */
}

static void
make_contexts(struct dlssl_context **c, struct dlssl_context **s, struct worker *w)
{
	struct dlssl_context_opts o = { 0 };

	dlssl_ctx_free(*c);
	dlssl_ctx_free(*s);
	o.ca_file = PKI("root-ca.crt");
	*c = dlssl_make_context(&o);
	memset(&o, 0, sizeof(o));
	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("localhost.key");
	o.no_default_verify_paths = 1;
	*s = dlssl_make_context(&o);
	if (*c == NULL || *s == NULL) {
		/* A reload between the two is fine; it will be tried again. */
		failed(w, dlssl_error_code(), "make_context", dlssl_error());
		dlssl_ctx_free(*c);
		dlssl_ctx_free(*s);
		*c = *s = NULL;
	}
}

static void
pairs_loop(struct worker *w)
{
	const struct hard_fault f = { 2, 5, 20 };
	struct dlssl_context *c = NULL, *s = NULL;
	struct dlssl_stream_opts co = { 0 };
	struct hard_pair p;
	unsigned long long i = 0;

	co.verify = DLSSL_VERIFY_NONE; /* the global context trusts the system store only */
	while (!*w->stop) {
		i++;
		/* New contexts at first, and when the old ones went stale (below). */
		if (c == NULL || s == NULL) {
			make_contexts(&c, &s, w);
			if (c == NULL || s == NULL)
				continue;
		}
		if (hard_pair_open(&p, w->kind == W_GLOBAL ? NULL : c, s, "localhost", 1 << 16,
		    (unsigned long long)w->id * 1000003ULL + i, &f, w->kind == W_GLOBAL ? &co : NULL,
		    NULL) != 0 || hard_pair_transfer(&p, 20000, 20000, 0, i, NULL) != 0) {
			if (pair_code(&p) == DLSSL_ERR_STALE) {
				w->stale++;
				make_contexts(&c, &s, w);
			} else {
				other_failure(w, 0, "pair", p.err);
			}
		} else {
			w->ok++;
		}
		hard_pair_free(&p);
	}
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
}

static void
holder_loop(struct worker *w, struct hard_pair *p)
{
	unsigned long long i = 0;

	while (!*w->stop) {
		if (hard_pair_transfer(p, 4096, 4096, 0, ++i, NULL) != 0) {
			w->holder_failed_code = pair_code(p);
			failed(w, w->holder_failed_code, "held pair", p->err);
			break;
		}
		w->ok++;
	}
	/* Whatever happened, an old stream can be closed and freed. */
	hard_pair_free(p);
}

static void
x509_loop(struct worker *w)
{
	unsigned char md[64];
	struct dlssl_x509 *x;
	int r;

	while (!*w->stop) {
		x = dlssl_x509_load_file(PKI("localhost.crt"));
		if (x == NULL) {
			failed(w, dlssl_error_code(), "x509_load_file", dlssl_error());
			continue;
		}
		if (dlssl_check_host(x, "localhost") != 1 || dlssl_x509_subject(x) == NULL)
			other_failure(w, dlssl_error_code(), "x509 getters", dlssl_error());
		r = dlssl_x509_fingerprint(x, "sha256", md, sizeof(md));
		if (r == 32)
			w->ok++;
		else
			failed(w, dlssl_error_code(), "fingerprint", dlssl_error());
		dlssl_x509_free(x);
	}
}

static struct hard_pair held;

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	switch (w->kind) {
	case W_PAIRS:
	case W_GLOBAL:
		pairs_loop(w);
		break;
	case W_HOLDER:
		holder_loop(w, &held);
		break;
	case W_X509:
		x509_loop(w);
		break;
	}
	return NULL;
}

START_TEST(reload_under_load)
{
	static const enum worker_kind kinds[] = { W_PAIRS, W_PAIRS, W_GLOBAL, W_HOLDER, W_X509 };
	enum { NW = sizeof(kinds) / sizeof(kinds[0]) };
	struct worker w[NW];
	struct dlssl_context *c, *s;
	atomic_int stop = 0;
	unsigned long gen0 = dlssl_generation();
	/* Fewer than the BIO method slots: many_reloads tests that limit on its own. */
	int i, reloads = hard_under_valgrind() ? 5 : 10;

	/* The held pair exists before the first reload. */
	c = tt_client_ctx();
	s = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	ck_assert_msg(hard_pair_open(&held, c, s, "localhost", 1 << 16, 7, NULL, NULL, NULL) == 0, "%s",
	    held.err);
	dlssl_ctx_free(c); /* the streams keep their own references */
	dlssl_ctx_free(s);
	memset(w, 0, sizeof(w));
	for (i = 0; i < NW; i++) {
		w[i].kind = kinds[i];
		w[i].id = i;
		w[i].stop = &stop;
		ck_assert_int_eq(pthread_create(&w[i].thread, NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < reloads; i++) {
		usleep(hard_under_valgrind() ? 200000 : 40000);
		ck_assert_msg(dlssl_reload() == 0, "reload %d: %s", i, dlssl_error());
	}
	usleep(100000);
	stop = 1;
	for (i = 0; i < NW; i++)
		pthread_join(w[i].thread, NULL);
	ck_assert_uint_eq(dlssl_generation(), gen0 + (unsigned long)reloads);
	for (i = 0; i < NW; i++) {
		printf("worker %d (kind %d): %lu ok, %lu stale, %lu other\n", i, (int)w[i].kind, w[i].ok,
		    w[i].stale, w[i].other);
		ck_assert_msg(w[i].other == 0, "worker %d: %lu failures other than STALE; first: %s", i,
		    w[i].other, w[i].first_other);
		/* Under valgrind a reload comes before the global context is even made. */
		ck_assert_msg(w[i].ok > 0 || (w[i].kind == W_GLOBAL && hard_under_valgrind()),
		    "worker %d never succeeded", i);
	}
	/* The held pair was made before the reloads: it went stale, cleanly. */
	ck_assert_int_eq(w[3].holder_failed_code, DLSSL_ERR_STALE);
	fflush(stdout);
}
END_TEST

/* An old stream after a reload: each call says STALE; close and free still work. */
START_TEST(old_objects_after_reload)
{
	struct dlssl_context *c = tt_client_ctx(),
	    *s = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	struct dlssl_x509 *x = dlssl_x509_load_file(PKI("localhost.crt"));
	struct hard_pair p;
	unsigned char md[64];
	char buf[8];

	ck_assert_ptr_nonnull(x);
	ck_assert_msg(hard_pair_open(&p, c, s, "localhost", 1 << 16, 3, NULL, NULL, NULL) == 0, "%s",
	    p.err);
	ck_assert_int_eq(dlssl_reload(), 0);
	ck_assert_int_eq(dlssl_write(p.client, "x", 1), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_read(p.server, buf, sizeof(buf)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_flush(p.client), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_ptr_null(dlssl_stream_peer_certificate(p.client));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_stream_set_timeouts(p.client, 1, 1, 0), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	/* Old contexts cannot make new streams... */
	ck_assert_ptr_null(dlssl_make_client_stream(dlssl_transport_io(&hard_end_ops, &p.c),
	    &(struct dlssl_stream_opts){ .context = c, .hostname = "localhost" }));
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_ctx_add_verify_location(c, PKI("root-ca.crt")), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	/* ... and an old certificate's getters that need libcrypto say so too. */
	ck_assert_int_eq(dlssl_x509_fingerprint(x, "sha256", md, sizeof(md)), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_STALE);
	ck_assert_int_eq(dlssl_check_host(x, "localhost"), 1); /* decoded when loaded */
	/* Everything can be released. */
	ck_assert_int_eq(dlssl_close(p.client), 0);
	hard_pair_free(&p);
	ck_assert_int_eq(p.c.closes, 1);
	ck_assert_int_eq(p.s.closes, 1);
	dlssl_x509_free(x);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
	/* And new ones work. */
	c = tt_client_ctx();
	s = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	ck_assert_msg(hard_pair_open(&p, c, s, "localhost", 1 << 16, 4, NULL, NULL, NULL) == 0, "%s",
	    p.err);
	ck_assert_int_eq(hard_pair_transfer(&p, 1000, 1000, 0, 4, NULL), 0);
	hard_pair_free(&p);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
}
END_TEST

/* A reload to a library that fails to bind is refused; nothing changes. */
START_TEST(failed_reload_keeps_the_library)
{
	struct dlssl_init_opts bad = { 0 };
	struct dlssl_context *c = tt_client_ctx(),
	    *s = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	const struct dlssl_library_info *info;
	struct hard_pair p;
	unsigned long gen;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/libssl.so.3", MISSING3);
	if (access(path, R_OK) != 0) {
		/* Built by tests/loader.mk's check_DATA on ELF systems. */
		printf("failed_reload_keeps_the_library: %s missing: not checked\n", path);
		return;
	}
	ck_assert_msg(hard_pair_open(&p, c, s, "localhost", 1 << 16, 5, NULL, NULL, NULL) == 0, "%s",
	    p.err);
	gen = dlssl_generation();
	bad.libdir = MISSING3;
	ck_assert_int_eq(dlssl_reload_opts(&bad), -1);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_LOAD);
	ck_assert_msg(strstr(dlssl_error(), "missing3") != NULL || strstr(dlssl_error(), "lacks") != NULL,
	    "%s", dlssl_error());
	ck_assert_uint_eq(dlssl_generation(), gen);
	info = dlssl_library_info();
	ck_assert_int_eq(info->loaded, 1);
	/* The streams made before go on. */
	ck_assert_msg(hard_pair_transfer(&p, 50000, 50000, 0, 5, NULL) == 0, "%s", p.err);
	hard_pair_free(&p);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
	/* A later reload with the defaults finds the real library again. */
	memset(&bad, 0, sizeof(bad));
	ck_assert_msg(dlssl_reload_opts(&bad) == 0, "%s", dlssl_error());
	c = tt_client_ctx();
	dlssl_ctx_free(c);
}
END_TEST

/*
 * A long-running program may reload many times (a checkpointed service
 * restored again and again, a periodic switch of library): streams must
 * still be possible after the 16th reload of the same library.
 */
START_TEST(many_reloads)
{
	struct dlssl_context *c, *s;
	struct hard_pair p;
	int i;

	char err[600];
	int ok;

	/* Reload, then use the new generation, twenty times. */
	for (i = 0; i < 20; i++) {
		ck_assert_msg(dlssl_reload() == 0, "reload %d: %s", i, dlssl_error());
		c = tt_client_ctx();
		s = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
		ok = hard_pair_open(&p, c, s, "localhost", 1 << 16, 9, NULL, NULL, NULL) == 0 &&
		    hard_pair_transfer(&p, 1000, 1000, 0, 9, NULL) == 0;
		snprintf(err, sizeof(err), "%s", p.err);
		/* Released first: the assertion may end the test (CK_FORK=no). */
		hard_pair_free(&p);
		dlssl_ctx_free(c);
		dlssl_ctx_free(s);
		ck_assert_msg(ok, "after reload %d (generation %lu): %s", i + 1, dlssl_generation(), err);
	}
}
END_TEST

/* ---- a process without a usable libssl (child processes) ---- */

/* In the child: every entry point fails with LOAD (or works without libssl). */
static int
child_no_library(const char *scenario)
{
	const struct dlssl_library_info *info;
	struct dlssl_stream_opts o = { 0 };
	unsigned char b[8];
	int fds[2], bad = 0;

#define CHILD_EXPECT(cond, ...) \
	do { \
		if (!(cond)) { \
			printf("child %s: ", scenario); \
			printf(__VA_ARGS__); \
			printf("\n"); \
			bad++; \
		} \
	} while (0)

	CHILD_EXPECT(dlssl_ensure_initialized(NULL) == -1, "ensure_initialized succeeded");
	CHILD_EXPECT(dlssl_error_code() == DLSSL_ERR_LOAD, "ensure_initialized: %s",
	    dlssl_error_name(dlssl_error_code()));
	CHILD_EXPECT(dlssl_error() != NULL && strlen(dlssl_error()) > 10, "no message");
	printf("child %s: %s\n", scenario, dlssl_error() ? dlssl_error() : "(none)");
	info = dlssl_library_info();
	CHILD_EXPECT(info != NULL && !info->loaded && info->error != NULL, "library_info");
	if (strcmp(scenario, "missing3") == 0)
		CHILD_EXPECT(info->n_candidates >= 1 && info->candidates[0].missing != NULL &&
		    strstr(info->candidates[0].missing, "SSL_read") != NULL,
		    "the missing symbols are not reported");
	CHILD_EXPECT(dlssl_make_context(NULL) == NULL && dlssl_error_code() == DLSSL_ERR_LOAD,
	    "make_context: %s", dlssl_error_name(dlssl_error_code()));
	CHILD_EXPECT(dlssl_global_context() == NULL, "global_context");
	CHILD_EXPECT(dlssl_random_bytes(b, sizeof(b)) == -1 && dlssl_error_code() == DLSSL_ERR_LOAD,
	    "random_bytes");
	CHILD_EXPECT(dlssl_x509_load_file(PKI("localhost.crt")) == NULL &&
	    dlssl_error_code() == DLSSL_ERR_LOAD, "x509_load_file: %s",
	    dlssl_error_name(dlssl_error_code()));
	CHILD_EXPECT(dlssl_use_certificate_chain_file(PKI("localhost-chain.pem")) == -1 &&
	    dlssl_error_code() == DLSSL_ERR_LOAD, "use_certificate_chain_file");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0) {
		o.hostname = "localhost";
		CHILD_EXPECT(dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o) == NULL &&
		    dlssl_error_code() == DLSSL_ERR_LOAD, "make_client_stream: %s",
		    dlssl_error_name(dlssl_error_code()));
		CHILD_EXPECT(dlssl_make_server_stream(dlssl_transport_fd(fds[1]), NULL) == NULL &&
		    dlssl_error_code() == DLSSL_ERR_LOAD, "make_server_stream");
		CHILD_EXPECT(write(fds[0], "x", 1) == 1, "the fd was closed");
		close(fds[0]);
		close(fds[1]);
	}
	/* What needs no libssl still works. */
	CHILD_EXPECT(dlssl_hostname_matches("*.example.com", "www.example.com") == 1,
	    "hostname_matches");
	CHILD_EXPECT(dlssl_reload() == -1 && dlssl_error_code() == DLSSL_ERR_LOAD, "reload");
	CHILD_EXPECT(dlssl_generation() == 0, "generation %lu", dlssl_generation());
	fflush(stdout);
	return bad == 0 ? 0 : 1;
}

/* Run this program again with HARD_CHILD=scenario and the environment it needs. */
static int
run_child(const char *scenario, const char *const *env_set, char *out, size_t outlen)
{
	char self[PATH_MAX], logname[] = "/tmp/dlssl-child-XXXXXX";
	const char *argv[2];
	char **envp;
	posix_spawn_file_actions_t fa;
	size_t n = 0, i, k;
	ssize_t len;
	pid_t pid;
	int status, fd;
	FILE *f;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ck_assert_int_gt(len, 0);
	self[len] = '\0';
	for (i = 0; environ[i] != NULL; i++)
		n++;
	envp = calloc(n + 8, sizeof(*envp));
	ck_assert_ptr_nonnull(envp);
	for (i = 0, k = 0; environ[i] != NULL; i++) {
		/* The caller's library choice would win over the scenario's. */
		if (strncmp(environ[i], "DLSSL_", 6) == 0 || strncmp(environ[i], "LD_PRELOAD=", 11) == 0)
			continue;
		envp[k++] = environ[i];
	}
	for (i = 0; env_set[i] != NULL; i++)
		envp[k++] = (char *)(uintptr_t)env_set[i];
	envp[k] = NULL;
	ck_assert_int_ge(fd = mkstemp(logname), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	argv[0] = self;
	argv[1] = NULL;
	ck_assert_int_eq(posix_spawn(&pid, self, &fa, NULL, (char *const *)(uintptr_t)argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(fd);
	free(envp);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	out[0] = '\0';
	if ((f = fopen(logname, "r")) != NULL) {
		n = fread(out, 1, outlen - 1, f);
		out[n] = '\0';
		fclose(f);
	}
	unlink(logname);
	(void)scenario;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(no_usable_library_in_child)
{
	const char *const missing[] = { "HARD_CHILD=missing3", "DLSSL_LIBDIR=" MISSING3, NULL };
	const char *const nofile[] = { "HARD_CHILD=nofile",
		"DLSSL_LIBSSL=/nonexistent/dlssl-test/libssl.so.3", NULL };
	const char *const relative[] = { "HARD_CHILD=relative", "DLSSL_LIBSSL=libssl.so.3", NULL };
	const char *const *scen[] = { missing, nofile, relative };
	char out[8192];
	int rc;

	if (access(MISSING3 "/libssl.so.3", R_OK) != 0)
		scen[0] = nofile; /* no stubs on this system: the other scenarios still run */
	rc = run_child("", scen[_i], out, sizeof(out));
	ck_assert_msg(rc == 0, "%s: exit %d:\n%s", scen[_i][0], rc, out);
	if (_i == 1)
		ck_assert_msg(strstr(out, "/nonexistent/dlssl-test/libssl.so.3") != NULL,
		    "the message does not name the path:\n%s", out);
	printf("%s", out);
}
END_TEST

static Suite *
reload_suite(void)
{
	Suite *s = suite_create("faults_reload");
	TCase *tc;

	tc = tcase_create("reload");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, reload_under_load);
	tcase_add_test(tc, old_objects_after_reload);
	tcase_add_test(tc, failed_reload_keeps_the_library);
	tcase_add_test(tc, many_reloads); /* last: with CK_FORK=no it uses up the process */
	suite_add_tcase(s, tc);

	tc = tcase_create("no_library");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, no_usable_library_in_child, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char *child = getenv("HARD_CHILD");

	if (child != NULL && *child != '\0')
		return child_no_library(child);
	return tt_main(reload_suite);
}
