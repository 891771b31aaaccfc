/*
 * dlssl__fopen() and dlssl__stat(): fopen() and stat() of the paths dlssl
 * is given (certificates, keys, CA files), which are UTF-8: on Windows
 * through the wide calls (compat/win32.h), since the C runtime's take the
 * ANSI code page and lose what it lacks.  Elsewhere the C library's own.
 */
#ifndef DLSSL_COMPAT_FILE_H
#define DLSSL_COMPAT_FILE_H

#include <stdio.h>
#include <sys/stat.h>

#ifdef _WIN32
#include "compat/win32.h"
#endif

static inline FILE *
dlssl__fopen(const char *path, const char *mode)
{
#ifdef _WIN32
	return dlssl__win_fopen(path, mode);
#else
	return fopen(path, mode);
#endif
}

static inline int
dlssl__stat(const char *path, struct stat *st)
{
#ifdef _WIN32
	return dlssl__win_stat(path, st);
#else
	return stat(path, st);
#endif
}

#endif
