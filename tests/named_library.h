/*
 * Which library the caller put under test.  With DLSSL_LIBSSL,
 * DLSSL_LIBCRYPTO or DLSSL_LIBDIR set, the suite tests that library: a
 * program that cannot load it fails instead of skipping (make check-matrix
 * relies on this).
 */
#ifndef DLSSL_TESTS_NAMED_LIBRARY_H
#define DLSSL_TESTS_NAMED_LIBRARY_H

#include <stdlib.h>

/* The first of those variables that is set and not empty, or NULL. */
static inline const char *
named_library_var(void)
{
	static const char *const vars[] = { "DLSSL_LIBSSL", "DLSSL_LIBCRYPTO", "DLSSL_LIBDIR" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) != NULL && getenv(vars[i])[0] != '\0')
			return vars[i];
	return NULL;
}

#endif
