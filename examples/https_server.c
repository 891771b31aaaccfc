/*
 * https_server: a small HTTPS server whose private key is protected by a
 * password, as CL+SSL's server example.  The password comes from the
 * environment variable HTTPS_SERVER_PASSWORD through a password callback,
 * so it never shows in the process list.
 *
 *   HTTPS_SERVER_PASSWORD=... https_server [-1] CHAIN KEY [PORT]
 *
 * It listens on 127.0.0.1 (PORT 0, the default, picks a free port), prints
 * "listening on 127.0.0.1:PORT", and answers every request with a page
 * naming the protocol and cipher.  -1 serves one connection and exits.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dlssl.h>

/* OpenSSL asks for the key's password: copy it from the environment. */
static int
password(char *buf, size_t size, int rwflag, void *arg)
{
	const char *p = getenv((const char *)arg);
	size_t n;

	(void)rwflag;
	if (p == NULL || (n = strlen(p)) > size)
		return -1;
	memcpy(buf, p, n);
	return (int)n;
}

static int
listen_on(int port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
	fflush(stdout);
	return fd;
}

/* Read the request head, answer it, close. */
static void
answer(struct dlssl_context *ctx, int fd)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	char req[8192], body[256], head[256];
	size_t got = 0;
	long n;
	int blen, hlen;

	o.context = ctx;
	o.close_fd = 1;
	o.read_timeout_ms = 10000;
	if ((s = dlssl_make_server_stream(dlssl_transport_fd(fd), &o)) == NULL) {
		fprintf(stderr, "https_server: handshake: %s\n", dlssl_error());
		close(fd);
		return;
	}
	while (got < sizeof(req) - 1 && (n = dlssl_read(s, req + got, sizeof(req) - 1 - got)) > 0) {
		got += (size_t)n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	blen = snprintf(body, sizeof(body), "<html><body>Hello over %s with %s</body></html>\n",
	    dlssl_stream_version(s), dlssl_stream_cipher(s));
	hlen = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
	    "Content-Length: %d\r\nConnection: close\r\n\r\n", blen);
	if (dlssl_write(s, head, (size_t)hlen) != hlen || dlssl_write(s, body, (size_t)blen) != blen)
		fprintf(stderr, "https_server: write: %s\n", dlssl_error());
	/* dlssl_close flushes the buffered answer and sends close_notify. */
	if (dlssl_close(s) != 0)
		fprintf(stderr, "https_server: close: %s\n", dlssl_error());
	dlssl_stream_free(s);
}

int
main(int argc, char **argv)
{
	struct dlssl_context_opts c = { 0 };
	struct dlssl_context *ctx;
	int i = 1, once = 0, lfd, fd;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "-1") == 0) {
		once = 1;
		i++;
	}
	if (argc - i < 2 || argc - i > 3) {
		fprintf(stderr, "usage: HTTPS_SERVER_PASSWORD=... https_server [-1] CHAIN KEY [PORT]\n");
		return 1;
	}
	c.certificate_chain_file = argv[i];
	c.private_key_file = argv[i + 1];
	c.password_callback = password;
	c.password_callback_arg = "HTTPS_SERVER_PASSWORD";
	if ((ctx = dlssl_make_context(&c)) == NULL) {
		fprintf(stderr, "https_server: %s\n", dlssl_error());
		return dlssl_error_code() == DLSSL_ERR_LOAD ? 2 : 1;
	}
	if ((lfd = listen_on(argc - i > 2 ? (int)strtol(argv[i + 2], NULL, 10) : 0)) < 0) {
		perror("https_server: listen");
		dlssl_ctx_free(ctx);
		return 4;
	}
	do {
		if ((fd = accept(lfd, NULL, NULL)) >= 0)
			answer(ctx, fd);
	} while (!once);
	close(lfd);
	dlssl_ctx_free(ctx);
	return 0;
}
