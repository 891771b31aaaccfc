/*
 * The Windows loader (src/ossl/dl_win32.c) under wine, against stub DLLs
 * posing as OpenSSL (tests/win32/build-stubs.sh): the scenarios of
 * tests/check_loader_stubs.c and tests/check_loader_env.c with Windows
 * names and paths.  Each case runs dlssl.exe (or tests/win32/hostload.exe)
 * in a fresh process and reads the JSON it prints.
 *
 * Layout (made by `make check-win32`, tests/win32.mk):
 *   T\bin\    this program, dlssl.exe, libdlssl-0.dll, hostload.exe
 *   T\stubs\  one directory per stub scenario
 *   T\work\   made here: application directories and other copies
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ossl/ossl.h"
#include "stub.h"
#include "wintest.h"

#define NRANDOM 16

static const char *bin, *top, *stubs, *work;

static const char *
stub(const char *dir, const char *file)
{
	return file ? wt_str("%s\\%s\\%s", stubs, dir, file) : wt_str("%s\\%s", stubs, dir);
}

static const char *
dlssl_exe(const char *dir)
{
	return wt_join(dir ? dir : bin, "dlssl.exe");
}

/* dlssl.exe ARGS in DIR (NULL: bin) with ENV, from CWD (NULL: ours). */
static int
run_dlssl(struct wt_run *r, const char *dir, const char *cwd, const char *const *env,
    const char *const *args)
{
	return wt_run(r, dlssl_exe(dir), args, cwd, env);
}

static int
info(struct wt_run *r, const char *dir, const char *const *env)
{
	return run_dlssl(r, dir, NULL, env, WT_LIST("info", "--json"));
}

/* An application directory: dlssl.exe and libdlssl-0.dll, plus a stub pair. */
static const char *
app_dir(const char *name, const char *scenario, const char *ssl, const char *crypto)
{
	const char *dir = wt_join(work, name);

	if (wt_mkdir(dir) < 0 || wt_copy(bin, dir, "dlssl.exe") < 0 ||
	    wt_copy(bin, dir, "libdlssl-0.dll") < 0)
		return NULL;
	if (scenario != NULL && (wt_copy(stub(scenario, NULL), dir, ssl) < 0 ||
	    wt_copy(stub(scenario, NULL), dir, crypto) < 0))
		return NULL;
	return dir;
}

/* ---- found by name, in the application directory ---- */

static const struct {
	const char *scenario, *ssl, *crypto, *text, *ver, *flavor;
	unsigned long num;
	int byte;
	int rejected_first; /* names tried (and not found) before this pair */
	const char *has[8], *lacks[8];
} by_name[] = {
	{ "ossl3", "libssl-3-x64.dll", "libcrypto-3-x64.dll", STUB_OSSL3_TEXT, STUB_OSSL3_VER,
	    "OpenSSL", STUB_OSSL3_NUM, STUB_OSSL3_BYTE, 0, { "tls1.3", "alpn", "hostcheck",
	    "bio-method", "ciphersuites", "minmax-proto", "eof-option" }, { NULL } },
	{ "ossl111", "libssl-1_1-x64.dll", "libcrypto-1_1-x64.dll", STUB_OSSL111_TEXT,
	    STUB_OSSL111_VER, "OpenSSL", STUB_OSSL111_NUM, STUB_OSSL111_BYTE, 1, { "tls1.3",
	    "alpn", "hostcheck", "bio-method", "ciphersuites", "minmax-proto" }, { "eof-option" } },
	{ "ossl102", "ssleay32.dll", "libeay32.dll", STUB_OSSL102_TEXT, STUB_OSSL102_VER,
	    "OpenSSL", STUB_OSSL102_NUM, STUB_OSSL102_BYTE, 2, { "alpn", "hostcheck" },
	    { "tls1.3", "bio-method", "ciphersuites", "minmax-proto", "eof-option" } },
};

static void
assert_random(const char *dir, const char *const *env, int byte)
{
	struct wt_run r;
	char want[2 * NRANDOM + 2];
	int i;

	for (i = 0; i < NRANDOM; i++)
		snprintf(want + 2 * i, 3, "%02x", byte);
	snprintf(want + 2 * NRANDOM, 2, "\n");
	run_dlssl(&r, dir, NULL, env, WT_LIST("random", wt_str("%d", NRANDOM)));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	/* stdout is text mode: "\r\n". */
	WT_CHECK(strncmp(r.out, want, 2 * NRANDOM) == 0, "%s", wt_desc(&r));
}

static void
found_by_name(size_t i)
{
	struct wt_run r;
	const char *dir = app_dir(wt_str("app-%s", by_name[i].scenario), by_name[i].scenario,
	    by_name[i].ssl, by_name[i].crypto);
	const char *c;
	int k;

	WT_CHECK(dir != NULL, "cannot make the application directory");
	info(&r, dir, NULL);
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "loaded"), "true");
	WT_CHECK_STR(wt_json(r.out, "source"), "system");
	WT_CHECK_STR(wt_json(r.out, "libssl"), wt_join(dir, by_name[i].ssl));
	WT_CHECK_STR(wt_json(r.out, "libcrypto"), wt_join(dir, by_name[i].crypto));
	WT_CHECK_STR(wt_json(r.out, "flavor"), by_name[i].flavor);
	WT_CHECK_STR(wt_json(r.out, "version_text"), by_name[i].text);
	WT_CHECK_STR(wt_json(r.out, "version_number"), wt_str("%lu", by_name[i].num));
	WT_CHECK_STR(wt_json(r.out, "version"), by_name[i].ver);
	WT_CHECK_STR(wt_json(r.out, "host_owned"), "false");
	WT_CHECK_STR(wt_json(r.out, "error"), "null");
	for (k = 0; k < 8 && by_name[i].has[k] != NULL; k++)
		WT_CHECK(wt_json_has(r.out, "capabilities", by_name[i].has[k]), "no %s: %s",
		    by_name[i].has[k], wt_json(r.out, "capabilities"));
	for (k = 0; k < 8 && by_name[i].lacks[k] != NULL; k++)
		WT_CHECK(!wt_json_has(r.out, "capabilities", by_name[i].lacks[k]), "%s: %s",
		    by_name[i].lacks[k], wt_json(r.out, "capabilities"));
	/* The newer names were tried first and could not be opened. */
	WT_CHECK(wt_json_len(r.out, "candidates") == by_name[i].rejected_first + 1, "%s", r.out);
	for (k = 0; k < by_name[i].rejected_first; k++) {
		c = wt_json_at(r.out, "candidates", (size_t)k);
		WT_CHECK_STR(wt_json(c, "accepted"), "false");
		WT_CHECK(wt_contains(wt_json(c, "reason"), "cannot open") &&
		    wt_contains(wt_json(c, "reason"), "LoadLibraryExW"), "%s", c);
	}
	c = wt_json_at(r.out, "candidates", (size_t)by_name[i].rejected_first);
	WT_CHECK_STR(wt_json(c, "libssl"), by_name[i].ssl);
	WT_CHECK_STR(wt_json(c, "accepted"), "true");
	assert_random(dir, NULL, by_name[i].byte);
}

WT_TEST(found_by_name_3)
{
	found_by_name(0);
}

WT_TEST(found_by_name_1_1)
{
	found_by_name(1);
}

WT_TEST(found_by_name_1_0_2)
{
	found_by_name(2);
}

/* Nothing in the application directory or System32: a clear failure. */
WT_TEST(nothing_found)
{
	struct wt_run r;
	const char *dir = app_dir("app-none", NULL, NULL, NULL);
	const char *c;

	WT_CHECK(dir != NULL, "cannot make the application directory");
	info(&r, dir, NULL);
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "loaded"), "false");
	WT_CHECK(wt_contains(wt_json(r.out, "error"), "no OpenSSL found") &&
	    wt_contains(wt_json(r.out, "error"), "next to the program"), "%s", r.out);
	WT_CHECK(wt_json_len(r.out, "candidates") == 3, "%s", r.out);
	c = wt_json_at(r.out, "candidates", 0);
	WT_CHECK_STR(wt_json(c, "libssl"), "libssl-3-x64.dll");
	c = wt_json_at(r.out, "candidates", 2);
	WT_CHECK_STR(wt_json(c, "libssl"), "ssleay32.dll");
	WT_CHECK_STR(wt_json(c, "libcrypto"), "libeay32.dll");
	run_dlssl(&r, dir, NULL, NULL, WT_LIST("random", "4"));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
}

/*
 * Never the current directory (DLL planting), not even through a relative
 * PATH entry; the absolute directories of PATH after the application
 * directory.
 */
WT_TEST(no_cwd_path_after_app_dir)
{
	struct wt_run r;
	const char *dir = app_dir("app-planted", NULL, NULL, NULL);
	const char *dir3 = app_dir("app-and-path", "ossl3", "libssl-3-x64.dll",
	    "libcrypto-3-x64.dll");
	const char *planted = stub("ossl3", NULL);

	WT_CHECK(dir != NULL && dir3 != NULL, "cannot make the application directories");
	run_dlssl(&r, dir, planted, NULL, WT_LIST("info", "--json"));
	WT_CHECK(r.status == 2, "loaded from the current directory: %s", wt_desc(&r));
	WT_CHECK(!wt_contains(r.out, "dlssl stub"), "%s", r.out);
	run_dlssl(&r, dir, planted, WT_LIST("PATH=.;C:\\windows\\system32;C:\\windows"),
	    WT_LIST("info", "--json"));
	WT_CHECK(r.status == 2, "loaded through PATH's '.': %s", wt_desc(&r));
	/* On PATH (quoted, with a trailing backslash): found there. */
	run_dlssl(&r, dir, NULL, WT_LIST(wt_str("PATH=C:\\windows\\system32;\"%s\\\";C:\\windows",
	    planted)), WT_LIST("info", "--json"));
	WT_CHECK(r.status == 0, "not found on PATH: %s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "libssl"), wt_join(planted, "libssl-3-x64.dll"));
	WT_CHECK_STR(wt_json(r.out, "libcrypto"), wt_join(planted, "libcrypto-3-x64.dll"));
	/* The application directory comes first. */
	run_dlssl(&r, dir3, NULL, WT_LIST(wt_str("PATH=%s;C:\\windows\\system32", planted)),
	    WT_LIST("info", "--json"));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "libssl"), wt_join(dir3, "libssl-3-x64.dll"));
}

/* ---- named by the environment ---- */

static const struct {
	const char *scenario, *ssl, *crypto, *ver;
	int byte;
} by_env[] = {
	{ "ossl3", "libssl-3-x64.dll", "libcrypto-3-x64.dll", STUB_OSSL3_VER, STUB_OSSL3_BYTE },
	{ "ossl111", "libssl-1_1-x64.dll", "libcrypto-1_1-x64.dll", STUB_OSSL111_VER,
	    STUB_OSSL111_BYTE },
	{ "ossl102", "ssleay32.dll", "libeay32.dll", STUB_OSSL102_VER, STUB_OSSL102_BYTE },
};

WT_TEST(env_paths)
{
	struct wt_run r;
	const char *const *env;
	size_t i;

	for (i = 0; i < sizeof(by_env) / sizeof(by_env[0]); i++) {
		const char *ssl = stub(by_env[i].scenario, by_env[i].ssl);
		const char *crypto = stub(by_env[i].scenario, by_env[i].crypto);

		env = WT_LIST(wt_str("DLSSL_LIBSSL=%s", ssl), wt_str("DLSSL_LIBCRYPTO=%s", crypto));
		info(&r, NULL, env);
		WT_CHECK(r.status == 0, "%s: %s", by_env[i].scenario, wt_desc(&r));
		WT_CHECK_STR(wt_json(r.out, "source"), "environment");
		WT_CHECK_STR(wt_json(r.out, "libssl"), ssl);
		WT_CHECK_STR(wt_json(r.out, "libcrypto"), crypto);
		WT_CHECK_STR(wt_json(r.out, "version"), by_env[i].ver);
		WT_CHECK(wt_json_len(r.out, "candidates") == 1, "%s", r.out);
		assert_random(NULL, env, by_env[i].byte);

		/* DLSSL_LIBSSL alone: the libcrypto beside it. */
		env = WT_LIST(wt_str("DLSSL_LIBSSL=%s", ssl));
		info(&r, NULL, env);
		WT_CHECK(r.status == 0, "%s: %s", by_env[i].scenario, wt_desc(&r));
		WT_CHECK_STR(wt_json(r.out, "libcrypto"), crypto);
		WT_CHECK_STR(wt_json(r.out, "version"), by_env[i].ver);
	}
}

/* C:/dir/file, \\?\C:\dir\file and a non-ASCII directory all name the same kind of file. */
WT_TEST(env_path_forms)
{
	struct wt_run r;
	const char *ssl = stub("ossl3", "libssl-3-x64.dll"), *fwd, *uni;
	char *p;

	fwd = wt_str("%s", ssl);
	for (p = (char *)fwd; *p; p++)
		if (*p == '\\')
			*p = '/';
	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s", fwd)));
	WT_CHECK(r.status == 0, "forward slashes: %s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "libssl"), ssl);
	WT_CHECK_STR(wt_json(r.out, "libcrypto"), stub("ossl3", "libcrypto-3-x64.dll"));

	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=\\\\?\\%s", ssl)));
	WT_CHECK(r.status == 0, "\\\\?\\ prefix: %s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "libssl"), ssl);

	/* UTF-8 in the environment (UTF-16 for Windows), UTF-8 in the report. */
	uni = wt_join(work, "st\xc3\xbc" "bs-\xe6\x97\xa5\xe6\x9c\xac-\xce\xb1\xce\xb2");
	WT_CHECK(wt_mkdir(uni) == 0, "cannot make %s", uni);
	WT_CHECK(wt_copy(stub("ossl3", NULL), uni, "libssl-3-x64.dll") == 0, "copy");
	WT_CHECK(wt_copy(stub("ossl3", NULL), uni, "libcrypto-3-x64.dll") == 0, "copy");
	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s", wt_join(uni, "libssl-3-x64.dll"))));
	WT_CHECK(r.status == 0, "non-ASCII path: %s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "libssl"), wt_join(uni, "libssl-3-x64.dll"));
	WT_CHECK_STR(wt_json(r.out, "libcrypto"), wt_join(uni, "libcrypto-3-x64.dll"));
	WT_CHECK_STR(wt_json(r.out, "version"), STUB_OSSL3_VER);
}

/* Relative paths are refused: they would be searched from the current directory. */
WT_TEST(env_relative_refused)
{
	static const char *const rel[] = {
		"stubs\\ossl3\\libssl-3-x64.dll", "..\\stubs\\ossl3\\libssl-3-x64.dll",
		"libssl-3-x64.dll", "C:libssl-3-x64.dll", "\\stubs\\ossl3\\libssl-3-x64.dll",
		"stubs/ossl3/libssl-3-x64.dll",
	};
	struct wt_run r;
	size_t i;

	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		/* From T\, where the relative names would resolve. */
		run_dlssl(&r, NULL, top, WT_LIST(wt_str("DLSSL_LIBSSL=%s", rel[i])),
		    WT_LIST("info", "--json"));
		WT_CHECK(r.status == 2, "%s: %s", rel[i], wt_desc(&r));
		WT_CHECK_STR(wt_json(r.out, "loaded"), "false");
		WT_CHECK(wt_contains(wt_json(r.out, "error"), "absolute path"), "%s: %s", rel[i], r.out);
		WT_CHECK(wt_json_len(r.out, "candidates") <= 0, "%s: %s", rel[i], r.out);
	}
	run_dlssl(&r, NULL, top, WT_LIST("DLSSL_LIBDIR=stubs\\ossl3"), WT_LIST("info", "--json"));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK(wt_contains(wt_json(r.out, "error"), "absolute path"), "%s", r.out);
}

/* A UNC path is absolute: tried (and failing to open), not refused as relative. */
WT_TEST(env_unc_path)
{
	struct wt_run r;
	const char *unc = "\\\\dlssl-no-such-host.invalid\\share\\libssl-3-x64.dll";
	const char *c;

	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s", unc),
	    wt_str("DLSSL_LIBCRYPTO=%s", "\\\\dlssl-no-such-host.invalid\\share\\libcrypto-3-x64.dll")));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK(!wt_contains(wt_json(r.out, "error"), "absolute path"), "%s", r.out);
	WT_CHECK(wt_json_len(r.out, "candidates") == 1, "%s", r.out);
	c = wt_json_at(r.out, "candidates", 0);
	WT_CHECK_STR(wt_json(c, "libssl"), unc);
	WT_CHECK(wt_contains(wt_json(c, "reason"), "LoadLibraryExW"), "%s", c);
}

WT_TEST(env_libdir)
{
	struct wt_run r;
	const char *dir = stub("ossl111", NULL);
	const char *c;

	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBDIR=%s", dir)));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "source"), "environment");
	WT_CHECK_STR(wt_json(r.out, "libssl"), wt_join(dir, "libssl-1_1-x64.dll"));
	WT_CHECK_STR(wt_json(r.out, "version"), STUB_OSSL111_VER);
	/* Only the names present in the directory are candidates. */
	WT_CHECK(wt_json_len(r.out, "candidates") == 1, "%s", r.out);
	c = wt_json_at(r.out, "candidates", 0);
	WT_CHECK_STR(wt_json(c, "libssl"), wt_join(dir, "libssl-1_1-x64.dll"));
}

/* An explicit source that fails is an error: no fallback to the application directory. */
WT_TEST(env_failure_no_fallback)
{
	struct wt_run r;
	const char *dir = app_dir("app-nofallback", "ossl3", "libssl-3-x64.dll", "libcrypto-3-x64.dll");

	WT_CHECK(dir != NULL, "cannot make the application directory");
	info(&r, dir, WT_LIST(wt_str("DLSSL_LIBSSL=%s", stub("fork", "libssl-1_1-x64.dll"))));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK(wt_json_len(r.out, "candidates") == 1, "%s", r.out);
	info(&r, dir, WT_LIST(wt_str("DLSSL_LIBSSL=%s", wt_join(work, "no-such\\libssl-3-x64.dll"))));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK(wt_contains(wt_json(r.out, "error"), "no-such"), "%s", r.out);
}

/* ---- refused ---- */

/* The required names missing3 leaves out, as the manifest lists them for 3.0.99. */
static int
omitted_required(const char **names, int max)
{
	static const struct {
		const char *sym;
		unsigned long since, until;
		int need;
	} manifest[] = {
#define M(lib, ret, slot, params, sym, alt, since, until, need, cap) { sym, since, until, need },
		DLSSL_OSSL_MANIFEST(M)
#undef M
	};
	const char *omit = " " STUB_MISSING3_OMIT " ", *p;
	unsigned long level = DL_V(3, 0, 99);
	size_t k, len;
	int n = 0;

	for (k = 0; k < sizeof(manifest) / sizeof(manifest[0]) && n < max; k++) {
		if (manifest[k].need == DL_LRS || manifest[k].need == DL_OPT ||
		    level < manifest[k].since || level >= manifest[k].until)
			continue;
		len = strlen(manifest[k].sym);
		for (p = omit; (p = strstr(p, manifest[k].sym)) != NULL; p += len) {
			if (p[-1] == ' ' && p[len] == ' ') {
				names[n++] = manifest[k].sym;
				break;
			}
		}
	}
	return n;
}

WT_TEST(missing_symbols)
{
	struct wt_run r;
	const char *want[16], *c, *missing;
	char list[1024], *tok, *p;
	int n = omitted_required(want, 16), i, count;

	WT_CHECK(n >= 2, "STUB_MISSING3_OMIT names fewer than two required symbols");
	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s", stub("missing3", "libssl-3-x64.dll"))));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "loaded"), "false");
	c = wt_json_at(r.out, "candidates", 0);
	WT_CHECK_STR(wt_json(c, "accepted"), "false");
	WT_CHECK(wt_contains(wt_json(c, "reason"), wt_str("lacks %d required symbols", n)), "%s", c);
	missing = wt_json(c, "missing");
	WT_CHECK(missing != NULL && strcmp(missing, "null") != 0, "%s", c);
	/* Exactly the omitted names ("name" or "name/alias"), each once. */
	snprintf(list, sizeof(list), "%s", missing);
	count = 0;
	for (tok = strtok(list, " "); tok != NULL; tok = strtok(NULL, " ")) {
		if ((p = strchr(tok, '/')) != NULL)
			*p = '\0';
		for (i = 0; i < n && (want[i] == NULL || strcmp(tok, want[i]) != 0); i++)
			;
		WT_CHECK(i < n, "'%s' in '%s' is not one of the omitted names (or twice)", tok, missing);
		want[i] = NULL;
		count++;
	}
	WT_CHECK(count == n, "want %d names, got '%s'", n, missing);
	WT_CHECK(wt_contains(wt_json(c, "reason"), STUB_OSSL3_TEXT), "%s", c);
	WT_CHECK(wt_contains(wt_json(r.out, "error"), stub("missing3", "libssl-3-x64.dll")), "%s",
	    wt_json(r.out, "error"));
	/* The program's one-line error names every missing symbol too. */
	run_dlssl(&r, NULL, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s",
	    stub("missing3", "libssl-3-x64.dll"))), WT_LIST("random", "4"));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	n = omitted_required(want, 16);
	for (i = 0; i < n; i++)
		WT_CHECK(wt_contains(r.err, want[i]), "%s not named: %s", want[i], r.err);
}

/* A rejected candidate in DLSSL_LIBDIR gives way to the next name there. */
WT_TEST(libdir_fallback)
{
	struct wt_run r;
	const char *const *env = WT_LIST(wt_str("DLSSL_LIBDIR=%s", stub("fallback", NULL)));
	const char *c0, *c1;

	info(&r, NULL, env);
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "version"), STUB_OSSL111_VER);
	WT_CHECK_STR(wt_json(r.out, "libssl"), stub("fallback", "libssl-1_1-x64.dll"));
	WT_CHECK(wt_json_len(r.out, "candidates") == 2, "%s", r.out);
	c0 = wt_json_at(r.out, "candidates", 0);
	c1 = wt_json_at(r.out, "candidates", 1);
	WT_CHECK_STR(wt_json(c0, "libssl"), stub("fallback", "libssl-3-x64.dll"));
	WT_CHECK_STR(wt_json(c0, "accepted"), "false");
	WT_CHECK(wt_contains(wt_json(c0, "missing"), "SSL_read"), "%s", c0);
	WT_CHECK_STR(wt_json(c1, "libssl"), stub("fallback", "libssl-1_1-x64.dll"));
	WT_CHECK_STR(wt_json(c1, "accepted"), "true");
	assert_random(NULL, env, STUB_OSSL111_BYTE);
}

WT_TEST(refused_fork)
{
	struct wt_run r;
	const char *c;

	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s", stub("fork", "libssl-1_1-x64.dll"))));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	c = wt_json_at(r.out, "candidates", 0);
	WT_CHECK(wt_contains(wt_json(c, "reason"), STUB_FORK_TEXT) &&
	    wt_contains(wt_json(c, "reason"), "fork"), "%s", c);
}

/* libssl imports another libcrypto than the one named: refused, naming it. */
WT_TEST(refused_mismatch)
{
	struct wt_run r;
	const char *c;

	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s", stub("mismatch", "libssl-3-x64.dll")),
	    wt_str("DLSSL_LIBCRYPTO=%s", stub("mismatch", "libcrypto-other.dll"))));
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	c = wt_json_at(r.out, "candidates", 0);
	WT_CHECK(wt_contains(wt_json(c, "reason"), "do not belong together"), "%s", c);
	WT_CHECK(wt_contains(wt_json(c, "reason"), stub("mismatch", "libcrypto-3-x64.dll")), "%s", c);
	/* The same pair, correctly named, is fine. */
	info(&r, NULL, WT_LIST(wt_str("DLSSL_LIBSSL=%s", stub("mismatch", "libssl-3-x64.dll")),
	    wt_str("DLSSL_LIBCRYPTO=%s", stub("mismatch", "libcrypto-3-x64.dll"))));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
}

/* ---- host mode: what the process already loaded ---- */

static int
hostload(struct wt_run *r, const char *const *env, const char *const *args)
{
	return wt_run(r, wt_join(bin, "hostload.exe"), args, NULL, env);
}

WT_TEST(host_mode_by_name)
{
	struct wt_run r;
	const char *ssl = stub("ossl3", "libssl-3-x64.dll");

	hostload(&r, WT_LIST("DLSSL_MODE=host"), WT_LIST("--preload", ssl));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "loaded"), "true");
	WT_CHECK_STR(wt_json(r.out, "source"), "host");
	WT_CHECK_STR(wt_json(r.out, "mode"), "host");
	WT_CHECK_STR(wt_json(r.out, "host_owned"), "true");
	WT_CHECK_STR(wt_json(r.out, "libssl"), ssl);
	WT_CHECK_STR(wt_json(r.out, "libcrypto"), stub("ossl3", "libcrypto-3-x64.dll"));
	WT_CHECK_STR(wt_json(r.out, "version_text"), STUB_OSSL3_TEXT);
	/* The host's copy is used: nothing is mapped twice. */
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "1");
	WT_CHECK_STR(wt_json(r.out, "random"), wt_str("%02x%02x%02x%02x", STUB_OSSL3_BYTE,
	    STUB_OSSL3_BYTE, STUB_OSSL3_BYTE, STUB_OSSL3_BYTE));
}

/* A libssl under a name not in the list: found by walking the loaded modules. */
WT_TEST(host_mode_by_module_walk)
{
	struct wt_run r;
	const char *ssl = stub("custom", "libssl-3-custom.dll");

	hostload(&r, WT_LIST("DLSSL_MODE=host"), WT_LIST("--preload", ssl));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "source"), "host");
	WT_CHECK_STR(wt_json(r.out, "libssl"), ssl);
	WT_CHECK_STR(wt_json(r.out, "libcrypto"), stub("custom", "libcrypto-3-x64.dll"));
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "1");
}

WT_TEST(host_mode_nothing_loaded)
{
	struct wt_run r;

	hostload(&r, WT_LIST("DLSSL_MODE=host"), NULL);
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "loaded"), "false");
	WT_CHECK(wt_contains(wt_json(r.out, "message"), "no OpenSSL is mapped"), "%s", r.out);
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "0");
}

/*
 * Host mode holds a reference of its own (dl_win32.c): when the host frees
 * its DLL, it stays mapped and dlssl can still call it; a library dlssl
 * loaded itself keeps dlssl's reference too.
 */
WT_TEST(host_mode_holds_reference)
{
	struct wt_run r;
	const char *ssl = stub("ossl3", "libssl-3-x64.dll");

	hostload(&r, WT_LIST("DLSSL_MODE=host"), WT_LIST("--preload", ssl, "--free-after"));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "host_owned"), "true");
	WT_CHECK_STR(wt_json(r.out, "unloaded"), "false");
	WT_CHECK_STR(wt_json(r.out, "random_after_free"), wt_json(r.out, "random"));
	hostload(&r, WT_LIST("DLSSL_MODE=private", wt_str("DLSSL_LIBSSL=%s", ssl)),
	    WT_LIST("--preload", ssl, "--free-after"));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "host_owned"), "false");
	WT_CHECK_STR(wt_json(r.out, "unloaded"), "false");
	/* dlssl's load of the host's file is the host's module: one libssl. */
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "1");
}

/* DLSSL_LIBSSL in host mode: that file, only if the process has it mapped. */
WT_TEST(host_mode_explicit_path)
{
	struct wt_run r;
	const char *ssl = stub("ossl3", "libssl-3-x64.dll");
	const char *const *env = WT_LIST("DLSSL_MODE=host", wt_str("DLSSL_LIBSSL=%s", ssl));

	hostload(&r, env, WT_LIST("--preload", ssl));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "source"), "environment");
	WT_CHECK_STR(wt_json(r.out, "host_owned"), "true");
	WT_CHECK_STR(wt_json(r.out, "libssl"), ssl);
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "1");
	/* Not mapped: refused, and nothing loaded. */
	hostload(&r, env, NULL);
	WT_CHECK(r.status == 2, "%s", wt_desc(&r));
	WT_CHECK(wt_contains(wt_json(r.out, "message"), "not loaded in this process"), "%s", r.out);
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "0");
}

/* After a reload, the copy dlssl loaded itself is still not "the host's". */
WT_TEST(reload_not_host)
{
	struct wt_run r;
	const char *dir = app_dir("app-reload", "ossl3", "libssl-3-x64.dll", "libcrypto-3-x64.dll");

	WT_CHECK(dir != NULL && wt_copy(bin, dir, "hostload.exe") == 0, "cannot make the directory");
	wt_run(&r, wt_join(dir, "hostload.exe"), WT_LIST("--reload"), NULL, NULL);
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "generation"), "2");
	WT_CHECK_STR(wt_json(r.out, "source"), "system");
	WT_CHECK_STR(wt_json(r.out, "host_owned"), "false");
	WT_CHECK_STR(wt_json(r.out, "libssl"), wt_join(dir, "libssl-3-x64.dll"));
	WT_CHECK_STR(wt_json(r.out, "warning"), "null");
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "1");
}

/* auto prefers the host's copy; private loads its own and warns about the host's. */
WT_TEST(auto_and_private_modes)
{
	struct wt_run r;
	const char *host111 = stub("ossl111", "libssl-1_1-x64.dll");
	const char *own3 = stub("ossl3", "libssl-3-x64.dll");

	hostload(&r, NULL, WT_LIST("--preload", host111));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "mode"), "auto");
	WT_CHECK_STR(wt_json(r.out, "source"), "host");
	WT_CHECK_STR(wt_json(r.out, "libssl"), host111);

	hostload(&r, WT_LIST("DLSSL_MODE=private", wt_str("DLSSL_LIBSSL=%s", own3)),
	    WT_LIST("--preload", host111));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK_STR(wt_json(r.out, "source"), "environment");
	WT_CHECK_STR(wt_json(r.out, "libssl"), own3);
	WT_CHECK_STR(wt_json(r.out, "host_owned"), "false");
	WT_CHECK_STR(wt_json(r.out, "libssl_modules"), "2");
	WT_CHECK(wt_contains(wt_json(r.out, "warning"), "libssl-1_1-x64.dll"), "%s", r.out);
}

WT_TEST(trace)
{
	struct wt_run r;

	info(&r, NULL, WT_LIST("DLSSL_TRACE=1", wt_str("DLSSL_LIBSSL=%s",
	    stub("ossl3", "libssl-3-x64.dll"))));
	WT_CHECK(r.status == 0, "%s", wt_desc(&r));
	WT_CHECK(wt_contains(r.err, "dlssl: accepted ") &&
	    wt_contains(r.err, stub("ossl3", "libssl-3-x64.dll")), "%s", wt_desc(&r));
}

static const struct wt_test tests[] = {
	WT_ENTRY(found_by_name_3),
	WT_ENTRY(found_by_name_1_1),
	WT_ENTRY(found_by_name_1_0_2),
	WT_ENTRY(nothing_found),
	WT_ENTRY(no_cwd_path_after_app_dir),
	WT_ENTRY(env_paths),
	WT_ENTRY(env_path_forms),
	WT_ENTRY(env_relative_refused),
	WT_ENTRY(env_unc_path),
	WT_ENTRY(env_libdir),
	WT_ENTRY(env_failure_no_fallback),
	WT_ENTRY(missing_symbols),
	WT_ENTRY(libdir_fallback),
	WT_ENTRY(refused_fork),
	WT_ENTRY(refused_mismatch),
	WT_ENTRY(host_mode_by_name),
	WT_ENTRY(host_mode_by_module_walk),
	WT_ENTRY(host_mode_nothing_loaded),
	WT_ENTRY(host_mode_holds_reference),
	WT_ENTRY(host_mode_explicit_path),
	WT_ENTRY(reload_not_host),
	WT_ENTRY(auto_and_private_modes),
	WT_ENTRY(trace),
};

int
main(int argc, char **argv)
{
	char *t, *s;

	bin = wt_bindir();
	if ((t = strdup(bin)) == NULL || (s = strrchr(t, '\\')) == NULL)
		return 1;
	*s = '\0';
	top = t;
	if ((stubs = strdup(wt_join(top, "stubs"))) == NULL || (work = strdup(wt_join(top, "work"))) == NULL)
		return 1;
	if (!wt_exists(stub("ossl3", "libssl-3-x64.dll")) || !wt_exists(wt_join(bin, "dlssl.exe"))) {
		fprintf(stderr, "check_win32: expected %s\\stubs and %s\\dlssl.exe (make check-win32)\n",
		    top, bin);
		return 99;
	}
	if (wt_mkdir(work) < 0)
		return 99;
	return wt_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
