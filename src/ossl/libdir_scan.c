/*
 * The libssl files of a directory named by DLSSL_LIBDIR (or the libdir
 * option) whose names the soname list does not know: LibreSSL's
 * (libssl.so.48, libssl.so.60, ...) and other builds with their own
 * version numbers.  POSIX shared objects only ("libssl.so." then numbers
 * and dots); nothing on Windows, where a directory is searched by the
 * list alone.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ossl/loader.h"

#ifndef _WIN32
#include <dirent.h>

#define DL_SO_PREFIX "libssl.so."

/* "libssl.so." followed by digit groups separated by single dots. */
static int
is_versioned_libssl(const char *name)
{
	const char *p = name + strlen(DL_SO_PREFIX);
	int digits = 0;

	if (strncmp(name, DL_SO_PREFIX, strlen(DL_SO_PREFIX)) != 0 || *p == '\0')
		return 0;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits = 1;
		else if (*p == '.' && digits)
			digits = 0;
		else
			return 0;
	}
	return digits;
}

/* Newest first: the numbers after "libssl.so.", compared one by one. */
static int
newer_first(const void *a, const void *b)
{
	const char *x = *(const char *const *)a + strlen(DL_SO_PREFIX);
	const char *y = *(const char *const *)b + strlen(DL_SO_PREFIX);

	while (*x != '\0' || *y != '\0') {
		unsigned long u = strtoul(x, (char **)&x, 10), v = strtoul(y, (char **)&y, 10);

		if (u != v)
			return u > v ? -1 : 1;
		if (*x == '.')
			x++;
		if (*y == '.')
			y++;
	}
	return 0;
}

size_t
dlssl__libdir_scan(const char *dir, char **names, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (d == NULL)
		return 0;
	while (n < max && (e = readdir(d)) != NULL) {
		if (is_versioned_libssl(e->d_name) && (names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), newer_first);
	return n;
}
#else
size_t
dlssl__libdir_scan(const char *dir, char **names, size_t max)
{
	(void)dir;
	(void)names;
	(void)max;
	return 0;
}
#endif
