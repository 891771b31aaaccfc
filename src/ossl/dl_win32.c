/*
 * The dynamic loader on Windows: LoadLibraryExW, GetProcAddress,
 * GetModuleHandleExW, GetModuleFileNameW.
 *
 * Names are UTF-8 (converted to UTF-16 here).  An absolute path (C:\...,
 * C:/..., \\server\share\..., \\?\...) is normalised (forward slashes become
 * backslashes) and loaded with LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR |
 * LOAD_LIBRARY_SEARCH_DEFAULT_DIRS: its own dependencies (libssl's
 * libcrypto) come from its directory, else from the application directory
 * and System32, never from the current directory or PATH.  A bare DLL name
 * is searched in those default directories (the application directory,
 * then System32), then in each absolute directory of PATH in order, the
 * way a Windows user installs OpenSSL; never in the current directory (nor
 * through a relative PATH entry such as "." that would mean it).  A
 * relative path is refused.  This needs Windows 8, or Windows 7 with
 * KB2533623.
 *
 * GetProcAddress searches one module only; dlssl__dl_sym then looks in the
 * modules the handle's import table was bound to, one level, the way
 * dlsym on a libssl handle also finds its libcrypto's symbols on ELF.  That
 * is how the probe finds which libcrypto a libssl really uses.
 *
 * noload (host mode) uses GetModuleHandleExW without
 * GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, and dlssl__dl_handle_of
 * GetModuleHandleExW(FROM_ADDRESS): each handle dlssl holds is a counted
 * reference of its own, released by dlssl__dl_close (FreeLibrary), so a host
 * that frees its DLL while dlssl uses it leaves the DLL mapped rather than
 * dlssl with pointers into unmapped code.  dlssl keeps the library it uses
 * until the process ends, so that reference is held as long as dlssl may
 * call it; probing a candidate it rejects releases its reference at once.
 */
#include "config.h"

#ifdef _WIN32
#include <windows.h>
#include <psapi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "compat/win32.h"
#include "ossl/dl.h"
#include "ossl/loader.h"

#ifndef LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR
#define LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR 0x00000100
#endif
#ifndef LOAD_LIBRARY_SEARCH_DEFAULT_DIRS
#define LOAD_LIBRARY_SEARCH_DEFAULT_DIRS 0x00001000
#endif

/* ---- paths ---- */

static int
has_sep(const char *s)
{
	return strchr(s, '\\') != NULL || strchr(s, '/') != NULL;
}

int
dlssl__dl_is_absolute(const char *name)
{
	if (name == NULL)
		return 0;
	/* C:\ or C:/ (C:foo is relative to that drive's current directory). */
	if (((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')) &&
	    name[1] == ':' && (name[2] == '\\' || name[2] == '/'))
		return 1;
	/* \\server\share, \\?\..., \\.\... (a lone \ is the current drive's root). */
	return (name[0] == '\\' || name[0] == '/') && (name[1] == '\\' || name[1] == '/') &&
	    name[2] != '\0' && name[2] != '\\' && name[2] != '/';
}

/* The UTF-16 form of an absolute path, normalised, or NULL (errno set). */
static wchar_t *
wide_path(const char *path)
{
	wchar_t *w = dlssl__win_wide(path), *full, *p;

	if (w == NULL)
		return NULL;
	/* \\?\ paths are taken literally, as Windows does. */
	if (wcsncmp(w, L"\\\\?\\", 4) == 0)
		return w;
	for (p = w; *p; p++)
		if (*p == L'/')
			*p = L'\\';
	full = dlssl__win_full_path(w);
	free(w);
	return full;
}

/* A module's file name, malloc'd UTF-8, without the \\?\ prefix; or NULL. */
static char *
module_path(HMODULE h)
{
	DWORD cap = MAX_PATH, n;
	wchar_t *buf = NULL, *v, *p;
	char *s;

	for (;;) {
		if ((v = realloc(buf, cap * sizeof(*buf))) == NULL) {
			free(buf);
			return NULL;
		}
		buf = v;
		n = GetModuleFileNameW(h, buf, cap);
		if (n == 0) {
			free(buf);
			return NULL;
		}
		if (n < cap)
			break;
		if (cap >= 32768) {
			free(buf);
			return NULL;
		}
		cap *= 2;
	}
	p = buf;
	if (wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0) {
		p += 6; /* \\?\UNC\server -> \\server */
		p[0] = L'\\';
	} else if (wcsncmp(p, L"\\\\?\\", 4) == 0 && p[4] != L'\0' && p[5] == L':') {
		p += 4;
	}
	s = dlssl__win_utf8(p);
	free(buf);
	return s;
}

/* The module an address belongs to, without taking a reference. */
static HMODULE
module_of(const void *addr)
{
	HMODULE h = NULL;

	if (addr == NULL || !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
	    GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, (LPCWSTR)addr, &h))
		return NULL;
	return h;
}

/* "what: the system's message (error N)". */
static void
win_error(char *err, size_t errlen, const char *what, DWORD code)
{
	wchar_t *msg = NULL;
	char *u = NULL;
	size_t n;

	if (err == NULL || errlen == 0)
		return;
	if (FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
	    FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, (LPWSTR)&msg, 0, NULL) != 0 && msg != NULL)
		u = dlssl__win_utf8(msg);
	if (msg != NULL)
		LocalFree(msg);
	if (u != NULL) {
		/* One line: drop the trailing ".\r\n". */
		n = strlen(u);
		while (n > 0 && (u[n - 1] == '\n' || u[n - 1] == '\r' || u[n - 1] == ' ' ||
		    u[n - 1] == '.'))
			u[--n] = '\0';
	}
	snprintf(err, errlen, "%s: %s (error %lu)", what, u && u[0] ? u : "failed",
	    (unsigned long)code);
	free(u);
}

/* LoadLibraryExW without "cannot find" message boxes; NULL with *code set. */
static HMODULE
load(const wchar_t *w, DWORD flags, DWORD *code)
{
	DWORD olderr = 0;
	int seterr = SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX, &olderr);
	HMODULE h = LoadLibraryExW(w, NULL, flags);

	*code = h == NULL ? GetLastError() : 0;
	if (seterr)
		SetThreadErrorMode(olderr, NULL);
	return h;
}

/*
 * A bare DLL name in the absolute directories of PATH, in order (an entry
 * may be quoted; relative entries are skipped: they name the current
 * directory).  A file found is loaded like an absolute path; one that
 * cannot be (another architecture, a missing dependency) is passed over,
 * as Windows does.  NULL with *code: ERROR_MOD_NOT_FOUND when no directory
 * has the file, else why the first one found could not be loaded.
 */
static HMODULE
load_from_path(const char *name, DWORD *code)
{
	const char *env = dlssl__win_getenv("PATH");
	char *copy, *dir, *next, *full;
	size_t n;
	HMODULE h = NULL;
	wchar_t *w;
	DWORD first = 0;

	*code = ERROR_MOD_NOT_FOUND;
	if (env == NULL || (copy = strdup(env)) == NULL)
		return NULL;
	for (dir = copy; dir != NULL && h == NULL; dir = next) {
		if ((next = strchr(dir, ';')) != NULL)
			*next++ = '\0';
		if (dir[0] == '"')
			dir++;
		n = strlen(dir);
		if (n > 0 && dir[n - 1] == '"')
			dir[--n] = '\0';
		while (n > 3 && (dir[n - 1] == '\\' || dir[n - 1] == '/'))
			dir[--n] = '\0';
		if (!dlssl__dl_is_absolute(dir) || (full = malloc(n + strlen(name) + 2)) == NULL)
			continue;
		snprintf(full, n + strlen(name) + 2, "%s%s%s", dir,
		    dir[n - 1] == '\\' || dir[n - 1] == '/' ? "" : "\\", name);
		if (dlssl__dl_file_exists(full) && (w = wide_path(full)) != NULL) {
			h = load(w, LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_DEFAULT_DIRS,
			    code);
			free(w);
			if (h == NULL && first == 0)
				first = *code;
		}
		free(full);
	}
	free(copy);
	if (h == NULL && first != 0)
		*code = first;
	return h;
}

/* ---- the interface of dl.h ---- */

void *
dlssl__dl_open(const char *name, int noload, char *err, size_t errlen)
{
	wchar_t *w;
	HMODULE h = NULL;
	DWORD flags, code;
	int absolute = dlssl__dl_is_absolute(name);

	if (name == NULL || name[0] == '\0') {
		snprintf(err, errlen, "no library name");
		return NULL;
	}
	if (!absolute && (has_sep(name) || strchr(name, ':') != NULL)) {
		snprintf(err, errlen, "a relative path is never loaded (it would depend on the "
		    "current directory): give an absolute path or a bare DLL name");
		return NULL;
	}
	w = absolute ? wide_path(name) : dlssl__win_wide(name);
	if (w == NULL) {
		snprintf(err, errlen, "'%s' is not a valid UTF-8 path", name);
		return NULL;
	}
	if (noload) {
		/* Only what is mapped already, with a reference of dlssl's own. */
		if (!GetModuleHandleExW(0, w, &h)) {
			code = GetLastError();
			if (code == ERROR_MOD_NOT_FOUND)
				snprintf(err, errlen, "%s is not loaded in this process", name);
			else
				win_error(err, errlen, "GetModuleHandleExW", code);
			h = NULL;
		}
		free(w);
		return h;
	}
	flags = LOAD_LIBRARY_SEARCH_DEFAULT_DIRS;
	if (absolute)
		flags |= LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR;
	h = load(w, flags, &code);
	free(w);
	if (h == NULL && !absolute && code == ERROR_MOD_NOT_FOUND)
		h = load_from_path(name, &code);
	if (h == NULL) {
		if (code == ERROR_INVALID_PARAMETER)
			snprintf(err, errlen, "LoadLibraryExW refused the safe search flags "
			    "(Windows 7 needs update KB2533623)");
		else
			win_error(err, errlen, "LoadLibraryExW", code);
		return NULL;
	}
	return h;
}

void
dlssl__dl_close(void *handle)
{
	if (handle != NULL)
		FreeLibrary((HMODULE)handle);
}

/* A symbol from the modules h's imports were bound to (one level). */
static FARPROC
dep_sym(HMODULE h, const char *name)
{
	const unsigned char *base = (const unsigned char *)h;
	const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
	const IMAGE_NT_HEADERS *nt;
	const IMAGE_DATA_DIRECTORY *dir;
	const IMAGE_IMPORT_DESCRIPTOR *imp;
	FARPROC fp;

	if (dos->e_magic != IMAGE_DOS_SIGNATURE)
		return NULL;
	nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
	if (nt->Signature != IMAGE_NT_SIGNATURE ||
	    nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR_MAGIC ||
	    nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_IMPORT)
		return NULL;
	dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
	if (dir->VirtualAddress == 0 || dir->Size < sizeof(*imp))
		return NULL;
	for (imp = (const IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress);
	    imp->Name != 0 && imp->FirstThunk != 0; imp++) {
		const ULONG_PTR *iat = (const ULONG_PTR *)(base + imp->FirstThunk);
		HMODULE dep;

		/*
		 * The module the loader bound the first import to: the one libssl
		 * really calls, not whichever module carries the DLL's name.
		 */
		if (iat[0] == 0 || (dep = module_of((const void *)iat[0])) == NULL || dep == h)
			continue;
		if ((fp = GetProcAddress(dep, name)) != NULL)
			return fp;
	}
	return NULL;
}

dl_fp
dlssl__dl_sym(void *handle, const char *name)
{
	FARPROC fp;

	if (handle == NULL || name == NULL)
		return NULL;
	fp = GetProcAddress((HMODULE)handle, name);
	if (fp == NULL)
		fp = dep_sym((HMODULE)handle, name);
	return (dl_fp)fp;
}

dl_fp
dlssl__dl_global_sym(const char *name)
{
	/* No global scope on Windows: the program itself and what it imports. */
	return dlssl__dl_sym(GetModuleHandleW(NULL), name);
}

char *
dlssl__dl_path_of(dl_fp fp)
{
	HMODULE h = module_of((const void *)fp);

	return h != NULL ? module_path(h) : NULL;
}

char *
dlssl__dl_path_of_handle(void *handle)
{
	return handle != NULL ? module_path((HMODULE)handle) : NULL;
}

void *
dlssl__dl_handle_of(dl_fp fp)
{
	HMODULE h = NULL;

	/* A counted reference, released by dlssl__dl_close. */
	if (fp == NULL || !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS,
	    (LPCWSTR)(const void *)fp, &h))
		return NULL;
	return h;
}

int
dlssl__dl_file_exists(const char *path)
{
	wchar_t *w;
	DWORD attr;

	if (path == NULL || !dlssl__dl_is_absolute(path) || (w = wide_path(path)) == NULL)
		return 0;
	attr = GetFileAttributesW(w);
	free(w);
	return attr != INVALID_FILE_ATTRIBUTES && !(attr & FILE_ATTRIBUTE_DIRECTORY);
}

/* libssl-3-x64.dll, libssl-1_1.dll, ssleay32.dll: OpenSSL's libssl names. */
static int
is_libssl_name(const char *path)
{
	const char *b = path, *p;

	for (p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	return _strnicmp(b, "libssl-", 7) == 0 || _stricmp(b, "libssl.dll") == 0 ||
	    _stricmp(b, "ssleay32.dll") == 0;
}

void
dlssl__dl_each_mapped_libssl(dl_mapped_cb cb, void *arg)
{
	HMODULE *mods = NULL, *v;
	DWORD need = 0, have = 0;
	char **paths;
	size_t i, n, k = 0;

	/* The list may grow between the calls: retry until it fits. */
	do {
		have = need + 16 * sizeof(HMODULE);
		if ((v = realloc(mods, have)) == NULL) {
			free(mods);
			return;
		}
		mods = v;
		if (!K32EnumProcessModules(GetCurrentProcess(), mods, have, &need)) {
			free(mods);
			return;
		}
	} while (need > have);
	n = need / sizeof(HMODULE);
	/* Collect first: the callback loads libraries itself. */
	if ((paths = calloc(n ? n : 1, sizeof(*paths))) == NULL) {
		free(mods);
		return;
	}
	for (i = 0; i < n; i++) {
		char *p = module_path(mods[i]);

		if (p != NULL && is_libssl_name(p))
			paths[k++] = p;
		else
			free(p);
	}
	free(mods);
	for (i = 0; i < k; i++) {
		cb(paths[i], arg);
		free(paths[i]);
	}
	free(paths);
}
#endif /* _WIN32 */
