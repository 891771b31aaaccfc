/*
 * Socket helpers shared by the Windows stream tests (check_transport.c
 * with the mock OpenSSL, check_real.c with the real DLLs).
 */
#ifndef DLSSL_TEST_WTNET_H
#define DLSSL_TEST_WTNET_H

#include <winsock2.h>
#include <windows.h>
#include <stdint.h>

#include "dlssl.h"

/* A SOCKET as the int dlssl_transport_fd() takes (include/dlssl.h). */
static inline int
wt_sockfd(SOCKET s)
{
	return (int)s;
}

/* A connected loopback TCP pair: 0, or -1 (WSAGetLastError says why). */
int wt_tcp_pair(SOCKET *a, SOCKET *b);
/*
 * Is the socket in blocking mode?  Windows cannot say: a timed recv tells.
 * 1 blocking, 0 non-blocking, -1 no answer (data, EOF or another error).
 */
int wt_is_blocking(SOCKET s);
/* The byte at offset i of the test streams. */
static inline unsigned char
wt_pattern(unsigned long long i)
{
	return (unsigned char)(i * 7 + (i >> 9));
}

/*
 * A server stream in a thread of its own, following a script, on one end
 * of a pair (the other is the test's client).
 */
enum wt_script {
	WT_ECHO,	/* echo until the client's close_notify, then close */
	WT_ECHO_WAIT,	/* echo 5 bytes, then wait for done */
	WT_SINK,	/* read everything, checking wt_pattern (slow: lagging) */
	WT_SILENT,	/* handshake, then wait for done; then close */
	WT_SILENT_NOREAD,/* handshake, then wait for done without reading */
	WT_LATE,	/* handshake on go, send "x" on go2, close on done */
	WT_FIN,		/* handshake, then close the socket without close_notify */
	WT_RESET,	/* handshake; on go reset the connection (linger 0, unread data) */
	WT_HANDSHAKE,	/* handshake only (it may fail: see ok and err) */
};

struct wt_server {
	SOCKET sock;
	struct dlssl_context *ctx;
	enum wt_script script;
	int slow;		/* WT_SINK: wait 300 ms, then read in small, spaced steps */
	HANDLE go, go2, done, thread;
	int ok;			/* the script succeeded */
	int err;		/* dlssl_error_code() when the stream could not be made */
	char msg[512];		/* what failed */
	char peer[256];		/* the client certificate's subject, if any */
	unsigned long long got;	/* WT_SINK: bytes read */
};

/* Start the script on SOCK (the stream takes it) with CTX. */
void wt_server_start(struct wt_server *sv, SOCKET sock, struct dlssl_context *ctx,
    enum wt_script script);
/* Let the server go on (go, go2, done) and wait for it; 1 if its script succeeded. */
int wt_server_join(struct wt_server *sv);

/*
 * A reset: the server resets the connection over data it never read; the
 * client's next writes fail with WSAECONNRESET, which must come out as
 * DLSSL_ERR_IO saying "Connection reset by peer" (or, as wine may report
 * it, a broken pipe or an aborted connection).  Windows reports it to recv
 * and send; wine's recv returns 0 after a reset, so the client sends.
 * NULL, or what went wrong (in the wintest arena).
 */
const char *wt_reset_case(struct dlssl_context *server_ctx, struct dlssl_stream_opts o);

#endif
