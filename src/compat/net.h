/*
 * Sockets for the fd transport (src/transport.c).  The transport calls
 * these names, never the system's directly, so that no macro has to
 * redefine a standard function (issue 16).  On POSIX each is the system
 * call of the same name.  On Windows the transport's "fd" is a SOCKET
 * carried in an int (see dlssl_transport_fd in include/dlssl.h), and each
 * is Winsock 2:
 *
 *   dlssl__net_recv, dlssl__net_send
 *                   recv/send on the SOCKET; lengths above INT_MAX are
 *                   clamped (a short transfer); errno from WSAGetLastError
 *   dlssl__net_poll WSAPoll
 *   dlssl__net_fstat, S_ISSOCK
 *                   a SOCKET (getsockopt SO_TYPE works) is S_IFSOCK;
 *                   anything else fails with ENOTSOCK
 *   dlssl__net_fcntl
 *                   F_GETFL and F_SETFL only.  On Windows F_SETFL with or
 *                   without O_NONBLOCK is ioctlsocket FIONBIO.  Windows
 *                   cannot read a socket's mode back: F_GETFL answers 0
 *                   (blocking), and the transport finds a non-blocking
 *                   socket when a call reports WSAEWOULDBLOCK
 *   dlssl__sock_close(fd)  closesocket (close on POSIX)
 *   MSG_NOSIGNAL    0 on Windows: Windows never raises SIGPIPE
 *   DLSSL_UNWRAP_FILES     0 on Windows: a FILE's fd is a C runtime fd, not
 *                   a SOCKET, and cannot be polled, so FILE transports use
 *                   stdio
 *
 * Winsock error codes become the errno values of the same meaning
 * (WSAEWOULDBLOCK -> EWOULDBLOCK, WSAECONNRESET -> ECONNRESET, ...), so
 * the transport's errno tests hold on both.  The process must have called
 * WSAStartup, as it must have to make the socket at all.
 */
#ifndef DLSSL_COMPAT_NET_H
#define DLSSL_COMPAT_NET_H

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The SOCKET an int carries: Windows handles are 32-bit values, sign-extended. */
#define DLSSL_SOCKET(fd) ((SOCKET)(intptr_t)(fd))

static inline int
dlssl__wsa_errno(int e)
{
	switch (e) {
	case 0:
		return 0;
	case WSAEWOULDBLOCK:
		return EWOULDBLOCK;
	case WSAEINTR:
		return EINTR;
	case WSAEINPROGRESS:
		return EINPROGRESS;
	case WSAEALREADY:
		return EALREADY;
	case WSAENOTSOCK:
		return ENOTSOCK;
	case WSAEBADF:
	case WSA_INVALID_HANDLE:
		return EBADF;
	case WSAEFAULT:
		return EFAULT;
	case WSAEINVAL:
	case WSA_INVALID_PARAMETER:
		return EINVAL;
	case WSAEMFILE:
		return EMFILE;
	case WSAEMSGSIZE:
		return EMSGSIZE;
	case WSAEOPNOTSUPP:
		return EOPNOTSUPP;
	case WSAENETDOWN:
		return ENETDOWN;
	case WSAENETUNREACH:
		return ENETUNREACH;
	case WSAENETRESET:
		return ENETRESET;
	case WSAECONNABORTED:
		return ECONNABORTED;
	case WSAECONNRESET:
		return ECONNRESET;
	case WSAENOBUFS:
	case WSA_NOT_ENOUGH_MEMORY:
		return ENOBUFS;
	case WSAEISCONN:
		return EISCONN;
	case WSAENOTCONN:
		return ENOTCONN;
	case WSAESHUTDOWN:
		return EPIPE;
	case WSAETIMEDOUT:
		return ETIMEDOUT;
	case WSAECONNREFUSED:
		return ECONNREFUSED;
	case WSAEHOSTUNREACH:
		return EHOSTUNREACH;
	case WSAEACCES:
		return EACCES;
	default:
		return EIO; /* WSANOTINITIALISED and the like */
	}
}

static inline void
dlssl__wsa_set_errno(void)
{
	errno = dlssl__wsa_errno(WSAGetLastError());
}

static inline long
dlssl__net_recv(int fd, void *buf, size_t len, int flags)
{
	int r = recv(DLSSL_SOCKET(fd), (char *)buf, len > INT_MAX ? INT_MAX : (int)len, flags);

	if (r == SOCKET_ERROR) {
		dlssl__wsa_set_errno();
		return -1;
	}
	return r;
}

static inline long
dlssl__net_send(int fd, const void *buf, size_t len, int flags)
{
	int r = send(DLSSL_SOCKET(fd), (const char *)buf, len > INT_MAX ? INT_MAX : (int)len, flags);

	if (r == SOCKET_ERROR) {
		dlssl__wsa_set_errno();
		return -1;
	}
	return r;
}

static inline int
dlssl__net_poll(struct pollfd *fds, unsigned long n, int timeout)
{
	int r = WSAPoll(fds, n, timeout);

	if (r == SOCKET_ERROR) {
		dlssl__wsa_set_errno();
		return -1;
	}
	return r;
}

#ifndef S_IFSOCK
#define S_IFSOCK 0xC000
#endif
#ifndef S_ISSOCK
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#endif

static inline int
dlssl__net_fstat(int fd, struct stat *st)
{
	int type = 0, len = (int)sizeof(type);

	memset(st, 0, sizeof(*st));
	if (getsockopt(DLSSL_SOCKET(fd), SOL_SOCKET, SO_TYPE, (char *)&type, &len) != 0) {
		int e = WSAGetLastError();

		/* Not a socket (a C runtime fd, say): the fd transport wants a SOCKET. */
		errno = e == WSAENOTSOCK || e == WSAEBADF || e == WSA_INVALID_HANDLE ?
		    ENOTSOCK : dlssl__wsa_errno(e);
		return -1;
	}
	st->st_mode = S_IFSOCK;
	return 0;
}

#ifndef F_GETFL
#define F_GETFL 3
#endif
#ifndef F_SETFL
#define F_SETFL 4
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0x100000 /* clear of the C runtime's _O_ flags */
#endif

static inline int
dlssl__net_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int flags;
	u_long on;

	switch (cmd) {
	case F_GETFL:
		return 0; /* unknowable: see above */
	case F_SETFL:
		va_start(ap, cmd);
		flags = va_arg(ap, int);
		va_end(ap);
		on = (flags & O_NONBLOCK) != 0;
		if (ioctlsocket(DLSSL_SOCKET(fd), FIONBIO, &on) != 0) {
			dlssl__wsa_set_errno();
			return -1;
		}
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
}

static inline int
dlssl__sock_close(int fd)
{
	if (closesocket(DLSSL_SOCKET(fd)) != 0) {
		dlssl__wsa_set_errno();
		return -1;
	}
	return 0;
}

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

#define DLSSL_UNWRAP_FILES 0

#else /* POSIX */
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define DLSSL_UNWRAP_FILES 1

static inline long
dlssl__net_recv(int fd, void *buf, size_t len, int flags)
{
	return (long)recv(fd, buf, len, flags);
}

static inline long
dlssl__net_send(int fd, const void *buf, size_t len, int flags)
{
	return (long)send(fd, buf, len, flags);
}

static inline int
dlssl__net_poll(struct pollfd *fds, nfds_t n, int timeout)
{
	return poll(fds, n, timeout);
}

static inline int
dlssl__net_fstat(int fd, struct stat *st)
{
	return fstat(fd, st);
}

static inline int
dlssl__net_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int arg;

	if (cmd == F_GETFL)
		return fcntl(fd, cmd);
	va_start(ap, cmd);
	arg = va_arg(ap, int);
	va_end(ap);
	return fcntl(fd, cmd, arg);
}

static inline int
dlssl__sock_close(int fd)
{
	return close(fd);
}
#endif

#endif
