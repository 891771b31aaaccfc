/*
 * A context's ALPN: the list it offers (clients) or prefers (servers), and the
 * user's selection callback, set up on its SSL_CTX (the wire format is alpn.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alpn.h"
#include "context.h"

/* The user's callback sees the offer as C strings. */
static const unsigned char *
ask_user(struct dlssl_context *c, const unsigned char *in, size_t inlen, unsigned char *outlen)
{
	const char **names;
	char *text;
	size_t count = 0, i = 0, k;
	const char *chosen;
	const unsigned char *r = NULL;

	for (i = 0; i < inlen; i += 1 + (size_t)in[i])
		count++;
	names = calloc(count + 1, sizeof(*names));
	text = malloc(inlen + 1);
	if (names == NULL || text == NULL)
		goto out;
	for (i = 0, k = 0; i < inlen; i += 1 + (size_t)in[i], k++) {
		memcpy(text + i, in + i + 1, in[i]);
		text[i + in[i]] = '\0';
		names[k] = text + i;
	}
	chosen = c->alpn_select(names, count, c->alpn_select_arg);
	if (chosen != NULL && strlen(chosen) <= 255 &&
	    (r = dlssl__alpn_find(in, inlen, (const unsigned char *)chosen, strlen(chosen))) != NULL)
		*outlen = (unsigned char)strlen(chosen);
out:
	free(names);
	free(text);
	return r;
}

static int
alpn_select_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
    const unsigned char *in, unsigned int inlen, void *arg)
{
	struct dlssl_context *c = arg;
	const unsigned char *found = NULL;
	size_t i;

	(void)ssl;
	if (!dlssl__alpn_valid(in, inlen))
		return DL_SSL_TLSEXT_ERR_ALERT_FATAL;
	if (c->alpn_select != NULL) {
		found = ask_user(c, in, inlen, outlen);
	} else {
		/* The server's preference order (RFC 7301 section 3.2). */
		for (i = 0; found == NULL && i < c->alpn_wire_len; i += 1 + (size_t)c->alpn_wire[i]) {
			found = dlssl__alpn_find(in, inlen, c->alpn_wire + i + 1, c->alpn_wire[i]);
			if (found != NULL)
				*outlen = c->alpn_wire[i];
		}
	}
	if (found == NULL)
		return DL_SSL_TLSEXT_ERR_NOACK; /* go on without ALPN */
	*out = found;
	return DL_SSL_TLSEXT_ERR_OK;
}

int
dlssl__ctx_setup_alpn(struct dlssl_context *c, const struct dlssl_context_opts *o)
{
	const struct dlssl__ossl *api = c->api;

	if (o->alpn == NULL && o->alpn_select == NULL)
		return 0;
	if (!(api->caps & DLSSL_CAP_ALPN)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "ALPN needs OpenSSL 1.0.2 or newer; %s is loaded",
		    api->info->version_text);
		return -1;
	}
	if (o->alpn != NULL) {
		if (dlssl__alpn_encode(o->alpn, &c->alpn_wire, &c->alpn_wire_len) < 0)
			return -1;
		/* Note the inverted result: 0 is success. */
		if (api->SSL_CTX_set_alpn_protos(c->ctx, c->alpn_wire, (unsigned int)c->alpn_wire_len) != 0) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "cannot set the ALPN list");
			dlssl__ossl_append_errors(api);
			return -1;
		}
	}
	c->alpn_select = o->alpn_select;
	c->alpn_select_arg = o->alpn_select_arg;
	api->SSL_CTX_set_alpn_select_cb(c->ctx, alpn_select_cb, c);
	return 0;
}
