/* The dlssl program's Windows shims (tools/compat_win.h); nothing elsewhere. */
#include "config.h"

#ifdef _WIN32
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat_win.h"
#include <shellapi.h> /* CommandLineToArgvW */

/* ---- errno from Winsock, and the texts msvcrt lacks ---- */

static const struct {
	int wsa;	/* a Winsock code, or 0: a text only */
	int e;
	const char *text;
} errs[] = {
	{ WSAEWOULDBLOCK, EWOULDBLOCK, "Resource temporarily unavailable" },
	{ WSAEINTR, EINTR, NULL },
	{ WSAEINPROGRESS, EINPROGRESS, "Operation now in progress" },
	{ WSAEALREADY, EALREADY, "Operation already in progress" },
	{ WSAENOTSOCK, ENOTSOCK, "Not a socket" },
	{ WSAEBADF, EBADF, NULL },
	{ WSA_INVALID_HANDLE, EBADF, NULL },
	{ WSAEFAULT, EFAULT, NULL },
	{ WSAEINVAL, EINVAL, NULL },
	{ WSA_INVALID_PARAMETER, EINVAL, NULL },
	{ WSAEMFILE, EMFILE, NULL },
	{ WSAEMSGSIZE, EMSGSIZE, "Message too long" },
	{ WSAEOPNOTSUPP, EOPNOTSUPP, "Operation not supported" },
	{ WSAENETDOWN, ENETDOWN, "Network is down" },
	{ WSAENETUNREACH, ENETUNREACH, "Network is unreachable" },
	{ WSAENETRESET, ENETRESET, "Network dropped connection on reset" },
	{ WSAECONNABORTED, ECONNABORTED, "Software caused connection abort" },
	{ WSAECONNRESET, ECONNRESET, "Connection reset by peer" },
	{ WSAENOBUFS, ENOBUFS, "No buffer space available" },
	{ WSA_NOT_ENOUGH_MEMORY, ENOBUFS, NULL },
	{ WSAEISCONN, EISCONN, "Transport endpoint is already connected" },
	{ WSAENOTCONN, ENOTCONN, "Transport endpoint is not connected" },
	{ WSAESHUTDOWN, EPIPE, "Broken pipe" },
	{ WSAETIMEDOUT, ETIMEDOUT, "Connection timed out" },
	{ WSAECONNREFUSED, ECONNREFUSED, "Connection refused" },
	{ WSAEHOSTUNREACH, EHOSTUNREACH, "No route to host" },
	{ WSAEACCES, EACCES, NULL },
	{ 0, EILSEQ, "Invalid or incomplete multibyte or wide character" },
};

int
cli_win_errno(int wsa)
{
	size_t i;

	if (wsa == 0)
		return 0;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (errs[i].wsa == wsa)
			return errs[i].e;
	return EIO; /* WSANOTINITIALISED and the like */
}

void
cli_win_set_errno(void)
{
	errno = cli_win_errno(WSAGetLastError());
}

const char *
cli_strerror(int e)
{
	size_t i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		if (errs[i].e == e && errs[i].text != NULL)
			return errs[i].text;
	return strerror(e);
}

/* ---- sockets on an int ---- */

static int
sockfd(SOCKET s)
{
	if (s == INVALID_SOCKET) {
		cli_win_set_errno();
		return -1;
	}
	return (int)s;
}

/* 0, or -1 with errno from WSAGetLastError (r is 0 or SOCKET_ERROR). */
static int
ok(int r)
{
	if (r != 0) {
		cli_win_set_errno();
		return -1;
	}
	return 0;
}

int
cli_socket(int af, int type, int proto)
{
	return sockfd(socket(af, type, proto));
}

int
cli_accept(int fd, struct sockaddr *sa, socklen_t *len)
{
	return sockfd(accept(CLI_SOCKET(fd), sa, len));
}

int
cli_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	return ok(connect(CLI_SOCKET(fd), sa, (int)len));
}

int
cli_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	return ok(bind(CLI_SOCKET(fd), sa, (int)len));
}

int
cli_listen(int fd, int backlog)
{
	return ok(listen(CLI_SOCKET(fd), backlog));
}

int
cli_getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	return ok(getsockname(CLI_SOCKET(fd), sa, len));
}

int
cli_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	return ok(getsockopt(CLI_SOCKET(fd), level, name, (char *)val, len));
}

int
cli_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return ok(setsockopt(CLI_SOCKET(fd), level, name, (const char *)val, (int)len));
}

int
cli_shutdown(int fd, int how)
{
	return ok(shutdown(CLI_SOCKET(fd), how));
}

int
cli_sock_close(int fd)
{
	return ok(closesocket(CLI_SOCKET(fd)));
}

long
cli_recv(int fd, void *buf, size_t len, int flags)
{
	int r = recv(CLI_SOCKET(fd), (char *)buf, len > INT_MAX ? INT_MAX : (int)len, flags);

	return r == SOCKET_ERROR ? ok(r) : r;
}

long
cli_send(int fd, const void *buf, size_t len, int flags)
{
	int r = send(CLI_SOCKET(fd), (const char *)buf, len > INT_MAX ? INT_MAX : (int)len, flags);

	return r == SOCKET_ERROR ? ok(r) : r;
}

int
cli_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	int r = WSAPoll(fds, n, timeout);

	return r == SOCKET_ERROR ? ok(r) : r;
}

int
cli_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	u_long on;

	if (cmd == F_GETFL)
		return 0; /* unknowable: see compat_win.h */
	if (cmd != F_SETFL) {
		errno = EINVAL;
		return -1;
	}
	va_start(ap, cmd);
	on = (va_arg(ap, int) & O_NONBLOCK) != 0;
	va_end(ap);
	return ok(ioctlsocket(CLI_SOCKET(fd), FIONBIO, &on));
}

/* ---- UTF-8 and the environment ---- */

wchar_t *
cli_win_wide(const char *s)
{
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
	wchar_t *w = n > 0 ? malloc((size_t)n * sizeof(*w)) : NULL;

	if (w != NULL && MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) == n)
		return w;
	if (n <= 0 || w != NULL)
		errno = EILSEQ; /* else malloc set ENOMEM */
	free(w);
	return NULL;
}

/* UTF-16 -> malloc'd UTF-8, or NULL. */
static char *
utf8(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	char *s = n > 0 ? malloc((size_t)n) : NULL;

	if (s != NULL && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) == n)
		return s;
	free(s);
	return NULL;
}

const char *
cli_getenv(const char *name)
{
	/* The names the program reads are few: one value kept per name. */
	static struct {
		const char *name;
		char *value;
	} kept[8];
	wchar_t wname[64], *wv;
	size_t i, n = strlen(name);
	DWORD len;
	char *v = NULL;

	if (n >= sizeof(wname) / sizeof(wname[0]) ||
	    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, wname, 64) <= 0)
		return NULL;
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (kept[i].name == NULL || strcmp(kept[i].name, name) == 0)
			break;
	if (i == sizeof(kept) / sizeof(kept[0]))
		return NULL;
	/* The process's environment itself, not the C runtime's ANSI copy. */
	len = GetEnvironmentVariableW(wname, NULL, 0);
	if (len > 0 && (wv = malloc((size_t)len * sizeof(*wv))) != NULL) {
		if (GetEnvironmentVariableW(wname, wv, len) < len)
			v = utf8(wv);
		free(wv);
	}
	if (kept[i].name == NULL && (kept[i].name = strdup(name)) == NULL) {
		free(v);
		return NULL;
	}
	free(kept[i].value);
	kept[i].value = v;
	return v;
}

/* ---- threads ---- */

struct start {
	void *(*fn)(void *);
	void *arg;
};

static unsigned __stdcall
trampoline(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	(void)s.fn(s.arg);
	return 0;
}

int
cli_thread_create(cli_thread_t *t, const cli_thread_attr_t *a, void *(*fn)(void *), void *arg)
{
	struct start *s = malloc(sizeof(*s));
	uintptr_t h;

	if (s == NULL)
		return ENOMEM;
	s->fn = fn;
	s->arg = arg;
	/* _beginthreadex, not CreateThread: the thread uses the C runtime. */
	if ((h = _beginthreadex(NULL, 0, trampoline, s, 0, NULL)) == 0) {
		free(s);
		return EAGAIN;
	}
	if (a != NULL && a->detached) {
		CloseHandle((HANDLE)h);
		*t = NULL;
	} else {
		*t = (HANDLE)h;
	}
	return 0;
}

int
cli_thread_join(cli_thread_t t, void **ret)
{
	if (ret != NULL)
		*ret = NULL;
	if (t == NULL || WaitForSingleObject(t, INFINITE) != WAIT_OBJECT_0)
		return EINVAL;
	CloseHandle(t);
	return 0;
}

/* ---- the process ---- */

int
cli_win_startup(void)
{
	WSADATA wsa;

	return WSAStartup(MAKEWORD(2, 2), &wsa) == 0 ? 0 : -1;
}

void
cli_win_free_args(int argc, char **argv)
{
	int i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int
cli_win_utf8_args(int *argc, char ***argv)
{
	int n = 0, i;
	wchar_t **w = CommandLineToArgvW(GetCommandLineW(), &n);
	char **v;

	if (w == NULL)
		return -1;
	if ((v = calloc((size_t)n + 1, sizeof(*v))) == NULL) {
		LocalFree(w);
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((v[i] = utf8(w[i])) == NULL) {
			cli_win_free_args(i, v);
			LocalFree(w);
			return -1;
		}
	LocalFree(w);
	*argc = n;
	*argv = v;
	return 0;
}

void
cli_win_binary_stdio(void)
{
	(void)_setmode(_fileno(stdin), _O_BINARY);
	(void)_setmode(_fileno(stdout), _O_BINARY);
}

/* ---- a loopback pair, and a socket fed from a C runtime fd ---- */

int
cli_win_socketpair(int sv[2])
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int l, e;

	sv[0] = sv[1] = -1;
	if ((l = cli_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (cli_bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 || cli_listen(l, 1) < 0 ||
	    cli_getsockname(l, (struct sockaddr *)&sin, &len) < 0 ||
	    (sv[0] = cli_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) < 0 ||
	    cli_connect(sv[0], (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    (sv[1] = cli_accept(l, NULL, NULL)) < 0)
		goto fail;
	/* Only this process's threads use the pair: never a child's. */
	SetHandleInformation((HANDLE)CLI_SOCKET(sv[0]), HANDLE_FLAG_INHERIT, 0);
	SetHandleInformation((HANDLE)CLI_SOCKET(sv[1]), HANDLE_FLAG_INHERIT, 0);
	cli_sock_close(l);
	return 0;
fail:
	e = errno;
	cli_sock_close(l);
	if (sv[0] >= 0)
		cli_sock_close(sv[0]);
	sv[0] = sv[1] = -1;
	errno = e;
	return -1;
}

struct feed {
	HANDLE in;	/* a duplicate of the fd's handle, the thread's own */
	int out;	/* the thread's end of the pair */
};

static unsigned __stdcall
feed_main(void *p)
{
	struct feed *f = p;
	char buf[16384];
	DWORD got;
	long w;
	size_t off;

	/* ERROR_BROKEN_PIPE (the writer went away) is a pipe's EOF. */
	while (ReadFile(f->in, buf, sizeof(buf), &got, NULL) && got > 0) {
		for (off = 0; off < got; off += (size_t)w)
			if ((w = cli_send(f->out, buf + off, got - off, 0)) <= 0)
				goto out;
	}
out:
	cli_shutdown(f->out, SHUT_WR);
	cli_sock_close(f->out);
	CloseHandle(f->in);
	free(f);
	return 0;
}

int
cli_win_feed(int fd)
{
	HANDLE h = (HANDLE)_get_osfhandle(fd), self = GetCurrentProcess();
	struct feed *f;
	uintptr_t t;
	int sv[2];

	if (h == INVALID_HANDLE_VALUE) {
		errno = EBADF;
		return -1;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (!DuplicateHandle(self, h, self, &f->in, 0, FALSE, DUPLICATE_SAME_ACCESS)) {
		free(f);
		errno = EBADF;
		return -1;
	}
	if (cli_win_socketpair(sv) < 0) {
		CloseHandle(f->in);
		free(f);
		return -1;
	}
	f->out = sv[1];
	if ((t = _beginthreadex(NULL, 0, feed_main, f, 0, NULL)) == 0) {
		cli_sock_close(sv[0]);
		cli_sock_close(sv[1]);
		CloseHandle(f->in);
		free(f);
		errno = EAGAIN;
		return -1;
	}
	CloseHandle((HANDLE)t);
	return sv[0];
}
#else
/* ISO C wants something in a translation unit. */
typedef int cli_compat_win_unused;
#endif
