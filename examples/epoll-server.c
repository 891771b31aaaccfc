/*
 * epoll-server: a TLS echo server for many clients in one thread, on
 * non-blocking sockets and Linux epoll (the same loop works with poll()).
 *
 *   epoll-server CHAIN KEY [PORT [COUNT]]
 *
 * Listens on 127.0.0.1 (PORT 0, the default, picks a free port), prints
 * "listening on 127.0.0.1:PORT", echoes what each client sends and exits
 * after COUNT connections have ended (default: never).
 *
 * The pattern: every dlssl call on a non-blocking fd either makes progress
 * or returns DLSSL_WANT_POLLIN / DLSSL_WANT_POLLOUT, "call me again when
 * the socket is readable / writable".  So each connection remembers where
 * it was, the loop waits for what the last call asked for, and then calls
 * the same function again.  Note that a read may want POLLOUT (TLS may
 * have to send during a read) and a write POLLIN: always wait for what the
 * call said, not for what the operation suggests.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dlssl.h>

struct conn {
	int fd;
	struct dlssl_stream *s;
	int flushing;         /* written, to be flushed */
	char pend[16384];     /* what dlssl_write() did not take yet */
	size_t len, off;
};

/* Watch fd for what the last dlssl call asked for. */
static void
wait_for(int ep, struct conn *c, long want)
{
	struct epoll_event e = { 0 };

	e.events = want == DLSSL_WANT_POLLOUT ? EPOLLOUT : EPOLLIN;
	e.data.ptr = c;
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &e);
}

static void
finish(int ep, struct conn *c, long r)
{
	if (r < 0)
		fprintf(stderr, "connection closed: %s\n", dlssl_stream_error(c->s));
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	dlssl_close(c->s); /* close_notify, if the socket takes it now; closes the fd */
	dlssl_stream_free(c->s);
	free(c);
}

/*
 * Run the connection as far as it goes: 1 while it lives, 0 once ended.
 * dlssl_read() completes the handshake first, so there is no separate step.
 */
static int
serve(int ep, struct conn *c)
{
	long r;

	for (;;) {
		if (c->off < c->len) {        /* 1. echo what is pending */
			r = dlssl_write(c->s, c->pend + c->off, c->len - c->off);
			if (r > 0) {
				c->off += (size_t)r;
				c->flushing = 1;
				continue;
			}
		} else if (c->flushing) {     /* 2. push it out of dlssl's buffer */
			r = dlssl_flush(c->s);
			if (r == 0) {
				c->flushing = 0;
				continue;
			}
		} else {                      /* 3. read more */
			r = dlssl_read(c->s, c->pend, sizeof(c->pend));
			if (r > 0) {
				c->len = (size_t)r;
				c->off = 0;
				continue;
			}
			if (r == 0) {         /* the client's close_notify */
				finish(ep, c, 0);
				return 0;
			}
		}
		if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT) {
			wait_for(ep, c, r);   /* come back when the socket is ready */
			return 1;
		}
		finish(ep, c, -1);            /* an error: the stream says which */
		return 0;
	}
}

int
main(int argc, char **argv)
{
	struct dlssl_context_opts co = { 0 };
	struct dlssl_stream_opts so = { 0 };
	struct epoll_event e = { 0 }, ev[64];
	struct sockaddr_in a = { 0 };
	socklen_t al = sizeof(a);
	struct dlssl_context *ctx;
	struct conn *c, listener;
	long ended = 0, count;
	int lfd, ep, fd, n, i, one = 1;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: epoll-server CHAIN KEY [PORT [COUNT]]\n");
		return 1;
	}
	count = argc > 4 ? atol(argv[4]) : 0;
	signal(SIGPIPE, SIG_IGN);
	co.certificate_chain_file = argv[1];
	co.private_key_file = argv[2];
	if ((ctx = dlssl_make_context(&co)) == NULL) {
		fprintf(stderr, "epoll-server: %s\n", dlssl_error());
		return 2;
	}
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)(argc > 3 ? atoi(argv[3]) : 0));
	if ((lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 4096) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &al) < 0 || (ep = epoll_create1(0)) < 0) {
		perror("epoll-server");
		return 1;
	}
	e.events = EPOLLIN;
	e.data.ptr = &listener;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &e);
	printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
	fflush(stdout);
	so.context = ctx;
	so.close_fd = 1; /* the stream closes the socket */
	while (count == 0 || ended < count) {
		if ((n = epoll_wait(ep, ev, 64, -1)) < 0 && errno != EINTR)
			break;
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr != &listener) {
				ended += !serve(ep, ev[i].data.ptr);
				continue;
			}
			/* New clients: a stream on each non-blocking socket. */
			while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
				if ((c = calloc(1, sizeof(*c))) == NULL ||
				    (c->s = dlssl_make_server_stream(dlssl_transport_fd(fd), &so)) == NULL) {
					close(fd);
					free(c);
					continue;
				}
				c->fd = fd;
				e.events = EPOLLIN;
				e.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
				ended += !serve(ep, c); /* the ClientHello may be there already */
			}
		}
	}
	close(ep);
	close(lfd);
	dlssl_ctx_free(ctx);
	printf("served %ld connections\n", ended);
	return 0;
}
