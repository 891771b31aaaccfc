/* Small helpers shared by the API layer. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "util.h"

int
dlssl__read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f;
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0;
	int rv = -1;

	*data = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		dlssl__set_error(DLSSL_ERR_IO, "cannot open %s", path);
		return -1;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			unsigned char *nb;

			if (cap >= DLSSL_MAX_FILE) {
				dlssl__set_errorx(DLSSL_ERR_USAGE, "%s is larger than %d bytes", path,
				    DLSSL_MAX_FILE);
				goto out;
			}
			cap = cap ? cap * 2 : 8192;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory reading %s", path);
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				dlssl__set_error(DLSSL_ERR_IO, "cannot read %s", path);
				goto out;
			}
			break;
		}
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory reading %s", path);
		goto out;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	rv = 0;
out:
	if (buf != NULL)
		dlssl__free_secret(buf, cap);
	fclose(f);
	return rv;
}

void
dlssl__wipe(void *p, size_t len)
{
#if defined(HAVE_EXPLICIT_BZERO)
	explicit_bzero(p, len);
#else
	/* A store through a volatile function pointer is not optimised away. */
	static void *(*const volatile wipe)(void *, int, size_t) = memset;

	(void)wipe(p, 0, len);
#endif
}

void
dlssl__free_secret(void *p, size_t len)
{
	if (p == NULL)
		return;
	dlssl__wipe(p, len);
	free(p);
}

char *
dlssl__strdup(const char *s, int *failed)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory");
		*failed = 1;
	}
	return d;
}
