/*
 * dlssl__realpath(path, resolved): realpath().  On Windows the absolute,
 * normalised path of an existing file, in UTF-8 (compat/win32.h).  The
 * loader compares it with what GetModuleFileNameW reports for a loaded
 * DLL, which is normalised the same way.  Elsewhere <stdlib.h>'s realpath.
 */
#ifndef DLSSL_COMPAT_PATH_H
#define DLSSL_COMPAT_PATH_H

#include <stdlib.h>

#ifdef _WIN32
#include "compat/win32.h"
#endif

static inline char *
dlssl__realpath(const char *path, char *resolved)
{
#ifdef _WIN32
	return dlssl__win_realpath(path, resolved);
#else
	return realpath(path, resolved);
#endif
}

#endif
