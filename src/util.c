/* Small helpers shared by the API layer. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "util.h"
#include "compat/file.h"

int
dlssl__read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f;
	struct stat st;
	unsigned char *buf = NULL;
	size_t cap, n;
	int rv = -1;

	*data = NULL;
	*len = 0;
	if ((f = dlssl__fopen(path, "rb")) == NULL) {
		dlssl__set_error(DLSSL_ERR_IO, "cannot open %s", path);
		return -1;
	}
	/*
	 * One buffer of the file's size: growing it with realloc would leave
	 * copies of a key in freed memory.
	 */
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		dlssl__set_errorx(DLSSL_ERR_IO, "%s is not a regular file", path);
		goto out;
	}
	if (st.st_size > DLSSL_MAX_FILE) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s is larger than %d bytes", path, DLSSL_MAX_FILE);
		goto out;
	}
	cap = (size_t)st.st_size;
	if ((buf = malloc(cap + 1)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "out of memory reading %s", path);
		goto out;
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f)) {
		dlssl__set_error(DLSSL_ERR_IO, "cannot read %s", path);
		goto out;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	rv = 0;
out:
	if (buf != NULL)
		dlssl__free_secret(buf, cap + 1);
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
