/* A TLS stream over a socket through fd, FILE or callback transports. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#ifndef _WIN32
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

#include "cli.h"
#include "link.h"
#include "net.h"

/* How long a server waits for the client to close after its own close_notify. */
#define LINGER_MS 2000

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

#ifdef _WIN32
/* Windows has no MSG_DONTWAIT: a read that would wait is one WSAPoll says is not ready. */
static long
recv_nowait(int fd, void *buf, size_t len)
{
	struct pollfd p;
	int r;

	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	if ((r = cli_poll(&p, 1, 0)) < 0)
		return -1;
	if (r == 0) {
		errno = EWOULDBLOCK;
		return -1;
	}
	return cli_recv(fd, buf, len, 0);
}
#else
#define recv_nowait(fd, buf, len) cli_recv((fd), (buf), (len), MSG_DONTWAIT)
#endif

/* Wait until fd is ready or the link's timeout passes (errno ETIMEDOUT). */
static int
io_wait(struct cli_link *l, short events)
{
	struct pollfd p;
	int r;

	if (l->timeout_ms <= 0)
		return 0;
	p.fd = l->fd;
	p.events = events;
	while ((r = cli_poll(&p, 1, l->timeout_ms)) < 0 && errno == EINTR)
		continue;
	if (r == 0) {
		l->timed_out = 1;
		errno = ETIMEDOUT;
		return -1;
	}
	return r < 0 ? -1 : 0;
}

static long
io_read(void *h, void *buf, size_t len)
{
	struct cli_link *l = h;

	if (l->probing)
		return (long)recv_nowait(l->fd, buf, len);
	if (io_wait(l, POLLIN) < 0)
		return -1;
	return (long)cli_recv(l->fd, buf, len, 0);
}

static long
io_write(void *h, const void *buf, size_t len)
{
	struct cli_link *l = h;

	if (io_wait(l, POLLOUT) < 0)
		return -1;
	return (long)cli_send(l->fd, buf, len, MSG_NOSIGNAL);
}

static int
io_close(void *h)
{
	struct cli_link *l = h;

	/* A server's socket is closed by cli_link_close(). */
	return l->server ? 0 : cli_sock_close(l->fd);
}

static const struct dlssl_io_ops link_ops = { io_read, io_write, io_close, { 0 } };

struct dlssl_stream *
cli_link_open(struct cli_link *l, int fd, int server, struct dlssl_context *ctx,
    const struct cli_opts *o, const char *hostname)
{
	struct dlssl_stream_opts so = { 0 };
	struct dlssl_transport t;
	struct dlssl_stream *s;
	FILE *f = NULL;

	int ffd;

	l->kind = o->transport;
	l->fd = fd;
	l->timeout_ms = o->timeout_ms;
	l->probing = l->timed_out = 0;
	l->server = server;
	so.context = ctx;
	so.hostname = server ? NULL : hostname;
	so.verify = server ? DLSSL_VERIFY_DEFAULT : o->verify;
	/* A server keeps its socket to close it with a linger. */
	so.close_fd = !server;
	so.read_timeout_ms = so.write_timeout_ms = o->timeout_ms;
	switch (l->kind) {
	case CLI_T_IO:
		t = dlssl_transport_io(&link_ops, l);
		break;
	case CLI_T_FILE:
		/*
		 * The stream always closes its FILE: a server gives it a copy of the fd.
		 * (Windows: refused by cli_opt_common(); a SOCKET is no C runtime fd.)
		 */
		ffd = server ? dup(fd) : fd;
		if (ffd < 0 || (f = fdopen(ffd, "r+")) == NULL) {
			if (ffd >= 0 && ffd != fd)
				close(ffd);
			cli_sock_close(fd);
			return NULL;
		}
		t = dlssl_transport_file(f);
		break;
	default:
		t = dlssl_transport_fd(fd);
		break;
	}
	s = server ? dlssl_make_server_stream(t, &so) : dlssl_make_client_stream(t, &so);
	if (s == NULL) {
		/* The transport is still ours. */
		if (f != NULL)
			fclose(f);
		if (f == NULL || server)
			cli_sock_close(fd);
	}
	return s;
}

/* Read and drop what the client still sends, until it closes or LINGER_MS pass. */
static void
linger(int fd)
{
	char buf[4096];
	double end = dlssl_monotonic() + LINGER_MS / 1000.0, left;
	struct pollfd p;

	if (cli_shutdown(fd, SHUT_WR) < 0)
		return;
	while ((left = end - dlssl_monotonic()) > 0) {
		p.fd = fd;
		p.events = POLLIN;
		if (cli_poll(&p, 1, (int)(left * 1000) + 1) <= 0 || cli_recv(fd, buf, sizeof(buf), 0) <= 0)
			return;
	}
}

int
cli_link_close(struct cli_link *l, struct dlssl_stream *s, const char *cmd, int rc)
{
	if (dlssl_close(s) < 0 && rc == EXIT_OK)
		rc = cli_link_fail(l, cmd, "close");
	dlssl_stream_free(s);
	if (l->server) {
		linger(l->fd);
		cli_sock_close(l->fd);
	}
	return rc;
}

int
cli_link_listen(struct cli_link *l, struct dlssl_stream *s)
{
	int r;

	l->probing = 1;
	r = dlssl_listen(s);
	l->probing = 0;
	return r;
}

int
cli_link_fail(const struct cli_link *l, const char *cmd, const char *what)
{
	const char *e = dlssl_error();

	if (l != NULL && l->timed_out) {
		fprintf(stderr, "dlssl %s: %s: timed out: the peer was silent for %d ms\n", cmd, what,
		    l->timeout_ms);
		return EXIT_TIMEOUT;
	}
	fprintf(stderr, "dlssl %s: %s: %s\n", cmd, what, e ? e : "failed");
	return cli_exit_for(dlssl_error_code());
}
