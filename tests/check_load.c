/*
 * Load: a server on the library holding 1000 concurrent TLS connections
 * on loopback from a load generator in the same process.  Both sides are
 * single poll loops over non-blocking fd streams (dlssl returns
 * DLSSL_WANT_POLLIN/POLLOUT): the server thread accepts, handshakes and
 * echoes; the generator connects, handshakes (full handshakes, verified),
 * sends 16 KiB of its own pattern, checks the echo byte for byte, and
 * holds the connection until all of them are up at once; then everything
 * closes with close_notify.
 *
 * Three rounds; after each, the process must have exactly the file
 * descriptors and threads it had before, and the resident set size must
 * stop growing.  The figures are printed.  Under valgrind the rounds are
 * smaller (it is some 50 times slower).  HARD_LOAD_CONNS and
 * HARD_LOAD_ROUNDS (at most 8) change the size for runs by hand.
 *
 * Needs RLIMIT_NOFILE above twice the connections: raised within the hard
 * limit, else the program skips (77).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "hard_common.h"
#include "hard_pipe.h"
#include "tls_test.h"

#define PAYLOAD 16384
#define MAX_CONNECTING 200

static int n_conns = 1000;
static int n_rounds = 3;

static struct dlssl_context *server_ctx, *client_ctx;

/* Bytes the allocator has handed out and not had back (all arenas), in KiB. */
static long
heap_in_use_kib(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (long)((mi.uordblks + mi.hblkhd) / 1024);
}

/* ---- the server: one thread, one poll loop ---- */

enum sstate { S_FREE, S_HS, S_ECHO };

struct sconn {
	enum sstate st;
	int fd;
	struct dlssl_stream *s;
	unsigned char buf[PAYLOAD];
	size_t len, off;
	short want;
};

struct server {
	int lfd;
	int expect;        /* connections to serve */
	int accepted, finished, open, errors;
	atomic_int max_open; /* read by the generator while the server runs */
	char first_error[512];
	atomic_int abort;
	pthread_t thread;
	struct sconn *c;
};

static void
srv_error(struct server *sv, struct sconn *c, const char *what)
{
	if (sv->errors++ == 0)
		snprintf(sv->first_error, sizeof(sv->first_error), "%s: %s", what,
		    c->s && dlssl_stream_error(c->s) ? dlssl_stream_error(c->s) :
		    dlssl_error() ? dlssl_error() : "?");
}

static void
srv_close(struct server *sv, struct sconn *c)
{
	if (c->s != NULL) {
		if (c->st == S_ECHO)
			sv->open--;
		dlssl_close(c->s);
		dlssl_stream_free(c->s);
	} else {
		close(c->fd);
	}
	c->s = NULL;
	c->st = S_FREE;
	sv->finished++;
}

static short
want_events(long r)
{
	return r == DLSSL_WANT_POLLOUT ? POLLOUT : POLLIN;
}

/* Advance one connection as far as it goes without blocking. */
static void
srv_step(struct server *sv, struct sconn *c)
{
	long r;

	if (c->st == S_HS) {
		r = dlssl_handshake(c->s);
		if (r == -1) {
			srv_error(sv, c, "server handshake");
			srv_close(sv, c);
			return;
		}
		if (r != 0) {
			c->want = want_events(r);
			return;
		}
		c->st = S_ECHO;
		if (++sv->open > sv->max_open)
			sv->max_open = sv->open;
	}
	for (;;) {
		if (c->off < c->len) {
			r = dlssl_write(c->s, c->buf + c->off, c->len - c->off);
			if (r > 0) {
				c->off += (size_t)r;
				continue;
			}
		} else if (c->len > 0) {
			r = dlssl_flush(c->s);
			if (r == 0) {
				c->len = c->off = 0;
				continue;
			}
		} else {
			r = dlssl_read(c->s, c->buf, sizeof(c->buf));
			if (r > 0) {
				c->len = (size_t)r;
				c->off = 0;
				continue;
			}
			if (r == 0) { /* the client's close_notify */
				srv_close(sv, c);
				return;
			}
		}
		if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT) {
			c->want = want_events(r);
			return;
		}
		srv_error(sv, c, "server echo");
		srv_close(sv, c);
		return;
	}
}

static void
srv_accept(struct server *sv)
{
	struct dlssl_stream_opts o = { 0 };
	struct sconn *c;
	int fd;

	while (sv->accepted < sv->expect &&
	    (fd = accept4(sv->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		c = &sv->c[sv->accepted++];
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		o.context = server_ctx;
		o.close_fd = 1;
		c->s = dlssl_make_server_stream(dlssl_transport_fd(fd), &o);
		if (c->s == NULL) {
			srv_error(sv, c, "make_server_stream");
			srv_close(sv, c);
			continue;
		}
		c->st = S_HS;
		c->want = POLLIN;
		srv_step(sv, c);
	}
}

static void *
srv_main(void *arg)
{
	struct server *sv = arg;
	struct pollfd *p = calloc((size_t)sv->expect + 1, sizeof(*p));
	int *idx = calloc((size_t)sv->expect + 1, sizeof(*idx));
	int n, i, r;

	while (p != NULL && idx != NULL && sv->finished < sv->expect && !sv->abort) {
		n = 0;
		if (sv->accepted < sv->expect) {
			p[n].fd = sv->lfd;
			p[n].events = POLLIN;
			idx[n++] = -1;
		}
		for (i = 0; i < sv->accepted; i++) {
			if (sv->c[i].st == S_FREE)
				continue;
			p[n].fd = sv->c[i].fd;
			p[n].events = sv->c[i].want;
			idx[n++] = i;
		}
		r = poll(p, (nfds_t)n, 200);
		if (r < 0 && errno != EINTR)
			break;
		for (i = 0; r > 0 && i < n; i++) {
			if (p[i].revents == 0)
				continue;
			if (idx[i] < 0)
				srv_accept(sv);
			else
				srv_step(sv, &sv->c[idx[i]]);
		}
	}
	for (i = 0; i < sv->accepted; i++)
		if (sv->c[i].st != S_FREE)
			srv_close(sv, &sv->c[i]);
	free(p);
	free(idx);
	return NULL;
}

/* ---- the load generator ---- */

enum cstate { C_IDLE, C_CONNECT, C_HS, C_SEND, C_RECV, C_HOLD, C_DONE };

struct cconn {
	enum cstate st;
	int fd;
	struct dlssl_stream *s;
	size_t sent, rcvd;
	short want;
	unsigned char tx[PAYLOAD];
};

struct load {
	struct cconn *c;
	int started, connecting, held, done, errors;
	char first_error[512];
	double t_all_held;
};

static void
cl_error(struct load *l, struct cconn *c, const char *what, int i)
{
	if (l->errors++ == 0)
		snprintf(l->first_error, sizeof(l->first_error), "connection %d: %s: %s", i, what,
		    c->s && dlssl_stream_error(c->s) ? dlssl_stream_error(c->s) :
		    dlssl_error() ? dlssl_error() : strerror(errno));
	if (c->s != NULL) {
		dlssl_close_abort(c->s);
		dlssl_stream_free(c->s);
	} else if (c->fd >= 0) {
		close(c->fd);
	}
	if (c->st == C_CONNECT || c->st == C_HS)
		l->connecting--;
	c->s = NULL;
	c->fd = -1;
	c->st = C_DONE;
	l->done++;
}

static void
cl_start(struct load *l, int port, int i)
{
	struct cconn *c = &l->c[i];
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	c->st = C_CONNECT;
	c->want = POLLOUT;
	l->connecting++;
	l->started++;
	hard_pattern((unsigned long long)i, 0, c->tx, PAYLOAD);
	if (c->fd < 0 || (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0 &&
	    errno != EINPROGRESS))
		cl_error(l, c, "connect", i);
}

static void
cl_step(struct load *l, int i)
{
	struct cconn *c = &l->c[i];
	struct dlssl_stream_opts o = { 0 };
	unsigned char rx[PAYLOAD], want[PAYLOAD];
	socklen_t len = sizeof(int);
	int err = 0;
	long r;

	if (c->st == C_CONNECT) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
			errno = err;
			cl_error(l, c, "connect", i);
			return;
		}
		o.context = client_ctx;
		o.hostname = "localhost";
		o.close_fd = 1;
		c->s = dlssl_make_client_stream(dlssl_transport_fd(c->fd), &o);
		if (c->s == NULL) {
			cl_error(l, c, "make_client_stream", i);
			return;
		}
		c->st = C_HS;
	}
	if (c->st == C_HS) {
		r = dlssl_handshake(c->s);
		if (r == -1) {
			cl_error(l, c, "handshake", i);
			return;
		}
		if (r != 0) {
			c->want = want_events(r);
			return;
		}
		l->connecting--;
		c->st = C_SEND;
	}
	while (c->st == C_SEND) {
		r = c->sent < PAYLOAD ? dlssl_write(c->s, c->tx + c->sent, PAYLOAD - c->sent) :
		    dlssl_flush(c->s);
		if (c->sent < PAYLOAD && r > 0) {
			c->sent += (size_t)r;
			continue;
		}
		if (c->sent == PAYLOAD && r == 0) {
			c->st = C_RECV;
			break;
		}
		if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT) {
			c->want = want_events(r);
			return;
		}
		cl_error(l, c, "write", i);
		return;
	}
	while (c->st == C_RECV) {
		r = dlssl_read(c->s, rx, PAYLOAD - c->rcvd);
		if (r > 0) {
			hard_pattern((unsigned long long)i, c->rcvd, want, (size_t)r);
			if (memcmp(rx, want, (size_t)r) != 0) {
				cl_error(l, c, "the echo differs", i);
				return;
			}
			c->rcvd += (size_t)r;
			if (c->rcvd == PAYLOAD) {
				c->st = C_HOLD;
				l->held++;
			}
			continue;
		}
		if (r == DLSSL_WANT_POLLIN || r == DLSSL_WANT_POLLOUT) {
			c->want = want_events(r);
			return;
		}
		cl_error(l, c, r == 0 ? "end of stream before the echo" : "read", i);
		return;
	}
}

/* One round: returns the seconds it took; figures in *l and *sv. */
static double
round_once(struct load *l, struct server *sv)
{
	struct pollfd *p = calloc((size_t)n_conns, sizeof(*p));
	int *idx = calloc((size_t)n_conns, sizeof(*idx));
	double t0 = dlssl_monotonic(), end = hard_deadline(60);
	int port, i, n, r;

	ck_assert(p != NULL && idx != NULL);
	memset(l, 0, sizeof(*l));
	memset(sv, 0, sizeof(*sv));
	l->c = calloc((size_t)n_conns, sizeof(*l->c));
	sv->c = calloc((size_t)n_conns, sizeof(*sv->c));
	ck_assert(l->c != NULL && sv->c != NULL);
	sv->expect = n_conns;
	sv->lfd = hard_listen(&port, 4096);
	ck_assert_int_ge(sv->lfd, 0);
	ck_assert_int_eq(fcntl(sv->lfd, F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(pthread_create(&sv->thread, NULL, srv_main, sv), 0);
	while (l->held + l->done < n_conns && dlssl_monotonic() < end) {
		while (l->started < n_conns && l->connecting < MAX_CONNECTING)
			cl_start(l, port, l->started);
		n = 0;
		for (i = 0; i < l->started; i++) {
			if (l->c[i].st == C_HOLD || l->c[i].st == C_DONE)
				continue;
			p[n].fd = l->c[i].fd;
			p[n].events = l->c[i].want;
			idx[n++] = i;
		}
		r = poll(p, (nfds_t)n, 200);
		for (i = 0; r > 0 && i < n; i++)
			if (p[i].revents != 0)
				cl_step(l, idx[i]);
	}
	l->t_all_held = dlssl_monotonic() - t0;
	/* Everything is up at once: wait for the server to count them all, then close. */
	while (sv->max_open < l->held && dlssl_monotonic() < end)
		usleep(1000);
	for (i = 0; i < l->started; i++) {
		if (l->c[i].st == C_HOLD) {
			if (dlssl_close(l->c[i].s) != 0)
				cl_error(l, &l->c[i], "close", i);
			else
				l->done++;
			dlssl_stream_free(l->c[i].s);
			l->c[i].s = NULL;
			l->c[i].st = C_DONE;
		} else if (l->c[i].st != C_DONE) {
			cl_error(l, &l->c[i], "unfinished at the end of the round", i);
		}
	}
	if (dlssl_monotonic() > end)
		sv->abort = 1;
	pthread_join(sv->thread, NULL);
	close(sv->lfd);
	free(l->c);
	free(sv->c);
	free(p);
	free(idx);
	return dlssl_monotonic() - t0;
}

static void *
nothing(void *arg)
{
	return arg;
}

START_TEST(thousand_connections)
{
	struct load l;
	struct server sv;
	int fds0, threads0, fds, threads, r;
	long rss[8] = { 0 }, heap[8] = { 0 }, growth;
	pthread_t warm;
	double secs;

	/* A first thread: some runtimes (TSan) start a helper thread of their own with it. */
	ck_assert_int_eq(pthread_create(&warm, NULL, nothing, NULL), 0);
	pthread_join(warm, NULL);
	fds0 = hard_count_fds();
	threads0 = hard_count_threads();
	for (r = 0; r < n_rounds; r++) {
		secs = round_once(&l, &sv);
		/* What the allocator merely keeps cached would hide a slow leak. */
		malloc_trim(0);
		rss[r] = hard_rss_kib();
		heap[r] = heap_in_use_kib();
		fds = hard_count_fds();
		threads = hard_count_threads();
		printf("load round %d: %d connections held at once (server saw %d open at most) after "
		    "%.2f s (%.0f handshakes/s), %d x %d bytes echoed and checked; round %.2f s; "
		    "fds %d -> %d, threads %d -> %d, RSS %ld KiB, heap in use %ld KiB\n",
		    r + 1, l.held, sv.max_open, l.t_all_held, l.held / l.t_all_held, l.held, PAYLOAD, secs,
		    fds0, fds, threads0, threads, rss[r], heap[r]);
		fflush(stdout);
		ck_assert_msg(l.errors == 0, "%d client errors; first: %s", l.errors, l.first_error);
		ck_assert_msg(sv.errors == 0, "%d server errors; first: %s", sv.errors, sv.first_error);
		ck_assert_int_eq(l.held, n_conns);
		ck_assert_int_eq(sv.max_open, n_conns);
		ck_assert_int_eq(sv.finished, n_conns);
		ck_assert_msg(fds == fds0, "round %d: %d file descriptors before, %d after", r + 1, fds0,
		    fds);
		ck_assert_msg(threads == threads0, "round %d: %d threads before, %d after", r + 1, threads0,
		    threads);
	}
	/*
	 * Later rounds must not keep what earlier ones allocated: the heap in
	 * use (exact, from the allocator) comes back to where round 1 left it,
	 * give or take OpenSSL's own caches; the resident set (noisy: free
	 * memory the allocator keeps in pieces) stays within a loose bound.
	 * Sanitizers and valgrind bring their own allocators and leak checks.
	 */
	if (n_rounds >= 2 && !hard_under_sanitizer() && !hard_under_valgrind()) {
		growth = heap[n_rounds - 1] - heap[0];
		ck_assert_msg(growth < 512, "the heap in use grew by %ld KiB from round 1 to round %d "
		    "(%ld -> %ld KiB): %ld bytes per connection", growth, n_rounds, heap[0],
		    heap[n_rounds - 1], growth * 1024 / ((long)n_conns * (n_rounds - 1)));
		growth = rss[n_rounds - 1] - rss[0];
		ck_assert_msg(growth < 65536, "RSS grew by %ld KiB from round 1 to round %d", growth,
		    n_rounds);
	}
}
END_TEST

static void
setup(void)
{
	struct dlssl_context_opts o = { 0 };

	signal(SIGPIPE, SIG_IGN);
	server_ctx = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	/* Full handshakes every time: no client session cache. */
	o.ca_file = PKI("root-ca.crt");
	o.session_cache = DLSSL_SESSION_CACHE_OFF;
	client_ctx = dlssl_make_context(&o);
	ck_assert_ptr_nonnull(client_ctx);
}

static void
teardown(void)
{
	dlssl_ctx_free(server_ctx);
	dlssl_ctx_free(client_ctx);
}

static Suite *
load_suite(void)
{
	Suite *s = suite_create("load");
	TCase *tc = tcase_create("loopback");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, thousand_connections);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{

	if (hard_under_valgrind()) {
		n_conns = 100;
		n_rounds = 2;
	}
	/* For longer runs by hand. */
	if (getenv("HARD_LOAD_CONNS") != NULL && atoi(getenv("HARD_LOAD_CONNS")) > 0)
		n_conns = atoi(getenv("HARD_LOAD_CONNS"));
	if (getenv("HARD_LOAD_ROUNDS") != NULL && atoi(getenv("HARD_LOAD_ROUNDS")) > 0)
		n_rounds = atoi(getenv("HARD_LOAD_ROUNDS")) > 8 ? 8 : atoi(getenv("HARD_LOAD_ROUNDS"));
	hard_need_fds(n_conns, n_conns * 2L + 128);
	return tt_main(load_suite);
}
