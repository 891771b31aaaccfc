/* Library initialisation and the loader report: the public face of src/ossl/ (reload.c reloads). */
#include "config.h"

#include <string.h>

#include "internal.h"

static const struct dlssl_library_info nothing_loaded = {
	.error = "out of memory before anything was loaded",
};

DLSSL_EXPORT unsigned int
dlssl_version(void)
{
	return DLSSL_VERSION_HEX;
}

int
dlssl__init_opts_check(const struct dlssl_init_opts *o)
{
	size_t i;

	for (i = 0; o != NULL && i < sizeof(o->reserved) / sizeof(o->reserved[0]); i++) {
		if (o->reserved[i] != NULL) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_init_opts.reserved must be zero");
			return -1;
		}
	}
	return 0;
}

/* CL+SSL's :rand-seed: mixed in whenever it is given. */
static int
add_seed(const struct dlssl__ossl *t, const struct dlssl_init_opts *o)
{
	const unsigned char *p;
	size_t n;

	if (o == NULL || o->rand_seed == NULL || o->rand_seed_len == 0)
		return 0;
	for (p = o->rand_seed, n = o->rand_seed_len; n > 0;) {
		int chunk = n > 65536 ? 65536 : (int)n;

		t->RAND_seed(p, chunk);
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

DLSSL_EXPORT int
dlssl_ensure_initialized(const struct dlssl_init_opts *opts)
{
	const struct dlssl__ossl *t;

	dlssl__error_clear();
	if (dlssl__init_opts_check(opts) < 0)
		return -1;
	if (opts != NULL && opts->rand_seed == NULL && opts->rand_seed_len != 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "rand_seed_len without rand_seed");
		return -1;
	}
	if ((t = dlssl__ossl_ensure(opts)) == NULL)
		return -1;
	return add_seed(t, opts);
}

DLSSL_EXPORT const struct dlssl_library_info *
dlssl_library_info(void)
{
	const struct dlssl_library_info *i;

	const struct dlssl__ossl *t;

	dlssl__error_clear();
	/* The library in use, if any; else the latest attempt (loading once if none was made). */
	if ((t = dlssl__ossl_current()) != NULL)
		return t->info;
	if (dlssl__ossl_last_report() == NULL)
		(void)dlssl__ossl_ensure(NULL);
	i = dlssl__ossl_last_report();
	return i != NULL ? i : &nothing_loaded;
}

DLSSL_EXPORT unsigned long
dlssl_generation(void)
{
	const struct dlssl__ossl *t = dlssl__ossl_current();

	return t != NULL ? t->generation : 0;
}
