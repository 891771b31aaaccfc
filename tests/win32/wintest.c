/* The Windows tests' runner and helpers: see wintest.h. */
#include "config.h"

#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "compat/win32.h"
#include "wintest.h"

/* ---- the arena (as tests/loader_common.c) ---- */

static char arena[8 << 20];
static size_t arena_used;

static char *
arena_alloc(size_t n)
{
	char *p;

	if (n > sizeof(arena) - arena_used) {
		fprintf(stderr, "wintest: string arena exhausted\n");
		abort();
	}
	p = arena + arena_used;
	arena_used += n;
	return p;
}

static const char *
wt_vstr(const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	char *b;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	b = arena_alloc((size_t)n + 1);
	vsnprintf(b, (size_t)n + 1, fmt, ap);
	return b;
}

const char *
wt_str(const char *fmt, ...)
{
	va_list ap;
	const char *s;

	va_start(ap, fmt);
	s = wt_vstr(fmt, ap);
	va_end(ap);
	return s;
}

const char *
wt_from_wide(const wchar_t *w)
{
	char *u = dlssl__win_utf8(w);
	const char *s = u ? wt_str("%s", u) : NULL;

	free(u);
	return s;
}

/* ---- the runner ---- */

static int failed, skipped;
static char fail_msg[4096], skip_msg[1024];

void
wt_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;
	int n;

	failed = 1;
	n = snprintf(fail_msg, sizeof(fail_msg), "%s:%d: %s: ", file, line, cond);
	if (n < 0 || (size_t)n >= sizeof(fail_msg))
		return;
	va_start(ap, fmt);
	vsnprintf(fail_msg + n, sizeof(fail_msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

void
wt_skip(const char *fmt, ...)
{
	va_list ap;

	skipped = 1;
	va_start(ap, fmt);
	vsnprintf(skip_msg, sizeof(skip_msg), fmt, ap);
	va_end(ap);
}

int
wt_streq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* "# " before every line of a multi-line message. */
static void
print_comment(const char *s)
{
	const char *nl;

	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (nl == NULL) {
			printf("# %s\n", s);
			return;
		}
		printf("# %.*s\n", (int)(nl - s), s);
	}
}

int
wt_main(int argc, char **argv, const struct wt_test *tests, size_t n)
{
	size_t i;
	int nfail = 0, nskip = 0, k;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		if (argc > 1) {
			/* Only the tests named on the command line. */
			for (k = 1; k < argc && strcmp(argv[k], tests[i].name) != 0; k++)
				;
			if (k == argc) {
				printf("ok %zu - %s # SKIP not selected\n", i + 1, tests[i].name);
				continue;
			}
		}
		arena_used = 0;
		failed = skipped = 0;
		wt_set_stdin(NULL, 0);
		tests[i].fn();
		if (failed) {
			nfail++;
			printf("not ok %zu - %s\n", i + 1, tests[i].name);
			print_comment(fail_msg);
		} else if (skipped) {
			nskip++;
			printf("ok %zu - %s # SKIP %s\n", i + 1, tests[i].name, skip_msg);
		} else {
			printf("ok %zu - %s\n", i + 1, tests[i].name);
		}
	}
	printf("# %zu tests, %d failed, %d skipped\n", n, nfail, nskip);
	return nfail ? 1 : 0;
}

/* ---- paths ---- */

const char *
wt_bindir(void)
{
	static const char *dir;
	wchar_t buf[32768];
	DWORD n;
	char *s, *slash;

	if (dir != NULL)
		return dir;
	n = GetModuleFileNameW(NULL, buf, sizeof(buf) / sizeof(buf[0]));
	if (n == 0 || n >= sizeof(buf) / sizeof(buf[0]) || (s = dlssl__win_utf8(buf)) == NULL) {
		fprintf(stderr, "wintest: cannot find this program's directory\n");
		abort();
	}
	if ((slash = strrchr(s, '\\')) != NULL)
		*slash = '\0';
	dir = s; /* kept for the whole run, outside the arena */
	return dir;
}

const char *
wt_join(const char *dir, const char *name)
{
	return wt_str("%s\\%s", dir, name);
}

int
wt_contains(const char *s, const char *sub)
{
	return s != NULL && sub != NULL && strstr(s, sub) != NULL;
}

int
wt_exists(const char *path)
{
	wchar_t *w = dlssl__win_wide(path);
	DWORD a = w ? GetFileAttributesW(w) : INVALID_FILE_ATTRIBUTES;

	free(w);
	return a != INVALID_FILE_ATTRIBUTES;
}

int
wt_mkdir(const char *dir)
{
	wchar_t *w = dlssl__win_wide(dir), *p;
	int rv = 0;

	if (w == NULL)
		return -1;
	/* Each prefix ending before a backslash, past the drive ("Z:\"). */
	for (p = w + 3; *p; p++) {
		if (*p == L'\\') {
			*p = L'\0';
			if (!CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
				rv = -1;
			*p = L'\\';
		}
	}
	if (!CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
		rv = -1;
	free(w);
	return rv;
}

int
wt_copy(const char *src, const char *dst, const char *file)
{
	wchar_t *a = dlssl__win_wide(wt_join(src, file)), *b = dlssl__win_wide(wt_join(dst, file));
	int ok = a != NULL && b != NULL && CopyFileW(a, b, FALSE);

	if (!ok)
		fprintf(stderr, "wintest: cannot copy %s from %s to %s (error %lu)\n", file, src, dst,
		    (unsigned long)GetLastError());
	free(a);
	free(b);
	return ok ? 0 : -1;
}

/* ---- child processes ---- */

/* Append s to the command line, quoted as the C runtime parses it. */
static void
quote_arg(wchar_t **cmd, size_t *len, size_t *cap, const wchar_t *s)
{
	size_t need = wcslen(s) * 2 + 4, bs;
	wchar_t *c;
	const wchar_t *p;

	if (*len + need + 1 > *cap) {
		*cap = (*len + need + 1) * 2;
		if ((c = realloc(*cmd, *cap * sizeof(*c))) == NULL)
			abort();
		*cmd = c;
	}
	c = *cmd;
	if (*len > 0)
		c[(*len)++] = L' ';
	c[(*len)++] = L'"';
	for (p = s;; p++) {
		for (bs = 0; *p == L'\\'; p++)
			bs++;
		if (*p == L'\0') {
			/* Double the backslashes before the closing quote. */
			while (bs--) {
				c[(*len)++] = L'\\';
				c[(*len)++] = L'\\';
			}
			break;
		}
		if (*p == L'"') {
			while (bs--) {
				c[(*len)++] = L'\\';
				c[(*len)++] = L'\\';
			}
			c[(*len)++] = L'\\';
		} else {
			while (bs--)
				c[(*len)++] = L'\\';
		}
		c[(*len)++] = *p;
	}
	c[(*len)++] = L'"';
	c[*len] = L'\0';
}

/* Does the environment entry E ("NAME=value") name NAME (case-insensitive)? */
static int
names(const wchar_t *e, const wchar_t *name, size_t nlen)
{
	return _wcsnicmp(e, name, nlen) == 0 && e[nlen] == L'=';
}

/* Our environment minus DLSSL_*, changed by env; a malloc'd block. */
static wchar_t *
child_env(const char *const *env)
{
	wchar_t *cur = GetEnvironmentStringsW(), *e, *block, *w;
	size_t len = 0, cap = 0, n, i, nchange = 0;
	wchar_t *change[64];

	for (i = 0; env != NULL && env[i] != NULL && nchange < 64; i++)
		if ((change[nchange] = dlssl__win_wide(env[i])) != NULL)
			nchange++;
	for (e = cur; *e; e += wcslen(e) + 1)
		cap += wcslen(e) + 1;
	for (i = 0; i < nchange; i++)
		cap += wcslen(change[i]) + 1;
	block = calloc(cap + 2, sizeof(*block));
	if (block == NULL)
		abort();
	for (e = cur; *e; e += wcslen(e) + 1) {
		int drop = _wcsnicmp(e, L"DLSSL_", 6) == 0;

		for (i = 0; i < nchange && !drop; i++) {
			w = wcschr(change[i], L'=');
			n = w ? (size_t)(w - change[i]) : wcslen(change[i]);
			drop = names(e, change[i], n);
		}
		if (drop)
			continue;
		wcscpy(block + len, e);
		len += wcslen(e) + 1;
	}
	for (i = 0; i < nchange; i++) {
		if (wcschr(change[i], L'=') != NULL) {
			wcscpy(block + len, change[i]);
			len += wcslen(change[i]) + 1;
		}
		free(change[i]);
	}
	block[len] = L'\0';
	FreeEnvironmentStringsW(cur);
	return block;
}

struct reader {
	HANDLE h;
	char *buf;
	size_t len;
};

/* Append what the pipe yields to buf, NUL-terminated as it goes (for wt_wait_err). */
static DWORD WINAPI
read_all(LPVOID arg)
{
	struct reader *r = arg;
	char tmp[4096];
	DWORD got;

	while (ReadFile(r->h, tmp, sizeof(tmp), &got, NULL) && got > 0) {
		size_t k = got;

		if (k > WT_OUTMAX - 1 - r->len)
			k = WT_OUTMAX - 1 - r->len;
		memcpy(r->buf + r->len, tmp, k);
		r->len += k;
		r->buf[r->len] = '\0';
	}
	r->buf[r->len] = '\0';
	return 0;
}

/* Standard input for the next children: see wt_set_stdin. */
static const char *stdin_text;
static int stdin_hold_ms;

void
wt_set_stdin(const char *text, int hold_ms)
{
	stdin_text = text;
	stdin_hold_ms = hold_ms;
}

struct writer {
	HANDLE h;
	char *text;
	int hold_ms;
};

static DWORD WINAPI
write_all(LPVOID arg)
{
	struct writer *w = arg;
	size_t off = 0, n = strlen(w->text);
	DWORD put;

	while (off < n && WriteFile(w->h, w->text + off, (DWORD)(n - off), &put, NULL))
		off += put;
	Sleep((DWORD)w->hold_ms);
	CloseHandle(w->h);
	free(w->text);
	free(w);
	return 0;
}

struct wt_proc_impl {
	struct wt_run *r;
	HANDLE proc, readers[2], out_r, err_r, writer;
	struct reader ro, re;
	int done;
};

int
wt_start(struct wt_proc *p, struct wt_run *r, const char *exe, const char *const *args,
    const char *cwd, const char *const *env)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	HANDLE out_w, err_w, in = INVALID_HANDLE_VALUE, in_w = INVALID_HANDLE_VALUE;
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	struct wt_proc_impl *k;
	wchar_t *wexe = dlssl__win_wide(exe), *wcwd = cwd ? dlssl__win_wide(cwd) : NULL;
	wchar_t *cmd = NULL, *wenv, *wa;
	size_t len = 0, cap = 0, i;
	int rv = -1;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	p->impl = NULL;
	if (wexe == NULL || (k = calloc(1, sizeof(*k))) == NULL) {
		free(wexe);
		free(wcwd);
		return -1;
	}
	k->r = r;
	quote_arg(&cmd, &len, &cap, wexe);
	for (i = 0; args != NULL && args[i] != NULL; i++) {
		if ((wa = dlssl__win_wide(args[i])) == NULL)
			abort();
		quote_arg(&cmd, &len, &cap, wa);
		free(wa);
	}
	wenv = child_env(env);
	if (!CreatePipe(&k->out_r, &out_w, &sa, 0) || !CreatePipe(&k->err_r, &err_w, &sa, 0))
		abort();
	SetHandleInformation(k->out_r, HANDLE_FLAG_INHERIT, 0);
	SetHandleInformation(k->err_r, HANDLE_FLAG_INHERIT, 0);
	if (stdin_text != NULL) {
		if (!CreatePipe(&in, &in_w, &sa, 0))
			abort();
		SetHandleInformation(in_w, HANDLE_FLAG_INHERIT, 0);
	} else {
		in = CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
		    OPEN_EXISTING, 0, NULL);
	}
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = in;
	si.hStdOutput = out_w;
	si.hStdError = err_w;
	if (!CreateProcessW(wexe, cmd, NULL, NULL, TRUE, CREATE_UNICODE_ENVIRONMENT |
	    CREATE_NO_WINDOW, wenv, wcwd, &si, &pi)) {
		snprintf(r->err, sizeof(r->err), "CreateProcessW %s failed (error %lu)", exe,
		    (unsigned long)GetLastError());
		CloseHandle(k->out_r);
		CloseHandle(k->err_r);
		if (in_w != INVALID_HANDLE_VALUE)
			CloseHandle(in_w);
		free(k);
		goto out;
	}
	CloseHandle(pi.hThread);
	k->proc = pi.hProcess;
	if (in_w != INVALID_HANDLE_VALUE) {
		struct writer *w = calloc(1, sizeof(*w));

		if (w == NULL || (w->text = strdup(stdin_text)) == NULL)
			abort();
		w->h = in_w;
		w->hold_ms = stdin_hold_ms;
		k->writer = CreateThread(NULL, 0, write_all, w, 0, NULL);
	}
	k->ro.h = k->out_r;
	k->ro.buf = r->out;
	k->re.h = k->err_r;
	k->re.buf = r->err;
	k->readers[0] = CreateThread(NULL, 0, read_all, &k->ro, 0, NULL);
	k->readers[1] = CreateThread(NULL, 0, read_all, &k->re, 0, NULL);
	p->impl = k;
	rv = 0;
out:
	CloseHandle(out_w);
	CloseHandle(err_w);
	if (in != INVALID_HANDLE_VALUE)
		CloseHandle(in);
	free(cmd);
	free(wenv);
	free(wexe);
	free(wcwd);
	return rv;
}

int
wt_wait_err(struct wt_proc *p, const char *sub, int ms)
{
	struct wt_proc_impl *k = p->impl;
	DWORD start = GetTickCount();

	if (k == NULL)
		return 0;
	for (;;) {
		if (strstr(k->r->err, sub) != NULL)
			return 1;
		if (WaitForSingleObject(k->proc, 0) == WAIT_OBJECT_0) {
			/* Ended: what it printed is all there after the readers finish. */
			WaitForMultipleObjects(2, k->readers, TRUE, 5000);
			return strstr(k->r->err, sub) != NULL;
		}
		if ((int)(GetTickCount() - start) >= ms)
			return 0;
		Sleep(20);
	}
}

int
wt_finish(struct wt_proc *p, int ms)
{
	struct wt_proc_impl *k = p->impl;
	DWORD code = 0;
	int status;

	if (k == NULL)
		return -1;
	if (WaitForSingleObject(k->proc, (DWORD)ms) != WAIT_OBJECT_0) {
		TerminateProcess(k->proc, 255);
		WaitForSingleObject(k->proc, INFINITE);
		k->r->status = -2;
	} else if (GetExitCodeProcess(k->proc, &code)) {
		k->r->status = (int)code;
	}
	/* A grandchild holding a pipe open must not hang the test. */
	if (WaitForMultipleObjects(2, k->readers, TRUE, 10000) != WAIT_OBJECT_0) {
		CancelSynchronousIo(k->readers[0]);
		CancelSynchronousIo(k->readers[1]);
		WaitForMultipleObjects(2, k->readers, TRUE, 5000);
	}
	if (k->writer != NULL) {
		WaitForSingleObject(k->writer, INFINITE);
		CloseHandle(k->writer);
	}
	CloseHandle(k->readers[0]);
	CloseHandle(k->readers[1]);
	CloseHandle(k->out_r);
	CloseHandle(k->err_r);
	CloseHandle(k->proc);
	status = k->r->status;
	free(k);
	p->impl = NULL;
	return status;
}

int
wt_run(struct wt_run *r, const char *exe, const char *const *args, const char *cwd,
    const char *const *env)
{
	struct wt_proc p;

	if (wt_start(&p, r, exe, args, cwd, env) < 0)
		return -1;
	wt_finish(&p, WT_TIMEOUT_MS);
	return r->status;
}

const char *
wt_desc(const struct wt_run *r)
{
	return wt_str("exit %d; stdout: %.1500s; stderr: %.1500s", r->status, r->out, r->err);
}

/* ---- reading JSON: tests/loader_common.c's reader ---- */

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *
skip_string(const char *p)
{
	for (p++; *p != '\0' && *p != '"'; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	return *p == '"' ? p + 1 : NULL;
}

static const char *
skip_value(const char *p)
{
	int depth = 0;

	if (*p == '"')
		return skip_string(p);
	if (*p != '{' && *p != '[') {
		while (*p != '\0' && strchr(",}] \t\r\n", *p) == NULL)
			p++;
		return p;
	}
	do {
		if (*p == '"') {
			if ((p = skip_string(p)) == NULL)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (*p == '\0')
			return NULL;
		p++;
	} while (depth > 0);
	return p;
}

static const char *
copy_value(const char *b, const char *e)
{
	char *out, *o;

	if (*b != '"')
		return wt_str("%.*s", (int)(e - b), b);
	out = o = arena_alloc((size_t)(e - b) + 1);
	for (b++, e--; b < e; b++) {
		if (*b != '\\') {
			*o++ = *b;
			continue;
		}
		b++;
		switch (*b) {
		case 'n':
			*o++ = '\n';
			break;
		case 'u':
			*o++ = (char)strtol((char[]){ b[1], b[2], b[3], b[4], '\0' }, NULL, 16);
			b += 4;
			break;
		default:
			*o++ = *b;
		}
	}
	*o = '\0';
	return out;
}

static const char *
find(const char *text, const char *key, const char **end)
{
	const char *p, *k, *kend, *v, *e;
	size_t klen = strlen(key);

	if (text == NULL || *(p = skip_ws(text)) != '{')
		return NULL;
	for (p = skip_ws(p + 1); *p == '"'; p = skip_ws(p + 1)) {
		k = p + 1;
		if ((kend = skip_string(p)) == NULL)
			return NULL;
		p = skip_ws(kend);
		if (*p != ':')
			return NULL;
		v = skip_ws(p + 1);
		if ((e = skip_value(v)) == NULL)
			return NULL;
		if ((size_t)(kend - 1 - k) == klen && strncmp(k, key, klen) == 0) {
			*end = e;
			return v;
		}
		p = skip_ws(e);
		if (*p != ',')
			return NULL;
	}
	return NULL;
}

const char *
wt_json(const char *text, const char *key)
{
	const char *e, *v = find(text, key, &e);

	return v != NULL ? copy_value(v, e) : NULL;
}

static const char *
element(const char *text, const char *key, size_t idx, const char **end)
{
	const char *e, *p = find(text, key, &e);
	size_t i;

	if (p == NULL || *p != '[')
		return NULL;
	for (i = 0, p = skip_ws(p + 1); *p != ']' && *p != '\0'; i++) {
		if ((e = skip_value(p)) == NULL)
			return NULL;
		if (i == idx) {
			*end = e;
			return p;
		}
		p = skip_ws(e);
		if (*p == ',')
			p = skip_ws(p + 1);
	}
	return NULL;
}

const char *
wt_json_at(const char *text, const char *key, size_t idx)
{
	const char *e, *v = element(text, key, idx, &e);

	return v != NULL ? copy_value(v, e) : NULL;
}

int
wt_json_len(const char *text, const char *key)
{
	const char *e, *p = find(text, key, &e);
	int n = 0;

	if (p == NULL || *p != '[')
		return -1;
	while (n < 10000 && element(text, key, (size_t)n, &e) != NULL)
		n++;
	return n;
}

int
wt_json_has(const char *text, const char *key, const char *value)
{
	const char *e, *p;
	size_t i, n = strlen(value);

	for (i = 0; i < 10000 && (p = element(text, key, i, &e)) != NULL; i++)
		if (*p == '"' && (size_t)(e - p) == n + 2 && strncmp(p + 1, value, n) == 0)
			return 1;
	return 0;
}
