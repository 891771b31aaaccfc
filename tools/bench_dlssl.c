/*
 * The dlssl side of `dlssl bench`: the harness's engine over dlssl's public
 * API only.  bench/direct.c is the same engine over libssl; keep the two
 * configured alike (protocols, suites, verification, session caching).
 */
#include "config.h"

/* `dlssl bench` is not available on Windows (tools/cmd_bench.c): nothing here. */
#ifndef _WIN32

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_harness.h"
#include "dlssl.h"
#include "serve_tls.h"

struct bench_ctx {
	struct dlssl_context *ctx;
};

struct bench_conn {
	struct dlssl_stream *s;
	int fd; /* the callback transport's handle */
};

static int
io_close(void *handle)
{
	int fd = *(int *)handle;

	*(int *)handle = -1;
	return fd >= 0 ? close(fd) : 0;
}

static const struct dlssl_io_ops io_ops = { bench_io_read, bench_io_write, io_close, { 0 } };

static void
fail(const char *what)
{
	const char *e = dlssl_error();

	bench_set_error("%s: %s", what, e ? e : "failed");
}

static int
d_init(const struct bench_case *c)
{
	struct dlssl_init_opts o;

	memset(&o, 0, sizeof(o));
	o.libssl_path = c->libssl;
	if (dlssl_ensure_initialized(c->libssl ? &o : NULL) < 0) {
		fail("cannot load libssl");
		return -1;
	}
	return 0;
}

static const char *
d_library(void)
{
	const char *v = dlssl_library_info()->version_text;

	return v ? v : "?";
}

static void
d_load_report(char *buf, size_t len)
{
	const struct dlssl_library_info *i = dlssl_library_info();

	snprintf(buf, len, " load_ns=%lu bind_ns=%lu", i->load_ns, i->bind_ns);
}

static struct bench_ctx *
d_ctx_new(const struct bench_case *c, int server)
{
	struct dlssl_context_opts o;
	struct bench_ctx *x;
	const char *pem;

	memset(&o, 0, sizeof(o));
	o.min_version = o.max_version = c->tls == 12 ? DLSSL_TLS1_2 : DLSSL_TLS1_3;
	if (c->aes128) {
		if (c->tls == 12)
			o.cipher_list = c->key == BK_ECDSA ? "ECDHE-ECDSA-AES128-GCM-SHA256" :
			    "ECDHE-RSA-AES128-GCM-SHA256";
		else
			o.ciphersuites = "TLS_AES_128_GCM_SHA256";
	}
	o.session_cache = c->workload == BW_RESUME ? DLSSL_SESSION_CACHE_BOTH : DLSSL_SESSION_CACHE_OFF;
	o.no_default_verify_paths = 1;
	if (server) {
		pem = bench_pem_chain(c->key);
		o.certificate_chain_data = pem;
		o.certificate_chain_len = strlen(pem);
		pem = bench_pem_key(c->key);
		o.private_key_data = pem;
		o.private_key_len = strlen(pem);
	} else if ((o.ca_file = bench_ca_file()) == NULL) {
		return NULL;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL) {
		bench_set_error("out of memory");
		return NULL;
	}
	if ((x->ctx = dlssl_make_context(&o)) == NULL) {
		fail(server ? "server context" : "client context");
		free(x);
		return NULL;
	}
	return x;
}

static void
d_ctx_free(struct bench_ctx *x)
{
	dlssl_ctx_free(x->ctx);
	free(x);
}

static struct bench_conn *
d_conn_new(struct bench_ctx *x, int fd, enum bench_transport t, int server)
{
	struct dlssl_stream_opts o;
	struct bench_conn *k;

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		bench_set_error("out of memory");
		close(fd);
		return NULL;
	}
	k->fd = fd;
	memset(&o, 0, sizeof(o));
	o.context = x->ctx;
	o.close_fd = 1;
	if (!server)
		o.hostname = BENCH_HOST; /* SNI, and the host name verified */
	k->s = server ? dlssl_make_server_stream(t == BT_IO ? dlssl_transport_io(&io_ops, &k->fd) :
	    dlssl_transport_fd(fd), &o) :
	    dlssl_make_client_stream(t == BT_IO ? dlssl_transport_io(&io_ops, &k->fd) :
	    dlssl_transport_fd(fd), &o);
	if (k->s == NULL) {
		fail(server ? "server handshake" : "client handshake");
		close(fd); /* a failed constructor leaves the transport to us */
		free(k);
		return NULL;
	}
	return k;
}

static long
d_write(struct bench_conn *k, const void *buf, size_t len)
{
	long r = dlssl_write(k->s, buf, len);

	if (r != (long)len)
		fail("write");
	return r;
}

static int
d_flush(struct bench_conn *k)
{
	int r = dlssl_flush(k->s);

	if (r != 0)
		fail("flush");
	return r;
}

static long
d_read(struct bench_conn *k, void *buf, size_t len)
{
	long r = dlssl_read(k->s, buf, len);

	if (r < 0)
		fail("read");
	return r;
}

static int
d_reused(struct bench_conn *k)
{
	return dlssl_stream_session_reused(k->s) == 1;
}

static const char *
d_version(struct bench_conn *k)
{
	return dlssl_stream_version(k->s);
}

static const char *
d_cipher(struct bench_conn *k)
{
	return dlssl_stream_cipher(k->s);
}

static void
d_close(struct bench_conn *k)
{
	dlssl_stream_free(k->s);
	free(k);
}

/* The echo server of `dlssl bench idle|conc` runs what `dlssl serve` runs. */
static void *
d_serve_ctx(struct bench_ctx *x, const struct bench_case *c)
{
	static struct serve_tls_ctx sx;

	sx.ctx = x->ctx;
	sx.callbacks = c->transport == BT_IO;
	return &sx;
}

const struct bench_engine bench_dlssl_engine = {
	"dlssl",
	d_init,
	d_library,
	d_load_report,
	d_ctx_new,
	d_ctx_free,
	d_conn_new,
	d_write,
	d_flush,
	d_read,
	d_reused,
	d_version,
	d_cipher,
	d_close,
	&serve_tls_dlssl,
	d_serve_ctx,
};
#else
typedef int cli_bench_windows_unused; /* ISO C wants something here */
#endif
