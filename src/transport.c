/*
 * Transports: where a stream's bytes go.  Every transport is driven through
 * dlssl's own BIO method (so writes to a closed socket never raise SIGPIPE,
 * EINTR is retried, and callback errors reach the caller).  OpenSSL 1.0.2
 * has no BIO_meth_ API: there sockets use SSL_set_fd and other transports
 * are refused with a clear error.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "compat/net.h" /* sockets: dlssl__net_*, POSIX or Winsock */
#include "compat/thread.h"
#include "record_guard.h"
#include "libslot.h"
#include "transport.h"

/*
 * The caller's descriptor is never switched to O_NONBLOCK (its open file
 * description is shared with dup()ed descriptors and other processes).
 * When the stream must not block (timeouts, dlssl_listen) a socket gets
 * MSG_DONTWAIT on each call, and any other descriptor (a pipe, a tty) is
 * polled with no wait first and then asked for what poll promised: a read
 * returns what is there, a write is at most PIPE_BUF bytes.  Windows has
 * no per-call flag: there the SOCKET is made non-blocking (FIONBIO) while
 * the stream is timed and made blocking again when it lets go (Windows
 * cannot read a socket's mode back), see dlssl_transport_fd in dlssl.h.
 */
#if defined(_WIN32) || !defined(MSG_DONTWAIT)
#define DL_NONBLOCK_BY_FLAG 1
#define DL_DONTWAIT 0
#else
#define DL_NONBLOCK_BY_FLAG 0
#define DL_DONTWAIT MSG_DONTWAIT
#endif

#ifndef PIPE_BUF
#define PIPE_BUF 512 /* POSIX's least */
#endif

/*
 * No SIGPIPE from a peer that closed: MSG_NOSIGNAL on each send, else
 * SO_NOSIGPIPE on the socket (macOS, BSDs).  DLSSL_TEST_NO_MSG_NOSIGNAL
 * compiles the second way where the first exists (tests/api.mk builds
 * this file so on Linux, with a stand-in SO_NOSIGPIPE).
 */
#if defined(MSG_NOSIGNAL) && !defined(DLSSL_TEST_NO_MSG_NOSIGNAL)
#define DL_HAVE_MSG_NOSIGNAL 1
#else
#define DL_HAVE_MSG_NOSIGNAL 0
#undef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

DLSSL_EXPORT struct dlssl_transport
dlssl_transport_fd(int fd)
{
	struct dlssl_transport t;

	memset(&t, 0, sizeof(t));
	t.kind = DL_T_FD;
	t.fd = fd;
	return t;
}

DLSSL_EXPORT struct dlssl_transport
dlssl_transport_file(void *file)
{
	struct dlssl_transport t;

	memset(&t, 0, sizeof(t));
	t.kind = DL_T_FILE;
	t.fd = -1;
	t.file = file;
	return t;
}

DLSSL_EXPORT struct dlssl_transport
dlssl_transport_io(const struct dlssl_io_ops *ops, void *handle)
{
	struct dlssl_transport t;

	memset(&t, 0, sizeof(t));
	t.kind = DL_T_IO;
	t.fd = -1;
	t.ops = ops;
	t.handle = handle;
	return t;
}

/* ---- the BIO method ---- */

/*
 * The BIO's data is its transport, read through the functions of the
 * library whose BIO method this is: each loaded library has its own
 * method, whose callbacks know its slot (libslot.h).
 */
static struct dl_transport *
bio_transport(int slot, BIO *b)
{
	const struct dlssl__ossl *api = dlssl__lib_table(slot);

	if (api == NULL)
		return NULL;
	return (struct dl_transport *)dlssl__bio_get_data(api, b);
}

static int
would_block(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK;
}

/* Must this call return rather than wait (a blocking fd, but a timed or listening stream)? */
static int
no_wait(const struct dl_transport *tr)
{
	return tr->wait != DL_WAIT_BLOCK && !DL_NONBLOCK_BY_FLAG;
}

/* Non-sockets without a per-call flag: is the fd ready (or failed: let the call say how)? */
static int
fd_ready(int fd, short events)
{
	struct pollfd p;
	int r;

	p.fd = fd;
	p.events = events;
	p.revents = 0;
	do
		r = dlssl__net_poll(&p, 1, 0);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		errno = EAGAIN;
		return 0;
	}
	return 1; /* ready, or an error the read or write will report */
}

static long
fd_read(struct dl_transport *tr, void *buf, size_t len)
{
	if (tr->is_socket)
		return dlssl__net_recv(tr->fd, buf, len, no_wait(tr) ? DL_DONTWAIT : 0);
	if (no_wait(tr) && !fd_ready(tr->fd, POLLIN))
		return -1;
	return (long)read(tr->fd, buf, len);
}

static long
fd_write(struct dl_transport *tr, const void *buf, size_t len)
{
	if (tr->is_socket)
		return dlssl__net_send(tr->fd, buf, len, MSG_NOSIGNAL | (no_wait(tr) ? DL_DONTWAIT : 0));
	if (no_wait(tr)) {
		if (!fd_ready(tr->fd, POLLOUT))
			return -1;
		if (len > PIPE_BUF)
			len = PIPE_BUF; /* what POLLOUT promises to take without blocking */
	}
	return (long)write(tr->fd, buf, len);
}

/*
 * stdio: what fread/fwrite moved counts even when they also failed (the
 * retry must not send those bytes again), and a failure is cleared once
 * seen, so that one EINTR or EAGAIN does not poison every later call.
 */
static long
file_io(struct dl_transport *tr, int writing, void *buf, size_t len)
{
	size_t n;
	int failed, e;

	clearerr(tr->file);
	errno = 0;
	n = writing ? fwrite(buf, 1, len, tr->file) : fread(buf, 1, len, tr->file);
	failed = ferror(tr->file);
	e = errno;
	if (writing && n > 0 && !failed && fflush(tr->file) != 0) {
		/* Taken by stdio, which keeps what it could not send for the next flush. */
		e = errno;
		clearerr(tr->file);
		errno = e;
		return (long)n;
	}
	clearerr(tr->file);
	errno = e;
	if (n > 0)
		return (long)n;
	if (!writing && !failed)
		return 0; /* end of file */
	if (e == 0)
		errno = EIO;
	return -1;
}

static long
raw_read(struct dl_transport *tr, void *buf, size_t len)
{
	long r;

	do {
		errno = 0;
		if (tr->kind == DL_T_IO)
			r = tr->ops->read(tr->handle, buf, len);
		else if (tr->fd >= 0)
			r = fd_read(tr, buf, len);
		else
			r = file_io(tr, 0, buf, len);
	} while (r < 0 && errno == EINTR);
	return r;
}

static long
raw_write(struct dl_transport *tr, const void *buf, size_t len)
{
	long r;

	do {
		errno = 0;
		if (tr->kind == DL_T_IO)
			r = tr->ops->write(tr->handle, buf, len);
		else if (tr->fd >= 0)
			r = fd_write(tr, buf, len);
		else
			r = file_io(tr, 1, (void *)(uintptr_t)buf, len);
	} while (r < 0 && errno == EINTR);
	return r;
}

/*
 * One transfer for the BIO callbacks: bytes moved, 0 at the end of the
 * input, or -1 (with the retry flags set when the transport would block,
 * else with the transport's errno kept for the error message).
 */
static int
bio_io(int slot, BIO *b, int writing, void *buf, int len)
{
	struct dl_transport *tr = bio_transport(slot, b);
	long r;
	int e;

	if (tr == NULL)
		return -1;
	dlssl__bio_clear_flags(tr->api, b, DL_BIO_FLAGS_READ | DL_BIO_FLAGS_WRITE | DL_BIO_FLAGS_SHOULD_RETRY);
	if (len <= 0)
		return 0;
	/*
	 * dlssl's checks during the handshake (record_guard.c).  An alert they
	 * write is a nested call of this function: its failure is not kept.
	 */
	e = tr->io_errno;
	if (writing && tr->guard != NULL && dlssl__guard_write(tr->guard) < 0) {
		tr->io_errno = e;
		return -1; /* the caller's failure() reports it (stream_run.c) */
	}
	r = writing ? raw_write(tr, buf, (size_t)len) : raw_read(tr, buf, (size_t)len);
	dlssl__ossl_pass_errno(tr->api, errno);
	if (r > len)
		r = len;
	if (r > 0 && writing && tr->guard != NULL)
		dlssl__guard_sent(tr->guard, buf, (size_t)r);
	if (r > 0 && !writing && tr->guard != NULL) {
		e = tr->io_errno;
		if (dlssl__guard_read(tr->guard, buf, (size_t)r) < 0) {
			tr->io_errno = e;
			return -1;
		}
	}
	if (r > 0)
		return (int)r;
	if (r == 0 && !writing) {
		tr->io_eof = 1;
		return 0;
	}
	if (r < 0 && would_block(errno)) {
		/*
		 * Where a socket's mode cannot be read up front (Windows), a
		 * "blocking" one that says it would block is the caller's
		 * non-blocking socket: from now on the caller polls.
		 */
		if (tr->mode_unknown && tr->wait == DL_WAIT_BLOCK && tr->fd >= 0) {
			tr->wait = DL_WAIT_NEVER;
			tr->fd_flags |= O_NONBLOCK;
		}
		dlssl__bio_set_flags(tr->api, b, (writing ? DL_BIO_FLAGS_WRITE : DL_BIO_FLAGS_READ) |
		    DL_BIO_FLAGS_SHOULD_RETRY);
		return -1;
	}
	tr->io_errno = errno ? errno : EIO;
	return -1;
}

static long
bio_ctrl(int slot, BIO *b, int cmd)
{
	struct dl_transport *tr;

	/* OpenSSL asks often; only two questions need the transport. */
	switch (cmd) {
	case DL_BIO_CTRL_FLUSH:
		tr = bio_transport(slot, b);
		if (tr != NULL && tr->kind == DL_T_FILE && tr->fd < 0 && fflush(tr->file) != 0)
			return 0;
		return 1;
	case DL_BIO_CTRL_EOF:
		tr = bio_transport(slot, b);
		return tr != NULL && tr->io_eof;
	case DL_BIO_CTRL_DUP:
		return 1;
	default:
		return 0;
	}
}

static int
bio_create(BIO *b)
{
	(void)b; /* attach_bio() sets the data, then init, through its generation */
	return 1;
}

static int
bio_destroy(BIO *b)
{
	return b != NULL;
}

/* The callbacks of each slot's method. */
#define DL_BIO_CALLBACKS(n) \
	static int bio_write_##n(BIO *b, const char *buf, int len) \
	{ return bio_io(n, b, 1, (void *)(uintptr_t)buf, len); } \
	static int bio_read_##n(BIO *b, char *buf, int len) { return bio_io(n, b, 0, buf, len); } \
	static long bio_ctrl_##n(BIO *b, int cmd, long larg, void *parg) \
	{ (void)larg; (void)parg; return bio_ctrl(n, b, cmd); }
DL_EACH_LIB_SLOT(DL_BIO_CALLBACKS)
#define DL_BIO_CALLBACKS_ENTRY(n) \
	{ "dlssl", bio_write_##n, bio_read_##n, bio_ctrl_##n, bio_create, bio_destroy },
static const struct dl_bio_callbacks bio_callbacks[DL_LIB_SLOTS] = {
	DL_EACH_LIB_SLOT(DL_BIO_CALLBACKS_ENTRY)
};

/* One BIO_METHOD per library (reloads of one libssl share it), made on first use and kept. */
static dl_mutex methods_lock = DL_MUTEX_INIT;
static BIO_METHOD *methods[DL_LIB_SLOTS];

static BIO_METHOD *
bio_method(const struct dlssl__ossl *api, int slot)
{
	BIO_METHOD *m;

	dl_mutex_lock(&methods_lock);
	if ((m = methods[slot]) == NULL)
		m = methods[slot] = dlssl__bio_method_new(api, &bio_callbacks[slot]);
	dl_mutex_unlock(&methods_lock);
	return m;
}

/* ---- attaching a transport ---- */

static int
attach_bio(struct dl_transport *tr, SSL *ssl)
{
	const struct dlssl__ossl *api = tr->api;
	BIO_METHOD *m;
	BIO *b;
	int slot;

	if (!dlssl__bio_supported(api)) {
		dlssl__set_errorx(DLSSL_ERR_USAGE, "%s offers no way to make a BIO method",
		    api->info->version_text);
		return -1;
	}
	if ((slot = dlssl__lib_slot(api)) < 0)
		return -1;
	if ((m = bio_method(api, slot)) == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "cannot make dlssl's BIO method");
		dlssl__ossl_append_errors(api);
		return -1;
	}
	b = api->BIO_new(m);
	if (b == NULL) {
		dlssl__set_errorx(DLSSL_ERR_NOMEM, "cannot make a BIO");
		dlssl__ossl_append_errors(api);
		return -1;
	}
	dlssl__bio_set_data(api, b, tr);
	dlssl__bio_set_init(api, b, 1);
	/* The SSL owns the BIO from here (one reference for both directions). */
	api->SSL_set_bio(ssl, b, b);
	return 0;
}

/*
 * Where send() has no MSG_NOSIGNAL but the socket has SO_NOSIGPIPE (macOS),
 * set that for the stream's life: a socket option belongs to the socket,
 * so the caller's value is read first and put back by give_back().
 */
static void
no_sigpipe(struct dl_transport *tr)
{
#if defined(SO_NOSIGPIPE) && !DL_HAVE_MSG_NOSIGNAL
	int on = 1, old = 0;
	socklen_t len = sizeof(old);

	if (!tr->is_socket || getsockopt(tr->fd, SOL_SOCKET, SO_NOSIGPIPE, (void *)&old, &len) != 0 ||
	    old != 0)
		return;
	if (setsockopt(tr->fd, SOL_SOCKET, SO_NOSIGPIPE, (void *)&on, sizeof(on)) == 0)
		tr->nosigpipe_set = 1;
#else
	(void)tr;
#endif
}

static int
attach_fd(struct dl_transport *tr, int fd, int timed)
{
	struct stat st;
	int fl;

	if (fd < 0 || dlssl__net_fstat(fd, &st) != 0) {
		dlssl__set_error(DLSSL_ERR_USAGE, "invalid file descriptor %d", fd);
		return -1;
	}
	tr->fd = fd;
	tr->is_socket = S_ISSOCK(st.st_mode);
#ifdef _WIN32
	tr->mode_unknown = 1; /* F_GETFL cannot tell: see bio_io() */
#endif
	if ((fl = dlssl__net_fcntl(fd, F_GETFL)) < 0) {
		dlssl__set_error(DLSSL_ERR_IO, "fcntl on fd %d", fd);
		return -1;
	}
	tr->fd_flags = fl;
	tr->wait = DL_WAIT_BLOCK;
	if (fl & O_NONBLOCK)
		tr->wait = DL_WAIT_NEVER; /* the caller polls: return WANT codes */
	else if (timed && dlssl__transport_set_timed(tr) < 0)
		return -1;
	no_sigpipe(tr);
	return 0;
}

int
dlssl__transport_attach(struct dl_transport *tr, const struct dlssl__ossl *api, SSL *ssl,
    struct dlssl_transport t, const struct dlssl_stream_opts *o, struct dl_guard *guard)
{
	int timed = o->read_timeout_ms > 0 || o->write_timeout_ms > 0 || o->deadline > 0;

	tr->api = api;
	tr->guard = guard;
	tr->clock = dlssl_monotonic;
	tr->deadline = o->deadline;
	tr->fd = -1;
	tr->kind = (enum dl_tkind)t.kind;
	switch (t.kind) {
	case DL_T_FD:
		tr->close_fd = o->close_fd;
		if (attach_fd(tr, t.fd, timed) < 0)
			return -1;
		break;
	case DL_T_FILE:
		if (t.file == NULL) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_transport_file: NULL FILE");
			return -1;
		}
		tr->file = t.file;
		/* (On Windows a C runtime fd is no SOCKET and cannot be polled: never.) */
		if (DLSSL_UNWRAP_FILES && !o->no_unwrap && fileno(tr->file) >= 0) {
			/* Bytes stdio already buffered would be lost: push output first. */
			fflush(tr->file);
			if (attach_fd(tr, fileno(tr->file), timed) < 0)
				return -1;
		} else {
			tr->wait = DL_WAIT_BLOCK;
		}
		break;
	case DL_T_IO:
		if (t.ops == NULL || t.ops->read == NULL || t.ops->write == NULL) {
			dlssl__set_errorx(DLSSL_ERR_USAGE, "dlssl_transport_io: read and write callbacks are required");
			return -1;
		}
		tr->ops = t.ops;
		tr->handle = t.handle;
		/* No fd to poll: a callback's "would block" goes back to the caller. */
		tr->wait = DL_WAIT_NEVER;
		break;
	default:
		dlssl__set_errorx(DLSSL_ERR_USAGE, "invalid transport (make one with dlssl_transport_*)");
		return -1;
	}
	return attach_bio(tr, ssl);
}

void
dlssl__transport_give_back(struct dl_transport *tr)
{
	if (tr->fd < 0)
		return;
	if (tr->fd_flags_changed) {
		(void)dlssl__net_fcntl(tr->fd, F_SETFL, tr->fd_flags);
		tr->fd_flags_changed = 0;
	}
#if defined(SO_NOSIGPIPE) && !DL_HAVE_MSG_NOSIGNAL
	if (tr->nosigpipe_set) {
		int off = 0;

		(void)setsockopt(tr->fd, SOL_SOCKET, SO_NOSIGPIPE, (void *)&off, sizeof(off));
		tr->nosigpipe_set = 0;
	}
#endif
}

/* Give the transport back: restore what attaching changed, close what it owns. */
void
dlssl__transport_release(struct dl_transport *tr)
{
	dlssl__transport_give_back(tr);
	switch (tr->kind) {
	case DL_T_FD:
		if (tr->close_fd && tr->fd >= 0)
			(void)dlssl__sock_close(tr->fd);
		break;
	case DL_T_FILE:
		if (tr->file != NULL)
			(void)fclose(tr->file);
		break;
	case DL_T_IO:
		if (tr->ops != NULL && tr->ops->close != NULL)
			(void)tr->ops->close(tr->handle);
		break;
	}
	tr->fd = -1;
	tr->file = NULL;
	tr->ops = NULL;
}

int
dlssl__transport_set_timed(struct dl_transport *tr)
{
	if (tr->wait != DL_WAIT_BLOCK || tr->fd < 0)
		return 0; /* already polling, or the caller polls */
	if (DL_NONBLOCK_BY_FLAG) {
		if (dlssl__net_fcntl(tr->fd, F_SETFL, tr->fd_flags | O_NONBLOCK) < 0) {
			dlssl__set_error(DLSSL_ERR_IO, "cannot make fd %d non-blocking", tr->fd);
			return -1;
		}
		tr->fd_flags_changed = 1;
	}
	tr->wait = DL_WAIT_POLL; /* elsewhere each call is made non-blocking: see no_wait() */
	return 0;
}

/* For a moment, calls on a blocking fd must not block (on) or may again (off). */
static int
nonblock(struct dl_transport *tr, int on)
{
	if (!DL_NONBLOCK_BY_FLAG || tr->fd < 0 || tr->fd_flags_changed)
		return 0; /* per-call flags follow tr->wait; a timed transport already is */
	return dlssl__net_fcntl(tr->fd, F_SETFL, on ? (tr->fd_flags | O_NONBLOCK) : tr->fd_flags);
}

enum dl_wait
dlssl__transport_hold(struct dl_transport *tr, int calls_too)
{
	enum dl_wait saved = tr->wait;

	tr->wait = DL_WAIT_NEVER;
	if (calls_too && saved == DL_WAIT_BLOCK && tr->fd >= 0)
		(void)nonblock(tr, 1);
	return saved;
}

void
dlssl__transport_unhold(struct dl_transport *tr, enum dl_wait saved, int calls_too)
{
	if (calls_too && saved == DL_WAIT_BLOCK && tr->fd >= 0)
		(void)nonblock(tr, 0);
	tr->wait = saved;
}

/* Milliseconds left before the timeout (to ms from start) or the deadline; -1 for none. */
static int
time_left(const struct dl_transport *tr, int to, double start)
{
	double now = tr->clock(), left = -1;

	if (to > 0)
		left = start + to / 1000.0 - now;
	if (tr->deadline > 0 && (left < 0 || tr->deadline - now < left))
		left = tr->deadline - now;
	if (to <= 0 && tr->deadline <= 0)
		return -1;
	if (left <= 0)
		return 0;
	return left * 1000.0 > INT_MAX ? INT_MAX : (int)(left * 1000.0 + 0.999);
}

int
dlssl__transport_wait(struct dl_transport *tr, int want_read, int timeout_ms)
{
	struct pollfd p;
	double start = tr->clock();
	int fd = tr->fd, left, r;

	/* A FILE used through stdio (no_unwrap) that would block: wait on its fd. */
	if (fd < 0 && tr->file != NULL && DLSSL_UNWRAP_FILES)
		fd = fileno(tr->file);
	if (fd < 0) {
		dlssl__set_errorx(DLSSL_ERR_IO, "the transport would block and has no fd to wait on");
		return -1;
	}
	for (;;) {
		left = time_left(tr, timeout_ms, start);
		if (left == 0) {
			dlssl__set_errorx(DLSSL_ERR_TIMEOUT, "timed out waiting for the peer to %s",
			    want_read ? "send" : "receive");
			return -1;
		}
		p.fd = fd;
		p.events = want_read ? POLLIN : POLLOUT;
		p.revents = 0;
		r = dlssl__net_poll(&p, 1, left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR) {
			dlssl__set_error(DLSSL_ERR_IO, "poll");
			return -1;
		}
	}
}
