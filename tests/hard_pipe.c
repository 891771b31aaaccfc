/* In-memory transports with faults: see hard_pipe.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hard_pipe.h"

/* ---- the pattern ---- */

static unsigned long long
mix(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

void
hard_pattern(unsigned long long seed, unsigned long long off, void *buf, size_t n)
{
	unsigned char *p = buf;
	unsigned long long w;
	size_t k;

	while (n > 0) {
		w = mix(seed ^ (off >> 3) * 0x100000001b3ULL);
		k = (size_t)(off & 7);
		if (k == 0 && n >= 8) {
			memcpy(p, &w, 8);
			p += 8;
			off += 8;
			n -= 8;
			continue;
		}
		for (; k < 8 && n > 0; k++, n--, off++)
			*p++ = (unsigned char)(w >> (8 * k));
	}
}

/* ---- the pipes and their callbacks ---- */

static int
roll(struct hard_rng *r, unsigned int pct)
{
	return pct > 0 && hard_rng_below(r, 100) < pct;
}

static long
end_read(void *h, void *buf, size_t len)
{
	struct hard_end *e = h;
	struct hard_pipe *in = e->in;
	unsigned char *out = buf;
	size_t n, first;

	e->reads++;
	if (e->read_result != 0)
		return e->read_result;
	if (e->read_errno != 0) {
		errno = e->read_errno;
		return -1;
	}
	if (roll(&e->rng, e->rf.eintr)) {
		e->eintrs++;
		errno = EINTR;
		return -1;
	}
	if (roll(&e->rng, e->rf.block)) {
		e->blocks++;
		errno = EAGAIN;
		return -1;
	}
	if (in->len == 0) {
		if (in->wclosed)
			return 0;
		errno = EAGAIN;
		return -1;
	}
	n = len < in->len ? len : in->len;
	if (n > 1 && roll(&e->rng, e->rf.shortio)) {
		e->shorts++;
		n = 1 + hard_rng_below(&e->rng, (unsigned long)n - 1);
	}
	first = in->cap - in->head;
	if (first > n)
		first = n;
	memcpy(out, in->buf + in->head, first);
	memcpy(out + first, in->buf, n - first);
	in->head = (in->head + n) % in->cap;
	in->len -= n;
	e->moved += n;
	return (long)n;
}

static long
end_write(void *h, const void *buf, size_t len)
{
	struct hard_end *e = h;
	struct hard_pipe *o = e->out;
	const unsigned char *src = buf;
	size_t n, tail, first;

	e->writes++;
	if (e->write_result != 0)
		return e->write_result;
	if (e->write_zero)
		return 0;
	if (e->write_errno != 0) {
		errno = e->write_errno;
		return -1;
	}
	if (o->rclosed || o->wclosed) {
		errno = EPIPE;
		return -1;
	}
	if (roll(&e->rng, e->wf.eintr)) {
		e->eintrs++;
		errno = EINTR;
		return -1;
	}
	if (roll(&e->rng, e->wf.block) || o->len == o->cap) {
		e->blocks++;
		errno = EAGAIN;
		return -1;
	}
	n = len < o->cap - o->len ? len : o->cap - o->len;
	if (n > 1 && roll(&e->rng, e->wf.shortio)) {
		e->shorts++;
		n = 1 + hard_rng_below(&e->rng, (unsigned long)n - 1);
	}
	tail = (o->head + o->len) % o->cap;
	first = o->cap - tail;
	if (first > n)
		first = n;
	memcpy(o->buf + tail, src, first);
	memcpy(o->buf, src + first, n - first);
	o->len += n;
	e->moved += n;
	return (long)n;
}

static int
end_close(void *h)
{
	struct hard_end *e = h;

	e->closes++;
	e->out->wclosed = 1;
	e->in->rclosed = 1;
	return 0;
}

const struct dlssl_io_ops hard_end_ops = { end_read, end_write, end_close, { 0 } };

/* ---- a pair of streams ---- */

static int
pair_fail(struct hard_pair *p, const char *who, struct dlssl_stream *s, const char *what)
{
	const char *m = s != NULL ? dlssl_stream_error(s) : dlssl_error();
	int code = s != NULL ? dlssl_stream_error_code(s) : dlssl_error_code();

	snprintf(p->err, sizeof(p->err), "%s: %s: %s: %s", who, what, dlssl_error_name(code),
	    m ? m : "(no message)");
	return -1;
}

int
hard_pair_handshake(struct hard_pair *p)
{
	int rc = 1, rs = 1;
	long rounds = 0;

	while (rc != 0 || rs != 0) {
		if (rc != 0 && (rc = dlssl_handshake(p->client)) == -1)
			return pair_fail(p, "client", p->client, "handshake");
		if (rc == 0 && rs != 0 && dlssl_listen(p->client) < 0)
			return pair_fail(p, "client", p->client, "listen after the handshake");
		if (rs != 0 && (rs = dlssl_handshake(p->server)) == -1)
			return pair_fail(p, "server", p->server, "handshake");
		if (rs == 0 && rc != 0 && dlssl_listen(p->server) < 0)
			return pair_fail(p, "server", p->server, "listen after the handshake");
		if (++rounds > 100000) {
			snprintf(p->err, sizeof(p->err), "the handshake stalled (client %d, server %d)", rc, rs);
			return -1;
		}
	}
	return 0;
}

int
hard_pair_open(struct hard_pair *p, struct dlssl_context *cctx, struct dlssl_context *sctx,
    const char *host, size_t cap, unsigned long long seed, const struct hard_fault *faults,
    const struct dlssl_stream_opts *copts, const struct dlssl_stream_opts *sopts)
{
	struct dlssl_stream_opts co, so;
	int defer;

	memset(p, 0, sizeof(*p));
	p->c2s.cap = p->s2c.cap = cap;
	p->c2s.buf = malloc(cap);
	p->s2c.buf = malloc(cap);
	if (p->c2s.buf == NULL || p->s2c.buf == NULL) {
		snprintf(p->err, sizeof(p->err), "out of memory");
		return -1;
	}
	p->c.in = &p->s2c;
	p->c.out = &p->c2s;
	p->s.in = &p->c2s;
	p->s.out = &p->s2c;
	hard_rng_seed(&p->c.rng, seed * 2 + 1);
	hard_rng_seed(&p->s.rng, seed * 2 + 2);
	if (faults != NULL) {
		p->c.rf = p->c.wf = p->s.rf = p->s.wf = *faults;
	}
	if (copts != NULL)
		co = *copts;
	else
		memset(&co, 0, sizeof(co));
	if (sopts != NULL)
		so = *sopts;
	else
		memset(&so, 0, sizeof(so));
	co.context = cctx;
	co.hostname = host;
	so.context = sctx;
	defer = co.defer_handshake || so.defer_handshake;
	p->client = dlssl_make_client_stream(dlssl_transport_io(&hard_end_ops, &p->c), &co);
	if (p->client == NULL)
		return pair_fail(p, "client", NULL, "make_client_stream");
	p->server = dlssl_make_server_stream(dlssl_transport_io(&hard_end_ops, &p->s), &so);
	if (p->server == NULL)
		return pair_fail(p, "server", NULL, "make_server_stream");
	return defer ? 0 : hard_pair_handshake(p);
}

int
hard_pair_open_fds(struct hard_pair *p, struct dlssl_context *cctx, struct dlssl_context *sctx,
    const char *host, const int fds[2])
{
	struct dlssl_stream_opts co, so;

	memset(p, 0, sizeof(*p));
	memset(&co, 0, sizeof(co));
	memset(&so, 0, sizeof(so));
	co.context = cctx;
	co.hostname = host;
	co.close_fd = 1;
	so.context = sctx;
	so.close_fd = 1;
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0 || fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) {
		snprintf(p->err, sizeof(p->err), "fcntl: %s", strerror(errno));
		return -1;
	}
	p->client = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &co);
	if (p->client == NULL)
		return pair_fail(p, "client", NULL, "make_client_stream");
	p->server = dlssl_make_server_stream(dlssl_transport_fd(fds[1]), &so);
	if (p->server == NULL)
		return pair_fail(p, "server", NULL, "make_server_stream");
	return hard_pair_handshake(p);
}

void
hard_pair_free(struct hard_pair *p)
{
	if (p->client != NULL)
		dlssl_close_abort(p->client);
	if (p->server != NULL)
		dlssl_close_abort(p->server);
	dlssl_stream_free(p->client);
	dlssl_stream_free(p->server);
	p->client = p->server = NULL;
	free(p->c2s.buf);
	free(p->s2c.buf);
	p->c2s.buf = p->s2c.buf = NULL;
}

/* ---- moving data ---- */

#define CHUNK_MAX 65536

struct xside {
	const char *name;
	struct dlssl_stream *s;
	unsigned long long tx_total, tx_done, rx_total, rx_done, tx_seed, rx_seed;
	unsigned long long sum_tx, sum_rx;
	unsigned char *tx, *rx, *want;
	size_t txlen, txoff;
	int flushed;
	long last_w, last_r;
	struct hard_rng rng;
};

static int
send_step(struct hard_pair *p, struct xside *x)
{
	long r;

	if (x->tx_done < x->tx_total) {
		if (x->txoff == x->txlen) {
			unsigned long long left = x->tx_total - x->tx_done;
			size_t n = 1 + hard_rng_below(&x->rng, CHUNK_MAX);

			if (n > left)
				n = (size_t)left;
			hard_pattern(x->tx_seed, x->tx_done, x->tx, n);
			x->txlen = n;
			x->txoff = 0;
		}
		r = dlssl_write(x->s, x->tx + x->txoff, x->txlen - x->txoff);
		x->last_w = r;
		if (r > 0) {
			if ((size_t)r > x->txlen - x->txoff) {
				snprintf(p->err, sizeof(p->err), "%s: dlssl_write returned %ld for %zu bytes",
				    x->name, r, x->txlen - x->txoff);
				return -1;
			}
			x->sum_tx = hard_fnv(x->sum_tx, x->tx + x->txoff, (size_t)r);
			x->txoff += (size_t)r;
			x->tx_done += (unsigned long long)r;
			return 1;
		}
		if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT)
			return 0;
		return pair_fail(p, x->name, x->s, "write");
	}
	if (!x->flushed) {
		r = dlssl_flush(x->s);
		x->last_w = r;
		if (r == 0) {
			x->flushed = 1;
			return 1;
		}
		if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT)
			return 0;
		return pair_fail(p, x->name, x->s, "flush");
	}
	return 0;
}

static int
recv_step(struct hard_pair *p, struct xside *x)
{
	unsigned long long left = x->rx_total - x->rx_done;
	size_t n = 1 + hard_rng_below(&x->rng, CHUNK_MAX), i;
	long r;

	if (left == 0)
		return 0;
	if (n > left)
		n = (size_t)left;
	r = dlssl_read(x->s, x->rx, n);
	x->last_r = r;
	if (r > 0) {
		if ((size_t)r > n) {
			snprintf(p->err, sizeof(p->err), "%s: dlssl_read returned %ld for %zu", x->name, r, n);
			return -1;
		}
		hard_pattern(x->rx_seed, x->rx_done, x->want, (size_t)r);
		if (memcmp(x->rx, x->want, (size_t)r) != 0) {
			for (i = 0; x->rx[i] == x->want[i]; i++)
				;
			snprintf(p->err, sizeof(p->err), "%s: byte %llu differs (got 0x%02x, want 0x%02x)",
			    x->name, x->rx_done + i, x->rx[i], x->want[i]);
			return -1;
		}
		x->sum_rx = hard_fnv(x->sum_rx, x->rx, (size_t)r);
		x->rx_done += (unsigned long long)r;
		return 1;
	}
	if (r == 0) {
		snprintf(p->err, sizeof(p->err), "%s: end of stream after %llu of %llu bytes", x->name,
		    x->rx_done, x->rx_total);
		return -1;
	}
	if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT)
		return 0;
	return pair_fail(p, x->name, x->s, "read");
}

static int
sending(const struct xside *x)
{
	return x->tx_done < x->tx_total || !x->flushed;
}

int
hard_pair_transfer(struct hard_pair *p, unsigned long long c2s, unsigned long long s2c, int duplex,
    unsigned long long seed, unsigned long long sums[4])
{
	struct xside c, s;
	struct xside *sides[2] = { &c, &s };
	unsigned long stall = 0;
	double stall_since = 0;
	unsigned long long moved = 0;
	int rv = -1, i, r, progress;

	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	c.name = "client";
	s.name = "server";
	c.s = p->client;
	s.s = p->server;
	c.tx_total = s.rx_total = c2s;
	s.tx_total = c.rx_total = s2c;
	c.tx_seed = s.rx_seed = seed ^ 0xc2c2c2c2ULL;
	s.tx_seed = c.rx_seed = seed ^ 0x5c5c5c5cULL;
	c.sum_tx = c.sum_rx = s.sum_tx = s.sum_rx = HARD_FNV_INIT;
	c.flushed = c2s == 0;
	s.flushed = s2c == 0;
	hard_rng_seed(&c.rng, seed * 7 + 3);
	hard_rng_seed(&s.rng, seed * 7 + 5);
	for (i = 0; i < 2; i++) {
		sides[i]->tx = malloc(CHUNK_MAX);
		sides[i]->rx = malloc(CHUNK_MAX);
		sides[i]->want = malloc(CHUNK_MAX);
		if (!sides[i]->tx || !sides[i]->rx || !sides[i]->want) {
			snprintf(p->err, sizeof(p->err), "out of memory");
			goto out;
		}
	}
	while (sending(&c) || sending(&s) || c.rx_done < c.rx_total || s.rx_done < s.rx_total) {
		progress = 0;
		/* Sequential: the client sends everything, then the server answers. */
		if ((r = send_step(p, &c)) < 0)
			goto out;
		progress |= r;
		if (duplex || s.rx_done == s.rx_total) {
			if ((r = send_step(p, &s)) < 0)
				goto out;
			progress |= r;
		}
		if ((r = recv_step(p, &s)) < 0)
			goto out;
		progress |= r;
		if (duplex || !sending(&c)) {
			if ((r = recv_step(p, &c)) < 0)
				goto out;
			progress |= r;
		}
		/* Bytes moving through the pipes inside a record are progress too. */
		if (p->c.moved + p->s.moved != moved) {
			moved = p->c.moved + p->s.moved;
			progress = 1;
		}
		/* Real sockets may need a moment: a stall is 2 s (scaled) without progress. */
		if (progress) {
			stall = 0;
		} else if (++stall == 1) {
			stall_since = dlssl_monotonic();
		} else if (stall > 1000) {
			usleep(100);
		}
		if (stall > 1000 && dlssl_monotonic() - stall_since > 2 * hard_slowdown()) {
			snprintf(p->err, sizeof(p->err),
			    "stalled: client sent %llu/%llu (last write %ld) received %llu/%llu "
			    "(last read %ld); server sent %llu/%llu (last write %ld) received %llu/%llu "
			    "(last read %ld); pipes c2s %zu/%zu s2c %zu/%zu bytes",
			    c.tx_done, c.tx_total, c.last_w, c.rx_done, c.rx_total, c.last_r,
			    s.tx_done, s.tx_total, s.last_w, s.rx_done, s.rx_total, s.last_r,
			    p->c2s.len, p->c2s.cap, p->s2c.len, p->s2c.cap);
			goto out;
		}
	}
	if (sums != NULL) {
		sums[0] = c.sum_tx;
		sums[1] = s.sum_rx;
		sums[2] = s.sum_tx;
		sums[3] = c.sum_rx;
	}
	rv = 0;
out:
	for (i = 0; i < 2; i++) {
		free(sides[i]->tx);
		free(sides[i]->rx);
		free(sides[i]->want);
	}
	return rv;
}
