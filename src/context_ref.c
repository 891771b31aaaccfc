/*
 * A context's references: the last dlssl_ctx_free frees it, through the
 * library generation it was made under (even after a reload).
 */
#include "config.h"

#include <stdlib.h>

#include "context.h"

DLSSL_EXPORT struct dlssl_context *
dlssl_ctx_ref(struct dlssl_context *c)
{
	if (c != NULL)
		atomic_fetch_add(&c->refs, 1);
	return c;
}

DLSSL_EXPORT void
dlssl_ctx_free(struct dlssl_context *c)
{
	if (c == NULL || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	/* Freed through the generation it was made under, even after a reload. */
	dlssl__sessions_free(c);
	if (c->ctx != NULL)
		c->api->SSL_CTX_free(c->ctx);
	free(c->alpn_wire);
#ifndef _WIN32
	pthread_mutex_destroy(&c->lock);
#endif
	free(c);
}
