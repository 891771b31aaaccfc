/*
 * fopen() and stat() of the paths dlssl is given (certificates, keys, CA
 * files), which are UTF-8: on Windows through the wide calls
 * (compat/win32.h), since the C runtime's take the ANSI code page and lose
 * what it lacks.  Elsewhere these are the C library's own.
 */
#ifndef DLSSL_COMPAT_FILE_H
#define DLSSL_COMPAT_FILE_H

#include <stdio.h>
#include <sys/stat.h>

#ifdef _WIN32
#include "compat/win32.h"
#undef fopen
#define fopen(path, mode) dlssl__win_fopen((path), (mode))
#define stat(path, st) dlssl__win_stat((path), (st))
#endif

#endif
