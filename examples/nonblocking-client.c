/*
 * nonblocking-client: N TLS clients at once in one thread, on non-blocking
 * sockets and poll().  Each connects to HOST:PORT, verifies the server
 * against CAFILE (and the name HOST), sends one line and reads it back.
 *
 *   nonblocking-client HOST PORT CAFILE [N]
 *
 * Prints "N of N echoed" and exits 0 when every client got its line back.
 * The loop is the one of epoll-server.c: call, and on DLSSL_WANT_POLLIN /
 * DLSSL_WANT_POLLOUT wait for exactly that, then call again.
 */
#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <dlssl.h>

enum step { CONNECTING, HANDSHAKE, SEND, FLUSH, RECV, DONE };

struct client {
	struct dlssl_stream *s;
	int fd;
	enum step step;
	short events;         /* what to wait for */
	char line[64];
	size_t len, got;
	char in[64];
};

/* One step further; returns 1 when the client is done (ok or not). */
static int
run(struct client *c, struct dlssl_context *ctx, const char *host, int *ok)
{
	struct dlssl_stream_opts o = { 0 };
	int err = 0;
	socklen_t el = sizeof(err);
	long r = 0;

	switch (c->step) {
	case CONNECTING: /* the non-blocking connect() finished: did it work? */
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0) {
			fprintf(stderr, "connect: %s\n", strerror(err ? err : errno));
			close(c->fd);
			return 1;
		}
		o.context = ctx;
		o.hostname = host; /* SNI, and the name the certificate must match */
		o.close_fd = 1;
		if ((c->s = dlssl_make_client_stream(dlssl_transport_fd(c->fd), &o)) == NULL) {
			fprintf(stderr, "%s\n", dlssl_error());
			close(c->fd);
			return 1;
		}
		c->step = HANDSHAKE;
		/* fall through */
	case HANDSHAKE:
		if ((r = dlssl_handshake(c->s)) != 0)
			break;
		c->step = SEND;
		/* fall through */
	case SEND:
		if ((r = dlssl_write(c->s, c->line, c->len)) < 0)
			break;
		c->step = FLUSH; /* a buffered write takes it all at once */
		/* fall through */
	case FLUSH:
		if ((r = dlssl_flush(c->s)) != 0)
			break;
		c->step = RECV;
		/* fall through */
	case RECV:
		while (c->got < c->len && (r = dlssl_read(c->s, c->in + c->got, c->len - c->got)) > 0)
			c->got += (size_t)r;
		if (c->got < c->len) {
			if (r == 0)
				r = -1; /* closed before the whole line came back */
			break;
		}
		*ok += memcmp(c->in, c->line, c->len) == 0;
		c->step = DONE;
		/* fall through */
	case DONE:
		dlssl_close(c->s);
		dlssl_stream_free(c->s);
		return 1;
	}
	if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT) {
		c->events = r == DLSSL_WANT_POLLIN ? POLLIN : POLLOUT;
		return 0;
	}
	fprintf(stderr, "client: %s\n", dlssl_stream_error(c->s));
	dlssl_stream_free(c->s);
	return 1;
}

int
main(int argc, char **argv)
{
	struct dlssl_context_opts co = { 0 };
	struct addrinfo hints = { 0 }, *ai;
	struct dlssl_context *ctx;
	struct client *cs;
	struct pollfd *p;
	int n, i, k, live, ok = 0, *idx;
	time_t end = time(NULL) + 60;

	if (argc < 4 || argc > 5 || (n = argc > 4 ? atoi(argv[4]) : 1) < 1) {
		fprintf(stderr, "usage: nonblocking-client HOST PORT CAFILE [N]\n");
		return 1;
	}
	co.ca_file = argv[3];
	if ((ctx = dlssl_make_context(&co)) == NULL) {
		fprintf(stderr, "nonblocking-client: %s\n", dlssl_error());
		return 2;
	}
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(argv[1], argv[2], &hints, &ai) != 0) {
		fprintf(stderr, "nonblocking-client: cannot resolve %s\n", argv[1]);
		return 1;
	}
	cs = calloc((size_t)n, sizeof(*cs));
	p = calloc((size_t)n, sizeof(*p));
	idx = calloc((size_t)n, sizeof(*idx));
	if (cs == NULL || p == NULL || idx == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		cs[i].len = (size_t)snprintf(cs[i].line, sizeof(cs[i].line), "hello from client %d\n", i);
		cs[i].fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		cs[i].events = POLLOUT; /* writable: the connect finished */
		if (cs[i].fd < 0 ||
		    (connect(cs[i].fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)) {
			perror("connect");
			cs[i].step = DONE;
			if (cs[i].fd >= 0)
				close(cs[i].fd);
			cs[i].fd = -1;
		}
	}
	freeaddrinfo(ai);
	for (;;) {
		for (i = 0, live = 0; i < n; i++) {
			if (cs[i].fd < 0)
				continue;
			p[live].fd = cs[i].fd;
			p[live].events = cs[i].events;
			idx[live++] = i;
		}
		if (live == 0 || time(NULL) > end)
			break;
		if (poll(p, (nfds_t)live, 1000) < 0 && errno != EINTR)
			break;
		for (k = 0; k < live; k++)
			if (p[k].revents != 0 && run(&cs[idx[k]], ctx, argv[1], &ok))
				cs[idx[k]].fd = -1;
	}
	printf("%d of %d echoed\n", ok, n);
	dlssl_ctx_free(ctx);
	free(cs);
	free(p);
	free(idx);
	return ok == n ? 0 : 4;
}
