/* The dlssl side of the interoperation tests: see hard_interop.h. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hard_interop.h"

const char *
hard_kind_name(enum tt_kind k)
{
	return k == TT_IO ? "io" : "fd";
}

void
hard_interop_setup(void)
{
	signal(SIGPIPE, SIG_IGN);
}

void
hard_interop_teardown(void)
{
	hard_kill_all();
}

struct dlssl_context *
hard_server_ctx(const char *chain, const char *key, const struct dlssl_context_opts *extra)
{
	struct dlssl_context_opts o;
	struct dlssl_context *c;

	if (extra != NULL)
		o = *extra;
	else
		memset(&o, 0, sizeof(o));
	o.certificate_chain_file = chain;
	o.private_key_file = key;
	if (o.ca_file == NULL)
		o.no_default_verify_paths = 1;
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "server context %s: %s", chain, dlssl_error());
	return c;
}

struct dlssl_context *
hard_client_ctx(const struct dlssl_context_opts *extra, int with_intermediate)
{
	static const char *const both[] = { PKI("root-ca.crt"), PKI("intermediate-ca.crt"), NULL };
	struct dlssl_context_opts o;
	struct dlssl_context *c;

	if (extra != NULL)
		o = *extra;
	else
		memset(&o, 0, sizeof(o));
	if (with_intermediate)
		o.verify_locations = both;
	else
		o.ca_file = PKI("root-ca.crt");
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "client context: %s", dlssl_error());
	return c;
}

struct dlssl_stream *
hard_client(enum tt_kind k, int port, const struct dlssl_stream_opts *o, int *slot)
{
	struct dlssl_stream_opts so;
	struct dlssl_stream *s;
	int fd = hard_connect(port, 5 * hard_slowdown());

	ck_assert_msg(fd >= 0, "cannot connect to 127.0.0.1:%d: %s", port, strerror(errno));
	so = *o;
	so.close_fd = 1;
	if (so.deadline == 0)
		so.deadline = hard_deadline(HARD_IO_SECONDS);
	s = dlssl_make_client_stream(tt_transport(k, fd, slot), &so);
	if (s == NULL)
		close(fd); /* still ours */
	return s;
}

void
hard_peer_subject(struct dlssl_stream *s, char *buf, size_t n)
{
	struct dlssl_x509 *x = dlssl_stream_peer_certificate(s);

	snprintf(buf, n, "%s", x != NULL && dlssl_x509_subject(x) ? dlssl_x509_subject(x) : "");
	dlssl_x509_free(x);
}

int
hard_peer_is(struct dlssl_stream *s, const char *pki_file)
{
	struct dlssl_x509 *x = dlssl_stream_peer_certificate(s), *want = dlssl_x509_load_file(pki_file);
	unsigned char a[64], b[64];
	int na = -1, nb = -2;

	if (x != NULL && want != NULL) {
		na = dlssl_x509_fingerprint(x, "sha256", a, sizeof(a));
		nb = dlssl_x509_fingerprint(want, "sha256", b, sizeof(b));
	}
	dlssl_x509_free(x);
	dlssl_x509_free(want);
	return na > 0 && na == nb && memcmp(a, b, (size_t)na) == 0;
}

/* Read until '\n' (not kept): length, or -1. */
static long
read_line(struct dlssl_stream *s, char *got, size_t n)
{
	size_t len = 0;
	long r;
	char c;

	for (;;) {
		r = dlssl_read(s, &c, 1);
		if (r <= 0) {
			got[len < n ? len : n - 1] = '\0';
			return -1;
		}
		if (c == '\n')
			break;
		if (len + 1 < n)
			got[len++] = c;
	}
	got[len] = '\0';
	return (long)len;
}

int
hard_line_exchange(struct dlssl_stream *s, const char *line, char *got, size_t n)
{
	size_t len = strlen(line);

	got[0] = '\0';
	if (dlssl_write(s, line, len) != (long)len || dlssl_flush(s) != 0)
		return -1;
	return read_line(s, got, n) < 0 ? -1 : 0;
}

/* Read an HTTP request head (up to the empty line) into buf. */
static int
read_head(struct dlssl_stream *s, char *buf, size_t n)
{
	size_t len = 0;
	long r;

	while (len + 1 < n) {
		r = dlssl_read(s, buf + len, 1);
		if (r <= 0)
			return -1;
		len++;
		buf[len] = '\0';
		if (len >= 4 && memcmp(buf + len - 4, "\r\n\r\n", 4) == 0)
			return 0;
	}
	return -1;
}

static void
keep_error(struct hard_srv_result *r, const char *what)
{
	r->err_code = dlssl_error_code();
	snprintf(r->err, sizeof(r->err), "%s: %s", what, dlssl_error() ? dlssl_error() : "?");
}

static void
answer(struct hard_srv *sv, struct hard_srv_result *r, struct dlssl_stream *s)
{
	char buf[4096], body[1024], *e;
	int len;

	if (sv->mode == HS_LINE) {
		if (read_line(s, buf, sizeof(buf)) < 0) {
			keep_error(r, "reading the line");
			return;
		}
		snprintf(r->request, sizeof(r->request), "%s", buf);
		len = snprintf(body, sizeof(body), "pong:%s\n", buf);
	} else {
		if (read_head(s, buf, sizeof(buf)) < 0) {
			keep_error(r, "reading the request");
			return;
		}
		if ((e = strstr(buf, "\r\n")) != NULL)
			*e = '\0';
		snprintf(r->request, sizeof(r->request), "%.200s", buf);
		len = snprintf(body, sizeof(body),
		    "hello from dlssl\nrequest: %.200s\nprotocol: %s\nalpn: %s\nservername: %s\n",
		    buf, r->version, r->alpn[0] ? r->alpn : "-", r->sni[0] ? r->sni : "-");
		snprintf(buf, sizeof(buf),
		    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
		    "Connection: close\r\n\r\n", len);
		if (dlssl_write(s, buf, strlen(buf)) < 0) {
			keep_error(r, "writing the response head");
			return;
		}
	}
	if (dlssl_write(s, body, (size_t)len) != len || dlssl_flush(s) != 0) {
		keep_error(r, "writing the answer");
		return;
	}
	if (dlssl_close(s) != 0) {
		keep_error(r, "close");
		return;
	}
	r->ok = 1;
}

static void
serve_one(struct hard_srv *sv, struct hard_srv_result *r, int fd)
{
	struct dlssl_stream_opts o;
	struct dlssl_stream *s;
	const char *p;

	memset(&o, 0, sizeof(o));
	o.context = sv->ctx;
	o.close_fd = 1;
	o.deadline = hard_deadline(HARD_IO_SECONDS);
	s = dlssl_make_server_stream(tt_transport(sv->kind, fd, &r->slot), &o);
	if (s == NULL) {
		keep_error(r, "handshake");
		close(fd);
		return;
	}
	if ((p = dlssl_stream_version(s)) != NULL)
		snprintf(r->version, sizeof(r->version), "%s", p);
	if ((p = dlssl_stream_cipher(s)) != NULL)
		snprintf(r->cipher, sizeof(r->cipher), "%s", p);
	if ((p = dlssl_stream_alpn(s)) != NULL)
		snprintf(r->alpn, sizeof(r->alpn), "%s", p);
	if ((p = dlssl_stream_servername(s)) != NULL)
		snprintf(r->sni, sizeof(r->sni), "%s", p);
	r->reused = dlssl_stream_session_reused(s);
	hard_peer_subject(s, r->peer, sizeof(r->peer));
	answer(sv, r, s);
	dlssl_stream_free(s);
}

static void *
srv_main(void *arg)
{
	struct hard_srv *sv = arg;
	int i, fd;

	for (i = 0; i < sv->nconn; i++) {
		fd = hard_accept(sv->lfd, HARD_IO_SECONDS * hard_slowdown());
		if (fd < 0) {
			snprintf(sv->res[i].err, sizeof(sv->res[i].err), "no connection came in");
			sv->res[i].err_code = -1;
			break;
		}
		sv->res[i].accepted = 1;
		serve_one(sv, &sv->res[i], fd);
	}
	return NULL;
}

void
hard_srv_start(struct hard_srv *sv)
{
	if (sv->nconn <= 0)
		sv->nconn = 1;
	ck_assert_int_le(sv->nconn, HARD_SRV_MAX);
	memset(sv->res, 0, sizeof(sv->res));
	sv->lfd = hard_listen(&sv->port, 16);
	ck_assert_msg(sv->lfd >= 0, "listen: %s", strerror(errno));
	ck_assert_int_eq(pthread_create(&sv->thread, NULL, srv_main, sv), 0);
	sv->running = 1;
}

void
hard_srv_join(struct hard_srv *sv)
{
	if (!sv->running)
		return;
	pthread_join(sv->thread, NULL);
	sv->running = 0;
	close(sv->lfd);
	sv->lfd = -1;
}

int
hard_start_s_server(struct hard_proc *p, const char *const *extra)
{
	const char *argv[64];
	char line[256], *colon;
	int n = 0, i;

	argv[n++] = "openssl";
	argv[n++] = "s_server";
	argv[n++] = "-accept";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "-rev";
	for (i = 0; extra[i] != NULL && n < 62; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	ck_assert_int_eq(hard_spawn(p, argv, 0, HARD_PEER_SECONDS), 0);
	HARD_PEER_ASSERT(p, hard_wait_log(p, "ACCEPT ", 10 * hard_slowdown(), line, sizeof(line)),
	    "s_server did not start listening");
	colon = strrchr(line, ':');
	ck_assert_ptr_nonnull(colon);
	return atoi(colon + 1);
}
