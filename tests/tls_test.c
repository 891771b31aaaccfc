/* Helpers for tests that run a TLS client and server in one process. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <signal.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "named_library.h"
#include "tls_test.h"

static void
die(const char *what)
{
	fprintf(stderr, "tls_test: %s: %s\n", what, strerror(errno));
	exit(99);
}

void
tt_socketpair(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
		die("socketpair");
}

void
tt_tcppair(int fds[2])
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 1) != 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) != 0)
		die("listen on 127.0.0.1");
	if ((fds[0] = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(fds[0], (struct sockaddr *)&a, sizeof(a)) != 0)
		die("connect to 127.0.0.1");
	if ((fds[1] = accept(l, NULL, NULL)) < 0)
		die("accept");
	close(l);
}

static long
io_read(void *h, void *buf, size_t len)
{
	return (long)read(*(int *)h, buf, len);
}

static long
io_write(void *h, const void *buf, size_t len)
{
	return (long)send(*(int *)h, buf, len, MSG_NOSIGNAL);
}

static int
io_close(void *h)
{
	int fd = *(int *)h;

	*(int *)h = -1;
	return fd >= 0 ? close(fd) : 0;
}

static const struct dlssl_io_ops tt_ops = { io_read, io_write, io_close, { 0 } };

struct dlssl_transport
tt_transport(enum tt_kind k, int fd, int *slot)
{
	if (k == TT_IO) {
		*slot = fd;
		return dlssl_transport_io(&tt_ops, slot);
	}
	return dlssl_transport_fd(fd);
}

static void *
server_main(void *arg)
{
	struct tt_server *sv = arg;
	struct dlssl_stream *s;
	char buf[4096];
	long n;
	const char *p;

	sv->opts.context = sv->ctx;
	sv->opts.close_fd = 1;
	s = dlssl_make_server_stream(tt_transport(sv->kind, sv->fd, &sv->slot), &sv->opts);
	if (s == NULL) {
		sv->err_code = dlssl_error_code();
		snprintf(sv->err, sizeof(sv->err), "%s", dlssl_error() ? dlssl_error() : "");
		/* The transport was not taken on failure. */
		close(sv->fd);
		return NULL;
	}
	if ((p = dlssl_stream_alpn(s)) != NULL)
		snprintf(sv->alpn, sizeof(sv->alpn), "%s", p);
	if ((p = dlssl_stream_servername(s)) != NULL)
		snprintf(sv->servername, sizeof(sv->servername), "%s", p);
	sv->ok = 1;
	while (sv->echo && (n = dlssl_read(s, buf, sizeof(buf))) > 0) {
		if (dlssl_write(s, buf, (size_t)n) != n || dlssl_flush(s) != 0)
			break;
	}
	dlssl_stream_free(s);
	return NULL;
}

void
tt_server_start(struct tt_server *sv)
{
	if (pthread_create(&sv->thread, NULL, server_main, sv) != 0)
		die("pthread_create");
}

void
tt_server_join(struct tt_server *sv)
{
	pthread_join(sv->thread, NULL);
}

struct dlssl_context *
tt_server_ctx(const char *chain, const char *key)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	o.certificate_chain_file = chain;
	o.private_key_file = key;
	o.no_default_verify_paths = 1;
	c = dlssl_make_context(&o);
	if (c == NULL) {
		fprintf(stderr, "tls_test: server context: %s\n", dlssl_error());
		exit(99);
	}
	return c;
}

struct dlssl_context *
tt_client_ctx(void)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	o.ca_file = PKI("root-ca.crt");
	c = dlssl_make_context(&o);
	if (c == NULL) {
		fprintf(stderr, "tls_test: client context: %s\n", dlssl_error());
		exit(99);
	}
	return c;
}

unsigned long
tt_caps(void)
{
	return dlssl_library_info()->capabilities;
}

const char *
tt_newest_version(void)
{
	/* A true limit: 1.0.2 has no TLS 1.3 (its report has no DLSSL_CAP_TLS13). */
	return (tt_caps() & DLSSL_CAP_TLS13) ? "TLSv1.3" : "TLSv1.2";
}

int
tt_lacks_tls13(const char *what)
{
	if (tt_caps() & DLSSL_CAP_TLS13)
		return 0;
	printf("note: %s: the TLS 1.3 case does not run: the loaded library has no TLS 1.3 "
	    "(no DLSSL_CAP_TLS13 in its report)\n", what);
	return 1;
}

int
tt_lacks_tls13_resume(int v13)
{
	if (!v13 || (tt_caps() & DLSSL_CAP_TLS13_RESUME))
		return 0;
	printf("not tested: the loaded library cannot resume TLS 1.3 sessions "
	    "(DLSSL_CAP_TLS13_RESUME is not in its capabilities)\n");
	return 1;
}

int
tt_main(struct Suite *(*make)(void))
{
	SRunner *sr;
	int failed;

	signal(SIGPIPE, SIG_IGN);
	tt_require_libssl();
	sr = srunner_create(make());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void
tt_require_libssl(void)
{
	const char *named;

	if (dlssl_ensure_initialized(NULL) == 0)
		return;
	/* A library the caller named is the one under test: not loading it is a failure. */
	if ((named = named_library_var()) != NULL) {
		fprintf(stderr, "FAIL: %s=%s names a library dlssl cannot load: %s\n", named,
		    getenv(named), dlssl_error());
		printf("FAIL: %s=%s names a library dlssl cannot load: %s\n", named,
		    getenv(named), dlssl_error());
		exit(EXIT_FAILURE);
	}
	fprintf(stderr, "SKIP: no libssl could be loaded: %s\n", dlssl_error());
	exit(77);
}
