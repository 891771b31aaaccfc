/*
 * Windows helpers shared by the loader (src/ossl/dl_win32.c) and the other
 * compat headers: dlssl speaks UTF-8 everywhere, Windows speaks UTF-16.
 *
 *   dlssl__win_wide(s)        UTF-8 -> malloc'd UTF-16, or NULL (errno set)
 *   dlssl__win_utf8(w)        UTF-16 -> malloc'd UTF-8, or NULL
 *   dlssl__win_realpath(p, r) realpath(): the absolute, normalised path of an
 *                             existing file (GetFullPathNameW: '/' becomes
 *                             '\', "." and ".." go), malloc'd when r is NULL
 *   dlssl__win_getenv(name)   getenv() that reads the process's (wide)
 *                             environment and returns UTF-8 (getenv gives
 *                             the ANSI code page: not every path survives)
 *   dlssl__win_fopen(p, m)    fopen() of a UTF-8 path (_wfopen); a path
 *                             that is not UTF-8 goes to fopen() as it is
 *   dlssl__win_stat(p, st)    stat() of a UTF-8 path (_wstat64): st_mode,
 *                             st_size and the times; the same fallback
 *
 * Everything is static inline: include it where needed.  Empty elsewhere.
 */
#ifndef DLSSL_COMPAT_WIN32_H
#define DLSSL_COMPAT_WIN32_H

#ifdef _WIN32
#include <windows.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static inline wchar_t *
dlssl__win_wide(const char *s)
{
	int n;
	wchar_t *w;

	if (s == NULL) {
		errno = EINVAL;
		return NULL;
	}
	n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	if (n <= 0) {
		errno = EILSEQ;
		return NULL;
	}
	if ((w = malloc((size_t)n * sizeof(*w))) == NULL)
		return NULL;
	if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
		free(w);
		errno = EILSEQ;
		return NULL;
	}
	return w;
}

static inline char *
dlssl__win_utf8(const wchar_t *w)
{
	int n;
	char *s;

	if (w == NULL)
		return NULL;
	n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	if (n <= 0 || (s = malloc((size_t)n)) == NULL)
		return NULL;
	if (WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) != n) {
		free(s);
		return NULL;
	}
	return s;
}

/* GetFullPathNameW into a malloc'd buffer, or NULL. */
static inline wchar_t *
dlssl__win_full_path(const wchar_t *w)
{
	DWORD n = GetFullPathNameW(w, 0, NULL, NULL), m;
	wchar_t *full;

	if (n == 0 || (full = malloc((size_t)n * sizeof(*full))) == NULL)
		return NULL;
	m = GetFullPathNameW(w, n, full, NULL);
	if (m == 0 || m >= n) {
		free(full);
		return NULL;
	}
	return full;
}

static inline char *
dlssl__win_realpath(const char *path, char *resolved)
{
	wchar_t *w, *full = NULL;
	char *r = NULL;
	DWORD attr;

	if ((w = dlssl__win_wide(path)) == NULL)
		return NULL;
	if ((full = dlssl__win_full_path(w)) == NULL) {
		errno = EINVAL;
	} else if ((attr = GetFileAttributesW(full)) == INVALID_FILE_ATTRIBUTES) {
		errno = ENOENT;
	} else if ((r = dlssl__win_utf8(full)) != NULL && resolved != NULL) {
		/* POSIX: resolved holds PATH_MAX bytes. */
		if (strlen(r) >= _MAX_PATH) {
			errno = ENAMETOOLONG;
			free(r);
			r = NULL;
		} else {
			strcpy(resolved, r);
			free(r);
			r = resolved;
		}
	}
	free(full);
	free(w);
	return r;
}

/*
 * The environment as UTF-8.  Each name keeps its last value until it is
 * read again, so the caller must serialise calls (the loader reads the
 * environment under its load lock) and not keep a value across a later
 * read of the same name.
 */
static inline const char *
dlssl__win_getenv(const char *name)
{
	static struct {
		char name[32];
		char *value;
	} slots[16];
	wchar_t *wname, *wv = NULL;
	char *v = NULL;
	DWORD n, m;
	size_t i;

	if (strlen(name) >= sizeof(slots[0].name))
		return NULL;
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (slots[i].name[0] == '\0' || strcmp(slots[i].name, name) == 0)
			break;
	if (i == sizeof(slots) / sizeof(slots[0]))
		return NULL;
	if ((wname = dlssl__win_wide(name)) == NULL)
		return NULL;
	/* The process's environment itself, not the C runtime's copy of it. */
	n = GetEnvironmentVariableW(wname, NULL, 0);
	if (n > 0 && (wv = malloc((size_t)n * sizeof(*wv))) != NULL) {
		m = GetEnvironmentVariableW(wname, wv, n);
		if (m < n)
			v = dlssl__win_utf8(wv);
		free(wv);
	}
	free(wname);
	strcpy(slots[i].name, name);
	free(slots[i].value);
	slots[i].value = v;
	return v;
}
static inline FILE *
dlssl__win_fopen(const char *path, const char *mode)
{
	wchar_t *wp, *wm;
	FILE *f = NULL;

	if ((wp = dlssl__win_wide(path)) == NULL)
		return errno == EILSEQ ? fopen(path, mode) : NULL;
	if ((wm = dlssl__win_wide(mode)) != NULL)
		f = _wfopen(wp, wm);
	free(wm);
	free(wp);
	return f;
}

static inline int
dlssl__win_stat(const char *path, struct stat *st)
{
	struct _stat64 w;
	wchar_t *wp;
	int r;

	if ((wp = dlssl__win_wide(path)) == NULL)
		return errno == EILSEQ ? stat(path, st) : -1;
	r = _wstat64(wp, &w);
	free(wp);
	if (r != 0)
		return -1;
	memset(st, 0, sizeof(*st));
	st->st_mode = w.st_mode;
	st->st_size = (off_t)w.st_size;
	st->st_atime = (time_t)w.st_atime;
	st->st_mtime = (time_t)w.st_mtime;
	st->st_ctime = (time_t)w.st_ctime;
	return 0;
}
#endif /* _WIN32 */

#endif
