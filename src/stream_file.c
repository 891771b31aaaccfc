/*
 * dlssl_stream_fdopen: a stdio FILE over a stream (CL+SSL's external
 * format), so fgets/fprintf work.  glibc's fopencookie or the BSDs' funopen.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "stream.h"

#if defined(__GLIBC__)
static int
valid_mode(const char *m)
{
	return m != NULL && (m[0] == 'r' || m[0] == 'w' || m[0] == 'a');
}

static ssize_t
cookie_read(void *c, char *buf, size_t len)
{
	long r = dlssl_read(c, buf, len);

	if (r >= 0)
		return (ssize_t)r;
	errno = r == -1 ? EIO : EAGAIN;
	return -1;
}

static ssize_t
cookie_write(void *c, const char *buf, size_t len)
{
	long r = dlssl_write(c, buf, len);

	if (r > 0 && dlssl_flush(c) == 0)
		return (ssize_t)r;
	if (r > 0)
		return (ssize_t)r; /* buffered; the flush error comes back later */
	errno = r == -1 ? EIO : EAGAIN;
	return 0;
}

static int
cookie_close(void *c)
{
	int r = dlssl_close(c);

	dlssl_stream_free(c);
	return r == 0 ? 0 : EOF;
}

DLSSL_EXPORT void *
dlssl_stream_fdopen(struct dlssl_stream *s, const char *mode)
{
	cookie_io_functions_t io = { cookie_read, cookie_write, NULL, cookie_close };
	FILE *f;

	if (dlssl__stream_enter(s) < 0)
		return NULL;
	if (!valid_mode(mode)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_stream_fdopen: mode must start with r, w or a");
		return NULL;
	}
	if ((f = fopencookie(s, mode, io)) == NULL)
		dlssl__set_error(DLSSL_ERR_NOMEM, "fopencookie");
	return f;
}
#else
DLSSL_EXPORT void *
dlssl_stream_fdopen(struct dlssl_stream *s, const char *mode)
{
	(void)mode;
	if (dlssl__stream_enter(s) < 0)
		return NULL;
	dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_stream_fdopen is not available on this platform");
	return NULL;
}
#endif
