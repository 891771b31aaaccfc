/*
 * realpath(path, NULL) on Windows: the absolute, normalised path of an
 * existing file, in UTF-8 (compat/win32.h).  The loader compares it with
 * what GetModuleFileNameW reports for a loaded DLL, which is normalised the
 * same way.  Elsewhere this is <stdlib.h>'s realpath.
 */
#ifndef DLSSL_COMPAT_PATH_H
#define DLSSL_COMPAT_PATH_H

#include <stdlib.h>

#ifdef _WIN32
#include "compat/win32.h"
#undef realpath
#define realpath(path, resolved) dlssl__win_realpath((path), (resolved))
#endif

#endif
