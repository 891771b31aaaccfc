/*
 * Peer verification: the verify callback (chain errors, the host name by
 * dlssl's own RFC 6125 matcher, the user's callback), the checks after the
 * handshake, and the server's SNI callback.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include "policy.h"
#include "stream.h"
#include "x509.h"

struct dlssl_stream *
dlssl__stream_of(const SSL *ssl)
{
	const struct dlssl_stream *cur;
	struct dlssl_stream *prev = dlssl__io_enter(NULL);

	/* Callbacks run inside a call dlssl made, with the stream published. */
	dlssl__io_leave(prev);
	cur = prev;
	if (cur == NULL)
		return NULL;
	return (struct dlssl_stream *)cur->api->SSL_get_ex_data(ssl, cur->api->ex_ssl);
}

/* The host name check of the peer's own certificate. */
static int
host_matches(struct dlssl_stream *s, X509 *cert)
{
	X509 *ref = dlssl__ossl_x509_ref(s->api, cert);
	struct dlssl_x509 *x;
	int m;

	if (ref == NULL)
		return 0;
	if ((x = dlssl__x509_wrap(s->api, ref)) == NULL)
		return 0;
	m = dlssl_check_host(x, s->hostname);
	dlssl_x509_free(x);
	return m == 1;
}

static void
record(struct dlssl_stream *s, long err, int depth, X509 *cert)
{
	if (s->verify_err != 0)
		return;
	s->verify_err = err;
	s->verify_depth = depth;
	s->verify_subject[0] = '\0';
	if (cert != NULL)
		dlssl__x509_subject_text(s->api, cert, s->verify_subject, sizeof(s->verify_subject));
}

/*
 * The user's callback judged this handshake's certificates, and a
 * resumption would not ask it again: the session is never resumed.  A
 * client never keeps it (session.c); a server gives it a session id
 * context no stream has, so that neither its cache nor a ticket can bring
 * it back.
 */
static void
no_resumption(struct dlssl_stream *s, SSL *ssl)
{
	static const unsigned char never[] = "dlssl-no-resumption";
	SSL_SESSION *sess;

	if (s->no_resume)
		return;
	s->no_resume = 1;
	if ((sess = s->api->SSL_get_session(ssl)) != NULL)
		(void)s->api->SSL_SESSION_set1_id_context(sess, never, sizeof(never) - 1);
}

static int
verify_cb(int ok, X509_STORE_CTX *store)
{
	struct dlssl_stream *prev = dlssl__io_enter(NULL), *s;
	const struct dlssl__ossl *api;
	SSL *ssl;
	X509 *cert;
	int depth, err;

	dlssl__io_leave(prev);
	if (prev == NULL)
		return 0;
	api = prev->api;
	ssl = api->X509_STORE_CTX_get_ex_data(store, api->SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl == NULL || (s = api->SSL_get_ex_data(ssl, api->ex_ssl)) == NULL)
		return 0;
	depth = api->X509_STORE_CTX_get_error_depth(store);
	err = api->X509_STORE_CTX_get_error(store);
	cert = api->X509_STORE_CTX_get_current_cert(store);
	if (ok && depth == 0 && !s->is_server && s->hostname != NULL && !host_matches(s, cert)) {
		err = s->host_is_ip ? DL_X509_V_ERR_IP_ADDRESS_MISMATCH : DL_X509_V_ERR_HOSTNAME_MISMATCH;
		api->X509_STORE_CTX_set_error(store, err);
		ok = 0;
	} else if (!dlssl__policy_verify(api, store, ok, s->security_level, s->is_server, &err, &depth,
	    &cert)) {
		/* dlssl's own checks (policy_chain.c); its codes are OpenSSL 3.0's. */
		if (ok)
			api->X509_STORE_CTX_set_error(store, DL_X509_V_ERR_APPLICATION_VERIFICATION);
		ok = 0;
	}
	if (!ok)
		record(s, err, depth, cert);
	if (s->ctx->verify_cb != NULL) {
		struct dlssl_verify_info info;

		memset(&info, 0, sizeof(info));
		info.preverify_ok = ok;
		info.depth = depth;
		info.error = ok ? 0 : err;
		info.error_text = dlssl__x509_error_text(info.error);
		info.subject = !ok && s->verify_depth == depth ? s->verify_subject : NULL;
		ok = s->ctx->verify_cb(&info, s->ctx->verify_arg) ? 1 : 0;
		no_resumption(s, ssl);
		if (ok && !info.preverify_ok)
			s->verify_overridden = 1;
		if (ok && s->verify_err == err && s->verify_depth == depth)
			s->verify_err = 0; /* the user accepted it */
	}
	return s->verify == DLSSL_VERIFY_NONE ? 1 : ok;
}

/* A host name for SNI and verification: validated, brackets and one trailing dot removed. */
static int
normalise_host(struct dlssl_stream *s, const char *name)
{
	char buf[DLSSL__HOST_MAX + 3];
	struct dlssl__host h;
	const char *why = NULL;
	size_t n = strlen(name);

	/* "[::1]", as in URLs. */
	if (n >= 2 && n < sizeof(buf) && name[0] == '[' && name[n - 1] == ']') {
		memcpy(buf, name + 1, n - 2);
		buf[n - 2] = '\0';
		name = buf;
	}
	if (dlssl__host_parse(name, &h, &why) == DLSSL__HOST_INVALID) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid host name '%.64s': %s", name,
		    why ? why : "not a DNS name or an IP address");
		return -1;
	}
	s->host_is_ip = h.kind != DLSSL__HOST_DNS;
	if ((s->hostname = strdup(h.kind == DLSSL__HOST_DNS ? h.dns : name)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * A client that verifies needs a name to check.  Without a host name, the
 * address of a connected TCP socket is the reference (an IP literal: the
 * certificate must carry it as an iPAddress SAN); any other transport
 * fails unless the caller opted out with skip_hostname_check.
 */
static int
peer_address_as_host(struct dlssl_stream *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[INET6_ADDRSTRLEN + 1];
	const void *a = NULL;

	if (s->fd < 0)
		return 0;
	memset(&ss, 0, sizeof(ss));
	if (getpeername(s->fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET)
		a = &((struct sockaddr_in *)&ss)->sin_addr;
	else if (ss.ss_family == AF_INET6)
		a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
	if (a == NULL || inet_ntop(ss.ss_family, a, buf, sizeof(buf)) == NULL)
		return 0;
	return normalise_host(s, buf) < 0 ? -1 : 1;
}

int
dlssl__stream_setup_verify(struct dlssl_stream *s, const struct dlssl_stream_opts *o)
{
	const struct dlssl__ossl *api = s->api;
	int mode, r;

	if (!s->is_server && o->hostname != NULL && normalise_host(s, o->hostname) < 0)
		return -1;
	s->skip_hostname_check = !s->is_server && o->skip_hostname_check;
	if (s->is_server) {
		/* Client certificates: the context decides (default: not asked for). */
		s->verify = s->verify != DLSSL_VERIFY_DEFAULT ? s->verify :
		    s->ctx->verify_mode != DLSSL_VERIFY_DEFAULT ? s->ctx->verify_mode : DLSSL_VERIFY_NONE;
		mode = s->verify == DLSSL_VERIFY_NONE ? DL_SSL_VERIFY_NONE :
		    s->verify == DLSSL_VERIFY_OPTIONAL ? DL_SSL_VERIFY_PEER :
		    DL_SSL_VERIFY_PEER | DL_SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	} else {
		s->verify = s->verify != DLSSL_VERIFY_DEFAULT ? s->verify :
		    s->ctx->verify_mode != DLSSL_VERIFY_DEFAULT ? s->ctx->verify_mode :
		    dlssl__client_verify_default();
		mode = s->verify == DLSSL_VERIFY_NONE ? DL_SSL_VERIFY_NONE : DL_SSL_VERIFY_PEER;
		if (s->hostname != NULL && !s->host_is_ip &&
		    dlssl__ossl_set_sni(api, s->ssl, s->hostname) < 0) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "cannot set the server name '%s'", s->hostname);
			dlssl__ossl_append_errors(api);
			return -1;
		}
		if (s->hostname != NULL && s->skip_hostname_check) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "hostname and skip_hostname_check "
			    "contradict each other: give one or the other");
			return -1;
		}
		if (s->verify == DLSSL_VERIFY_REQUIRED && s->hostname == NULL && !s->skip_hostname_check) {
			if ((r = peer_address_as_host(s)) < 0)
				return -1;
			if (r == 0) {
				dlssl__set_errorx(DLSSL_ERR_USAGE, "a client that verifies the server "
				    "(DLSSL_VERIFY_REQUIRED) needs its host name: set "
				    "dlssl_stream_opts.hostname (or, to accept a trusted certificate "
				    "for any name, skip_hostname_check)");
				return -1;
			}
		}
	}
	api->SSL_set_verify(s->ssl, mode, verify_cb);
	return 0;
}

static int
no_client_cert(const struct dlssl__ossl *api, unsigned long e)
{
	return dlssl__ossl_err_lib(api, e) == DL_ERR_LIB_SSL &&
	    dlssl__ossl_err_reason(api, e) == DL_SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE;
}

int
dlssl__stream_verify_failed(struct dlssl_stream *s)
{
	const struct dlssl__ossl *api = s->api;
	long err = s->verify_err;

	if (s->verify == DLSSL_VERIFY_NONE)
		return 0;
	if (err == 0)
		err = dlssl__policy_x509_code(api, api->SSL_get_verify_result(s->ssl));
	if (err == DL_X509_V_OK) {
		/* LibreSSL's TLS 1.3 server queues its certificate_required alert first. */
		if (!s->is_server || (!no_client_cert(api, api->ERR_peek_error()) &&
		    !no_client_cert(api, api->ERR_peek_last_error())))
			return 0;
		api->ERR_clear_error();
		dlssl__set_errorx(DLSSL_ERR_VERIFY, "the client presented no certificate, "
		    "and this server requires one");
		return 1;
	}
	api->ERR_clear_error();
	dlssl__set_errorx(DLSSL_ERR_VERIFY, "%s certificate verification failed: %s (X509_V_ERR %ld)%s%s%s",
	    s->is_server ? "client" : "server", dlssl__x509_error_text(err), err,
	    s->verify_subject[0] ? " for '" : "", s->verify_subject,
	    s->verify_subject[0] ? "'" : "");
	if ((err == DL_X509_V_ERR_HOSTNAME_MISMATCH || err == DL_X509_V_ERR_IP_ADDRESS_MISMATCH) &&
	    s->hostname != NULL) {
		char extra[300];

		snprintf(extra, sizeof(extra), "does not match '%s'", s->hostname);
		dlssl__error_append(extra);
	}
	return 1;
}

static int
refuse(struct dlssl_stream *s, long err, int reused, const char *what)
{
	const struct dlssl__ossl *api = s->api;

	api->ERR_clear_error();
	if (s->verify_err == 0)
		s->verify_err = err;
	if (err != DL_X509_V_OK)
		dlssl__set_errorx(DLSSL_ERR_VERIFY, "%s certificate verification failed%s: %s (X509_V_ERR %ld)",
		    s->is_server ? "client" : "server", reused ? " (resumed session)" : "",
		    api->X509_verify_cert_error_string(err), err);
	else
		dlssl__set_errorx(DLSSL_ERR_VERIFY, "%s%s", what, reused ? " (resumed session)" : "");
	if ((err == DL_X509_V_ERR_HOSTNAME_MISMATCH || err == DL_X509_V_ERR_IP_ADDRESS_MISMATCH) &&
	    s->hostname != NULL) {
		char extra[300];

		snprintf(extra, sizeof(extra), "does not match '%s'", s->hostname);
		dlssl__error_append(extra);
	}
	return -1;
}

/*
 * After every handshake, full or resumed, dlssl itself checks what the
 * mode asks for: a resumed session never ran the verify callback, so its
 * result, its peer certificate and (clients) the host name are checked
 * here again.  Only a full handshake whose failure the user's callback
 * accepted is taken on the callback's word.
 */
static int
check_peer(struct dlssl_stream *s)
{
	const struct dlssl__ossl *api = s->api;
	int reused = dlssl__ossl_session_reused(api, s->ssl);
	int trust_cb = !reused && s->verify_overridden;
	X509 *peer;
	long res;
	int bad_host;

	if (s->verify == DLSSL_VERIFY_NONE)
		return 0;
	if ((peer = api->SSL_get1_peer_certificate(s->ssl)) == NULL) {
		if (s->verify != DLSSL_VERIFY_REQUIRED)
			return 0;
		return refuse(s, DL_X509_V_OK, reused, s->is_server ?
		    "the client presented no certificate, and this server requires one" :
		    "the server presented no certificate");
	}
	res = api->SSL_get_verify_result(s->ssl);
	bad_host = !s->is_server && s->hostname != NULL && !host_matches(s, peer);
	api->X509_free(peer);
	if (trust_cb)
		return 0;
	if (res != DL_X509_V_OK)
		return refuse(s, res, reused, "");
	if (bad_host)
		return refuse(s, s->host_is_ip ? DL_X509_V_ERR_IP_ADDRESS_MISMATCH :
		    DL_X509_V_ERR_HOSTNAME_MISMATCH, reused, "");
	return 0;
}

int
dlssl__stream_check_after_handshake(struct dlssl_stream *s)
{
	int rv = check_peer(s);

	dlssl__sessions_verified(s, rv == 0);
	return rv;
}

/* SSL_CTX_set_tlsext_servername_callback's callback. */
static int
sni_cb(SSL *ssl, int *alert, void *arg)
{
	struct dlssl_context *c = arg, *use = NULL;
	struct dlssl_stream *s = dlssl__stream_of(ssl);
	const char *name;

	if (s == NULL || c->sni_cb == NULL)
		return DL_SSL_TLSEXT_ERR_OK;
	name = c->api->SSL_get_servername(ssl, DL_TLSEXT_NAMETYPE_host_name);
	if (c->sni_cb(name, &use, c->sni_arg) < 0) {
		*alert = DL_SSL_AD_UNRECOGNIZED_NAME;
		return DL_SSL_TLSEXT_ERR_ALERT_FATAL;
	}
	if (use != NULL && use != c && use->api == c->api) {
		c->api->SSL_set_SSL_CTX(ssl, use->ctx);
		dlssl_ctx_free(s->sni_ctx);
		s->sni_ctx = dlssl_ctx_ref(use);
		/* Sessions of the context switched to (its trust store verifies this one). */
		if (dlssl__sessions_server_context(s, use) < 0) {
			*alert = DL_SSL_AD_INTERNAL_ERROR;
			return DL_SSL_TLSEXT_ERR_ALERT_FATAL;
		}
	}
	return DL_SSL_TLSEXT_ERR_OK;
}

void
dlssl__ctx_setup_sni(struct dlssl_context *c)
{
	typedef int (*sni_fn)(SSL *, int *, void *);
	sni_fn f = sni_cb;
	dl_generic_fp g;

	memcpy(&g, &f, sizeof(g));
	c->api->SSL_CTX_callback_ctrl(c->ctx, DL_SSL_CTRL_SET_TLSEXT_SERVERNAME_CB, g);
	c->api->SSL_CTX_ctrl(c->ctx, DL_SSL_CTRL_SET_TLSEXT_SERVERNAME_ARG, 0, c);
}
