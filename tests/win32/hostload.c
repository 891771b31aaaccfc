/*
 * hostload: a Windows host that loaded OpenSSL itself, for the host-mode
 * tests (tests/win32/check_win32.c runs it under wine).
 *
 *   hostload [--preload PATH]... [--reload] [--free-after]
 *
 * Each --preload is loaded first, as a host would (LoadLibraryExW with
 * LOAD_WITH_ALTERED_SEARCH_PATH, so a libssl finds the libcrypto beside
 * it).  Then dlssl_ensure_initialized() runs under the caller's DLSSL_MODE
 * and the result is printed as one JSON object: the fields of `dlssl info
 * --json` that matter here (after a dlssl_reload() with --reload), plus
 *   rc              dlssl_ensure_initialized's return value
 *   libssl_modules  how many libssl DLLs the process has mapped now
 *   random          4 bytes from dlssl_random_bytes, as hex (null on error)
 *   unloaded        with --free-after: after FreeLibrary of each preloaded
 *                   DLL, is the first one gone from the process?  (no:
 *                   dlssl holds a reference of its own on what it uses)
 *   random_after_free  with --free-after: 4 more bytes from
 *                   dlssl_random_bytes after those FreeLibrary calls (the
 *                   stubs' bytes are constant; null on error)
 *
 * Exit status: 0 loaded; 2 dlssl could not load; 3 a preload failed.
 */
#include "config.h"

#include <windows.h>
#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/win32.h"
#include "dlssl.h"
#include "json.h"

#define MAX_PRELOAD 8

static int
libssl_modules(void)
{
	HMODULE mods[1024];
	DWORD need = 0, i;
	wchar_t name[MAX_PATH];
	int n = 0;

	if (!K32EnumProcessModules(GetCurrentProcess(), mods, sizeof(mods), &need))
		return -1;
	for (i = 0; i < need / sizeof(HMODULE) && i < 1024; i++)
		if (GetModuleBaseNameW(GetCurrentProcess(), mods[i], name, MAX_PATH) > 0 &&
		    (_wcsnicmp(name, L"libssl", 6) == 0 || _wcsicmp(name, L"ssleay32.dll") == 0))
			n++;
	return n;
}

int
main(int argc, char **argv)
{
	HMODULE pre[MAX_PRELOAD];
	wchar_t *wpre[MAX_PRELOAD];
	int npre = 0, free_after = 0, reload = 0, rc, i, first = 1;
	const struct dlssl_library_info *info;
	unsigned char rnd[4];
	char hex[9], msg[1024];

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--preload") == 0 && i + 1 < argc && npre < MAX_PRELOAD) {
			wpre[npre] = dlssl__win_wide(argv[++i]);
			pre[npre] = wpre[npre] ? LoadLibraryExW(wpre[npre], NULL,
			    LOAD_WITH_ALTERED_SEARCH_PATH) : NULL;
			if (pre[npre] == NULL) {
				fprintf(stderr, "hostload: cannot preload %s (error %lu)\n", argv[i],
				    (unsigned long)GetLastError());
				return 3;
			}
			npre++;
		} else if (strcmp(argv[i], "--free-after") == 0) {
			free_after = 1;
		} else if (strcmp(argv[i], "--reload") == 0) {
			reload = 1;
		} else {
			fprintf(stderr, "usage: hostload [--preload PATH]... [--reload] [--free-after]\n");
			return 1;
		}
	}
	rc = dlssl_ensure_initialized(NULL);
	if (rc == 0 && reload)
		rc = dlssl_reload();
	/* Kept before the next dlssl call clears it. */
	snprintf(msg, sizeof(msg), "%s", rc < 0 && dlssl_error() ? dlssl_error() : "");
	info = dlssl_library_info();
	printf("{");
	json_kv_num(stdout, &first, "rc", (unsigned long)(rc < 0 ? 1 : 0));
	json_kv_str(stdout, &first, "message", rc < 0 ? msg : NULL);
	json_kv_bool(stdout, &first, "loaded", info != NULL && info->loaded);
	if (info != NULL) {
		json_kv_str(stdout, &first, "libssl", info->libssl_path);
		json_kv_str(stdout, &first, "libcrypto", info->libcrypto_path);
		json_kv_str(stdout, &first, "source", dlssl_source_name(info->source));
		json_kv_str(stdout, &first, "mode", dlssl_mode_name(info->mode));
		json_kv_bool(stdout, &first, "host_owned", info->host_owned);
		json_kv_num(stdout, &first, "generation", info->generation);
		json_kv_str(stdout, &first, "version_text", info->version_text);
		json_kv_str(stdout, &first, "error", info->error);
		json_kv_str(stdout, &first, "warning", info->warning);
	}
	json_kv_num(stdout, &first, "libssl_modules", (unsigned long)libssl_modules());
	if (rc == 0 && dlssl_random_bytes(rnd, sizeof(rnd)) == 0) {
		snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
		json_kv_str(stdout, &first, "random", hex);
	} else {
		json_kv_str(stdout, &first, "random", NULL);
	}
	if (free_after && npre > 0) {
		HMODULE h = NULL;

		/* dlssl's reference keeps the DLL, so dlssl may still call it. */
		for (i = npre - 1; i >= 0; i--)
			FreeLibrary(pre[i]);
		json_kv_bool(stdout, &first, "unloaded",
		    !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, wpre[0], &h));
		if (rc == 0 && dlssl_random_bytes(rnd, sizeof(rnd)) == 0) {
			snprintf(hex, sizeof(hex), "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
			json_kv_str(stdout, &first, "random_after_free", hex);
		} else {
			json_kv_str(stdout, &first, "random_after_free", NULL);
		}
	}
	printf("}\n");
	fflush(stdout);
	for (i = 0; i < npre; i++)
		free(wpre[i]);
	return rc == 0 ? 0 : 2;
}
