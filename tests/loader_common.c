/* Helpers shared by the loader tests: see loader_common.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loader_common.h"

extern char **environ;

/*
 * Strings handed to the tests come from one arena, emptied before each test
 * (lc_reset): nothing to free, nothing overwritten while a test runs.
 */
static char arena[4 << 20];
static size_t arena_used;

void
lc_reset(void)
{
	arena_used = 0;
}

static char *
arena_alloc(size_t n)
{
	char *p;

	if (n > sizeof(arena) - arena_used) {
		fprintf(stderr, "loader_common: string arena exhausted (missing lc_reset?)\n");
		abort();
	}
	p = arena + arena_used;
	arena_used += n;
	return p;
}

const char *
lc_str(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *b;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	b = arena_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b;
}

const char *
lc_stub(const char *dir, const char *file)
{
	if (file == NULL)
		return lc_str("%s/tests/stubs/out/%s", LC_BUILDDIR, dir);
	return lc_str("%s/tests/stubs/out/%s/%s", LC_BUILDDIR, dir, file);
}

const char *
lc_realpath(const char *path)
{
	char tmp[PATH_MAX];

	if (path == NULL || realpath(path, tmp) == NULL)
		return NULL;
	return lc_str("%s", tmp);
}

int
lc_contains(const char *s, const char *sub)
{
	return s != NULL && sub != NULL && strstr(s, sub) != NULL;
}

/* ---- running a child ---- */

/* Is VAR ("NAME=VALUE") left out of the child's environment? */
static int
dropped(const char *var, int flags, const char *const *env)
{
	size_t n;

	if (!(flags & LC_KEEP_DLSSL) && strncmp(var, "DLSSL_", 6) == 0)
		return 1;
	for (; env != NULL && *env != NULL; env++) {
		n = strcspn(*env, "=");
		if (strncmp(var, *env, n) == 0 && var[n] == '=')
			return 1;
	}
	return 0;
}

static char **
child_env(int flags, const char *const *env)
{
	size_t n = 0, k = 0, i;
	char **v;

	while (environ[n] != NULL)
		n++;
	for (i = 0; env != NULL && env[i] != NULL; i++)
		;
	if ((v = calloc(n + i + 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!dropped(environ[i], flags, env))
			v[k++] = environ[i];
	for (i = 0; env != NULL && env[i] != NULL; i++)
		if (strchr(env[i], '=') != NULL)
			v[k++] = (char *)(uintptr_t)env[i];
	v[k] = NULL;
	return v;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read what is there into buf (len bytes so far); 0 at EOF. */
static int
drain(int fd, char *buf, size_t *len, int *truncated)
{
	char scratch[4096];
	ssize_t got;
	size_t room = LC_OUTMAX - 1 - *len;

	if (room == 0)
		got = read(fd, scratch, sizeof(scratch));
	else
		got = read(fd, buf + *len, room);
	if (got < 0 && errno == EINTR)
		return 1;
	if (got <= 0)
		return 0;
	if (room == 0)
		*truncated = 1;
	else
		*len += (size_t)got;
	buf[*len] = '\0';
	return 1;
}

static void
collect(struct lc_run *r, pid_t pid, int fd_out, int fd_err)
{
	struct pollfd p[2] = { { fd_out, POLLIN, 0 }, { fd_err, POLLIN, 0 } };
	size_t nout = 0, nerr = 0;
	long deadline = now_ms() + LC_TIMEOUT * 1000L;
	int nopen = 2, st = 0, i, timed_out = 0;

	while (nopen > 0) {
		long left = deadline - now_ms();

		if (left <= 0) {
			timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			if (!drain(p[i].fd, i == 0 ? r->out : r->err, i == 0 ? &nout : &nerr,
			    &r->truncated)) {
				close(p[i].fd);
				p[i].fd = -1;
				nopen--;
			}
		}
	}
	for (i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (timed_out)
		r->status = -2;
	else if (WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->status = 128 + WTERMSIG(st);
}

int
lc_exec(struct lc_run *r, int flags, const char *const *argv, const char *const *env)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 }, devnull;
	char **envp;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if ((envp = child_env(flags, env)) == NULL)
		return r->status;
	if (pipe(po) < 0 || pipe(pe) < 0)
		goto out;
	fflush(NULL);
	if ((pid = fork()) < 0)
		goto out;
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY);
		if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
			_exit(126);
		close(po[0]);
		close(pe[0]);
		execve(argv[0], (char *const *)(uintptr_t)argv, envp);
		dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	collect(r, pid, po[0], pe[0]);
	po[0] = pe[0] = -1;
	po[1] = pe[1] = -1;
out:
	if (po[0] >= 0)
		close(po[0]);
	if (po[1] >= 0)
		close(po[1]);
	if (pe[0] >= 0)
		close(pe[0]);
	if (pe[1] >= 0)
		close(pe[1]);
	free(envp);
	return r->status;
}

/* Run PROG with ARGS after it. */
static int
exec_with(struct lc_run *r, int flags, const char *const *env, const char *prog,
    const char *const *args)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = prog;
	while (args != NULL && args[n - 1] != NULL && n < 31) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	return lc_exec(r, flags, argv, env);
}

int
lc_dlssl(struct lc_run *r, int flags, const char *const *env, const char *const *args)
{
	return exec_with(r, flags, env, LC_BUILDDIR "/tools/dlssl", args);
}

int
lc_hostprobe(struct lc_run *r, int flags, const char *const *env, const char *const *args)
{
	return exec_with(r, flags, env, LC_BUILDDIR "/tests/hostprobe", args);
}

const char *
lc_desc(const struct lc_run *r)
{
	return lc_str("exit %d%s; stdout: %.3000s; stderr: %.3000s", r->status,
	    r->truncated ? " (output truncated)" : "", r->out, r->err);
}

int
lc_real_loadable(int flags, const char *const *env, struct lc_run *r)
{
	return lc_dlssl(r, flags, env, LC_LIST("info", "--json")) == 0 &&
	    lc_contains(r->out, "\"loaded\":true");
}

/* ---- reading JSON ---- */

static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* p at '"': past the closing quote, or NULL. */
static const char *
skip_string(const char *p)
{
	for (p++; *p != '\0' && *p != '"'; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	return *p == '"' ? p + 1 : NULL;
}

/* Past one value, or NULL if malformed. */
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

/* Copy [b, e) verbatim, or unescaped if it is a string. */
static const char *
copy_value(const char *b, const char *e)
{
	char *out, *o;

	if (*b != '"')
		return lc_str("%.*s", (int)(e - b), b);
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

/* Find KEY in the object at text; sets *end past the value. */
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
lc_json(const char *text, const char *key)
{
	const char *e, *v = find(text, key, &e);

	return v != NULL ? copy_value(v, e) : NULL;
}

/* The start of element IDX of array KEY, with *end; NULL past the end. */
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
lc_json_at(const char *text, const char *key, size_t idx)
{
	const char *e, *v = element(text, key, idx, &e);

	return v != NULL ? copy_value(v, e) : NULL;
}

int
lc_json_len(const char *text, const char *key)
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
lc_json_has(const char *text, const char *key, const char *value)
{
	const char *e, *p;
	size_t i, n = strlen(value);

	/* Compared in place: the strings in question hold no escapes. */
	for (i = 0; i < 10000 && (p = element(text, key, i, &e)) != NULL; i++)
		if (*p == '"' && (size_t)(e - p) == n + 2 && strncmp(p + 1, value, n) == 0)
			return 1;
	return 0;
}
