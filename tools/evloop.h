/*
 * A small readiness loop for the event-driven tools (dlssl serve, the load
 * generator of dlssl bench): epoll on Linux, poll(2) elsewhere (WSAPoll on
 * Windows).  Level-triggered.  Nothing here knows TLS.
 *
 * The caller embeds a struct ev_item in each watched object and gets the
 * item back from ev_wait(); one loop is used by one thread.
 */
#ifndef DLSSL_TOOLS_EVLOOP_H
#define DLSSL_TOOLS_EVLOOP_H

#define EV_IN 1u
#define EV_OUT 2u
/* ev_add only: one of several loops watching a shared fd is woken (EPOLLEXCLUSIVE). */
#define EV_EXCL 4u

struct ev_item {
	int fd;
	unsigned events; /* what is being watched now */
	int slot;        /* the poll backend's index; -1 when not in a loop */
};

struct ev_ready {
	struct ev_item *item;
	unsigned events; /* EV_IN / EV_OUT; errors and hang-ups report both */
};

struct ev_loop;

/* A loop for up to `hint` items (it grows past that).  NULL on failure. */
struct ev_loop *ev_new(int hint);
void ev_free(struct ev_loop *l);
/* Watch fd for `events` (may be 0: registered, not watched).  0, or -1 with errno. */
int ev_add(struct ev_loop *l, struct ev_item *it, int fd, unsigned events);
/* Change what is watched (a no-op when unchanged).  0 or -1. */
int ev_mod(struct ev_loop *l, struct ev_item *it, unsigned events);
/* Stop watching; call before closing the fd. */
void ev_del(struct ev_loop *l, struct ev_item *it);
/*
 * Wait up to timeout_ms (-1: no limit) and fill out[0..max-1] with ready
 * items: their count, 0 on timeout, -1 with errno (EINTR included).
 * An item deleted while the caller walks `out` must not be used again: the
 * caller removes only the item it is handling.
 */
int ev_wait(struct ev_loop *l, int timeout_ms, struct ev_ready *out, int max);
/* "epoll" or "poll". */
const char *ev_backend(void);

#endif
