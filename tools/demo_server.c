/* dlssl demo: the server half, in a thread: echo a line, count a bulk upload. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifndef _WIN32
#include <poll.h>
#include <sys/socket.h>
#endif

#include "cli.h"
#include "demo.h"
#include "net.h"

/* One line, with its '\n': its length, 0 at the end, -1 on error. */
static long
read_line(struct dlssl_stream *s, char *line, size_t max)
{
	size_t n = 0;
	long r;

	while (n + 1 < max) {
		if ((r = dlssl_read(s, line + n, 1)) <= 0)
			return r;
		if (line[n++] == '\n')
			break;
	}
	line[n] = '\0';
	return (long)n;
}

static int
bulk(struct dlssl_stream *s, unsigned long long n)
{
	static char buf[65536];
	unsigned long long got = 0;
	char reply[64];
	long r;
	int len;

	while (got < n) {
		if ((r = dlssl_read(s, buf, sizeof(buf) < n - got ? sizeof(buf) : (size_t)(n - got))) <= 0)
			return -1;
		got += (unsigned long long)r;
	}
	len = snprintf(reply, sizeof(reply), "%llu\n", got);
	return dlssl_write(s, reply, (size_t)len) == len && dlssl_flush(s) == 0 ? 0 : -1;
}

static void
serve(struct demo_server *d, int fd, int first)
{
	struct dlssl_stream *s;
	struct cli_link l;
	char line[DEMO_LINE_MAX];
	unsigned long long n;
	long r;

	if ((s = cli_link_open(&l, fd, 1, d->ctx, &d->opts, NULL)) == NULL) {
		if (first)
			snprintf(d->error, sizeof(d->error), "handshake: %s", dlssl_error());
		return;
	}
	if (first && dlssl_stream_servername(s) != NULL)
		snprintf(d->servername, sizeof(d->servername), "%s", dlssl_stream_servername(s));
	while ((r = read_line(s, line, sizeof(line))) > 0) {
		if (sscanf(line, "BULK %llu", &n) == 1) {
			if (bulk(s, n) < 0)
				break;
		} else if (dlssl_write(s, line, (size_t)r) != r || dlssl_flush(s) != 0) {
			break;
		}
	}
	if (r < 0 && first)
		snprintf(d->error, sizeof(d->error), "%s", dlssl_error());
	(void)cli_link_close(&l, s, "demo", EXIT_OK);
}

#ifdef _WIN32
/* WSAPoll watches sockets only: the stop "pipe" is a loopback pair. */
#define stop_pipe(p) cli_win_socketpair(p)
#define stop_write(fd) cli_send((fd), "x", 1, 0)
#define stop_close(fd) cli_sock_close(fd)
#else
#define stop_pipe(p) pipe(p)
#define stop_write(fd) write((fd), "x", 1)
#define stop_close(fd) close(fd)
#endif

static void *
server_main(void *arg)
{
	struct demo_server *d = arg;
	struct pollfd p[2];
	int k, fd;

	for (k = 0; k < d->connections; k++) {
		p[0].fd = d->lfd;
		p[0].events = POLLIN;
		p[1].fd = d->stop[0];
		p[1].events = POLLIN;
		if (cli_poll(p, 2, -1) < 0) {
			if (errno == EINTR) {
				k--;
				continue;
			}
			break;
		}
		if (p[1].revents != 0)
			break;
		if ((fd = cli_accept(d->lfd, NULL, NULL)) < 0)
			break;
		serve(d, fd, k == 0);
	}
	return NULL;
}

int
demo_server_start(struct demo_server *d)
{
	int e;

	if (stop_pipe(d->stop) < 0)
		return -1;
	if ((e = cli_thread_create(&d->thread, NULL, server_main, d)) != 0) {
		stop_close(d->stop[0]);
		stop_close(d->stop[1]);
		errno = e;
		return -1;
	}
	return 0;
}

void
demo_server_stop(struct demo_server *d)
{
	ssize_t w;

	while ((w = stop_write(d->stop[1])) < 0 && errno == EINTR)
		continue;
	cli_thread_join(d->thread, NULL);
	stop_close(d->stop[0]);
	stop_close(d->stop[1]);
}
