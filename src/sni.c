/*
 * Servers: the SNI callback, which may switch a connection to another
 * context (the user's dlssl_context_opts.sni_callback chooses).
 */
#include "config.h"

#include <string.h>

#include "conn.h"

/* SSL_CTX_set_tlsext_servername_callback's callback. */
static int
sni_cb(SSL *ssl, int *alert, void *arg)
{
	struct dlssl_context *c = arg, *use = NULL;
	struct dl_conn *cn = dlssl__conn_get(c->api, ssl);
	const char *name;

	if (cn == NULL || c->sni_cb == NULL)
		return DL_SSL_TLSEXT_ERR_OK;
	name = c->api->SSL_get_servername(ssl, DL_TLSEXT_NAMETYPE_host_name);
	if (c->sni_cb(name, &use, c->sni_arg) < 0) {
		*alert = DL_SSL_AD_UNRECOGNIZED_NAME;
		return DL_SSL_TLSEXT_ERR_ALERT_FATAL;
	}
	if (use != NULL && use != c && use->api == c->api) {
		c->api->SSL_set_SSL_CTX(ssl, use->ctx);
		dlssl_ctx_free(cn->sni_ctx);
		cn->sni_ctx = dlssl_ctx_ref(use);
		/* Sessions of the context switched to (its trust store verifies this one). */
		if (dlssl__sessions_server_context(cn, use) < 0) {
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
