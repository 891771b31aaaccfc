/*
 * https_get: fetch a page over HTTPS and print the response, as CL+SSL's
 * client example does: connect a socket, wrap it in a TLS client stream
 * that verifies the server's certificate and name, then speak HTTP through
 * a stdio FILE over the stream.
 *
 *   https_get [-c CAFILE] HOST [PORT [PATH]]
 *
 * -c trusts the CA certificates in CAFILE instead of the system's.
 * Build: cc https_get.c $(pkg-config --cflags --libs dlssl)
 */
#define _POSIX_C_SOURCE 200809L

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dlssl.h>

/* A TCP connection to host:port, or -1. */
static int
tcp_connect(const char *host, const char *port)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

int
main(int argc, char **argv)
{
	struct dlssl_context_opts copts = { 0 };
	struct dlssl_stream_opts sopts = { 0 };
	struct dlssl_context *ctx;
	struct dlssl_stream *s;
	const char *cafile = NULL, *host, *port = "443", *path = "/";
	char line[4096];
	FILE *f;
	int fd, i = 1;

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		cafile = argv[2];
		i = 3;
	}
	if (argc - i < 1 || argc - i > 3) {
		fprintf(stderr, "usage: https_get [-c CAFILE] HOST [PORT [PATH]]\n");
		return 1;
	}
	host = argv[i];
	if (argc - i > 1)
		port = argv[i + 1];
	if (argc - i > 2)
		path = argv[i + 2];

	/* A context: verification is on by default; trust CAFILE only if given. */
	copts.ca_file = cafile;
	copts.no_default_verify_paths = cafile != NULL;
	if ((ctx = dlssl_make_context(&copts)) == NULL) {
		fprintf(stderr, "https_get: %s\n", dlssl_error());
		return dlssl_error_code() == DLSSL_ERR_LOAD ? 2 : 1;
	}
	if ((fd = tcp_connect(host, port)) < 0) {
		fprintf(stderr, "https_get: cannot connect to %s port %s\n", host, port);
		dlssl_ctx_free(ctx);
		return 4;
	}

	/* The handshake happens here; host names are sent as SNI and checked. */
	sopts.context = ctx;
	sopts.hostname = host;
	sopts.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(fd), &sopts);
	dlssl_ctx_free(ctx); /* the stream holds its own reference */
	if (s == NULL) {
		fprintf(stderr, "https_get: %s\n", dlssl_error());
		close(fd); /* still ours when the stream could not be made */
		return dlssl_error_code() == DLSSL_ERR_VERIFY ? 3 : 4;
	}
	fprintf(stderr, "https_get: %s, %s\n", dlssl_stream_version(s), dlssl_stream_cipher(s));

	/* Line I/O through stdio; fclose() closes and frees the stream. */
	if ((f = dlssl_stream_fdopen(s, "r+")) == NULL) {
		fprintf(stderr, "https_get: %s\n", dlssl_error());
		dlssl_stream_free(s);
		return 4;
	}
	fprintf(f, "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
	fflush(f);
	while (fgets(line, sizeof(line), f) != NULL)
		fputs(line, stdout);
	i = ferror(f);
	if (fclose(f) != 0 || i) {
		fprintf(stderr, "https_get: the connection failed before the end\n");
		return 4;
	}
	return 0;
}
