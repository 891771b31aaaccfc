/* The API layer's private header. */
#ifndef DLSSL_INTERNAL_H
#define DLSSL_INTERNAL_H

#include "dlssl.h"
#include "error.h"
#include "ossl/ossl.h"

/* The current table, loading on first use; NULL with the error set. */
static inline const struct dlssl__ossl *
dlssl__api(void)
{
	const struct dlssl__ossl *t = dlssl__ossl_current();

	return t != NULL ? t : dlssl__ossl_ensure(NULL);
}

/* Called by reload: drop state that belongs to the previous generation. */
void dlssl__on_reload(void);
/* Drop the process-wide default context (context.c). */
void dlssl__global_context_clear(void);
/* The process-wide default verification of client streams (context.c). */
enum dlssl_verify dlssl__client_verify_default(void);

#endif
