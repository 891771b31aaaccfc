/* TCP for the dlssl subcommands: HOST:PORT, connect with a timeout, listen. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#ifndef _WIN32
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>
#endif

#include "cli.h"
#include "net.h"

#ifdef _WIN32
/* Windows has no exec: a socket must just not be inherited by a command (serve --exec). */
int
cli_cloexec(int fd)
{
	return SetHandleInformation((HANDLE)CLI_SOCKET(fd), HANDLE_FLAG_INHERIT, 0) ? 0 : -1;
}
#else
int
cli_cloexec(int fd)
{
	int fl = cli_fcntl(fd, F_GETFD);

	return fl < 0 || cli_fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0 ? -1 : 0;
}
#endif

static int
copy(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (n == 0 || n >= dstlen)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int
cli_split_hostport(const char *in, const char *defport, char *host, size_t hostlen,
    char *port, size_t portlen)
{
	const char *end, *colon;

	if (in[0] == '[') {
		if ((end = strchr(in, ']')) == NULL || copy(host, hostlen, in + 1, (size_t)(end - in - 1)) < 0)
			return -1;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (colon == NULL && end[1] != '\0')
			return -1;
	} else {
		colon = strrchr(in, ':');
		if (colon != NULL && strchr(in, ':') != colon)
			return -1; /* a bare IPv6 address needs brackets */
		if (copy(host, hostlen, in, colon ? (size_t)(colon - in) : strlen(in)) < 0)
			return -1;
	}
	if (colon == NULL)
		return defport != NULL ? copy(port, portlen, defport, strlen(defport)) : -1;
	if (strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -1;
	return copy(port, portlen, colon + 1, strlen(colon + 1));
}

void
cli_join_hostport(char *out, size_t outlen, const char *host, const char *port)
{
	snprintf(out, outlen, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
}

void
cli_addr_text(const struct sockaddr *sa, socklen_t len, char *out, size_t outlen)
{
	char h[NI_MAXHOST], p[NI_MAXSERV];

	if (getnameinfo(sa, len, h, sizeof(h), p, sizeof(p), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, outlen, "?");
		return;
	}
	cli_join_hostport(out, outlen, h, p);
}

#ifdef _WIN32
/*
 * Wait for a non-blocking connect: 1 done (or failed: see SO_ERROR), 0
 * timeout, -1 error.  select, not WSAPoll: before Windows 10 2004, WSAPoll
 * never reports a refused connection (it only times out); select reports it
 * in the exception set.
 */
static int
connect_wait(int fd, int timeout_ms)
{
	fd_set w, x;
	struct timeval tv;
	int r;

	FD_ZERO(&w);
	FD_ZERO(&x);
	FD_SET(CLI_SOCKET(fd), &w);
	FD_SET(CLI_SOCKET(fd), &x);
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	if ((r = select(0, NULL, &w, &x, &tv)) == SOCKET_ERROR) {
		cli_win_set_errno();
		return -1;
	}
	return r > 0;
}
#else
/* Wait for a non-blocking connect: 1 done (or failed: see SO_ERROR), 0 timeout, -1 error. */
static int
connect_wait(int fd, int timeout_ms)
{
	struct pollfd p;
	int r;

	p.fd = fd;
	p.events = POLLOUT;
	while ((r = cli_poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		continue;
	return r;
}
#endif

/* Connect one address, waiting at most timeout_ms: 0, -1 (errno), -2 timeout. */
static int
connect_one(int fd, const struct addrinfo *ai, int timeout_ms)
{
	socklen_t elen = sizeof(int);
	int fl = cli_fcntl(fd, F_GETFL), e = 0, r;

	if (timeout_ms <= 0)
		return cli_connect(fd, ai->ai_addr, ai->ai_addrlen);
	if (fl < 0 || cli_fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	if (cli_connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return cli_fcntl(fd, F_SETFL, fl);
#ifdef _WIN32
	/* Winsock says WSAEWOULDBLOCK where POSIX says EINPROGRESS. */
	if (errno == EWOULDBLOCK)
		errno = EINPROGRESS;
#endif
	if (errno != EINPROGRESS)
		return -1;
	r = connect_wait(fd, timeout_ms);
	if (r == 0)
		return -2;
	if (r < 0 || cli_getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
		return -1;
#ifdef _WIN32
	e = cli_win_errno(e); /* SO_ERROR holds a WSAE code */
#endif
	if (e != 0) {
		errno = e;
		return -1;
	}
	return cli_fcntl(fd, F_SETFL, fl);
}

int
cli_tcp_connect(const char *cmd, const char *host, const char *port, int timeout_ms, int *rc)
{
	struct addrinfo hints, *res = NULL, *ai;
	char where[CLI_HOST_MAX + CLI_PORT_MAX + 4];
	int fd = -1, r = -1, e, timed_out = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	cli_join_hostport(where, sizeof(where), host, port);
	if ((e = getaddrinfo(host, port, &hints, &res)) != 0) {
		*rc = EXIT_TLS;
		fprintf(stderr, "dlssl %s: cannot resolve %s: %s\n", cmd, where, gai_strerror(e));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = cli_socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
			continue;
		(void)cli_cloexec(fd);
		if ((r = connect_one(fd, ai, timeout_ms)) == 0)
			break;
		e = errno;
		timed_out |= r == -2;
		cli_sock_close(fd);
		fd = -1;
		errno = e;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		return fd;
	*rc = timed_out ? EXIT_TIMEOUT : EXIT_TLS;
	if (timed_out) {
		fprintf(stderr, "dlssl %s: connecting to %s timed out after %d ms\n", cmd, where,
		    timeout_ms);
	} else {
		fprintf(stderr, "dlssl %s: cannot connect to %s: %s\n", cmd, where, cli_strerror(errno));
	}
	return -1;
}

/*
 * Rebind a port with connections in TIME_WAIT.  Windows does that anyway,
 * and its SO_REUSEADDR would let another socket bind the same port: keep it
 * for this one instead.
 */
#ifdef _WIN32
#define CLI_REUSE SO_EXCLUSIVEADDRUSE
#else
#define CLI_REUSE SO_REUSEADDR
#endif

int
cli_tcp_listen(const char *cmd, const char *bindaddr, const char *port, int backlog, char *where,
    size_t wherelen)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = -1, e, one = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((e = getaddrinfo(bindaddr, port, &hints, &res)) != 0) {
		fprintf(stderr, "dlssl %s: cannot resolve %s: %s\n", cmd, bindaddr, gai_strerror(e));
		return -1;
	}
	if ((fd = cli_socket(res->ai_family, res->ai_socktype, res->ai_protocol)) < 0 ||
	    cli_cloexec(fd) < 0 ||
	    cli_setsockopt(fd, SOL_SOCKET, CLI_REUSE, &one, sizeof(one)) < 0 ||
	    cli_bind(fd, res->ai_addr, res->ai_addrlen) < 0 || cli_listen(fd, backlog) < 0 ||
	    cli_getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
		e = errno;
		cli_join_hostport(where, wherelen, bindaddr, port);
		fprintf(stderr, "dlssl %s: cannot listen on %s: %s\n", cmd, where, cli_strerror(e));
		if (fd >= 0)
			cli_sock_close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	cli_addr_text((struct sockaddr *)&ss, sl, where, wherelen);
	return fd;
}
