/*
 * The benchmark workloads, engine-neutral (see bench_harness.h).  Client
 * and server run in one process: the client in the calling thread, the
 * server in a second one, over a socketpair or a TCP connection on
 * 127.0.0.1.  Every loop is bounded by a count, and the whole child by
 * alarm().
 */
#include "config.h"

/* `dlssl bench` is not available on Windows (tools/cmd_bench.c): nothing here. */
#ifndef _WIN32

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_harness.h"

/* ---- clocks ---- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user and system) of the whole process, every thread. */
static double
cpu_now(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- connections: a socketpair, or TCP on 127.0.0.1 ---- */

static int listener = -1;
static struct sockaddr_in listen_addr;

static int
tcp_listener(void)
{
	socklen_t len = sizeof(listen_addr);

	if (listener >= 0)
		return 0;
	memset(&listen_addr, 0, sizeof(listen_addr));
	listen_addr.sin_family = AF_INET;
	listen_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((listener = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(listener, (struct sockaddr *)&listen_addr, sizeof(listen_addr)) != 0 ||
	    listen(listener, 64) != 0 ||
	    getsockname(listener, (struct sockaddr *)&listen_addr, &len) != 0) {
		bench_set_error("cannot listen on 127.0.0.1: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* fds[0] for the client, fds[1] for the server. */
static int
make_pair(const struct bench_case *c, int fds[2])
{
	int one = 1;

	if (c->net == BN_SOCKETPAIR) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
			bench_set_error("socketpair: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (tcp_listener() < 0)
		return -1;
	if ((fds[0] = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		bench_set_error("socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fds[0], (struct sockaddr *)&listen_addr, sizeof(listen_addr)) != 0 ||
	    (fds[1] = accept(listener, NULL, NULL)) < 0) {
		bench_set_error("connect/accept on 127.0.0.1: %s", strerror(errno));
		close(fds[0]);
		return -1;
	}
	/* Request/response traffic as real programs do it: no Nagle delays. */
	(void)setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

/* ---- helpers over an engine ---- */

struct run {
	const struct bench_engine *e;
	const struct bench_case *c;
	struct bench_ctx *sctx, *cctx;
	int fd;            /* server's fd (one-connection workloads) */
	int queue[2];      /* fds handed to the server thread (handshake, memory) */
	int ready[2];      /* the server thread's "done" bytes (memory) */
	/* results of the server thread */
	int ok;
	char err[512];
	double t_end, cpu_end;
	unsigned long long got;
};

static long
read_fully(const struct bench_engine *e, struct bench_conn *k, void *buf, size_t len)
{
	size_t got = 0;
	long r;

	while (got < len) {
		r = e->read(k, (char *)buf + got, len - got);
		if (r <= 0) {
			if (r == 0)
				bench_set_error("the peer closed early (%zu of %zu bytes)", got, len);
			return -1;
		}
		got += (size_t)r;
	}
	return (long)got;
}

/* Read until the peer's close_notify (or any end): a clean shutdown. */
static void
drain(const struct bench_engine *e, struct bench_conn *k)
{
	char b[256];
	int i;

	for (i = 0; i < 1000 && e->read(k, b, sizeof(b)) > 0; i++)
		continue;
}

static void
server_failed(struct run *r, const char *what)
{
	snprintf(r->err, sizeof(r->err), "server %s: %s", what, bench_error());
}

static void
print_conn(const struct bench_engine *e, struct bench_conn *k, char *out, size_t n)
{
	const char *v = e->version(k), *ci = e->cipher(k);

	snprintf(out, n, " version=%s cipher=%s", v ? v : "?", ci ? ci : "?");
}

/* ---- bulk and small: one direction ---- */

/*
 * With --pin, the client (this thread) runs on the first CPU the process
 * may use and the server thread on the second, on both sides alike: on a
 * small shared machine this keeps the two from migrating and stealing each
 * other's core, which is most of the run-to-run noise.
 */
static void
pin(const struct bench_case *c, int second)
{
	cpu_set_t set, one;
	int cpu, seen = 0;

	if (!c->pin || sched_getaffinity(0, sizeof(set), &set) != 0 || CPU_COUNT(&set) < 2)
		return;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &set) || seen++ != second)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		(void)pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
		return;
	}
}

static void *
oneway_server(void *arg)
{
	struct run *r = arg;

	pin(r->c, 1);
	const struct bench_engine *e = r->e;
	unsigned long long want = r->c->workload == BW_BULK ? r->c->size :
	    (unsigned long long)r->c->count * r->c->piece;
	size_t blen = r->c->workload == BW_BULK ? r->c->chunk : 16384;
	struct bench_conn *k;
	char *buf;
	long n;

	if ((buf = malloc(blen)) == NULL) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		close(r->fd);
		return NULL;
	}
	if ((k = e->conn_new(r->sctx, r->fd, r->c->transport, 1)) == NULL) {
		server_failed(r, "handshake");
		free(buf);
		return NULL;
	}
	while (r->got < want) {
		if ((n = e->read(k, buf, blen)) <= 0) {
			server_failed(r, n == 0 ? "read (early end)" : "read");
			goto out;
		}
		r->got += (unsigned long long)n;
	}
	r->t_end = now();
	r->cpu_end = cpu_now();
	if (e->write(k, "k", 1) != 1 || e->flush(k) != 0) {
		server_failed(r, "write");
		goto out;
	}
	drain(e, k);
	r->ok = 1;
out:
	e->close(k);
	free(buf);
	return NULL;
}

static int
client_send(struct run *r, struct bench_conn *k, const char *buf, double *t0, double *cpu0)
{
	const struct bench_engine *e = r->e;
	const struct bench_case *c = r->c;
	unsigned long long left;
	unsigned long i;
	size_t n;

	*cpu0 = cpu_now();
	*t0 = now();
	if (c->workload == BW_BULK) {
		for (left = c->size; left > 0; left -= n) {
			n = left < c->chunk ? (size_t)left : c->chunk;
			if (e->write(k, buf, n) != (long)n)
				return -1;
		}
	} else {
		for (i = 1; i <= c->count; i++) {
			if (e->write(k, buf, c->piece) != (long)c->piece)
				return -1;
			if (i % c->flush_every == 0 && e->flush(k) != 0)
				return -1;
		}
	}
	return e->flush(k);
}

static int
run_oneway(struct run *r, char *out, size_t outlen)
{
	const struct bench_engine *e = r->e;
	const struct bench_case *c = r->c;
	struct bench_conn *k;
	pthread_t th;
	char *buf, ack, conn[160];
	size_t blen = c->workload == BW_BULK ? c->chunk : c->piece;
	int fds[2], rv = -1;
	double t0 = 0, cpu0 = 0, secs;

	if ((buf = malloc(blen)) == NULL) {
		bench_set_error("out of memory");
		return -1;
	}
	memset(buf, 'x', blen);
	if (make_pair(c, fds) < 0) {
		free(buf);
		return -1;
	}
	r->fd = fds[1];
	if (pthread_create(&th, NULL, oneway_server, r) != 0) {
		bench_set_error("pthread_create failed");
		close(fds[0]);
		close(fds[1]);
		free(buf);
		return -1;
	}
	pin(c, 0);
	if ((k = e->conn_new(r->cctx, fds[0], c->transport, 0)) == NULL) {
		pthread_join(th, NULL);
		free(buf);
		return -1;
	}
	print_conn(e, k, conn, sizeof(conn));
	if (client_send(r, k, buf, &t0, &cpu0) < 0 || e->read(k, &ack, 1) != 1) {
		char mine[512];

		snprintf(mine, sizeof(mine), "%s", bench_error());
		e->close(k);
		pthread_join(th, NULL);
		bench_set_error("client: %s%s%s", mine, r->err[0] ? "; " : "", r->err);
		free(buf);
		return -1;
	}
	e->close(k);
	pthread_join(th, NULL);
	free(buf);
	if (!r->ok) {
		bench_set_error("%s", r->err);
		return -1;
	}
	secs = r->t_end - t0;
	if (c->workload == BW_BULK)
		snprintf(out, outlen, "value=%.6g unit=MB/s secs=%.6f cpu=%.6f bytes=%llu%s",
		    (double)r->got / secs / 1e6, secs, r->cpu_end - cpu0, r->got, conn);
	else
		snprintf(out, outlen, "value=%.6g unit=MB/s secs=%.6f cpu=%.6f bytes=%llu "
		    "pieces_per_s=%.6g%s", (double)r->got / secs / 1e6, secs, r->cpu_end - cpu0, r->got,
		    (double)c->count / secs, conn);
	rv = 0;
	return rv;
}

/* ---- pingpong ---- */

static void *
pingpong_server(void *arg)
{
	struct run *r = arg;
	const struct bench_engine *e = r->e;
	struct bench_conn *k;
	unsigned long i;
	char *buf;

	pin(r->c, 1);
	if ((buf = malloc(r->c->piece)) == NULL) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		close(r->fd);
		return NULL;
	}
	if ((k = e->conn_new(r->sctx, r->fd, r->c->transport, 1)) == NULL) {
		server_failed(r, "handshake");
		free(buf);
		return NULL;
	}
	for (i = 0; i < r->c->count; i++) {
		if (read_fully(e, k, buf, r->c->piece) < 0 ||
		    e->write(k, buf, r->c->piece) != (long)r->c->piece || e->flush(k) != 0) {
			server_failed(r, "echo");
			goto out;
		}
	}
	drain(e, k);
	r->ok = 1;
out:
	e->close(k);
	free(buf);
	return NULL;
}

static int
run_pingpong(struct run *r, char *out, size_t outlen)
{
	const struct bench_engine *e = r->e;
	const struct bench_case *c = r->c;
	struct bench_conn *k;
	pthread_t th;
	char *buf, conn[160];
	unsigned long i;
	int fds[2];
	double t0, cpu0, secs;

	if ((buf = calloc(1, c->piece)) == NULL) {
		bench_set_error("out of memory");
		return -1;
	}
	if (make_pair(c, fds) < 0) {
		free(buf);
		return -1;
	}
	r->fd = fds[1];
	pin(c, 0);
	if (pthread_create(&th, NULL, pingpong_server, r) != 0) {
		bench_set_error("pthread_create failed");
		close(fds[0]);
		close(fds[1]);
		free(buf);
		return -1;
	}
	if ((k = e->conn_new(r->cctx, fds[0], c->transport, 0)) == NULL) {
		pthread_join(th, NULL);
		free(buf);
		return -1;
	}
	print_conn(e, k, conn, sizeof(conn));
	cpu0 = cpu_now();
	t0 = now();
	for (i = 0; i < c->count; i++) {
		if (e->write(k, buf, c->piece) != (long)c->piece || e->flush(k) != 0 ||
		    read_fully(e, k, buf, c->piece) < 0)
			break;
	}
	secs = now() - t0;
	cpu0 = cpu_now() - cpu0;
	e->close(k);
	pthread_join(th, NULL);
	free(buf);
	if (i < c->count || !r->ok) {
		bench_set_error("round trip %lu: %s", i, r->err[0] ? r->err : bench_error());
		return -1;
	}
	snprintf(out, outlen, "value=%.6g unit=rt/s secs=%.6f cpu=%.6f us_per_rt=%.6g%s",
	    (double)c->count / secs, secs, cpu0, secs / (double)c->count * 1e6, conn);
	return 0;
}

/* ---- handshakes ---- */

static int
queue_get(struct run *r)
{
	int fd;

	if (read(r->queue[0], &fd, sizeof(fd)) != (ssize_t)sizeof(fd))
		return -1;
	return fd;
}

static void *
handshake_server(void *arg)
{
	struct run *r = arg;
	const struct bench_engine *e = r->e;
	struct bench_conn *k;
	unsigned long served = 0;
	char b;
	int fd;

	pin(r->c, 1);
	/* One more than counted: the warm-up connection. */
	while (served <= r->c->count && (fd = queue_get(r)) >= 0) {
		served++;
		if ((k = e->conn_new(r->sctx, fd, r->c->transport, 1)) == NULL) {
			server_failed(r, "handshake");
			continue;
		}
		if (e->read(k, &b, 1) == 1 && e->write(k, &b, 1) == 1 && e->flush(k) == 0)
			drain(e, k);
		e->close(k);
	}
	r->ok = 1;
	return NULL;
}

/* One client connection: handshake, a byte each way (which also takes in TLS 1.3 tickets). */
static int
one_handshake(struct run *r, int *reused, char *conn, size_t connlen)
{
	const struct bench_engine *e = r->e;
	struct bench_conn *k;
	int fds[2];
	char b = 'h';

	if (make_pair(r->c, fds) < 0)
		return -1;
	if (write(r->queue[1], &fds[1], sizeof(fds[1])) != (ssize_t)sizeof(fds[1])) {
		bench_set_error("queue: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if ((k = e->conn_new(r->cctx, fds[0], r->c->transport, 0)) == NULL)
		return -1;
	if (e->write(k, &b, 1) != 1 || e->flush(k) != 0 || e->read(k, &b, 1) != 1) {
		e->close(k);
		return -1;
	}
	*reused += e->reused(k);
	if (conn != NULL)
		print_conn(e, k, conn, connlen);
	e->close(k);
	return 0;
}

static int
run_handshakes(struct run *r, char *out, size_t outlen)
{
	const struct bench_case *c = r->c;
	pthread_t th;
	char conn[160] = "";
	unsigned long i;
	int warm = 0, reused = 0, rv = -1;
	double t0, cpu0, secs = 0;

	if (pipe(r->queue) != 0) {
		bench_set_error("pipe: %s", strerror(errno));
		return -1;
	}
	pin(c, 0);
	if (pthread_create(&th, NULL, handshake_server, r) != 0) {
		bench_set_error("pthread_create failed");
		close(r->queue[0]);
		close(r->queue[1]);
		return -1;
	}
	/* Warm-up: lazy initialisation, and the session the first resumption uses. */
	if (one_handshake(r, &warm, conn, sizeof(conn)) < 0)
		goto out;
	cpu0 = cpu_now();
	t0 = now();
	for (i = 0; i < c->count; i++)
		if (one_handshake(r, &reused, NULL, 0) < 0)
			goto out;
	secs = now() - t0;
	cpu0 = cpu_now() - cpu0;
	rv = 0;
out:
	close(r->queue[1]);
	pthread_join(th, NULL);
	close(r->queue[0]);
	if (rv < 0) {
		char mine[512];

		snprintf(mine, sizeof(mine), "%s", bench_error());
		bench_set_error("client: %s%s%s", mine, r->err[0] ? "; " : "", r->err);
		return -1;
	}
	if (c->workload == BW_RESUME && (unsigned long)reused != c->count) {
		bench_set_error("only %d of %lu handshakes resumed a session", reused, c->count);
		return -1;
	}
	if (c->workload == BW_FULL && reused != 0) {
		bench_set_error("%d of %lu full handshakes resumed a session", reused, c->count);
		return -1;
	}
	snprintf(out, outlen, "value=%.6g unit=hs/s secs=%.6f cpu=%.6f reused=%d us_per_hs=%.6g%s",
	    (double)c->count / secs, secs, cpu0, reused, secs / (double)c->count * 1e6, conn);
	return 0;
}

/* ---- memory per idle connection ---- */

/* Heap in use (every arena) and resident set size, in bytes. */
static void
mem_now(size_t *heap, size_t *rss)
{
	FILE *f;
	unsigned long size = 0, res = 0;

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2();

	*heap = mi.uordblks + mi.hblkhd;
#else
	*heap = 0;
#endif
	*rss = 0;
	if ((f = fopen("/proc/self/statm", "r")) != NULL) {
		if (fscanf(f, "%lu %lu", &size, &res) == 2)
			*rss = (size_t)res * (size_t)sysconf(_SC_PAGESIZE);
		fclose(f);
	}
}

struct memrun {
	struct run *r;
	struct bench_conn **srv;
	unsigned long n;
};

static void *
memory_server(void *arg)
{
	struct memrun *m = arg;
	struct run *r = m->r;
	const struct bench_engine *e = r->e;
	unsigned long i;
	char *buf = calloc(1, r->c->piece), go = 'r';
	int fd;

	for (i = 0; i < m->n && (fd = queue_get(r)) >= 0; i++) {
		if ((m->srv[i] = e->conn_new(r->sctx, fd, r->c->transport, 1)) == NULL) {
			server_failed(r, "handshake");
			break;
		}
	}
	/* All established (or failed): tell the client, wait for phase 2. */
	if (write(r->ready[1], &go, 1) != 1 || read(r->queue[0], &fd, sizeof(fd)) != (ssize_t)sizeof(fd) ||
	    fd != -1 || i < m->n || buf == NULL)
		goto out;
	for (i = 0; i < m->n; i++) {
		if (read_fully(e, m->srv[i], buf, r->c->piece) < 0 ||
		    e->write(m->srv[i], buf, r->c->piece) != (long)r->c->piece || e->flush(m->srv[i]) != 0) {
			server_failed(r, "echo");
			goto out;
		}
	}
	if (write(r->ready[1], &go, 1) != 1)
		goto out;
	r->ok = 1;
out:
	for (i = 0; i < m->n; i++) {
		if (m->srv[i] == NULL)
			continue;
		if (r->ok)
			drain(e, m->srv[i]);
		e->close(m->srv[i]);
	}
	free(buf);
	return NULL;
}

/* One connection with its own server thread, before measuring memory. */
static int
warm_up(const struct run *r, char *conn, size_t connlen)
{
	struct bench_case one = *r->c;
	struct run w = *r;
	pthread_t th;
	int reused = 0, rv;

	one.count = 0; /* the server thread serves count + 1 connections */
	w.c = &one;
	w.err[0] = '\0';
	if (pipe(w.queue) != 0) {
		bench_set_error("pipe: %s", strerror(errno));
		return -1;
	}
	if (pthread_create(&th, NULL, handshake_server, &w) != 0) {
		bench_set_error("pthread_create failed");
		close(w.queue[0]);
		close(w.queue[1]);
		return -1;
	}
	rv = one_handshake(&w, &reused, conn, connlen);
	close(w.queue[1]);
	pthread_join(th, NULL);
	close(w.queue[0]);
	return rv;
}

static int
run_memory(struct run *r, char *out, size_t outlen)
{
	const struct bench_engine *e = r->e;
	const struct bench_case *c = r->c;
	unsigned long n = c->count, i, made = 0;
	struct bench_conn **cli = calloc(n, sizeof(*cli));
	struct memrun m = { r, calloc(n, sizeof(*m.srv)), n };
	size_t h0, s0, h1, s1, h2, s2;
	char *buf = calloc(1, c->piece), b, conn[160] = "";
	pthread_t th;
	int fds[2], phase2 = -1, rv = -1;

	if (cli == NULL || m.srv == NULL || buf == NULL || pipe(r->queue) != 0) {
		bench_set_error("out of memory or pipes");
		goto free_out;
	}
	if (pipe(r->ready) != 0) {
		bench_set_error("pipe: %s", strerror(errno));
		close(r->queue[0]);
		close(r->queue[1]);
		goto free_out;
	}
	/* Warm-up (lazy initialisation on both sides), done before measuring. */
	if (warm_up(r, conn, sizeof(conn)) < 0)
		goto pipes_out;
	if (pthread_create(&th, NULL, memory_server, &m) != 0) {
		bench_set_error("pthread_create failed");
		goto pipes_out;
	}
	mem_now(&h0, &s0);
	for (i = 0; i < n; i++) {
		if (make_pair(c, fds) < 0)
			break;
		if (write(r->queue[1], &fds[1], sizeof(fds[1])) != (ssize_t)sizeof(fds[1])) {
			close(fds[0]);
			close(fds[1]);
			break;
		}
		if ((cli[i] = e->conn_new(r->cctx, fds[0], c->transport, 0)) == NULL)
			break;
		made++;
	}
	if (made == n && read(r->ready[0], &b, 1) == 1 && r->err[0] == '\0') {
		mem_now(&h1, &s1);
		/* Phase 2: a message each way on every connection (buffers in use once). */
		if (write(r->queue[1], &phase2, sizeof(phase2)) == (ssize_t)sizeof(phase2)) {
			for (i = 0; i < n; i++)
				if (e->write(cli[i], buf, c->piece) != (long)c->piece || e->flush(cli[i]) != 0 ||
				    read_fully(e, cli[i], buf, c->piece) < 0)
					break;
			if (i == n && read(r->ready[0], &b, 1) == 1) {
				mem_now(&h2, &s2);
				rv = 0;
			}
		}
	}
	if (rv < 0 && r->err[0] == '\0' && made < n)
		snprintf(r->err, sizeof(r->err), "client connection %lu: %s", made, bench_error());
	close(r->queue[1]);
	r->queue[1] = -1;
	for (i = 0; i < made; i++)
		e->close(cli[i]);
	pthread_join(th, NULL);
	close(r->queue[0]);
	if (rv < 0) {
		bench_set_error("%s", r->err[0] ? r->err : bench_error());
		goto ready_out;
	}
	snprintf(out, outlen, "value=%.6g unit=B/conn conns=%lu heap_idle=%.6g rss_idle=%.6g "
	    "heap_used=%.6g rss_used=%.6g%s",
	    ((double)h1 - (double)h0) / (double)n, n,
	    ((double)h1 - (double)h0) / (double)n, ((double)s1 - (double)s0) / (double)n,
	    ((double)h2 - (double)h0) / (double)n, ((double)s2 - (double)s0) / (double)n, conn);
	goto ready_out;
pipes_out:
	close(r->queue[0]);
	close(r->queue[1]);
ready_out:
	close(r->ready[0]);
	close(r->ready[1]);
free_out:
	free(cli);
	free(m.srv);
	free(buf);
	return rv;
}

/* ---- loading ---- */

static long
status_kb(const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static int
run_load(const struct bench_engine *e, const struct bench_case *c, char *out, size_t outlen)
{
	long rss0 = status_kb("VmRSS"), vm0 = status_kb("VmSize"), rss1, vm1;
	double t0 = now(), t1;
	char extra[256] = "";

	if (e->init(c) < 0)
		return -1;
	t1 = now();
	rss1 = status_kb("VmRSS");
	vm1 = status_kb("VmSize");
	e->load_report(extra, sizeof(extra));
	snprintf(out, outlen, "value=%.6g unit=ms init_ns=%.0f rss_kb=%ld rss_delta_kb=%ld "
	    "vm_delta_kb=%ld%s", (t1 - t0) * 1e3, (t1 - t0) * 1e9, rss1, rss1 - rss0, vm1 - vm0,
	    extra);
	return 0;
}

/* ---- one case ---- */

int
bench_run(const struct bench_engine *e, const struct bench_case *c, char *out, size_t outlen)
{
	struct run r;
	int rv = -1;

	memset(&r, 0, sizeof(r));
	r.e = e;
	r.c = c;
	if (c->workload == BW_LOAD)
		return run_load(e, c, out, outlen);
	if (e->init(c) < 0)
		return -1;
	if ((r.sctx = e->ctx_new(c, 1)) == NULL || (r.cctx = e->ctx_new(c, 0)) == NULL)
		goto done;
	switch (c->workload) {
	case BW_BULK:
	case BW_SMALL:
		rv = run_oneway(&r, out, outlen);
		break;
	case BW_FULL:
	case BW_RESUME:
		rv = run_handshakes(&r, out, outlen);
		break;
	case BW_PINGPONG:
		rv = run_pingpong(&r, out, outlen);
		break;
	case BW_MEMORY:
		rv = run_memory(&r, out, outlen);
		break;
	case BW_LOAD:
	case BW_COUNT_:
		break;
	}
done:
	if (r.cctx != NULL)
		e->ctx_free(r.cctx);
	if (r.sctx != NULL)
		e->ctx_free(r.sctx);
	if (listener >= 0) {
		close(listener);
		listener = -1;
	}
	return rv;
}
#else
typedef int cli_bench_windows_unused; /* ISO C wants something here */
#endif
