/* Socket helpers of the Windows stream tests (tests/win32/wtnet.h). */
#include "config.h"

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "wintest.h"
#include "wtnet.h"

int
wt_tcp_pair(SOCKET *a, SOCKET *b)
{
	struct sockaddr_in sin;
	int len = sizeof(sin), e;
	SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

	*a = *b = INVALID_SOCKET;
	if (l == INVALID_SOCKET)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(l, 1) != 0 ||
	    getsockname(l, (struct sockaddr *)&sin, &len) != 0)
		goto fail;
	if ((*a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET ||
	    connect(*a, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    (*b = accept(l, NULL, NULL)) == INVALID_SOCKET)
		goto fail;
	closesocket(l);
	return 0;
fail:
	e = WSAGetLastError();
	closesocket(l);
	if (*a != INVALID_SOCKET)
		closesocket(*a);
	*a = INVALID_SOCKET;
	WSASetLastError(e);
	return -1;
}

int
wt_is_blocking(SOCKET s)
{
	DWORD to = 150;
	char c;
	int r, e;

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&to, sizeof(to));
	r = recv(s, &c, 1, MSG_PEEK);
	e = WSAGetLastError();
	to = 0;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&to, sizeof(to));
	if (r == SOCKET_ERROR && e == WSAEWOULDBLOCK)
		return 0;
	if (r == SOCKET_ERROR && e == WSAETIMEDOUT)
		return 1;
	return -1;
}

/* ---- the server thread ---- */

#define SFAIL(...) \
	do { \
		snprintf(sv->msg, sizeof(sv->msg), __VA_ARGS__); \
		goto out; \
	} while (0)

static int
sink(struct wt_server *sv, struct dlssl_stream *s)
{
	static unsigned char buf[65536];
	size_t step = sv->slow ? 4096 : sizeof(buf);
	long n, k;
	int reads = 0;

	if (sv->slow)
		Sleep(300);
	while ((n = dlssl_read(s, buf, step)) > 0) {
		for (k = 0; k < n; k++)
			if (buf[k] != wt_pattern(sv->got + (unsigned long long)k)) {
				snprintf(sv->msg, sizeof(sv->msg), "byte %llu differs",
				    sv->got + (unsigned long long)k);
				return -1;
			}
		sv->got += (unsigned long long)n;
		if (sv->slow && ++reads % 16 == 0)
			Sleep(5);
	}
	if (n != 0) {
		snprintf(sv->msg, sizeof(sv->msg), "sink read: %ld %s", n, dlssl_error());
		return -1;
	}
	return 0;
}

static DWORD WINAPI
server_main(LPVOID arg)
{
	struct wt_server *sv = arg;
	struct dlssl_stream_opts o;
	struct dlssl_stream *s = NULL;
	struct dlssl_x509 *peer;
	static unsigned char buf[65536];
	long n;

	memset(&o, 0, sizeof(o));
	o.context = sv->ctx;
	o.close_fd = 1;
	if (sv->script == WT_LATE)
		WaitForSingleObject(sv->go, INFINITE);
	if ((s = dlssl_make_server_stream(dlssl_transport_fd(wt_sockfd(sv->sock)), &o)) == NULL) {
		sv->err = dlssl_error_code();
		SFAIL("server stream: %s", dlssl_error());
	}
	sv->sock = INVALID_SOCKET; /* the stream owns it now */
	if ((peer = dlssl_stream_peer_certificate(s)) != NULL) {
		snprintf(sv->peer, sizeof(sv->peer), "%s", dlssl_x509_subject(peer));
		dlssl_x509_free(peer);
	}
	switch (sv->script) {
	case WT_ECHO:
		while ((n = dlssl_read(s, buf, sizeof(buf))) > 0)
			if (dlssl_write(s, buf, (size_t)n) != n || dlssl_flush(s) != 0)
				SFAIL("echo write: %s", dlssl_error());
		if (n != 0)
			SFAIL("echo read: %ld %s", n, dlssl_error());
		break;
	case WT_ECHO_WAIT:
		if (dlssl_read_fully(s, buf, 5) != 5 || dlssl_write(s, buf, 5) != 5 ||
		    dlssl_flush(s) != 0)
			SFAIL("echo: %s", dlssl_error());
		WaitForSingleObject(sv->done, INFINITE);
		break;
	case WT_SINK:
		if (sink(sv, s) < 0)
			goto out;
		break;
	case WT_SILENT:
	case WT_SILENT_NOREAD:
		WaitForSingleObject(sv->done, INFINITE);
		break;
	case WT_LATE:
		WaitForSingleObject(sv->go2, INFINITE);
		if (dlssl_write(s, "x", 1) != 1 || dlssl_flush(s) != 0)
			SFAIL("late write: %s", dlssl_error());
		WaitForSingleObject(sv->done, INFINITE);
		break;
	case WT_FIN:
		dlssl_close_abort(s); /* no close_notify; closes the socket */
		break;
	case WT_RESET: {
		struct linger lg = { 1, 0 };
		SOCKET raw = (SOCKET)(intptr_t)dlssl_stream_fd(s);

		WaitForSingleObject(sv->go, INFINITE);
		setsockopt(raw, SOL_SOCKET, SO_LINGER, (const char *)&lg, sizeof(lg));
		dlssl_close_abort(s);
		break;
	}
	case WT_HANDSHAKE:
		break;
	}
	sv->ok = 1;
out:
	dlssl_stream_free(s);
	if (sv->sock != INVALID_SOCKET)
		closesocket(sv->sock);
	return 0;
}

void
wt_server_start(struct wt_server *sv, SOCKET sock, struct dlssl_context *ctx,
    enum wt_script script)
{
	int slow = sv->slow;

	memset(sv, 0, sizeof(*sv));
	sv->sock = sock;
	sv->ctx = ctx;
	sv->script = script;
	sv->slow = slow;
	sv->go = CreateEventW(NULL, TRUE, FALSE, NULL);
	sv->go2 = CreateEventW(NULL, TRUE, FALSE, NULL);
	sv->done = CreateEventW(NULL, TRUE, FALSE, NULL);
	sv->thread = CreateThread(NULL, 0, server_main, sv, 0, NULL);
}

int
wt_server_join(struct wt_server *sv)
{
	SetEvent(sv->go);
	SetEvent(sv->go2);
	SetEvent(sv->done);
	if (WaitForSingleObject(sv->thread, 60000) != WAIT_OBJECT_0) {
		snprintf(sv->msg, sizeof(sv->msg), "the server thread hangs");
		return 0;
	}
	CloseHandle(sv->thread);
	CloseHandle(sv->go);
	CloseHandle(sv->go2);
	CloseHandle(sv->done);
	return sv->ok;
}

const char *
wt_reset_case(struct dlssl_context *server_ctx, struct dlssl_stream_opts o)
{
	SOCKET a, b;
	struct wt_server sv = { 0 };
	struct dlssl_stream *s;
	static char buf[4096];
	const char *why = NULL;
	int r = 0, i;

	if (wt_tcp_pair(&a, &b) != 0)
		return wt_str("socket pair: %d", WSAGetLastError());
	wt_server_start(&sv, b, server_ctx, WT_RESET);
	if ((s = dlssl_make_client_stream(dlssl_transport_fd(wt_sockfd(a)), &o)) == NULL) {
		why = wt_str("client: %s", dlssl_error());
		wt_server_join(&sv);
		closesocket(a);
		return why;
	}
	/* Data the server never reads: closing over it resets the connection. */
	if (dlssl_write(s, "unread", 6) != 6 || dlssl_flush(s) != 0)
		why = wt_str("write: %s", dlssl_error());
	Sleep(100);
	if (!wt_server_join(&sv) && why == NULL)
		why = wt_str("server: %s", sv.msg);
	Sleep(100);
	for (i = 0; why == NULL && i < 10 && r == 0; i++)
		r = dlssl_write(s, buf, sizeof(buf)) < 0 ? -1 : dlssl_flush(s);
	if (why == NULL && (r != -1 || dlssl_error_code() != DLSSL_ERR_IO))
		why = wt_str("write after the reset: %d %d %s", r, dlssl_error_code(), dlssl_error());
	else if (why == NULL && !wt_contains(dlssl_error(), "Connection reset by peer") &&
	    !wt_contains(dlssl_error(), "Broken pipe") &&
	    !wt_contains(dlssl_error(), "Software caused connection abort"))
		why = wt_str("not a reset: %s", dlssl_error());
	dlssl_stream_free(s);
	closesocket(a);
	return why;
}
