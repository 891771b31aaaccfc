/*
 * Peer verification of one connection (conn.h): the verify callback (chain
 * errors, the host name by dlssl's own RFC 6125 matcher, the user's
 * callback), the checks after the handshake, and the process-wide default
 * of clients.  The server's SNI callback is sni.c.
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

#include "conn.h"
#include "libslot.h"
#include "policy.h"
#include "x509.h"

static atomic_int client_verify_default = DLSSL_VERIFY_REQUIRED;

DLSSL_EXPORT enum dlssl_verify
dlssl_set_client_verify_default(enum dlssl_verify v)
{
	if (v == DLSSL_VERIFY_DEFAULT)
		v = DLSSL_VERIFY_REQUIRED;
	return (enum dlssl_verify)atomic_exchange(&client_verify_default, (int)v);
}

/* The host name check of the peer's own certificate. */
static int
host_matches(struct dl_conn *cn, X509 *cert)
{
	X509 *ref = dlssl__ossl_x509_ref(cn->api, cert);
	struct dlssl_x509 *x;
	int m;

	if (ref == NULL)
		return 0;
	if ((x = dlssl__x509_wrap(cn->api, ref)) == NULL)
		return 0;
	m = dlssl_check_host(x, cn->hostname);
	dlssl_x509_free(x);
	return m == 1;
}

static void
record(struct dl_conn *cn, long err, int depth, X509 *cert)
{
	if (cn->verify_err != 0)
		return;
	cn->verify_err = err;
	cn->verify_depth = depth;
	cn->verify_subject[0] = '\0';
	if (cert != NULL)
		dlssl__x509_subject_text(cn->api, cert, cn->verify_subject, sizeof(cn->verify_subject));
}

/*
 * The user's callback judged this handshake's certificates, and a
 * resumption would not ask it again: the session is never resumed.  A
 * client never keeps it (session.c); a server gives it a session id
 * context no stream has, so that neither its cache nor a ticket can bring
 * it back.
 */
static void
no_resumption(struct dl_conn *cn, SSL *ssl)
{
	static const unsigned char never[] = "dlssl-no-resumption";
	SSL_SESSION *sess;

	if (cn->no_resume)
		return;
	cn->no_resume = 1;
	if ((sess = cn->api->SSL_get_session(ssl)) != NULL)
		(void)cn->api->SSL_SESSION_set1_id_context(sess, never, sizeof(never) - 1);
}

/* The verify callback of the library in slot (libslot.h). */
static int
verify_in(int slot, int ok, X509_STORE_CTX *store)
{
	const struct dlssl__ossl *api = dlssl__lib_table(slot);
	struct dl_conn *cn;
	SSL *ssl;
	X509 *cert;
	int depth, err;

	if (api == NULL)
		return 0;
	ssl = api->X509_STORE_CTX_get_ex_data(store, api->SSL_get_ex_data_X509_STORE_CTX_idx());
	if ((cn = dlssl__conn_of(slot, ssl)) == NULL)
		return 0;
	api = cn->api; /* the generation that made the SSL (the same functions) */
	depth = api->X509_STORE_CTX_get_error_depth(store);
	err = api->X509_STORE_CTX_get_error(store);
	cert = api->X509_STORE_CTX_get_current_cert(store);
	if (ok && depth == 0 && !cn->is_server && cn->hostname != NULL && !host_matches(cn, cert)) {
		err = cn->host_is_ip ? DL_X509_V_ERR_IP_ADDRESS_MISMATCH : DL_X509_V_ERR_HOSTNAME_MISMATCH;
		api->X509_STORE_CTX_set_error(store, err);
		ok = 0;
	} else if (!dlssl__policy_verify(api, store, ok, cn->security_level, cn->is_server, &err, &depth,
	    &cert)) {
		/* dlssl's own checks (policy_chain.c); its codes are OpenSSL 3.0's. */
		if (ok)
			api->X509_STORE_CTX_set_error(store, DL_X509_V_ERR_APPLICATION_VERIFICATION);
		ok = 0;
	}
	if (!ok)
		record(cn, err, depth, cert);
	if (cn->ctx->verify_cb != NULL) {
		struct dlssl_verify_info info;

		memset(&info, 0, sizeof(info));
		info.preverify_ok = ok;
		info.depth = depth;
		info.error = ok ? 0 : err;
		info.error_text = dlssl__x509_error_text(info.error);
		info.subject = !ok && cn->verify_depth == depth ? cn->verify_subject : NULL;
		ok = cn->ctx->verify_cb(&info, cn->ctx->verify_arg) ? 1 : 0;
		no_resumption(cn, ssl);
		if (ok && !info.preverify_ok)
			cn->verify_overridden = 1;
		if (ok && cn->verify_err == err && cn->verify_depth == depth)
			cn->verify_err = 0; /* the user accepted it */
	}
	return cn->verify == DLSSL_VERIFY_NONE ? 1 : ok;
}

#define DL_VERIFY_CB(n) \
	static int verify_cb_##n(int ok, X509_STORE_CTX *store) { return verify_in(n, ok, store); }
DL_EACH_LIB_SLOT(DL_VERIFY_CB)
#define DL_VERIFY_CB_ENTRY(n) verify_cb_##n,
static int (*const verify_cbs[DL_LIB_SLOTS])(int, X509_STORE_CTX *) = {
	DL_EACH_LIB_SLOT(DL_VERIFY_CB_ENTRY)
};

/* A host name for SNI and verification: validated, brackets and one trailing dot removed. */
static int
normalise_host(struct dl_conn *cn, const char *name)
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
	cn->host_is_ip = h.kind != DLSSL__HOST_DNS;
	if ((cn->hostname = strdup(h.kind == DLSSL__HOST_DNS ? h.dns : name)) == NULL) {
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
peer_address_as_host(struct dl_conn *cn, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char buf[INET6_ADDRSTRLEN + 1];
	const void *a = NULL;

	if (fd < 0)
		return 0;
	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET)
		a = &((struct sockaddr_in *)&ss)->sin_addr;
	else if (ss.ss_family == AF_INET6)
		a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
	if (a == NULL || inet_ntop(ss.ss_family, a, buf, sizeof(buf)) == NULL)
		return 0;
	return normalise_host(cn, buf) < 0 ? -1 : 1;
}

int
dlssl__verify_setup(struct dl_conn *cn, const struct dlssl_stream_opts *o, int fd)
{
	const struct dlssl__ossl *api = cn->api;
	int mode, r, slot;

	if (!cn->is_server && o->hostname != NULL && normalise_host(cn, o->hostname) < 0)
		return -1;
	cn->skip_hostname_check = !cn->is_server && o->skip_hostname_check;
	if (cn->is_server) {
		/* Client certificates: the context decides (default: not asked for). */
		cn->verify = cn->verify != DLSSL_VERIFY_DEFAULT ? cn->verify :
		    cn->ctx->verify_mode != DLSSL_VERIFY_DEFAULT ? cn->ctx->verify_mode : DLSSL_VERIFY_NONE;
		mode = cn->verify == DLSSL_VERIFY_NONE ? DL_SSL_VERIFY_NONE :
		    cn->verify == DLSSL_VERIFY_OPTIONAL ? DL_SSL_VERIFY_PEER :
		    DL_SSL_VERIFY_PEER | DL_SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
	} else {
		cn->verify = cn->verify != DLSSL_VERIFY_DEFAULT ? cn->verify :
		    cn->ctx->verify_mode != DLSSL_VERIFY_DEFAULT ? cn->ctx->verify_mode :
		    (enum dlssl_verify)atomic_load(&client_verify_default);
		mode = cn->verify == DLSSL_VERIFY_NONE ? DL_SSL_VERIFY_NONE : DL_SSL_VERIFY_PEER;
		if (cn->hostname != NULL && !cn->host_is_ip &&
		    dlssl__ossl_set_sni(api, cn->ssl, cn->hostname) < 0) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "cannot set the server name '%s'", cn->hostname);
			dlssl__ossl_append_errors(api);
			return -1;
		}
		if (cn->hostname != NULL && cn->skip_hostname_check) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "hostname and skip_hostname_check "
			    "contradict each other: give one or the other");
			return -1;
		}
		if (cn->verify == DLSSL_VERIFY_REQUIRED && cn->hostname == NULL && !cn->skip_hostname_check) {
			if ((r = peer_address_as_host(cn, fd)) < 0)
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
	if ((slot = dlssl__lib_slot(api)) < 0)
		return -1;
	api->SSL_set_verify(cn->ssl, mode, verify_cbs[slot]);
	return 0;
}

static int
no_client_cert(const struct dlssl__ossl *api, unsigned long e)
{
	return dlssl__ossl_err_lib(api, e) == DL_ERR_LIB_SSL &&
	    dlssl__ossl_err_reason(api, e) == DL_SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE;
}

int
dlssl__verify_failed(struct dl_conn *cn)
{
	const struct dlssl__ossl *api = cn->api;
	long err = cn->verify_err;

	if (cn->verify == DLSSL_VERIFY_NONE)
		return 0;
	if (err == 0)
		err = dlssl__policy_x509_code(api, api->SSL_get_verify_result(cn->ssl));
	if (err == DL_X509_V_OK) {
		/* LibreSSL's TLS 1.3 server queues its certificate_required alert first. */
		if (!cn->is_server || (!no_client_cert(api, api->ERR_peek_error()) &&
		    !no_client_cert(api, api->ERR_peek_last_error())))
			return 0;
		api->ERR_clear_error();
		dlssl__set_errorx(DLSSL_ERR_VERIFY, "the client presented no certificate, "
		    "and this server requires one");
		return 1;
	}
	api->ERR_clear_error();
	dlssl__set_errorx(DLSSL_ERR_VERIFY, "%s certificate verification failed: %s (X509_V_ERR %ld)%s%s%s",
	    cn->is_server ? "client" : "server", dlssl__x509_error_text(err), err,
	    cn->verify_subject[0] ? " for '" : "", cn->verify_subject,
	    cn->verify_subject[0] ? "'" : "");
	if ((err == DL_X509_V_ERR_HOSTNAME_MISMATCH || err == DL_X509_V_ERR_IP_ADDRESS_MISMATCH) &&
	    cn->hostname != NULL) {
		char extra[300];

		snprintf(extra, sizeof(extra), "does not match '%s'", cn->hostname);
		dlssl__error_append(extra);
	}
	return 1;
}

static int
refuse(struct dl_conn *cn, long err, int reused, const char *what)
{
	const struct dlssl__ossl *api = cn->api;

	api->ERR_clear_error();
	if (cn->verify_err == 0)
		cn->verify_err = err;
	if (err != DL_X509_V_OK)
		dlssl__set_errorx(DLSSL_ERR_VERIFY, "%s certificate verification failed%s: %s (X509_V_ERR %ld)",
		    cn->is_server ? "client" : "server", reused ? " (resumed session)" : "",
		    api->X509_verify_cert_error_string(err), err);
	else
		dlssl__set_errorx(DLSSL_ERR_VERIFY, "%s%s", what, reused ? " (resumed session)" : "");
	if ((err == DL_X509_V_ERR_HOSTNAME_MISMATCH || err == DL_X509_V_ERR_IP_ADDRESS_MISMATCH) &&
	    cn->hostname != NULL) {
		char extra[300];

		snprintf(extra, sizeof(extra), "does not match '%s'", cn->hostname);
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
check_peer(struct dl_conn *cn)
{
	const struct dlssl__ossl *api = cn->api;
	int reused = dlssl__ossl_session_reused(api, cn->ssl);
	int trust_cb = !reused && cn->verify_overridden;
	X509 *peer;
	long res;
	int bad_host;

	if (cn->verify == DLSSL_VERIFY_NONE)
		return 0;
	if ((peer = api->SSL_get1_peer_certificate(cn->ssl)) == NULL) {
		if (cn->verify != DLSSL_VERIFY_REQUIRED)
			return 0;
		return refuse(cn, DL_X509_V_OK, reused, cn->is_server ?
		    "the client presented no certificate, and this server requires one" :
		    "the server presented no certificate");
	}
	res = api->SSL_get_verify_result(cn->ssl);
	bad_host = !cn->is_server && cn->hostname != NULL && !host_matches(cn, peer);
	api->X509_free(peer);
	if (trust_cb)
		return 0;
	if (res != DL_X509_V_OK)
		return refuse(cn, res, reused, "");
	if (bad_host)
		return refuse(cn, cn->host_is_ip ? DL_X509_V_ERR_IP_ADDRESS_MISMATCH :
		    DL_X509_V_ERR_HOSTNAME_MISMATCH, reused, "");
	return 0;
}

int
dlssl__verify_after_handshake(struct dl_conn *cn)
{
	int rv = check_peer(cn);

	dlssl__sessions_verified(cn, rv == 0);
	return rv;
}
