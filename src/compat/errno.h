/*
 * dlssl__strerror(e): strerror.  On Windows the C runtime (msvcrt) knows
 * only the classic codes and says "Unknown error" for the socket ones
 * dlssl maps Winsock errors to (compat/net.h), so those get their POSIX
 * text here.  Elsewhere <string.h>'s strerror.
 */
#ifndef DLSSL_COMPAT_ERRNO_H
#define DLSSL_COMPAT_ERRNO_H

#include <errno.h>
#include <string.h>

#ifdef _WIN32
static inline const char *
dlssl__strerror(int e)
{
	switch (e) {
	case EPIPE: return "Broken pipe";
	case EWOULDBLOCK: return "Resource temporarily unavailable";
	case EINPROGRESS: return "Operation now in progress";
	case EALREADY: return "Operation already in progress";
	case ENOTSOCK: return "Not a socket";
	case EMSGSIZE: return "Message too long";
	case EOPNOTSUPP: return "Operation not supported";
	case ENETDOWN: return "Network is down";
	case ENETUNREACH: return "Network is unreachable";
	case ENETRESET: return "Network dropped connection on reset";
	case ECONNABORTED: return "Software caused connection abort";
	case ECONNRESET: return "Connection reset by peer";
	case ENOBUFS: return "No buffer space available";
	case EISCONN: return "Transport endpoint is already connected";
	case ENOTCONN: return "Transport endpoint is not connected";
	case ETIMEDOUT: return "Connection timed out";
	case ECONNREFUSED: return "Connection refused";
	case EHOSTUNREACH: return "No route to host";
	case EILSEQ: return "Invalid or incomplete multibyte or wide character";
	default: return strerror(e);
	}
}
#else
static inline const char *
dlssl__strerror(int e)
{
	return strerror(e);
}
#endif

#endif
