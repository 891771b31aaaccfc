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
 * A libssl loaded by path whose libcrypto name is already loaded from
 * another file (a second copy of the same DLLs: a reload, or private mode
 * beside a host's OpenSSL) has that import redirected to the libcrypto
 * beside it with an activation context; see "a second copy of DLLs with
 * the same names" below.
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

/* The import descriptors of an image mapped at base, or NULL. */
static const IMAGE_IMPORT_DESCRIPTOR *
imports_of(const unsigned char *base)
{
	const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)base;
	const IMAGE_NT_HEADERS *nt;
	const IMAGE_DATA_DIRECTORY *dir;

	if (dos->e_magic != IMAGE_DOS_SIGNATURE)
		return NULL;
	nt = (const IMAGE_NT_HEADERS *)(base + dos->e_lfanew);
	if (nt->Signature != IMAGE_NT_SIGNATURE ||
	    nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR_MAGIC ||
	    nt->OptionalHeader.NumberOfRvaAndSizes <= IMAGE_DIRECTORY_ENTRY_IMPORT)
		return NULL;
	dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
	if (dir->VirtualAddress == 0 || dir->Size < sizeof(IMAGE_IMPORT_DESCRIPTOR))
		return NULL;
	return (const IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress);
}

/*
 * The module the loader bound one of h's import descriptors to (the one
 * its first entry points into), or NULL.
 */
static HMODULE
bound_module(HMODULE h, const IMAGE_IMPORT_DESCRIPTOR *imp)
{
	const ULONG_PTR *iat = (const ULONG_PTR *)((const unsigned char *)h + imp->FirstThunk);

	return iat[0] != 0 ? module_of((const void *)iat[0]) : NULL;
}

/* The file name part of a path. */
static const char *
base_name(const char *path)
{
	const char *b = path, *p;

	for (p = path; *p; p++)
		if (*p == '\\' || *p == '/')
			b = p + 1;
	return b;
}

/* libcrypto-3-x64.dll, libcrypto-1_1-x64.dll, libeay32.dll: OpenSSL's libcrypto names. */
static int
is_libcrypto_name(const char *name)
{
	const char *b = base_name(name);

	return _strnicmp(b, "libcrypto-", 10) == 0 || _stricmp(b, "libcrypto.dll") == 0 ||
	    _stricmp(b, "libeay32.dll") == 0;
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

/* The modules of the process in load order (malloc'd, *n of them), or NULL. */
static HMODULE *
loaded_modules(size_t *n)
{
	HMODULE *mods = NULL, *v;
	DWORD need = 0, have = 0;

	/* The list may grow between the calls: retry until it fits. */
	do {
		have = need + 16 * sizeof(HMODULE);
		if ((v = realloc(mods, have)) == NULL) {
			free(mods);
			return NULL;
		}
		mods = v;
		if (!K32EnumProcessModules(GetCurrentProcess(), mods, have, &need)) {
			free(mods);
			return NULL;
		}
	} while (need > have);
	*n = need / sizeof(HMODULE);
	return mods;
}

/*
 * ---- a second copy of DLLs with the same names ----
 *
 * Windows binds a DLL's import to the module of that name already loaded,
 * whichever file it came from: "the system checks only for redirection and
 * a manifest before resolving to the loaded DLL" (Dynamic-Link Library
 * Search Order).  So libssl-3-x64.dll from a second directory would use
 * the first copy's libcrypto-3-x64.dll, which OpenSSL 3 never unloads.
 * The manifest is the way out: an activation context whose manifest says
 * <file name="libcrypto-3-x64.dll" loadFrom="DIR\libcrypto-3-x64.dll"/>,
 * active on this thread around LoadLibraryExW only, redirects that import
 * to the copy beside the libssl (as a program's own manifest redirects
 * comctl32.dll).  The manifest is written to a new directory of the
 * user's temporary directory and deleted once the context is made (the
 * context keeps what it read).  Only libcrypto names are redirected, and
 * only when the file of that name in the libssl's own directory is loaded
 * already (the probe loads the libcrypto beside a libssl first) and so is
 * another file of that name; a libcrypto named elsewhere on purpose is
 * left to the loader as before.  After the load each such import must be
 * bound to that file; otherwise the DLL is released and the load refused,
 * saying why.
 */
#define MAX_SHADOWED 4

struct shadowed {
	size_t n;
	char name[MAX_SHADOWED][64];	/* as the import table spells it */
	wchar_t *want[MAX_SHADOWED];	/* the file of the DLL's directory */
	char *other[MAX_SHADOWED];	/* the module of that name loaded first */
};

static void
shadowed_free(struct shadowed *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->want[i]);
		free(s->other[i]);
	}
	s->n = 0;
}

/*
 * The first module (in load order) named name other than mine (which may
 * be NULL), or NULL.  Names are read with the PSAPI calls, which leave the
 * loader's state alone.
 */
static HMODULE
other_module(const wchar_t *name, HMODULE mine)
{
	size_t i, n = 0;
	HMODULE *mods = loaded_modules(&n), found = NULL;
	wchar_t base[MAX_PATH];

	for (i = 0; mods != NULL && i < n && found == NULL; i++)
		if (mods[i] != mine && K32GetModuleBaseNameW(GetCurrentProcess(), mods[i], base,
		    MAX_PATH) > 0 && _wcsicmp(base, name) == 0)
			found = mods[i];
	free(mods);
	return found;
}

/* "its import of N would bind to / is bound to P ...: what to do; why". */
static void
shadow_error(char *err, size_t errlen, const char *name, const char *verb, const char *bound,
    const char *why)
{
	snprintf(err, errlen, "its import of %s %s %s, loaded first under that name (Windows "
	    "binds imports by DLL name; OpenSSL's libcrypto stays loaded): use DLLs with other "
	    "names or restart the process; redirecting it to the file beside it %s%s", name, verb,
	    bound != NULL ? bound : "another module",
	    why[0] ? "failed: " : "did not take (a manifest naming that file was active)", why);
}

/*
 * The libcrypto names the DLL at w (absolute) imports for which both the
 * file of the DLL's own directory and another file are loaded.  The DLL is
 * mapped as an image, not run.
 */
static void
find_shadowed(const wchar_t *w, struct shadowed *s)
{
	const wchar_t *sep = wcsrchr(w, L'\\');
	size_t dirlen = sep != NULL ? (size_t)(sep - w) + 1 : 0;
	HMODULE img;
	const unsigned char *base;
	const IMAGE_IMPORT_DESCRIPTOR *imp;

	s->n = 0;
	if (dirlen == 0 || (img = LoadLibraryExW(w, NULL, LOAD_LIBRARY_AS_IMAGE_RESOURCE |
	    LOAD_LIBRARY_AS_DATAFILE)) == NULL)
		return; /* the load itself says why */
	base = (const unsigned char *)((ULONG_PTR)img & ~(ULONG_PTR)3);
	for (imp = imports_of(base); imp != NULL && imp->Name != 0 && s->n < MAX_SHADOWED; imp++) {
		const char *name = (const char *)(base + imp->Name);
		wchar_t *wn, *want;
		HMODULE mine, other;

		if (!is_libcrypto_name(name) || strlen(name) >= sizeof(s->name[0]) ||
		    (wn = dlssl__win_wide(name)) == NULL)
			continue;
		want = malloc((dirlen + wcslen(wn) + 1) * sizeof(*want));
		if (want != NULL) {
			memcpy(want, w, dirlen * sizeof(*want));
			wcscpy(want + dirlen, wn);
			/* By path, GetModuleHandleW finds the module of that very file. */
			if ((mine = GetModuleHandleW(want)) != NULL &&
			    (other = other_module(wn, mine)) != NULL) {
				strcpy(s->name[s->n], name);
				s->other[s->n] = module_path(other);
				s->want[s->n++] = want;
				want = NULL;
			}
		}
		free(want);
		free(wn);
	}
	FreeLibrary(img);
}

/*
 * s with &, <, >, " and ' as XML entities, appended to buf (NUL-terminated;
 * the caller leaves room for 6 bytes a character).
 */
static void
xml_append(char *buf, const char *s)
{
	size_t n = strlen(buf);
	const char *e;

	for (; *s; s++) {
		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&apos;"; break;
		default: e = NULL; break;
		}
		if (e != NULL) {
			memcpy(buf + n, e, strlen(e));
			n += strlen(e);
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
}

/* The manifest redirecting s's names to their files (malloc'd UTF-8), or NULL with why. */
static char *
redirect_manifest(const struct shadowed *s, char *why, size_t whylen)
{
	size_t cap = 1024, i;
	char *m, *path;
	const wchar_t *p;

	for (i = 0; i < s->n; i++)
		cap += 6 * (wcslen(s->want[i]) * 3 + sizeof(s->name[i])) + 64;
	if ((m = malloc(cap)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	snprintf(m, cap, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
	    "<assembly xmlns=\"urn:schemas-microsoft-com:asm.v1\" manifestVersion=\"1.0\">\r\n"
	    "<assemblyIdentity type=\"win32\" name=\"dlssl.redirect\" version=\"1.0.0.0\"/>\r\n");
	for (i = 0; i < s->n; i++) {
		p = s->want[i];
		/* loadFrom takes a plain path: \\?\C:\x is C:\x, \\?\UNC\h\s is \\h\s. */
		if (wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0)
			p += 6;
		else if (wcsncmp(p, L"\\\\?\\", 4) == 0)
			p += 4;
		if ((path = dlssl__win_utf8(p)) == NULL) {
			snprintf(why, whylen, "out of memory");
			free(m);
			return NULL;
		}
		if (p != s->want[i] && wcsncmp(s->want[i], L"\\\\?\\UNC\\", 8) == 0)
			path[0] = '\\';
		if (strchr(path, '%') != NULL) {
			/* loadFrom expands %NAME%, with no way to quote a '%'. */
			snprintf(why, whylen, "its path has a '%%', which a manifest expands");
			free(path);
			free(m);
			return NULL;
		}
		strcat(m, "<file name=\"");
		xml_append(m, s->name[i]);
		strcat(m, "\" loadFrom=\"");
		xml_append(m, path);
		strcat(m, "\"/>\r\n");
		free(path);
	}
	strcat(m, "</assembly>\r\n");
	return m;
}

/*
 * An activation context made from text, through a file in a new directory
 * of the temporary directory (both deleted again); INVALID_HANDLE_VALUE
 * with why.
 */
static HANDLE
context_from(const char *text, const wchar_t *assembly_dir, char *why, size_t whylen)
{
	static volatile LONG serial;
	wchar_t tmp[MAX_PATH + 1], dir[MAX_PATH + 64], file[MAX_PATH + 96];
	DWORD n = GetTempPathW(MAX_PATH + 1, tmp), wrote = 0;
	HANDLE f, ctx;
	ACTCTXW ac;
	int i, made = 0;

	if (n == 0 || n > MAX_PATH) {
		snprintf(why, whylen, "no temporary directory for the manifest");
		return INVALID_HANDLE_VALUE;
	}
	for (i = 0; i < 8 && !made; i++) {
		swprintf(dir, sizeof(dir) / sizeof(dir[0]), L"%lsdlssl-%lu-%lu-%ld", tmp,
		    (unsigned long)GetCurrentProcessId(), (unsigned long)GetTickCount(),
		    (long)InterlockedIncrement(&serial));
		made = CreateDirectoryW(dir, NULL);
	}
	if (!made) {
		win_error(why, whylen, "CreateDirectoryW (for the manifest)", GetLastError());
		return INVALID_HANDLE_VALUE;
	}
	swprintf(file, sizeof(file) / sizeof(file[0]), L"%ls\\redirect.manifest", dir);
	f = CreateFileW(file, GENERIC_WRITE, 0, NULL, CREATE_NEW, FILE_ATTRIBUTE_TEMPORARY, NULL);
	if (f == INVALID_HANDLE_VALUE || !WriteFile(f, text, (DWORD)strlen(text), &wrote, NULL) ||
	    wrote != strlen(text)) {
		win_error(why, whylen, "writing the manifest", GetLastError());
		ctx = INVALID_HANDLE_VALUE;
	} else {
		CloseHandle(f);
		f = INVALID_HANDLE_VALUE;
		memset(&ac, 0, sizeof(ac));
		ac.cbSize = sizeof(ac);
		ac.lpSource = file;
		/* Where a loader that ignored loadFrom would look: the same files. */
		ac.dwFlags = ACTCTX_FLAG_ASSEMBLY_DIRECTORY_VALID;
		ac.lpAssemblyDirectory = assembly_dir;
		if ((ctx = CreateActCtxW(&ac)) == INVALID_HANDLE_VALUE)
			win_error(why, whylen, "CreateActCtxW", GetLastError());
	}
	if (f != INVALID_HANDLE_VALUE)
		CloseHandle(f);
	DeleteFileW(file);
	RemoveDirectoryW(dir);
	return ctx;
}

/*
 * load() with s's imports redirected.  When the redirection cannot be
 * made, nothing is loaded (the import would bind to the other module):
 * NULL with *code 0 and the reason in err; why keeps what failed.
 */
static HMODULE
load_redirected(const wchar_t *w, DWORD flags, const struct shadowed *s, DWORD *code,
    char *why, size_t whylen, char *err, size_t errlen)
{
	char *text = redirect_manifest(s, why, whylen);
	wchar_t *dir = NULL, *sep;
	HANDLE ctx = INVALID_HANDLE_VALUE;
	ULONG_PTR cookie = 0;
	HMODULE h = NULL;

	if (text != NULL && (dir = _wcsdup(w)) != NULL && (sep = wcsrchr(dir, L'\\')) != NULL) {
		sep[1] = L'\0';
		ctx = context_from(text, dir, why, whylen);
	}
	if (ctx != INVALID_HANDLE_VALUE && !ActivateActCtx(ctx, &cookie)) {
		win_error(why, whylen, "ActivateActCtx", GetLastError());
		ReleaseActCtx(ctx);
		ctx = INVALID_HANDLE_VALUE;
	}
	if (ctx != INVALID_HANDLE_VALUE) {
		h = load(w, flags, code);
		DeactivateActCtx(0, cookie);
		ReleaseActCtx(ctx);
	} else {
		if (why[0] == '\0')
			snprintf(why, whylen, "out of memory");
		shadow_error(err, errlen, s->name[0], "would bind to", s->other[0], why);
		*code = 0;
	}
	free(dir);
	free(text);
	return h;
}

/*
 * 0 when each of s's imports of h is bound to the file of h's directory;
 * else -1 with the reason in err (and why, what redirecting tried).
 */
static int
check_bound(HMODULE h, const struct shadowed *s, const char *why, char *err, size_t errlen)
{
	const unsigned char *base = (const unsigned char *)h;
	const IMAGE_IMPORT_DESCRIPTOR *imp;
	size_t i;

	for (imp = imports_of(base); imp != NULL && imp->Name != 0 && imp->FirstThunk != 0; imp++) {
		HMODULE dep;
		char *used;

		for (i = 0; i < s->n && _stricmp(s->name[i], (const char *)(base + imp->Name)) != 0; i++)
			;
		if (i == s->n || (dep = bound_module(h, imp)) == NULL ||
		    dep == GetModuleHandleW(s->want[i]))
			continue;
		used = module_path(dep);
		shadow_error(err, errlen, s->name[i], "is bound to", used, why);
		free(used);
		return -1;
	}
	return 0;
}

/* ---- the interface of dl.h ---- */

void *
dlssl__dl_open(const char *name, int noload, char *err, size_t errlen)
{
	wchar_t *w;
	HMODULE h = NULL;
	DWORD flags, code;
	int absolute = dlssl__dl_is_absolute(name);
	struct shadowed shadowed = { 0 };
	char why[256] = "";

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
	if (absolute) {
		flags |= LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR;
		find_shadowed(w, &shadowed);
	}
	h = shadowed.n > 0 ? load_redirected(w, flags, &shadowed, &code, why, sizeof(why), err,
	    errlen) : load(w, flags, &code);
	free(w);
	if (h == NULL && !absolute && code == ERROR_MOD_NOT_FOUND)
		h = load_from_path(name, &code);
	if (h != NULL && check_bound(h, &shadowed, why, err, errlen) < 0) {
		FreeLibrary(h);
		h = NULL;
		code = 0;
	}
	if (h == NULL && code == ERROR_INVALID_PARAMETER)
		snprintf(err, errlen, "LoadLibraryExW refused the safe search flags "
		    "(Windows 7 needs update KB2533623)");
	else if (h == NULL && code != 0 && shadowed.n > 0)
		win_error(err, errlen, why[0] ? why : "LoadLibraryExW with its import of a libcrypto "
		    "redirected to the file beside it", code);
	else if (h == NULL && code != 0)
		win_error(err, errlen, "LoadLibraryExW", code);
	shadowed_free(&shadowed);
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
	const IMAGE_IMPORT_DESCRIPTOR *imp;
	FARPROC fp;

	for (imp = imports_of((const unsigned char *)h); imp != NULL && imp->Name != 0 &&
	    imp->FirstThunk != 0; imp++) {
		/*
		 * The module the loader bound the import to: the one libssl
		 * really calls, not whichever module carries the DLL's name.
		 */
		HMODULE dep = bound_module(h, imp);

		if (dep == NULL || dep == h)
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
	const char *b = base_name(path);

	return _strnicmp(b, "libssl-", 7) == 0 || _stricmp(b, "libssl.dll") == 0 ||
	    _stricmp(b, "ssleay32.dll") == 0;
}

void
dlssl__dl_each_mapped_libssl(dl_mapped_cb cb, void *arg)
{
	HMODULE *mods;
	char **paths;
	size_t i, n = 0, k = 0;

	if ((mods = loaded_modules(&n)) == NULL)
		return;
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
