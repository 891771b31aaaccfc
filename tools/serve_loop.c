/*
 * The event-driven server (tools/serve_loop.h).  Each worker thread runs
 * one loop: the shared listening socket, its connections, and two timer
 * lists (handshakes in progress, established connections) that stay in
 * deadline order because every entry of one list has the same timeout:
 * appended at the tail, expired from the head, moved to the tail on
 * activity.  Per connection the loop keeps a few words; output the TLS
 * layer did not take (and an HTTP request head) lives in a buffer
 * allocated only while it is needed; reads go to the worker's one buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifndef _WIN32
#include <sys/resource.h>
#endif

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "evloop.h"
#include "net.h"
#include "serve_loop.h"

#define READ_BUF 16384
#define HEAD_MAX 16384
#define BATCH 256
#define ACCEPT_BATCH 64
#define PAUSE_MS 100 /* after EMFILE: how long the listener rests */
#define LINGER_MS 2000 /* --http: how long what the client still sends is drained */

static const char http_body[] = "hello from dlssl serve\n";

enum cstate { C_HANDSHAKE, C_ECHO, C_HEAD, C_ANSWER, C_LINGER };

struct conn {
	struct ev_item ev; /* first: the loop hands back &ev */
	void *tls;
	struct conn *prev, *next;
	double deadline;
	unsigned char st;
	unsigned char flushing; /* written, not yet flushed */
	unsigned char timed;    /* in a timer list */
	unsigned char *pend;    /* output the TLS layer has not taken; C_HEAD: the head */
	unsigned pend_len, pend_off;
};

struct list {
	struct conn *head, *tail;
};

struct shared {
	const struct serve_cfg *cfg;
	atomic_long active;
};

struct worker {
	struct shared *sh;
	const struct serve_cfg *cfg;
	struct ev_loop *loop;
	struct ev_item lst;
	int listening;
	double resume_at;
	struct list hs, idle, linger;
	long conns, closed;   /* open now; closed since the last trim */
	double trimmed;
	cli_thread_t thread;
	unsigned char buf[READ_BUF];
};

static double
now_s(void)
{
#ifdef _WIN32
	return (double)GetTickCount64() / 1000.0;
#else
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#endif
}

static void
unlink_conn(struct list *l, struct conn *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

static void
append(struct list *l, struct conn *c)
{
	c->prev = l->tail;
	c->next = NULL;
	if (l->tail != NULL)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

static struct list *
list_of(struct worker *w, const struct conn *c)
{
	return c->st == C_HANDSHAKE ? &w->hs : c->st == C_LINGER ? &w->linger : &w->idle;
}

/* (Re)start c's timer for its state: to the tail of its list. */
static void
touch(struct worker *w, struct conn *c, double now)
{
	int ms = c->st == C_HANDSHAKE ? w->cfg->handshake_ms : c->st == C_LINGER ? LINGER_MS :
	    w->cfg->idle_ms;

	if (c->timed)
		unlink_conn(list_of(w, c), c);
	c->timed = ms > 0;
	if (c->timed) {
		c->deadline = now + ms / 1000.0;
		append(list_of(w, c), c);
	}
}

static void
log_conn(struct worker *w, struct conn *c, const char *what, const char *detail)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[80] = "?";

	if (getpeername(c->ev.fd, (struct sockaddr *)&ss, &sl) == 0)
		cli_addr_text((struct sockaddr *)&ss, sl, peer, sizeof(peer));
	fprintf(stderr, "%s: %s: %s%s%s\n", w->cfg->name, peer, what, detail ? ": " : "",
	    detail ? detail : "");
}

static void
drop(struct worker *w, struct conn *c, int clean)
{
	ev_del(w->loop, &c->ev);
	if (c->timed)
		unlink_conn(list_of(w, c), c);
	w->cfg->tls->close(c->tls, clean);
	free(c->pend);
	free(c);
	atomic_fetch_sub(&w->sh->active, 1);
	w->conns--;
	w->closed++;
}

/*
 * After a burst has gone, give the memory back: glibc keeps freed memory
 * in its arenas (one per worker thread) unless asked.  At most once a
 * second, when many connections closed or none is left.
 */
static void
trim(struct worker *w, double now)
{
#ifdef __GLIBC__
	if (w->closed == 0 || (w->closed < 1024 && w->conns > 0) || now - w->trimmed < 1.0)
		return;
	(void)malloc_trim(0);
	w->trimmed = now;
	w->closed = 0;
#else
	(void)w;
	(void)now;
#endif
}

static void
fail(struct worker *w, struct conn *c, const char *what)
{
	if (w->cfg->verbose)
		log_conn(w, c, what, w->cfg->tls->error(c->tls));
	drop(w, c, 0);
}

/* Keep buf[0..len) for later: the TLS layer did not take it. */
static int
keep(struct conn *c, const unsigned char *buf, size_t len)
{
	if ((c->pend = malloc(len)) == NULL)
		return -1;
	memcpy(c->pend, buf, len);
	c->pend_len = (unsigned)len;
	c->pend_off = 0;
	return 0;
}

/* --http: the head so far is in pend; 1 when it is complete, -1 if too long. */
static int
add_head(struct conn *c, const unsigned char *buf, size_t len)
{
	unsigned char *p;

	if (c->pend_len + len > HEAD_MAX)
		return -1;
	if ((p = realloc(c->pend, c->pend_len + len + 1)) == NULL)
		return -1;
	memcpy(p + c->pend_len, buf, len);
	c->pend = p;
	c->pend_len += (unsigned)len;
	p[c->pend_len] = '\0';
	return strstr((char *)p, "\r\n\r\n") != NULL || strstr((char *)p, "\n\n") != NULL;
}

static int
answer(struct conn *c)
{
	char resp[256];
	int len = snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", sizeof(http_body) - 1, http_body);

	free(c->pend);
	c->pend = NULL;
	c->st = C_ANSWER;
	return keep(c, (unsigned char *)resp, (size_t)len);
}

/*
 * --http, after the answer: close_notify, end our side of the TCP stream,
 * and read (and drop) what the client still sends until it closes or
 * LINGER_MS pass, so that a late close_notify from the client cannot make
 * the kernel reset the connection before the answer was read.
 */
static void
linger(struct worker *w, struct conn *c, double now)
{
	w->cfg->tls->notify(c->tls);
	(void)cli_shutdown(c->ev.fd, SHUT_WR);
	if (c->timed)
		unlink_conn(list_of(w, c), c);
	c->timed = 0;
	c->st = C_LINGER;
	touch(w, c, now);
	if (ev_mod(w->loop, &c->ev, EV_IN) < 0)
		drop(w, c, 0);
}

static void
drain(struct worker *w, struct conn *c)
{
	long n;

	while ((n = (long)cli_recv(c->ev.fd, (char *)w->buf, sizeof(w->buf), 0)) > 0)
		continue;
	if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
		drop(w, c, 0);
}

/*
 * Move c along until the TLS layer would wait: then watch for what it
 * waits for.  Every byte read is written back (or, --http, collected).
 */
static void
step(struct worker *w, struct conn *c, double now)
{
	const struct serve_tls *t = w->cfg->tls;
	long r;
	int h;

	if (c->st == C_LINGER) {
		drain(w, c);
		return;
	}
	if (c->st == C_HANDSHAKE) {
		if ((r = t->handshake(c->tls)) == 0) {
			if (c->timed)
				unlink_conn(&w->hs, c);
			c->timed = 0;
			c->st = w->cfg->http ? C_HEAD : C_ECHO;
			if (w->cfg->verbose) {
				char d[160];

				t->describe(c->tls, d, sizeof(d));
				log_conn(w, c, d, NULL);
			}
		} else if (r == SERVE_WANT_IN || r == SERVE_WANT_OUT) {
			if (ev_mod(w->loop, &c->ev, r == SERVE_WANT_IN ? EV_IN : EV_OUT) < 0)
				fail(w, c, "epoll");
			return;
		} else {
			fail(w, c, "handshake");
			return;
		}
	}
	touch(w, c, now);
	for (;;) {
		if (c->pend != NULL && c->st != C_HEAD) {
			if ((r = t->write(c->tls, c->pend + c->pend_off, c->pend_len - c->pend_off)) <= 0)
				break;
			c->pend_off += (unsigned)r;
			if (c->pend_off == c->pend_len) {
				free(c->pend);
				c->pend = NULL;
				c->flushing = 1;
			}
			continue;
		}
		if (c->flushing) {
			if ((r = t->flush(c->tls)) != 0)
				break;
			c->flushing = 0;
			if (c->st == C_ANSWER) {
				linger(w, c, now);
				return;
			}
			continue;
		}
		if ((r = t->read(c->tls, w->buf, sizeof(w->buf))) <= 0) {
			if (r == 0) { /* the client's close_notify */
				drop(w, c, 1);
				return;
			}
			break;
		}
		if (c->st == C_HEAD) {
			if ((h = add_head(c, w->buf, (size_t)r)) < 0) {
				fail(w, c, "request head too long");
				return;
			}
			if (h == 1 && answer(c) < 0) {
				fail(w, c, "out of memory");
				return;
			}
			continue;
		}
		h = (int)r;
		r = t->write(c->tls, w->buf, (size_t)h);
		if (r == h) {
			c->flushing = 1;
			continue;
		}
		if (r == -1)
			break;
		if (keep(c, w->buf + (r > 0 ? r : 0), (size_t)(h - (r > 0 ? r : 0))) < 0) {
			fail(w, c, "out of memory");
			return;
		}
	}
	if (r == SERVE_WANT_IN || r == SERVE_WANT_OUT) {
		if (ev_mod(w->loop, &c->ev, r == SERVE_WANT_IN ? EV_IN : EV_OUT) < 0)
			fail(w, c, "epoll");
		return;
	}
	fail(w, c, "i/o");
}

static void
listen_on(struct worker *w, int on)
{
	if (on == w->listening)
		return;
	if (on) {
		if (ev_add(w->loop, &w->lst, w->cfg->lfd, EV_IN | (w->cfg->workers > 1 ? EV_EXCL : 0)) == 0)
			w->listening = 1;
	} else {
		ev_del(w->loop, &w->lst);
		w->listening = 0;
	}
}

static int
nonblock(int fd)
{
#ifdef _WIN32
	return cli_fcntl(fd, F_SETFL, O_NONBLOCK);
#else
	int fl = cli_fcntl(fd, F_GETFL);

	return fl < 0 || cli_fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
#endif
}

static int
accept_fd(int lfd)
{
#if defined(__linux__)
	return accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
	int fd = cli_accept(lfd, NULL, NULL);

	if (fd >= 0 && (cli_cloexec(fd) < 0 || nonblock(fd) < 0)) {
		cli_sock_close(fd);
		errno = EMFILE;
		return -1;
	}
	return fd;
#endif
}

static void
accept_some(struct worker *w, double now)
{
	struct conn *c;
	int i, fd;

	for (i = 0; i < ACCEPT_BATCH; i++) {
		if (atomic_load(&w->sh->active) >= w->cfg->max_clients) {
			listen_on(w, 0); /* back when a slot frees (run()) */
			return;
		}
		if ((fd = accept_fd(w->cfg->lfd)) < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				if (w->cfg->verbose)
					fprintf(stderr, "%s: accept: %s; pausing\n", w->cfg->name,
					    cli_strerror(errno));
				listen_on(w, 0);
				w->resume_at = now + PAUSE_MS / 1000.0;
			}
			return;
		}
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			cli_sock_close(fd);
			return;
		}
		c->ev.slot = -1;
		if ((c->tls = w->cfg->tls->start(w->cfg->ctx, fd)) == NULL) {
			if (w->cfg->verbose)
				fprintf(stderr, "%s: cannot start a connection\n", w->cfg->name);
			free(c);
			continue;
		}
		atomic_fetch_add(&w->sh->active, 1);
		w->conns++;
		if (ev_add(w->loop, &c->ev, fd, EV_IN) < 0) {
			drop(w, c, 0);
			continue;
		}
		c->st = C_HANDSHAKE;
		touch(w, c, now);
		step(w, c, now);
	}
}

/* Close what overstayed: unfinished handshakes, silent connections. */
static void
expire(struct worker *w, double now)
{
	while (w->hs.head != NULL && w->hs.head->deadline <= now) {
		if (w->cfg->verbose)
			log_conn(w, w->hs.head, "handshake timeout", NULL);
		drop(w, w->hs.head, 0);
	}
	while (w->linger.head != NULL && w->linger.head->deadline <= now)
		drop(w, w->linger.head, 0);
	while (w->idle.head != NULL && w->idle.head->deadline <= now) {
		if (w->cfg->verbose)
			log_conn(w, w->idle.head, "idle timeout", NULL);
		drop(w, w->idle.head, 1);
	}
}

static int
next_timeout(struct worker *w, double now)
{
	double t = now + 1.0;

	if (w->hs.head != NULL && w->hs.head->deadline < t)
		t = w->hs.head->deadline;
	if (w->idle.head != NULL && w->idle.head->deadline < t)
		t = w->idle.head->deadline;
	if (w->linger.head != NULL && w->linger.head->deadline < t)
		t = w->linger.head->deadline;
	if (!w->listening && w->resume_at > now && w->resume_at < t)
		t = w->resume_at;
	return t <= now ? 0 : (int)((t - now) * 1000.0) + 1;
}

static void *
run(void *arg)
{
	struct worker *w = arg;
	struct ev_ready ready[BATCH];
	double now;
	int n, i;

	for (;;) {
		now = now_s();
		if (!w->listening && now >= w->resume_at &&
		    atomic_load(&w->sh->active) < w->cfg->max_clients)
			listen_on(w, 1);
		n = ev_wait(w->loop, next_timeout(w, now), ready, BATCH);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "%s: %s: %s\n", w->cfg->name, ev_backend(), cli_strerror(errno));
			return NULL;
		}
		now = now_s();
		for (i = 0; i < n; i++) {
			if (ready[i].item == &w->lst)
				accept_some(w, now);
			else
				step(w, (struct conn *)ready[i].item, now);
		}
		expire(w, now);
		trim(w, now);
	}
	return NULL;
}

int
serve_loop_run(const struct serve_cfg *cfg)
{
	struct shared sh;
	struct worker *w;
	int i, e;

	if (nonblock(cfg->lfd) < 0) {
		fprintf(stderr, "%s: cannot make the listening socket non-blocking\n", cfg->name);
		return 4;
	}
	memset(&sh, 0, sizeof(sh));
	sh.cfg = cfg;
	atomic_init(&sh.active, 0);
	if ((w = calloc((size_t)cfg->workers, sizeof(*w))) == NULL)
		return 4;
	for (i = 0; i < cfg->workers; i++) {
		w[i].sh = &sh;
		w[i].cfg = cfg;
		w[i].lst.slot = -1;
		if ((w[i].loop = ev_new(1024)) == NULL) {
			fprintf(stderr, "%s: cannot make an event loop: %s\n", cfg->name, cli_strerror(errno));
			return 4;
		}
	}
	for (i = 1; i < cfg->workers; i++)
		if ((e = cli_thread_create(&w[i].thread, NULL, run, &w[i])) != 0) {
			fprintf(stderr, "%s: cannot start worker %d: %s\n", cfg->name, i + 1, cli_strerror(e));
			return 4;
		}
	(void)run(&w[0]);
	return 4;
}

int
serve_ncpu(void)
{
#ifdef _WIN32
	SYSTEM_INFO si;

	GetSystemInfo(&si);
	return si.dwNumberOfProcessors > 0 ? (int)si.dwNumberOfProcessors : 1;
#else
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
#endif
}

long
serve_fd_capacity(const char *name, long reserve)
{
#ifdef _WIN32
	(void)reserve;
	fprintf(stderr, "%s: up to 16384 clients at once\n", name);
	return 16384;
#else
	struct rlimit rl;
	rlim_t was;
	long cap;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		fprintf(stderr, "%s: getrlimit: %s; up to 1024 clients at once\n", name, cli_strerror(errno));
		return 1024;
	}
	was = rl.rlim_cur;
	if (rl.rlim_cur != rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			rl.rlim_cur = was;
	}
	cap = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1048576 ? 1048576 : (long)rl.rlim_cur;
	cap = cap > reserve + 1 ? cap - reserve : 1;
	if (rl.rlim_cur != was)
		fprintf(stderr, "%s: raised the open-file limit (RLIMIT_NOFILE) from %lu to %lu: up to "
		    "%ld clients at once\n", name, (unsigned long)was, (unsigned long)rl.rlim_cur, cap);
	else
		fprintf(stderr, "%s: open-file limit (RLIMIT_NOFILE) %lu (the hard limit): up to %ld "
		    "clients at once\n", name, (unsigned long)rl.rlim_cur, cap);
	return cap;
#endif
}
