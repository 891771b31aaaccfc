/* Random bytes from libcrypto's generator. */
#include "config.h"

#include <limits.h>

#include "internal.h"

DLSSL_EXPORT int
dlssl_random_bytes(void *buf, size_t n)
{
	const struct dlssl__ossl *api;
	unsigned char *p = buf;

	dlssl__error_clear();
	if (buf == NULL && n > 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_random_bytes: NULL buffer");
		return -1;
	}
	if ((api = dlssl__api()) == NULL)
		return -1;
	while (n > 0) {
		int chunk = n > (size_t)INT_MAX ? INT_MAX : (int)n;

		api->ERR_clear_error();
		if (api->RAND_bytes(p, chunk) != 1) {
			dlssl__set_errorx(DLSSL_ERR_TLS, "RAND_bytes failed");
			dlssl__ossl_append_errors(api);
			return -1;
		}
		p += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}
