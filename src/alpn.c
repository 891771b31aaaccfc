/*
 * ALPN (RFC 7301) wire format: encoding the client's offer, validating and
 * searching the offer a server receives.  Pure code; what a context does
 * with it is alpn_ctx.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "alpn.h"
#include "error.h"

int
dlssl__alpn_encode(const char *const *list, unsigned char **wire, size_t *len)
{
	size_t total = 0, n;
	const char *const *p;
	unsigned char *w;

	*wire = NULL;
	*len = 0;
	for (p = list; *p != NULL; p++) {
		n = strlen(*p);
		/* RFC 7301 3.1: 1..255 bytes each, the whole list under 2^16. */
		if (n == 0 || n > 255) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "ALPN protocol names must be 1 to 255 bytes long");
			return -1;
		}
		total += n + 1;
		if (total > 65535) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "the ALPN list is longer than 65535 bytes");
			return -1;
		}
	}
	if (total == 0) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "the ALPN list is empty");
		return -1;
	}
	if ((w = malloc(total)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		return -1;
	}
	*wire = w;
	*len = total;
	for (p = list; *p != NULL; p++) {
		n = strlen(*p);
		*w++ = (unsigned char)n;
		memcpy(w, *p, n);
		w += n;
	}
	return 0;
}

const unsigned char *
dlssl__alpn_find(const unsigned char *in, size_t inlen, const unsigned char *name, size_t n)
{
	size_t i = 0;

	while (i < inlen) {
		size_t l = in[i];

		if (l == n && memcmp(in + i + 1, name, n) == 0)
			return in + i + 1;
		i += l + 1;
	}
	return NULL;
}

int
dlssl__alpn_valid(const unsigned char *in, size_t inlen)
{
	size_t i = 0;

	if (inlen == 0)
		return 0;
	while (i < inlen) {
		if (in[i] == 0 || i + 1 + in[i] > inlen)
			return 0;
		i += 1 + (size_t)in[i];
	}
	return 1;
}
