/*
 * The dlssl program on Windows (mingw-w64): the cli_ names of tools/sys.h,
 * self-contained (nothing from the library's src/compat).  Included by
 * tools/sys.h only, on Windows only.
 *
 *   sockets    a SOCKET is carried in an int (dlssl_transport_fd() takes
 *              one: include/dlssl.h).  cli_socket and cli_accept return
 *              -1 for INVALID_SOCKET; every call sets errno from
 *              WSAGetLastError when it fails (WSAEWOULDBLOCK becomes
 *              EWOULDBLOCK, ...).  cli_recv and cli_send clamp lengths to
 *              INT_MAX; cli_poll is WSAPoll; cli_fcntl knows F_GETFL
 *              (always 0: Windows cannot read a socket's mode back) and
 *              F_SETFL (O_NONBLOCK is ioctlsocket FIONBIO); cli_sock_close
 *              is closesocket.  A socket is not a C runtime fd: never
 *              read(), write() or close() one.
 *   cli_strerror  strerror, with texts for the socket errno values that
 *              the C runtime calls "Unknown error"
 *   cli_getenv the process's wide environment as UTF-8 (a value lasts
 *              until that name is read again)
 *   cli_win_wide(s)  UTF-8 -> malloc'd UTF-16 (for the wide Windows calls)
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
#include <winsock2.h> /* before windows.h */
#include <ws2tcpip.h>
#include <windows.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- sockets ---- */

/* The SOCKET an int carries: Windows handles are 32-bit values, sign-extended. */
#define CLI_SOCKET(fd) ((SOCKET)(intptr_t)(fd))

typedef unsigned long nfds_t;

#ifndef SHUT_WR
#define SHUT_WR SD_SEND
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* Windows never raises SIGPIPE */
#endif
#ifndef F_GETFL /* the two commands cli_fcntl() knows */
#define F_GETFL 3
#define F_SETFL 4
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0x100000 /* clear of the C runtime's _O_ flags */
#endif

/* The errno value of a Winsock error code (EIO for one without). */
int cli_win_errno(int wsa);
/* errno = cli_win_errno(WSAGetLastError()). */
void cli_win_set_errno(void);

int cli_socket(int af, int type, int proto);
int cli_accept(int fd, struct sockaddr *sa, socklen_t *len);
int cli_connect(int fd, const struct sockaddr *sa, socklen_t len);
int cli_bind(int fd, const struct sockaddr *sa, socklen_t len);
int cli_listen(int fd, int backlog);
int cli_getsockname(int fd, struct sockaddr *sa, socklen_t *len);
int cli_getsockopt(int fd, int level, int name, void *val, socklen_t *len);
int cli_setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int cli_shutdown(int fd, int how);
long cli_recv(int fd, void *buf, size_t len, int flags);
long cli_send(int fd, const void *buf, size_t len, int flags);
int cli_poll(struct pollfd *fds, nfds_t n, int timeout);
int cli_fcntl(int fd, int cmd, ...);
int cli_sock_close(int fd);

/* ---- text and the environment ---- */

const char *cli_strerror(int e);
const char *cli_getenv(const char *name);
/* UTF-8 -> malloc'd UTF-16, or NULL (errno set). */
wchar_t *cli_win_wide(const char *s);

/* ---- threads: the pthread subset tools/ uses, on Windows threads ---- */

typedef SRWLOCK cli_mutex_t;
typedef CONDITION_VARIABLE cli_cond_t;
typedef HANDLE cli_thread_t;
typedef struct {
	int detached;
} cli_thread_attr_t;

#define CLI_MUTEX_INITIALIZER SRWLOCK_INIT
#define CLI_THREAD_JOINABLE 0
#define CLI_THREAD_DETACHED 1

static inline int
cli_mutex_init(cli_mutex_t *m, const void *attr)
{
	(void)attr;
	InitializeSRWLock(m);
	return 0;
}

static inline int
cli_mutex_destroy(cli_mutex_t *m)
{
	(void)m;
	return 0;
}

static inline int
cli_mutex_lock(cli_mutex_t *m)
{
	AcquireSRWLockExclusive(m);
	return 0;
}

static inline int
cli_mutex_unlock(cli_mutex_t *m)
{
	ReleaseSRWLockExclusive(m);
	return 0;
}

static inline int
cli_cond_init(cli_cond_t *c, const void *attr)
{
	(void)attr;
	InitializeConditionVariable(c);
	return 0;
}

static inline int
cli_cond_destroy(cli_cond_t *c)
{
	(void)c;
	return 0;
}

static inline int
cli_cond_wait(cli_cond_t *c, cli_mutex_t *m)
{
	return SleepConditionVariableSRW(c, m, INFINITE, 0) ? 0 : EINVAL;
}

static inline int
cli_cond_signal(cli_cond_t *c)
{
	WakeConditionVariable(c);
	return 0;
}

static inline int
cli_thread_attr_init(cli_thread_attr_t *a)
{
	a->detached = 0;
	return 0;
}

static inline int
cli_thread_attr_setdetachstate(cli_thread_attr_t *a, int state)
{
	a->detached = state == CLI_THREAD_DETACHED;
	return 0;
}

static inline int
cli_thread_attr_destroy(cli_thread_attr_t *a)
{
	(void)a;
	return 0;
}

/* 0, or an errno value (as pthread_create). */
int cli_thread_create(cli_thread_t *t, const cli_thread_attr_t *a,
    void *(*fn)(void *), void *arg);
/* Wait for a joinable thread and release it; the value is not kept. */
int cli_thread_join(cli_thread_t t, void **ret);

/* ---- the process ---- */

int cli_win_startup(void);
int cli_win_utf8_args(int *argc, char ***argv);
void cli_win_free_args(int argc, char **argv);
void cli_win_binary_stdio(void);
int cli_win_socketpair(int sv[2]);
int cli_win_feed(int fd);

#endif /* _WIN32 */

#endif
