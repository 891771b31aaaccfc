/* The load generator of tools/loadgen.h. */
#include "config.h"

#ifndef _WIN32
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "evloop.h"
#include "loadgen.h"
#include "sys.h"

#define CHUNK 16384
#define BATCH 256

enum lstate { L_CONNECT, L_HS, L_SEND, L_FLUSH, L_RECV, L_HELD, L_DONE };

struct lconn {
	struct ev_item ev;
	struct dlssl_stream *s;
	long idx;
	size_t sent, rcvd;
	enum lstate st;
};

struct loadgen {
	struct loadgen_opts o;
	struct ev_loop *loop;
	struct lconn *c;   /* o.conns slots */
	long total;        /* connections to make (cycle) or o.conns */
	int cycle;
	long connecting;
	long free_slot;    /* cycle: a slot to reuse, or -1 */
	unsigned char buf[CHUNK];
};

unsigned char
loadgen_pattern(long idx, size_t off)
{
	unsigned long x = (unsigned long)idx * 2654435761u + (unsigned long)off * 40503u;

	return (unsigned char)(x >> 13 ^ off);
}

static void
pattern(long idx, size_t off, unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = loadgen_pattern(idx, off + i);
}

static void
lg_error(struct loadgen *g, struct loadgen_stats *st, struct lconn *c, const char *what, int e)
{
	const char *why = c->s && dlssl_stream_error(c->s) && dlssl_stream_error(c->s)[0] ?
	    dlssl_stream_error(c->s) : e ? cli_strerror(e) : dlssl_error() ? dlssl_error() : "failed";

	if (st->errors++ == 0)
		snprintf(st->first_error, sizeof(st->first_error), "connection %ld: %s: %s", c->idx,
		    what, why);
	ev_del(g->loop, &c->ev);
	if (c->s != NULL) {
		(void)dlssl_close_abort(c->s);
		dlssl_stream_free(c->s);
	} else if (c->ev.fd >= 0) {
		close(c->ev.fd);
	}
	if (c->st < L_SEND)
		g->connecting--;
	c->s = NULL;
	c->st = L_DONE;
	st->done++;
}

static void
lg_start(struct loadgen *g, struct loadgen_stats *st, struct lconn *c)
{
	struct sockaddr_in a;
	int fd, one = 1;

	memset(c, 0, sizeof(*c));
	c->ev.slot = -1;
	c->ev.fd = -1;
	c->idx = st->started++;
	c->st = L_CONNECT;
	g->connecting++;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if ((fd = cli_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0) {
		lg_error(g, st, c, "socket", errno);
		return;
	}
	c->ev.fd = fd;
	(void)one;
#ifdef IP_BIND_ADDRESS_NO_PORT
	if (g->o.src_addrs > 1) {
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK + (unsigned)(c->idx % g->o.src_addrs));
		if (cli_setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one)) != 0 ||
		    cli_bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
			lg_error(g, st, c, "bind", errno);
			return;
		}
	}
#endif
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)g->o.port);
	if (cli_connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS) {
		lg_error(g, st, c, "connect", errno);
		return;
	}
	if (ev_add(g->loop, &c->ev, fd, EV_OUT) != 0)
		lg_error(g, st, c, "epoll", errno);
}

static int
want(struct loadgen *g, struct lconn *c, long r)
{
	if (r != DLSSL_WANT_POLLIN && r != DLSSL_WANT_POLLOUT)
		return 0;
	(void)ev_mod(g->loop, &c->ev, r == DLSSL_WANT_POLLIN ? EV_IN : EV_OUT);
	return 1;
}

static void
lg_step(struct loadgen *g, struct loadgen_stats *st, struct lconn *c)
{
	struct dlssl_stream_opts so = { 0 };
	socklen_t len = sizeof(int);
	unsigned char rx[CHUNK];
	size_t n, i;
	int err = 0;
	long r;

	if (c->st == L_CONNECT) {
		if (cli_getsockopt(c->ev.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
			lg_error(g, st, c, "connect", err ? err : errno);
			return;
		}
		so.context = g->o.ctx;
		so.hostname = g->o.servername;
		so.close_fd = 1;
		if ((c->s = dlssl_make_client_stream(dlssl_transport_fd(c->ev.fd), &so)) == NULL) {
			lg_error(g, st, c, "make_client_stream", 0);
			return;
		}
		c->st = L_HS;
	}
	if (c->st == L_HS) {
		if ((r = dlssl_handshake(c->s)) != 0) {
			if (!want(g, c, r))
				lg_error(g, st, c, "handshake", 0);
			return;
		}
		g->connecting--;
		st->handshakes++;
		c->st = L_SEND;
	}
	while (c->st == L_SEND) {
		if (c->sent == g->o.payload) {
			c->st = L_FLUSH;
			break;
		}
		n = g->o.payload - c->sent < CHUNK ? g->o.payload - c->sent : CHUNK;
		pattern(c->idx, c->sent, g->buf, n);
		if ((r = dlssl_write(c->s, g->buf, n)) > 0) {
			c->sent += (size_t)r;
			continue;
		}
		if (!want(g, c, r))
			lg_error(g, st, c, "write", 0);
		return;
	}
	if (c->st == L_FLUSH) {
		if ((r = dlssl_flush(c->s)) != 0) {
			if (!want(g, c, r))
				lg_error(g, st, c, "flush", 0);
			return;
		}
		c->st = L_RECV;
	}
	while (c->st == L_RECV) {
		if (c->rcvd == g->o.payload) {
			c->st = L_HELD;
			st->held++;
			(void)ev_mod(g->loop, &c->ev, 0);
			break;
		}
		n = g->o.payload - c->rcvd < CHUNK ? g->o.payload - c->rcvd : CHUNK;
		if ((r = dlssl_read(c->s, rx, n)) > 0) {
			pattern(c->idx, c->rcvd, g->buf, (size_t)r);
			for (i = 0; i < (size_t)r && rx[i] == g->buf[i]; i++)
				continue;
			if (i < (size_t)r) {
				lg_error(g, st, c, "the echo differs", 0);
				return;
			}
			c->rcvd += (size_t)r;
			st->bytes += (unsigned long long)r;
			continue;
		}
		if (!want(g, c, r))
			lg_error(g, st, c, r == 0 ? "end of stream before the echo" : "read", 0);
		return;
	}
}

static void
close_conn(struct loadgen *g, struct loadgen_stats *st, struct lconn *c)
{
	ev_del(g->loop, &c->ev);
	if (dlssl_close(c->s) != 0 && st->errors++ == 0)
		snprintf(st->first_error, sizeof(st->first_error), "connection %ld: close: %s", c->idx,
		    dlssl_stream_error(c->s) ? dlssl_stream_error(c->s) : "failed");
	dlssl_stream_free(c->s);
	c->s = NULL;
	c->st = L_DONE;
	st->done++;
}

static double
now_s(void)
{
	return dlssl_monotonic();
}

/* Run until every connection is held (or, cycling, done), or the time is up. */
static void
drive(struct loadgen *g, struct loadgen_stats *st)
{
	struct ev_ready ready[BATCH];
	double end = now_s() + (g->o.timeout_s > 0 ? g->o.timeout_s : 60);
	long slot, maxc = g->o.max_connecting > 0 ? g->o.max_connecting : g->o.conns;
	int n, i;

	while (now_s() < end) {
		if (g->cycle) {
			if (st->done >= g->total)
				break;
		} else if (st->held + st->done >= g->total) {
			break;
		}
		for (slot = 0; st->started < g->total && g->connecting < maxc && slot < g->o.conns; slot++) {
			if (g->c[slot].st != L_DONE)
				continue;
			lg_start(g, st, &g->c[slot]);
		}
		n = ev_wait(g->loop, 100, ready, BATCH);
		for (i = 0; i < n; i++) {
			struct lconn *c = (struct lconn *)ready[i].item;

			lg_step(g, st, c);
			if (g->cycle && c->st == L_HELD) {
				st->held--;
				close_conn(g, st, c);
			}
		}
	}
}

static struct loadgen *
lg_new(const struct loadgen_opts *o, long total, int cycle)
{
	struct loadgen *g = calloc(1, sizeof(*g));
	int i;

	if (g == NULL)
		return NULL;
	g->o = *o;
	g->total = total;
	g->cycle = cycle;
	if ((g->c = calloc((size_t)o->conns, sizeof(*g->c))) == NULL ||
	    (g->loop = ev_new(o->conns)) == NULL) {
		free(g->c);
		free(g);
		return NULL;
	}
	for (i = 0; i < o->conns; i++) {
		g->c[i].st = L_DONE;
		g->c[i].ev.slot = -1;
	}
	return g;
}

static void
lg_free(struct loadgen *g, struct loadgen_stats *st)
{
	int i;

	for (i = 0; i < g->o.conns; i++) {
		if (g->c[i].st == L_HELD)
			close_conn(g, st, &g->c[i]);
		else if (g->c[i].st != L_DONE)
			lg_error(g, st, &g->c[i], "unfinished", 0);
	}
	ev_free(g->loop);
	free(g->c);
	free(g);
}

struct loadgen *
loadgen_open(const struct loadgen_opts *o, struct loadgen_stats *st)
{
	struct loadgen *g;
	double t0 = now_s();

	memset(st, 0, sizeof(*st));
	if ((g = lg_new(o, o->conns, 0)) == NULL) {
		snprintf(st->first_error, sizeof(st->first_error), "out of memory");
		st->errors = 1;
		return NULL;
	}
	drive(g, st);
	st->secs = now_s() - t0;
	return g;
}

void
loadgen_close(struct loadgen *g, struct loadgen_stats *st)
{
	double t0 = now_s();

	if (g == NULL)
		return;
	lg_free(g, st);
	st->secs = now_s() - t0;
}

int
loadgen_echo(struct loadgen *g, size_t payload, struct loadgen_stats *st)
{
	double t0 = now_s();
	long i, held = 0;

	memset(st, 0, sizeof(*st));
	g->o.payload = payload;
	st->started = g->total;
	for (i = 0; i < g->o.conns; i++) {
		struct lconn *c = &g->c[i];

		if (c->st != L_HELD) {
			st->done++;
			continue;
		}
		c->sent = c->rcvd = 0;
		c->st = L_SEND;
		held++;
		lg_step(g, st, c);
	}
	drive(g, st);
	st->secs = now_s() - t0;
	return st->held == held && st->errors == 0 ? 0 : -1;
}

int
loadgen_cycle(const struct loadgen_opts *o, long total, struct loadgen_stats *st)
{
	struct loadgen *g;
	double t0 = now_s();

	memset(st, 0, sizeof(*st));
	if ((g = lg_new(o, total, 1)) == NULL) {
		snprintf(st->first_error, sizeof(st->first_error), "out of memory");
		st->errors = 1;
		return -1;
	}
	drive(g, st);
	lg_free(g, st);
	st->secs = now_s() - t0;
	return st->errors == 0 && st->done == total ? 0 : -1;
}
#else
typedef int cli_loadgen_windows_unused; /* ISO C wants something here */
#endif
