/*
 * starttls: upgrade a plain connection to TLS on the same socket, as SMTP,
 * IMAP and XMPP do.  Both sides speak a line protocol in the clear, agree
 * on STARTTLS, then hand the same fd to dlssl.
 *
 *   starttls server CHAIN KEY          listen on 127.0.0.1 (a free port, printed
 *                                      as "listening on 127.0.0.1:PORT"), serve once
 *   starttls client HOST PORT CAFILE   connect, upgrade, say hello, print the answer
 *
 * The one trap: nothing may read past the plain "go ahead" line, or the
 * first bytes of the TLS handshake would be lost in a buffer.  So the plain
 * part reads the socket one byte at a time and never through stdio.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dlssl.h>

/* One plain line without its CRLF, read a byte at a time: 0, or -1. */
static int
plain_line(int fd, char *buf, size_t size)
{
	size_t n = 0;
	char c;

	while (read(fd, &c, 1) == 1) {
		if (c == '\n') {
			if (n > 0 && buf[n - 1] == '\r')
				n--;
			buf[n] = '\0';
			return 0;
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
	return -1;
}

static int
plain_send(int fd, const char *line)
{
	size_t n = strlen(line);

	return write(fd, line, n) == (ssize_t)n && write(fd, "\r\n", 2) == 2 ? 0 : -1;
}

/* One line over TLS (stdio-free, like the plain part): 0, or -1. */
static int
tls_line(struct dlssl_stream *s, char *buf, size_t size)
{
	size_t n = 0;
	char c;

	while (dlssl_read(s, &c, 1) == 1) {
		if (c == '\n') {
			if (n > 0 && buf[n - 1] == '\r')
				n--;
			buf[n] = '\0';
			return 0;
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
	return -1;
}

static int
tls_send(struct dlssl_stream *s, const char *line)
{
	size_t n = strlen(line);

	return dlssl_write(s, line, n) == (long)n && dlssl_write(s, "\r\n", 2) == 2 &&
	    dlssl_flush(s) == 0 ? 0 : -1;
}

static int
server(const char *chain, const char *key)
{
	struct dlssl_context_opts c = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_context *ctx;
	struct dlssl_stream *s = NULL;
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	char line[512], reply[600];
	int lfd, fd;

	c.certificate_chain_file = chain;
	c.private_key_file = key;
	if ((ctx = dlssl_make_context(&c)) == NULL) {
		fprintf(stderr, "starttls server: %s\n", dlssl_error());
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 1) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) < 0) {
		perror("starttls server");
		return 4;
	}
	printf("listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	close(lfd);
	if (fd < 0)
		return 4;
	/* The plain part. */
	plain_send(fd, "220 starttls example ready");
	while (plain_line(fd, line, sizeof(line)) == 0) {
		if (strcmp(line, "STARTTLS") == 0) {
			plain_send(fd, "220 go ahead");
			break;
		}
		plain_send(fd, "500 say STARTTLS first");
	}
	/* The upgrade: the same fd, now owned by the stream. */
	o.context = ctx;
	o.close_fd = 1;
	if ((s = dlssl_make_server_stream(dlssl_transport_fd(fd), &o)) == NULL) {
		fprintf(stderr, "starttls server: handshake: %s\n", dlssl_error());
		close(fd);
		dlssl_ctx_free(ctx);
		return 4;
	}
	while (tls_line(s, line, sizeof(line)) == 0 && strcmp(line, "QUIT") != 0) {
		snprintf(reply, sizeof(reply), "250 over %s you said: %s", dlssl_stream_version(s), line);
		tls_send(s, reply);
	}
	tls_send(s, "221 bye");
	dlssl_stream_free(s);
	dlssl_ctx_free(ctx);
	return 0;
}

static int
client(const char *host, const char *port, const char *cafile)
{
	struct dlssl_context_opts c = { 0 };
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_context *ctx;
	struct dlssl_stream *s;
	struct addrinfo hints, *res;
	char line[512];
	int fd, rc = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return 4;
	fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
	if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
		perror("starttls client: connect");
		freeaddrinfo(res);
		return 4;
	}
	freeaddrinfo(res);
	/* The plain part: greeting, STARTTLS, "220 go ahead". */
	if (plain_line(fd, line, sizeof(line)) < 0 || plain_send(fd, "STARTTLS") < 0 ||
	    plain_line(fd, line, sizeof(line)) < 0 || strncmp(line, "220", 3) != 0) {
		fprintf(stderr, "starttls client: the server did not agree to STARTTLS\n");
		close(fd);
		return 4;
	}
	c.ca_file = cafile;
	c.no_default_verify_paths = 1;
	if ((ctx = dlssl_make_context(&c)) == NULL) {
		fprintf(stderr, "starttls client: %s\n", dlssl_error());
		close(fd);
		return 1;
	}
	o.context = ctx;
	o.hostname = host;
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(fd), &o);
	dlssl_ctx_free(ctx);
	if (s == NULL) {
		fprintf(stderr, "starttls client: handshake: %s\n", dlssl_error());
		close(fd);
		return dlssl_error_code() == DLSSL_ERR_VERIFY ? 3 : 4;
	}
	if (tls_send(s, "HELLO from the client") < 0 || tls_line(s, line, sizeof(line)) < 0) {
		fprintf(stderr, "starttls client: %s\n", dlssl_error());
		rc = 4;
	} else {
		printf("%s\n", line);
		tls_send(s, "QUIT");
		if (tls_line(s, line, sizeof(line)) == 0)
			printf("%s\n", line);
	}
	dlssl_stream_free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc == 4 && strcmp(argv[1], "server") == 0)
		return server(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "client") == 0)
		return client(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: starttls server CHAIN KEY\n"
	    "       starttls client HOST PORT CAFILE\n");
	return 1;
}
