/* The API layer's private header.  src/README.md describes the layers and each file. */
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

/* The reserved tail of dlssl_init_opts is zero (init.c): 0, or -1 with the error set. */
int dlssl__init_opts_check(const struct dlssl_init_opts *o);
/* Retire the process-wide default context: a reload made it stale (context.c). */
void dlssl__global_context_clear(void);

#endif
