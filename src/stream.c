/*
 * Streams (CL+SSL's make-ssl-client-stream / make-ssl-server-stream):
 * construction, shutdown, close and what can be asked of a stream (the
 * handshake is handshake.c, reads and writes stream_io.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_peer.h"
#include "stream.h"
#include "util.h"
#include "x509.h"

#define DL_DEFAULT_BUFFER 16384
#define DL_MAX_BUFFER (16 * 1024 * 1024)

static int
add_to_ssl(void *arg, X509 *x)
{
	struct dlssl_stream *s = arg;

	return dlssl__ossl_ssl_add_chain_cert(s->api, s->ssl, x);
}

/* Per-stream certificate (and chain) and key (CL+SSL's :certificate :key :password). */
static int
use_stream_identity(struct dlssl_stream *s, const struct dlssl_stream_opts *o)
{
	const struct dlssl__ossl *api = s->api;
	struct dl_password pw = { o->password, NULL, NULL };
	unsigned char *d = NULL;
	size_t n = 0;
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	int rv = -1, chain;

	if (o->certificate_file == NULL && o->key_file == NULL)
		return 0;
	if (o->certificate_file == NULL || o->key_file == NULL) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "certificate_file and key_file go together");
		return -1;
	}
	if (dlssl__read_file(o->certificate_file, &d, &n) < 0)
		return -1;
	x = dlssl__load_cert_mem(api, d, n, o->certificate_file);
	/* dlssl's floor first: the same refusal as a context's (policy_peer.c), on every library. */
	chain = x == NULL || dlssl__policy_use_own_cert(api, x, s->conn.security_level, o->certificate_file) < 0 ?
	    -1 : api->SSL_use_certificate(s->ssl, x) == 1 ?
	    dlssl__load_chain_rest(api, d, n, add_to_ssl, s, o->certificate_file) : -2;
	free(d);
	if (x == NULL || chain == -1)
		goto out;
	if (chain == -2) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "cannot use the certificate in %s", o->certificate_file);
		dlssl__ossl_append_errors(api);
		goto out;
	}
	if (dlssl__read_file(o->key_file, &d, &n) < 0)
		goto out;
	k = dlssl__load_key_mem(api, d, n, &pw, o->key_file);
	dlssl__free_secret(d, n + 1);
	if (k == NULL)
		goto out;
	if (api->SSL_use_PrivateKey(s->ssl, k) != 1) {
		unsigned long e = api->ERR_peek_error();

		if (dlssl__ossl_err_lib(api, e) != DL_ERR_LIB_X509 ||
		    dlssl__ossl_err_reason(api, e) != DL_X509_R_KEY_VALUES_MISMATCH) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "cannot use %s and %s", o->certificate_file,
			    o->key_file);
			dlssl__ossl_append_errors(api);
			goto out;
		}
	}
	/* Also a key that SSL_use_PrivateKey refused as not matching. */
	if (api->SSL_check_private_key(s->ssl) != 1) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "the key in %s does not match the certificate in %s",
		    o->key_file, o->certificate_file);
		api->ERR_clear_error();
		goto out;
	}
	rv = 0;
out:
	if (x != NULL)
		api->X509_free(x);
	if (k != NULL)
		api->EVP_PKEY_free(k);
	return rv;
}

/* A certificate (the context's or the stream's) must come with its key. */
static int
check_identity(struct dlssl_stream *s)
{
	const struct dlssl__ossl *api = s->api;

	if (api->SSL_get_certificate(s->ssl) == NULL)
		return 0;
	if (api->SSL_check_private_key(s->ssl) != 1) {
		api->ERR_clear_error();
		dlssl__set_errorx(DLSSL_ERR_USAGE, "the %s certificate has no matching private key "
		    "(give the key with the certificate)", s->conn.is_server ? "server" : "client");
		return -1;
	}
	return 0;
}

static int
setup_ssl(struct dlssl_stream *s, const struct dlssl_stream_opts *o)
{
	const struct dlssl__ossl *api = s->api;
	unsigned char *wire = NULL;
	size_t wlen = 0;

	s->conn.security_level = s->conn.ctx->security_level;
	if (o->cipher_list != NULL && dlssl__policy_ssl_cipher_list(&s->conn, o->cipher_list) < 0)
		return -1;
	if (o->alpn != NULL && !s->conn.is_server) {
		if (!(api->caps & DLSSL_CAP_ALPN)) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "ALPN needs OpenSSL 1.0.2 or newer");
			return -1;
		}
		if (dlssl__alpn_encode(o->alpn, &wire, &wlen) < 0)
			return -1;
		if (api->SSL_set_alpn_protos(s->ssl, wire, (unsigned int)wlen) != 0) {
			free(wire);
			dlssl__set_errorx(DLSSL_ERR_TLS, "cannot set the ALPN list");
			dlssl__ossl_append_errors(api);
			return -1;
		}
		free(wire);
	}
	if (s->lax_eof && (api->caps & DLSSL_CAP_EOF_OPTION))
		dlssl__ossl_ssl_set_options(api, s->ssl, DL_SSL_OP_IGNORE_UNEXPECTED_EOF);
	if (use_stream_identity(s, o) < 0 || check_identity(s) < 0)
		return -1;
	if (s->conn.is_server)
		api->SSL_set_accept_state(s->ssl);
	else
		api->SSL_set_connect_state(s->ssl);
	return 0;
}

static int
check_stream_opts(const struct dlssl_stream_opts *o)
{
	size_t i;

	if ((int)o->verify < DLSSL_VERIFY_DEFAULT || o->verify > DLSSL_VERIFY_REQUIRED ||
	    o->read_timeout_ms < 0 || o->write_timeout_ms < 0 || o->deadline < 0 ||
	    o->buffer_size > DL_MAX_BUFFER) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid stream options (verify, timeouts or buffer_size)");
		return -1;
	}
	for (i = 0; i < sizeof(o->reserved) / sizeof(o->reserved[0]); i++) {
		if (o->reserved[i] != NULL) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_stream_opts.reserved must be zero");
			return -1;
		}
	}
	return 0;
}

/* Free everything; the transport is released only if attached and owned. */
static void
destroy(struct dlssl_stream *s, int release)
{
	dlssl__sessions_release(&s->conn);
	if (s->ssl != NULL)
		s->api->SSL_free(s->ssl);
	s->ssl = NULL;
	if (release)
		dlssl__transport_release(&s->tr);
	dlssl_ctx_free(s->conn.sni_ctx);
	dlssl_ctx_free(s->conn.ctx);
	s->conn.sni_ctx = s->conn.ctx = NULL;
	if (s->wbuf != NULL)
		dlssl__free_secret(s->wbuf, s->wmax);
	s->wbuf = NULL;
	free(s->conn.hostname);
	s->conn.hostname = NULL;
}

static struct dlssl_stream *
make_stream(struct dlssl_transport t, const struct dlssl_stream_opts *opts, int server)
{
	static const struct dlssl_stream_opts defaults;
	const struct dlssl_stream_opts *o = opts ? opts : &defaults;
	struct dlssl_stream *s;
	int r;

	dlssl__error_clear();
	if (check_stream_opts(o) < 0)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return NULL;
	}
	dlssl__transport_init(&s->tr);
	s->conn.is_server = server;
	s->conn.verify = o->verify;
	s->read_timeout_ms = o->read_timeout_ms;
	s->write_timeout_ms = o->write_timeout_ms;
	s->lax_eof = o->lax_eof;
	s->close_cb = o->close_callback;
	s->close_arg = o->close_callback_arg;
	s->wcap = o->buffer_size ? o->buffer_size : DL_DEFAULT_BUFFER;
	if ((s->conn.ctx = dlssl__ctx_for_stream(o->context)) == NULL)
		goto fail;
	s->api = s->conn.ctx->api;
	s->api->ERR_clear_error();
	if ((s->ssl = s->api->SSL_new(s->conn.ctx->ctx)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_TLS, "SSL_new failed");
		dlssl__ossl_append_errors(s->api);
		goto fail;
	}
	s->conn.api = s->api;
	s->conn.ssl = s->ssl;
	dlssl__conn_attach(&s->conn);
	s->guard.conn = &s->conn;
	if (dlssl__transport_attach(&s->tr, s->api, s->ssl, t, o, &s->guard) < 0)
		goto fail;
	s->open = 1;
	if (setup_ssl(s, o) < 0 || dlssl__verify_setup(&s->conn, o, dlssl__transport_fd(&s->tr)) < 0 ||
	    dlssl__sessions_apply(&s->conn, o) < 0)
		goto fail;
	if (o->defer_handshake)
		return s;
	r = dlssl_handshake(s);
	if (r == 0 || r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT)
		return s;
fail:
	/* The transport is still the caller's: give back its settings, close nothing. */
	dlssl__transport_give_back(&s->tr);
	s->open = 0;
	destroy(s, 0);
	free(s);
	return NULL;
}

DLSSL_EXPORT struct dlssl_stream *
dlssl_make_client_stream(struct dlssl_transport t, const struct dlssl_stream_opts *o)
{
	return make_stream(t, o, 0);
}

DLSSL_EXPORT struct dlssl_stream *
dlssl_make_server_stream(struct dlssl_transport t, const struct dlssl_stream_opts *o)
{
	return make_stream(t, o, 1);
}

DLSSL_EXPORT int
dlssl_shutdown(struct dlssl_stream *s)
{
	int r;

	if (dlssl__stream_enter(s) < 0)
		return -1;
	if (s->shut)
		return 0;
	if (!s->handshake_done && (r = dlssl_handshake(s)) != 0)
		return r;
	if (s->wlen > 0 && (r = dlssl_flush(s)) != 0)
		return r;
	r = dlssl__ssl_run(s, DL_OP_SHUTDOWN, NULL, 0);
	if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT)
		return r;
	if (r < 0) {
		dlssl__stream_keep_error(s);
		return -1;
	}
	s->shut = 1;
	return 0;
}

static int
close_stream(struct dlssl_stream *s, int abort)
{
	int rv = 0, r;
	int code = DLSSL_ERR_NONE;
	char msg[sizeof(s->err_msg)];

	dlssl__error_clear();
	if (s == NULL || !s->open)
		return 0;
	msg[0] = '\0';
	if (!abort && s->handshake_done && !s->failed && !s->shut && dlssl__ossl_current() == s->api) {
		/* Losing buffered data is an error ... */
		if (s->wlen > 0 && (r = dlssl_flush(s)) != 0) {
			rv = -1;
			if (r == -1) {
				code = dlssl_error_code();
				snprintf(msg, sizeof(msg), "%s", dlssl_error() ? dlssl_error() : "");
			} else {
				code = DLSSL_ERR_IO;
				snprintf(msg, sizeof(msg), "%zu buffered bytes were discarded: the "
				    "non-blocking transport could not take them", s->wlen);
			}
		} else {
			/* ... failing to send close_notify to a peer that already left is not:
			 * everything was delivered, and we do not wait for the peer's. */
			(void)dlssl__ssl_run(s, DL_OP_SHUTDOWN, NULL, 0);
		}
	}
	s->open = 0;
	destroy(s, 1);
	if (s->close_cb != NULL)
		s->close_cb(s->close_arg);
	if (rv < 0) {
		dlssl__set_errorx(code, "%s", msg);
		dlssl__stream_keep_error(s);
	}
	return rv;
}

DLSSL_EXPORT int
dlssl_close(struct dlssl_stream *s)
{
	return close_stream(s, 0);
}

DLSSL_EXPORT int
dlssl_close_abort(struct dlssl_stream *s)
{
	return close_stream(s, 1);
}

DLSSL_EXPORT void
dlssl_stream_free(struct dlssl_stream *s)
{
	if (s == NULL)
		return;
	/* A closed stream's free leaves the thread's error (of dlssl_close) alone. */
	if (s->open)
		(void)close_stream(s, 0);
	free(s);
}

DLSSL_EXPORT int
dlssl_stream_set_timeouts(struct dlssl_stream *s, int read_ms, int write_ms, double deadline)
{
	if (dlssl__stream_enter(s) < 0)
		return -1;
	if (read_ms < 0 || write_ms < 0 || deadline < 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "timeouts and the deadline cannot be negative");
		dlssl__stream_keep_error(s);
		return -1;
	}
	if ((read_ms > 0 || write_ms > 0 || deadline > 0) && dlssl__transport_set_timed(&s->tr) < 0) {
		dlssl__stream_keep_error(s);
		return -1;
	}
	s->read_timeout_ms = read_ms;
	s->write_timeout_ms = write_ms;
	dlssl__transport_set_deadline(&s->tr, deadline);
	return 0;
}

/* ---- what can be asked of a stream ---- */

static int
readable(struct dlssl_stream *s)
{
	return s != NULL && s->open && s->ssl != NULL;
}

DLSSL_EXPORT int
dlssl_stream_is_open(struct dlssl_stream *s)
{
	return s != NULL && s->open && !s->failed;
}

DLSSL_EXPORT void *
dlssl_stream_ssl(struct dlssl_stream *s)
{
	return s != NULL && s->open ? (void *)s->ssl : NULL;
}

DLSSL_EXPORT int
dlssl_stream_fd(struct dlssl_stream *s)
{
	return s != NULL && s->open ? dlssl__transport_fd(&s->tr) : -1;
}

DLSSL_EXPORT const char *
dlssl_stream_version(struct dlssl_stream *s)
{
	return readable(s) && s->handshake_done ? dlssl__policy_version_name(s->api, s->ssl) : NULL;
}

DLSSL_EXPORT const char *
dlssl_stream_cipher(struct dlssl_stream *s)
{
	const SSL_CIPHER *c;

	if (!readable(s) || !s->handshake_done || (c = s->api->SSL_get_current_cipher(s->ssl)) == NULL)
		return NULL;
	return dlssl__policy_cipher_name(s->api, c);
}

DLSSL_EXPORT const char *
dlssl_stream_alpn(struct dlssl_stream *s)
{
	const unsigned char *p = NULL;
	unsigned int n = 0;

	if (!readable(s) || s->api->SSL_get0_alpn_selected == NULL)
		return NULL;
	s->api->SSL_get0_alpn_selected(s->ssl, &p, &n);
	if (p == NULL || n == 0 || n >= sizeof(s->alpn))
		return NULL;
	memcpy(s->alpn, p, n);
	s->alpn[n] = '\0';
	return s->alpn;
}

DLSSL_EXPORT const char *
dlssl_stream_servername(struct dlssl_stream *s)
{
	if (s == NULL)
		return NULL;
	if (!s->conn.is_server)
		return s->conn.hostname;
	return readable(s) ? s->api->SSL_get_servername(s->ssl, DL_TLSEXT_NAMETYPE_host_name) : NULL;
}

DLSSL_EXPORT long
dlssl_stream_verify_result(struct dlssl_stream *s)
{
	if (s == NULL)
		return -1;
	if (s->conn.verify_err != 0 || !readable(s))
		return s->conn.verify_err;
	return dlssl__policy_x509_code(s->api, s->api->SSL_get_verify_result(s->ssl));
}

DLSSL_EXPORT int
dlssl_stream_session_reused(struct dlssl_stream *s)
{
	if (!readable(s))
		return -1;
	return dlssl__ossl_session_reused(s->api, s->ssl);
}

DLSSL_EXPORT struct dlssl_x509 *
dlssl_stream_peer_certificate(struct dlssl_stream *s)
{
	X509 *x;

	/* A getter: the thread's error (of an earlier call) stays as it is. */
	if (!readable(s) || s->api != dlssl__ossl_current() ||
	    (x = s->api->SSL_get1_peer_certificate(s->ssl)) == NULL)
		return NULL;
	return dlssl__x509_wrap(s->api, x);
}

DLSSL_EXPORT const char *
dlssl_stream_error(struct dlssl_stream *s)
{
	return s != NULL && s->err_code != DLSSL_ERR_NONE ? s->err_msg : NULL;
}

DLSSL_EXPORT int
dlssl_stream_error_code(struct dlssl_stream *s)
{
	return s != NULL ? s->err_code : DLSSL_ERR_USAGE;
}
