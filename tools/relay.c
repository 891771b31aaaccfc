/*
 * Copy between a TLS stream and plain fds.  A blocking read on the stream
 * could wait for application data that never comes (TLS 1.3 sends session
 * tickets after the handshake, which wake poll() on the socket), so the
 * stream is only read when dlssl_listen() says a byte is ready, and poll()
 * watches the socket and the plain input together.
 *
 * Windows cannot poll a console or a pipe: there a thread copies in_fd into
 * a loopback socket (cli_win_feed()), which is polled and read instead.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifndef _WIN32
#include <poll.h>
#endif

#include "cli.h"
#include "net.h"
#include "relay.h"

#define RELAY_BUF 16384

/* 0, or -1 when out_fd is gone (EPIPE ...). */
static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Move what the stream has: 1 more may come, 0 the peer closed, else -(exit code). */
static int
from_peer(struct cli_relay *r, struct dlssl_stream *s, struct cli_link *l, char *buf)
{
	long n;
	int ready;

	while ((ready = cli_link_listen(l, s)) == 1) {
		if ((n = dlssl_read(s, buf, RELAY_BUF)) == 0)
			return 0;
		if (n < 0)
			return -cli_link_fail(l, r->cmd, "read from the peer");
		r->received += (unsigned long long)n;
		if (r->out_fd >= 0 && write_all(r->out_fd, buf, (size_t)n) < 0) {
			if (!r->quiet_out_errors) {
				fprintf(stderr, "dlssl %s: write: %s\n", r->cmd, cli_strerror(errno));
				return -EXIT_TLS;
			}
			close(r->out_fd);
			r->out_fd = -1;
		}
	}
	if (ready < 0)
		return -cli_link_fail(l, r->cmd, "read from the peer");
	return 1;
}

#ifdef _WIN32
#define in_read(in, buf, len) cli_recv((in), (buf), (len), 0)
#else
#define in_read(in, buf, len) read((in), (buf), (len))
#endif

/* Send what in (in_fd; Windows: its socket) has: 1 more may come, 0 EOF, else -(exit code). */
static int
to_peer(struct cli_relay *r, struct dlssl_stream *s, struct cli_link *l, int in, char *buf)
{
	ssize_t n;

	while ((n = in_read(in, buf, RELAY_BUF)) < 0 && errno == EINTR)
		continue;
	if (n < 0) {
		fprintf(stderr, "dlssl %s: read: %s\n", r->cmd, cli_strerror(errno));
		return -EXIT_TLS;
	}
	if (n == 0)
		return 0;
	if (dlssl_write(s, buf, (size_t)n) != (long)n || dlssl_flush(s) != 0)
		return -cli_link_fail(l, r->cmd, "write to the peer");
	r->sent += (unsigned long long)n;
	return 1;
}

static int
relay(struct cli_relay *r, struct dlssl_stream *s, struct cli_link *l, int in)
{
	char buf[RELAY_BUF];
	struct pollfd p[2];
	int in_open = 1, k, np;

	for (;;) {
		if ((k = from_peer(r, s, l, buf)) <= 0)
			return k == 0 ? EXIT_OK : -k;
		np = 0;
		p[np].fd = l->fd;
		p[np++].events = POLLIN;
		if (in_open) {
			p[np].fd = in;
			p[np++].events = POLLIN;
		}
		p[0].revents = p[1].revents = 0;
		while ((k = cli_poll(p, (nfds_t)np, r->idle_ms > 0 ? r->idle_ms : -1)) < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			fprintf(stderr, "dlssl %s: poll: %s\n", r->cmd, cli_strerror(errno));
			return EXIT_TLS;
		}
		if (k == 0) {
			fprintf(stderr, "dlssl %s: timed out: nothing moved for %d ms\n", r->cmd,
			    r->idle_ms);
			return EXIT_TIMEOUT;
		}
		if (np > 1 && p[1].revents != 0) {
			if ((k = to_peer(r, s, l, in, buf)) < 0)
				return -k;
			if (k == 0) {
				in_open = 0;
				if (r->in_eof_ends)
					return EXIT_OK;
			}
		}
	}
}

#ifdef _WIN32
int
cli_relay(struct cli_relay *r, struct dlssl_stream *s, struct cli_link *l)
{
	int in, rc;

	if ((in = cli_win_feed(r->in_fd)) < 0) {
		fprintf(stderr, "dlssl %s: cannot read the input: %s\n", r->cmd, cli_strerror(errno));
		return EXIT_TLS;
	}
	rc = relay(r, s, l, in);
	cli_sock_close(in);
	return rc;
}
#else
int
cli_relay(struct cli_relay *r, struct dlssl_stream *s, struct cli_link *l)
{
	return relay(r, s, l, r->in_fd);
}
#endif
