/*
 * reload_probe: a process that switches libraries under dlssl, for
 * tests/check_private.  Built twice: tests/reload_linked is linked with the
 * system's libssl and libcrypto (a host program that has its own OpenSSL,
 * the case of issue 13), tests/reload_plain is not.  One JSON object per
 * step on stdout; exit 0 when every check held, 1 when one failed (the
 * reason on stderr and in the step's "fail"), 2 when a library could not
 * be loaded.
 *
 *   reload_probe chain STEP...   load each in turn (the first with
 *                                dlssl_ensure_initialized, the rest with
 *                                dlssl_reload_opts); STEP is
 *                                host           auto mode, no path: the
 *                                               host's own library
 *                                auto:PATH      auto mode, libssl PATH
 *                                private:PATH   private mode, libssl PATH
 *                                private        private mode, system sonames
 *                                After each: a verified handshake and an echo
 *                                over a socketpair (tests/pki); the context
 *                                and live streams of the step before are
 *                                refused as stale, then freed; the host's
 *                                own OpenSSL error queue is untouched; in a
 *                                private namespace, its libc made no thread
 *                                key (OpenSSL's keys are the host's).
 *   reload_probe restore DIR...  copy DIR[0]'s libssl/libcrypto into a
 *                                temporary directory, load it through
 *                                DLSSL_LIBDIR, handshake; then for each next
 *                                DIR replace the files on disk (copy beside,
 *                                rename over, remove what DIR lacks), call
 *                                dlssl_reload(), handshake
 *   reload_probe fork            with the caller's environment: draw random
 *                                bytes, fork two children that draw 32 bytes
 *                                each; all three must differ; again after
 *                                dlssl_reload()
 *
 * RP_HOST_GLOBAL=LIB: dlopen LIB with RTLD_GLOBAL first (the plain build
 * playing a host with its own OpenSSL, where the linked one is not built).
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dlssl.h"
#include "tls_test.h"

#ifdef RP_LINKED
/* The host's own OpenSSL, linked: declared here, no OpenSSL header needed. */
unsigned long OpenSSL_version_num(void);
const void *TLS_method(void);
#endif

static int failed;
static char step_fail[1024];

static void __attribute__((format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(step_fail);

	va_start(ap, fmt);
	if (n + 3 < sizeof(step_fail)) {
		if (n)
			step_fail[n++] = ';', step_fail[n++] = ' ';
		vsnprintf(step_fail + n, sizeof(step_fail) - n, fmt, ap);
	}
	va_end(ap);
	fprintf(stderr, "reload_probe: %s\n", step_fail + n);
	failed = 1;
}

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
			fail(__VA_ARGS__); \
	} while (0)

static void
jstr(const char *key, const char *s)
{
	printf("\"%s\":", key);
	if (s == NULL) {
		printf("null,");
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	printf("\",");
}

/* ---- the host's own OpenSSL (linked, or absent) ---- */

typedef void (*err_new_fn)(void);
typedef void (*err_set_debug_fn)(const char *, int, const char *);
typedef void (*err_set_error_fn)(int, int, const char *, ...);
typedef unsigned long (*err_peek_fn)(void);
typedef void (*err_clear_fn)(void);

static void *
global(const char *name)
{
	return dlsym(RTLD_DEFAULT, name);
}

/* Raise an error in the host's OpenSSL (3.x API); its packed code, or 0. */
static unsigned long
host_raise(void)
{
	err_new_fn e_new = (err_new_fn)global("ERR_new");
	err_set_debug_fn e_dbg = (err_set_debug_fn)global("ERR_set_debug");
	err_set_error_fn e_set = (err_set_error_fn)global("ERR_set_error");
	err_peek_fn peek = (err_peek_fn)global("ERR_peek_last_error");

	if (e_new == NULL || e_dbg == NULL || e_set == NULL || peek == NULL)
		return 0;
	e_new();
	e_dbg(__FILE__, __LINE__, __func__);
	e_set(128 /* ERR_LIB_USER */, 42, NULL);
	return peek();
}

static unsigned long
host_peek(void)
{
	err_peek_fn peek = (err_peek_fn)global("ERR_peek_last_error");

	return peek != NULL ? peek() : 0;
}

static void
host_clear(void)
{
	err_clear_fn clear = (err_clear_fn)global("ERR_clear_error");

	if (clear != NULL)
		clear();
}

/* ---- a handshake and an echo ---- */

struct live {
	struct dlssl_context *sctx, *cctx;
	struct dlssl_stream *client;
	struct tt_server sv;
	int running;
};

/* A verified handshake and an echo; the pair stays open in *l. */
static int
handshake(struct live *l)
{
	struct dlssl_stream_opts o = { 0 };
	int fds[2];
	char buf[64];
	const char *msg = "hello across a reload";
	long n;

	memset(l, 0, sizeof(*l));
	l->sctx = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	l->cctx = tt_client_ctx();
	tt_socketpair(fds);
	l->sv.fd = fds[1];
	l->sv.kind = TT_FD;
	l->sv.ctx = l->sctx;
	l->sv.echo = 1;
	tt_server_start(&l->sv);
	l->running = 1;
	o.context = l->cctx;
	o.hostname = "localhost";
	o.close_fd = 1;
	o.verify = DLSSL_VERIFY_REQUIRED;
	l->client = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	if (l->client == NULL) {
		fail("handshake: %s", dlssl_error());
		close(fds[0]);
		return -1;
	}
	if (dlssl_write(l->client, msg, strlen(msg)) != (long)strlen(msg) ||
	    dlssl_flush(l->client) != 0) {
		fail("write: %s", dlssl_error());
		return -1;
	}
	memset(buf, 0, sizeof(buf));
	for (n = 0; n < (long)strlen(msg);) {
		long r = dlssl_read(l->client, buf + n, sizeof(buf) - 1 - (size_t)n);

		if (r <= 0) {
			fail("read: %s", r < 0 ? dlssl_error() : "EOF");
			return -1;
		}
		n += r;
	}
	CHECK(strcmp(buf, msg) == 0, "echo gave '%s'", buf);
	return 0;
}

static void
live_free(struct live *l)
{
	dlssl_stream_free(l->client); /* EOF for the server's read */
	if (l->running)
		tt_server_join(&l->sv);
	dlssl_ctx_free(l->cctx);
	dlssl_ctx_free(l->sctx);
	memset(l, 0, sizeof(*l));
}

/* The objects of an older generation are refused, cleanly, then freed. */
static void
check_stale(struct live *old)
{
	struct dlssl_stream_opts o = { 0 };
	int fds[2];
	struct dlssl_stream *s;

	if (old->client == NULL)
		return;
	CHECK(dlssl_write(old->client, "x", 1) == -1 && dlssl_error_code() == DLSSL_ERR_STALE,
	    "a stream of the previous generation was not refused (%s)",
	    dlssl_error_name(dlssl_error_code()));
	CHECK(strstr(dlssl_error(), "generation") != NULL, "the stale error does not say so: %s",
	    dlssl_error());
	tt_socketpair(fds);
	o.context = old->cctx;
	o.hostname = "localhost";
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	CHECK(s == NULL && dlssl_error_code() == DLSSL_ERR_STALE,
	    "a context of the previous generation was not refused (%s)",
	    dlssl_error_name(dlssl_error_code()));
	dlssl_stream_free(s);
	close(fds[0]);
	close(fds[1]);
	live_free(old);
}

/* In a private namespace, its libc made no thread key: OpenSSL's are the host's. */
static int
ns_keys_unused(long lm)
{
	void *h = dlmopen((Lmid_t)lm, "libc.so.6", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
	int (*create)(pthread_key_t *, void (*)(void *));
	int (*del)(pthread_key_t);
	pthread_key_t k = 0;
	int unused = -1;

	if (h == NULL)
		return -1;
	create = (int (*)(pthread_key_t *, void (*)(void *)))dlsym(h, "pthread_key_create");
	del = (int (*)(pthread_key_t))dlsym(h, "pthread_key_delete");
	if (create != NULL && del != NULL && create(&k, NULL) == 0) {
		unused = k == 0;
		del(k);
	}
	dlclose(h);
	return unused;
}

static void
report_step(const char *step, int hs)
{
	const struct dlssl_library_info *i = dlssl_library_info();

	printf("{");
	jstr("step", step);
	jstr("libssl", i->libssl_path);
	jstr("version_text", i->version_text);
	jstr("source", dlssl_source_name(i->source));
	jstr("mode", dlssl_mode_name(i->mode));
	jstr("isolation", i->isolation);
	jstr("fail", step_fail[0] ? step_fail : NULL);
	printf("\"generation\":%lu,\"link_map\":%ld,\"host_owned\":%s,\"handshake\":%s}\n",
	    i->generation, i->link_map, i->host_owned ? "true" : "false", hs == 0 ? "true" : "false");
	fflush(stdout);
}

/* Load a step; 0, or -1 (the error printed). */
static int
load_step(const char *step, int first)
{
	struct dlssl_init_opts o = { 0 };
	int rc;

	if (strcmp(step, "host") == 0) {
		o.mode = DLSSL_MODE_AUTO;
	} else if (strcmp(step, "private") == 0) {
		o.mode = DLSSL_MODE_PRIVATE;
	} else if (strncmp(step, "auto:", 5) == 0) {
		o.mode = DLSSL_MODE_AUTO;
		o.libssl_path = step + 5;
	} else if (strncmp(step, "private:", 8) == 0) {
		o.mode = DLSSL_MODE_PRIVATE;
		o.libssl_path = step + 8;
	} else {
		fprintf(stderr, "reload_probe: bad step '%s'\n", step);
		exit(1);
	}
	rc = first ? dlssl_ensure_initialized(&o) : dlssl_reload_opts(&o);
	if (rc < 0) {
		fail("loading %s: %s", step, dlssl_error());
		return -1;
	}
	if (o.libssl_path != NULL) {
		char want[PATH_MAX];

		CHECK(realpath(o.libssl_path, want) != NULL &&
		    strcmp(dlssl_library_info()->libssl_path, want) == 0,
		    "loaded %s, not %s", dlssl_library_info()->libssl_path, o.libssl_path);
	}
	return 0;
}

static int
cmd_chain(int n, char **steps)
{
	struct live prev = { 0 }, cur;
	int k, hs;

	for (k = 0; k < n; k++) {
		unsigned long raised, gen = dlssl_generation();
		const struct dlssl_library_info *i;

		step_fail[0] = '\0';
		if (load_step(steps[k], k == 0) < 0) {
			report_step(steps[k], -1);
			return 2;
		}
		i = dlssl_library_info();
		CHECK(k == 0 || i->generation > gen, "generation %lu after a reload from %lu",
		    i->generation, gen);
		check_stale(&prev);
		/* An isolated library has its own error queue: the host's stays as it was. */
		raised = i->link_map > 0 ? host_raise() : 0;
		hs = handshake(&cur);
		if (raised != 0)
			CHECK(host_peek() == raised, "the host's error queue changed: 0x%lx, not 0x%lx",
			    host_peek(), raised);
		host_clear();
		if (i->link_map > 0)
			CHECK(ns_keys_unused(i->link_map) == 1, "the namespace's libc made thread keys "
			    "of its own (they collide with the host's)");
		if (strcmp(steps[k], "host") == 0 && global("SSL_CTX_new") != NULL)
			CHECK(i->host_owned && i->link_map == 0, "host step: not the host's library");
		report_step(steps[k], hs);
		prev = cur;
	}
	live_free(&prev);
#ifdef RP_LINKED
	/* The host's own library still answers. */
	CHECK(OpenSSL_version_num() >= 0x10100000UL && TLS_method() != NULL,
	    "the host's OpenSSL_version_num is 0x%lx", OpenSSL_version_num());
#endif
	return failed;
}

/* ---- restore: the files replaced on disk ---- */

static int
is_lib(const char *name)
{
	return strncmp(name, "libssl.so.", 10) == 0 || strncmp(name, "libcrypto.so.", 13) == 0;
}

static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out;
	ssize_t r;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((r = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)r) != r)
			r = -1;
	close(in);
	return close(out) == 0 && r == 0 ? 0 : -1;
}

/* Make tmp hold exactly DIR's libraries, each put in place by rename. */
static int
install(const char *dir, const char *tmp)
{
	char from[PATH_MAX], to[PATH_MAX], side[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!is_lib(e->d_name))
			continue;
		snprintf(from, sizeof(from), "%s/%s", dir, e->d_name);
		snprintf(side, sizeof(side), "%s/.%s.new", tmp, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", tmp, e->d_name);
		if (copy_file(from, side) < 0 || rename(side, to) < 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	/* What the new version does not have goes away. */
	if ((d = opendir(tmp)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!is_lib(e->d_name))
			continue;
		snprintf(from, sizeof(from), "%s/%s", dir, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", tmp, e->d_name);
		if (access(from, F_OK) != 0)
			(void)unlink(to);
	}
	closedir(d);
	return n > 0 ? 0 : -1;
}

static void
remove_dir(const char *tmp)
{
	char p[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(tmp);

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmp, e->d_name);
		(void)unlink(p);
	}
	if (d != NULL)
		closedir(d);
	(void)rmdir(tmp);
}

static int
cmd_restore(int n, char **dirs)
{
	char tmp[PATH_MAX], label[PATH_MAX + 16];
	const char *base = getenv("TMPDIR");
	struct live prev = { 0 }, cur;
	int k, hs, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s/dlssl-restore-XXXXXX", base && base[0] ? base : "/tmp");
	if (mkdtemp(tmp) == NULL) {
		fprintf(stderr, "reload_probe: SKIP: mkdtemp: %s\n", strerror(errno));
		return 77;
	}
	setenv("DLSSL_LIBDIR", tmp, 1);
	unsetenv("DLSSL_LIBSSL");
	unsetenv("DLSSL_LIBCRYPTO");
	for (k = 0; k < n && rc == 0; k++) {
		unsigned long gen = dlssl_generation();

		step_fail[0] = '\0';
		snprintf(label, sizeof(label), "restore:%s", dirs[k]);
		if (install(dirs[k], tmp) < 0) {
			fail("cannot put %s's libraries in %s: %s", dirs[k], tmp, strerror(errno));
			rc = 1;
			break;
		}
		if ((k == 0 ? dlssl_ensure_initialized(NULL) : dlssl_reload()) < 0) {
			fail("loading from %s: %s", tmp, dlssl_error());
			report_step(label, -1);
			rc = 2;
			break;
		}
		CHECK(k == 0 || dlssl_generation() > gen, "no new generation");
		CHECK(strncmp(dlssl_library_info()->libssl_path, tmp, strlen(tmp)) == 0,
		    "loaded %s, not from %s", dlssl_library_info()->libssl_path, tmp);
		check_stale(&prev);
		hs = handshake(&cur);
		report_step(label, hs);
		prev = cur;
	}
	live_free(&prev);
	remove_dir(tmp);
	return rc ? rc : failed;
}

/* ---- fork: children draw different bytes ---- */

#define RANDLEN 32

static int
child_bytes(unsigned char out[RANDLEN])
{
	int p[2], st;
	pid_t pid;
	ssize_t got = 0, r;

	if (pipe(p) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		unsigned char b[RANDLEN];

		close(p[0]);
		if (dlssl_random_bytes(b, sizeof(b)) != 0 || write(p[1], b, sizeof(b)) != RANDLEN)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	while (got < RANDLEN && (r = read(p[0], out + got, (size_t)(RANDLEN - got))) > 0)
		got += r;
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return got == RANDLEN && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static void
fork_round(const char *label)
{
	unsigned char parent[RANDLEN], a[RANDLEN], b[RANDLEN], next[RANDLEN];

	step_fail[0] = '\0';
	CHECK(dlssl_random_bytes(parent, sizeof(parent)) == 0, "random: %s", dlssl_error());
	CHECK(child_bytes(a) == 0 && child_bytes(b) == 0, "a child could not draw bytes");
	CHECK(dlssl_random_bytes(next, sizeof(next)) == 0, "random: %s", dlssl_error());
	CHECK(memcmp(a, b, RANDLEN) != 0, "two forked children drew the same bytes");
	CHECK(memcmp(a, next, RANDLEN) != 0 && memcmp(b, next, RANDLEN) != 0,
	    "a child drew the bytes its parent drew next");
	CHECK(memcmp(a, parent, RANDLEN) != 0 && memcmp(b, parent, RANDLEN) != 0,
	    "a child repeated its parent's bytes");
	report_step(label, 0);
}

static int
cmd_fork(void)
{
	if (dlssl_ensure_initialized(NULL) < 0) {
		fprintf(stderr, "reload_probe: cannot load: %s\n", dlssl_error());
		return 2;
	}
	fork_round("fork");
	if (dlssl_reload() < 0) {
		fail("reload: %s", dlssl_error());
		return 1;
	}
	fork_round("fork-after-reload");
	return failed;
}

int
main(int argc, char **argv)
{
	const char *g = getenv("RP_HOST_GLOBAL");

	signal(SIGPIPE, SIG_IGN);
	/* Without a linked OpenSSL, play a host that exports one to every library. */
	if (g != NULL && g[0] != '\0' && dlopen(g, RTLD_NOW | RTLD_GLOBAL) == NULL) {
		fprintf(stderr, "reload_probe: SKIP: cannot map %s: %s\n", g, dlerror());
		return 77;
	}
	if (argc >= 3 && strcmp(argv[1], "chain") == 0)
		return cmd_chain(argc - 2, argv + 2);
	if (argc >= 3 && strcmp(argv[1], "restore") == 0)
		return cmd_restore(argc - 2, argv + 2);
	if (argc == 2 && strcmp(argv[1], "fork") == 0)
		return cmd_fork();
	fprintf(stderr, "usage: reload_probe chain STEP... | restore DIR... | fork\n");
	return 1;
}
