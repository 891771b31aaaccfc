/* The dlssl program's Windows shims (tools/compat_win.h); nothing elsewhere. */
#include "config.h"

#ifdef _WIN32
#include <stdio.h>
#include <string.h>

#include "compat_win.h"
#include <shellapi.h> /* CommandLineToArgvW */

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
cli_win_thread_create(cli_win_thread *t, const cli_win_thread_attr *a, void *(*fn)(void *),
    void *arg)
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
cli_win_thread_join(cli_win_thread t, void **ret)
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
		if ((v[i] = dlssl__win_utf8(w[i])) == NULL) {
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
	if ((l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&sin, &len) < 0 ||
	    (sv[0] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) < 0 ||
	    connect(sv[0], (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    (sv[1] = accept(l, NULL, NULL)) < 0)
		goto fail;
	/* Only this process's threads use the pair: never a child's. */
	SetHandleInformation((HANDLE)DLSSL_SOCKET(sv[0]), HANDLE_FLAG_INHERIT, 0);
	SetHandleInformation((HANDLE)DLSSL_SOCKET(sv[1]), HANDLE_FLAG_INHERIT, 0);
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
			if ((w = send(f->out, buf + off, got - off, 0)) <= 0)
				goto out;
	}
out:
	shutdown(f->out, SHUT_WR);
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
