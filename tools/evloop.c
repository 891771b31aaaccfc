/* The readiness loop of tools/evloop.h: epoll on Linux, poll(2) elsewhere. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evloop.h"

#ifdef __linux__
#include <sys/epoll.h>
#include <unistd.h>

struct ev_loop {
	int ep;
	struct epoll_event *evs;
	int cap;
};

static unsigned
to_epoll(unsigned ev)
{
	return ((ev & EV_IN) ? EPOLLIN : 0u) | ((ev & EV_OUT) ? EPOLLOUT : 0u);
}

struct ev_loop *
ev_new(int hint)
{
	struct ev_loop *l = calloc(1, sizeof(*l));

	(void)hint;
	if (l == NULL)
		return NULL;
	l->cap = 256;
	if ((l->evs = calloc((size_t)l->cap, sizeof(*l->evs))) == NULL ||
	    (l->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		free(l->evs);
		free(l);
		return NULL;
	}
	return l;
}

void
ev_free(struct ev_loop *l)
{
	if (l == NULL)
		return;
	close(l->ep);
	free(l->evs);
	free(l);
}

int
ev_add(struct ev_loop *l, struct ev_item *it, int fd, unsigned events)
{
	struct epoll_event e;

	memset(&e, 0, sizeof(e));
	e.events = to_epoll(events);
#ifdef EPOLLEXCLUSIVE
	if (events & EV_EXCL)
		e.events |= EPOLLEXCLUSIVE;
#endif
	e.data.ptr = it;
	if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &e) != 0)
		return -1;
	it->fd = fd;
	it->events = events & (EV_IN | EV_OUT);
	it->slot = 0;
	return 0;
}

int
ev_mod(struct ev_loop *l, struct ev_item *it, unsigned events)
{
	struct epoll_event e;

	if (events == it->events)
		return 0;
	memset(&e, 0, sizeof(e));
	e.events = to_epoll(events);
	e.data.ptr = it;
	if (epoll_ctl(l->ep, EPOLL_CTL_MOD, it->fd, &e) != 0)
		return -1;
	it->events = events;
	return 0;
}

void
ev_del(struct ev_loop *l, struct ev_item *it)
{
	struct epoll_event e;

	if (it->slot < 0)
		return;
	memset(&e, 0, sizeof(e));
	(void)epoll_ctl(l->ep, EPOLL_CTL_DEL, it->fd, &e);
	it->slot = -1;
}

int
ev_wait(struct ev_loop *l, int timeout_ms, struct ev_ready *out, int max)
{
	int n, i;
	unsigned e;

	if (max > l->cap)
		max = l->cap;
	if ((n = epoll_wait(l->ep, l->evs, max, timeout_ms)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		e = l->evs[i].events;
		out[i].item = l->evs[i].data.ptr;
		out[i].events = ((e & (EPOLLIN | EPOLLHUP | EPOLLERR)) ? EV_IN : 0u) |
		    ((e & (EPOLLOUT | EPOLLHUP | EPOLLERR)) ? EV_OUT : 0u);
	}
	return n;
}

const char *
ev_backend(void)
{
	return "epoll";
}

#else /* poll */
#include "sys.h" /* cli_poll(): poll(2), or WSAPoll on Windows */

struct ev_loop {
	struct pollfd *p;
	struct ev_item **items;
	int n, cap;
	int next; /* where the next scan starts: fairness among many ready fds */
};

static short
to_poll(unsigned ev)
{
	return (short)(((ev & EV_IN) ? POLLIN : 0) | ((ev & EV_OUT) ? POLLOUT : 0));
}

struct ev_loop *
ev_new(int hint)
{
	struct ev_loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->cap = hint > 16 ? hint : 16;
	l->p = calloc((size_t)l->cap, sizeof(*l->p));
	l->items = calloc((size_t)l->cap, sizeof(*l->items));
	if (l->p == NULL || l->items == NULL) {
		ev_free(l);
		return NULL;
	}
	return l;
}

void
ev_free(struct ev_loop *l)
{
	if (l == NULL)
		return;
	free(l->p);
	free(l->items);
	free(l);
}

int
ev_add(struct ev_loop *l, struct ev_item *it, int fd, unsigned events)
{
	struct pollfd *p;
	struct ev_item **items;

	if (l->n == l->cap) {
		if ((p = realloc(l->p, (size_t)l->cap * 2 * sizeof(*p))) == NULL)
			return -1;
		l->p = p;
		if ((items = realloc(l->items, (size_t)l->cap * 2 * sizeof(*items))) == NULL)
			return -1;
		l->items = items;
		l->cap *= 2;
	}
	it->fd = fd;
	it->events = events & (EV_IN | EV_OUT);
	it->slot = l->n++;
	l->p[it->slot].fd = fd;
	l->p[it->slot].events = to_poll(events);
	l->p[it->slot].revents = 0;
	l->items[it->slot] = it;
	return 0;
}

int
ev_mod(struct ev_loop *l, struct ev_item *it, unsigned events)
{
	it->events = events;
	l->p[it->slot].events = to_poll(events);
	return 0;
}

void
ev_del(struct ev_loop *l, struct ev_item *it)
{
	int s = it->slot, last = l->n - 1;

	if (s < 0)
		return;
	if (s != last) {
		l->p[s] = l->p[last];
		l->items[s] = l->items[last];
		l->items[s]->slot = s;
	}
	l->n--;
	it->slot = -1;
}

int
ev_wait(struct ev_loop *l, int timeout_ms, struct ev_ready *out, int max)
{
	int r, i, k, got = 0;
	short re;

	if ((r = cli_poll(l->p, (unsigned long)l->n, timeout_ms)) <= 0)
		return r;
	if (l->next >= l->n)
		l->next = 0;
	for (k = 0; k < l->n && got < max && got < r; k++) {
		i = (l->next + k) % l->n;
		if ((re = l->p[i].revents) == 0)
			continue;
		out[got].item = l->items[i];
		out[got++].events = ((re & (POLLIN | POLLHUP | POLLERR)) ? EV_IN : 0u) |
		    ((re & (POLLOUT | POLLHUP | POLLERR)) ? EV_OUT : 0u);
	}
	l->next = (l->next + k) % (l->n > 0 ? l->n : 1);
	return got;
}

const char *
ev_backend(void)
{
	return "poll";
}
#endif
