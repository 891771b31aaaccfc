/*
 * Reloading the library (dlssl_reload): a new generation of the loader's
 * table, then the default context of the old one is retired.  Above both
 * the loader and the contexts, so neither calls the other.
 */
#include "config.h"

#include "internal.h"

static int
reload(const struct dlssl_init_opts *opts, int replace)
{
	dlssl__error_clear();
	if (dlssl__init_opts_check(opts) < 0)
		return -1;
	if (dlssl__ossl_reload(opts, replace) == NULL)
		return -1;
	dlssl__global_context_clear();
	return 0;
}

DLSSL_EXPORT int
dlssl_reload(void)
{
	return reload(NULL, 0);
}

DLSSL_EXPORT int
dlssl_reload_opts(const struct dlssl_init_opts *opts)
{
	return reload(opts, 1);
}
