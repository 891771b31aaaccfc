/*
 * The dlssl program on Windows (mingw-w64): what tools/ needs beyond
 * src/compat/.  Included by tools/net.h (so by every file that uses
 * sockets) and, in place of <pthread.h>, by the files that use threads.
 * Empty elsewhere: on POSIX the tools call the system directly.
 *
 *   Winsock    src/compat/net.h (recv, send, poll, fcntl on a SOCKET carried
 *              in an int, errno from WSAGetLastError), and here the calls it
 *              leaves out, on the same int: socket and accept return -1 for
 *              INVALID_SOCKET; these and connect, bind, listen, getsockname,
 *              getsockopt, setsockopt and shutdown set errno when they fail.
 *              SHUT_WR, nfds_t; cli_sock_close() is closesocket (close()
 *              on POSIX: tools/net.h).  A socket is not a C runtime fd:
 *              never read(), write() or close() one.
 *   strerror   src/compat/errno.h: the socket errno values' texts
 *   threads    the pthread subset tools/ uses (create, detached or joined;
 *              mutexes; condition variables) on Windows threads, so that
 *              dlssl.exe needs no winpthreads DLL, like libdlssl
 *
 *   cli_win_startup()        WSAStartup, once, from main(): 0 or -1
 *   cli_win_utf8_args(&c,&v) the command line as UTF-8 (from the wide
 *                            command line: GetCommandLineW and
 *                            CommandLineToArgvW), for main() to use in
 *                            place of its ANSI argv, which loses whatever
 *                            the code page lacks; free it with
 *                            cli_win_free_args: 0 or -1
 *   getenv                   the process's wide environment as UTF-8
 *                            (src/compat/win32.h: dlssl__win_getenv; a
 *                            value lasts until that name is read again)
 *   cli_win_binary_stdio()   stdin and stdout in binary mode (no CRLF
 *                            translation): for the commands that pass bytes
 *   cli_win_socketpair(sv)   a connected loopback TCP pair: what a pipe is
 *                            on POSIX where WSAPoll must watch it
 *   cli_win_feed(fd)         WSAPoll cannot watch a console, a pipe or a
 *                            file: a thread copies what the C runtime fd
 *                            yields into a socket, returned (or -1, errno
 *                            set) for the caller to poll and recv; EOF on
 *                            fd (or an error) closes the thread's end.  The
 *                            thread reads a duplicate of fd's handle, so
 *                            the caller may close fd at any time; a read
 *                            that never ends (a console nobody types in)
 *                            keeps only the thread waiting
 */
#ifndef DLSSL_TOOLS_COMPAT_WIN_H
#define DLSSL_TOOLS_COMPAT_WIN_H

#ifdef _WIN32
#include "compat/net.h" /* winsock2.h before windows.h */
#include "compat/errno.h"
#include "compat/win32.h" /* dlssl__win_wide */
#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <stdlib.h>

/* ---- Winsock on an int ---- */

typedef unsigned long nfds_t;

#ifndef SHUT_WR
#define SHUT_WR SD_SEND
#endif

/* A SOCKET as the int dlssl_transport_fd() takes (include/dlssl.h). */
static inline int
cli_win_sockfd(SOCKET s)
{
	if (s == INVALID_SOCKET) {
		dlssl__wsa_set_errno();
		return -1;
	}
	return (int)s;
}

/* 0, or -1 with errno from WSAGetLastError. */
static inline int
cli_win_ok(int r)
{
	if (r != 0) {
		dlssl__wsa_set_errno();
		return -1;
	}
	return 0;
}

static inline int
cli_win_socket(int af, int type, int proto)
{
	return cli_win_sockfd(socket(af, type, proto));
}

static inline int
cli_win_accept(int fd, struct sockaddr *sa, socklen_t *len)
{
	return cli_win_sockfd(accept(DLSSL_SOCKET(fd), sa, len));
}

static inline int
cli_win_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	return cli_win_ok(connect(DLSSL_SOCKET(fd), sa, len));
}

static inline int
cli_win_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	return cli_win_ok(bind(DLSSL_SOCKET(fd), sa, len));
}

static inline int
cli_win_listen(int fd, int backlog)
{
	return cli_win_ok(listen(DLSSL_SOCKET(fd), backlog));
}

static inline int
cli_win_getsockname(int fd, struct sockaddr *sa, socklen_t *len)
{
	return cli_win_ok(getsockname(DLSSL_SOCKET(fd), sa, len));
}

static inline int
cli_win_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	return cli_win_ok(getsockopt(DLSSL_SOCKET(fd), level, name, (char *)val, len));
}

static inline int
cli_win_setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	return cli_win_ok(setsockopt(DLSSL_SOCKET(fd), level, name, (const char *)val, len));
}

static inline int
cli_win_shutdown(int fd, int how)
{
	return cli_win_ok(shutdown(DLSSL_SOCKET(fd), how));
}

#undef socket
#undef accept
#undef connect
#undef bind
#undef listen
#undef getsockname
#undef getsockopt
#undef setsockopt
#undef shutdown
#define socket(af, type, proto) cli_win_socket((af), (type), (proto))
#define accept(fd, sa, len) cli_win_accept((fd), (sa), (len))
#define connect(fd, sa, len) cli_win_connect((fd), (sa), (int)(len))
#define bind(fd, sa, len) cli_win_bind((fd), (sa), (int)(len))
#define listen(fd, backlog) cli_win_listen((fd), (backlog))
#define getsockname(fd, sa, len) cli_win_getsockname((fd), (sa), (len))
#define getsockopt(fd, l, n, v, len) cli_win_getsockopt((fd), (l), (n), (v), (len))
#define setsockopt(fd, l, n, v, len) cli_win_setsockopt((fd), (l), (n), (v), (int)(len))
#define shutdown(fd, how) cli_win_shutdown((fd), (how))
#undef recv
#undef send
#undef poll
#undef fcntl
#define recv(fd, buf, len, flags) dlssl__net_recv((fd), (buf), (len), (flags))
#define send(fd, buf, len, flags) dlssl__net_send((fd), (buf), (len), (flags))
#define poll(fds, n, timeout) dlssl__net_poll((fds), (n), (timeout))
#define fcntl(fd, ...) dlssl__net_fcntl((fd), __VA_ARGS__)

#define cli_sock_close(fd) dlssl__sock_close(fd)

/* ---- a pthread subset on Windows threads ---- */

typedef SRWLOCK cli_win_mutex;
typedef CONDITION_VARIABLE cli_win_cond;
typedef HANDLE cli_win_thread;
typedef struct {
	int detached;
} cli_win_thread_attr;

#define PTHREAD_MUTEX_INITIALIZER SRWLOCK_INIT
#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

static inline int
cli_win_mutex_init(cli_win_mutex *m, const void *attr)
{
	(void)attr;
	InitializeSRWLock(m);
	return 0;
}

static inline int
cli_win_mutex_destroy(cli_win_mutex *m)
{
	(void)m;
	return 0;
}

static inline int
cli_win_mutex_lock(cli_win_mutex *m)
{
	AcquireSRWLockExclusive(m);
	return 0;
}

static inline int
cli_win_mutex_unlock(cli_win_mutex *m)
{
	ReleaseSRWLockExclusive(m);
	return 0;
}

static inline int
cli_win_cond_init(cli_win_cond *c, const void *attr)
{
	(void)attr;
	InitializeConditionVariable(c);
	return 0;
}

static inline int
cli_win_cond_destroy(cli_win_cond *c)
{
	(void)c;
	return 0;
}

static inline int
cli_win_cond_wait(cli_win_cond *c, cli_win_mutex *m)
{
	return SleepConditionVariableSRW(c, m, INFINITE, 0) ? 0 : EINVAL;
}

static inline int
cli_win_cond_signal(cli_win_cond *c)
{
	WakeConditionVariable(c);
	return 0;
}

static inline int
cli_win_attr_init(cli_win_thread_attr *a)
{
	a->detached = 0;
	return 0;
}

static inline int
cli_win_attr_setdetachstate(cli_win_thread_attr *a, int state)
{
	a->detached = state == PTHREAD_CREATE_DETACHED;
	return 0;
}

static inline int
cli_win_attr_destroy(cli_win_thread_attr *a)
{
	(void)a;
	return 0;
}

/* 0, or an errno value (as pthread_create). */
int cli_win_thread_create(cli_win_thread *t, const cli_win_thread_attr *a,
    void *(*fn)(void *), void *arg);
/* Wait for a joinable thread and release it; the value is not kept. */
int cli_win_thread_join(cli_win_thread t, void **ret);

#define pthread_mutex_t cli_win_mutex
#define pthread_cond_t cli_win_cond
#define pthread_t cli_win_thread
#define pthread_attr_t cli_win_thread_attr
#define pthread_mutex_init cli_win_mutex_init
#define pthread_mutex_destroy cli_win_mutex_destroy
#define pthread_mutex_lock cli_win_mutex_lock
#define pthread_mutex_unlock cli_win_mutex_unlock
#define pthread_cond_init cli_win_cond_init
#define pthread_cond_destroy cli_win_cond_destroy
#define pthread_cond_wait cli_win_cond_wait
#define pthread_cond_signal cli_win_cond_signal
#define pthread_attr_init cli_win_attr_init
#define pthread_attr_setdetachstate cli_win_attr_setdetachstate
#define pthread_attr_destroy cli_win_attr_destroy
#define pthread_create cli_win_thread_create
#define pthread_join cli_win_thread_join

/* ---- the rest ---- */

#undef getenv
#define getenv(name) dlssl__win_getenv(name)

int cli_win_startup(void);
int cli_win_utf8_args(int *argc, char ***argv);
void cli_win_free_args(int argc, char **argv);
void cli_win_binary_stdio(void);
int cli_win_socketpair(int sv[2]);
int cli_win_feed(int fd);

#endif /* _WIN32 */

#endif
