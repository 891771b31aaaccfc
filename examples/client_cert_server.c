/*
 * client_cert_server: a TLS server that requires a client certificate
 * signed by a CA it trusts, and prints who connected: the certificate's
 * subject and its SHA-256 fingerprint (what one would pin in an allow list).
 *
 *   client_cert_server [-1] CHAIN KEY CLIENT_CA [PORT]
 *
 * Listens on 127.0.0.1 (PORT 0, the default, picks a free one) and prints
 * "listening on 127.0.0.1:PORT"; for each client, prints "subject: ..." and
 * "sha256: ..." and greets the client by name.  -1 serves one connection
 * and exits 0 if that client was accepted, 3 if its certificate was refused.
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

/* Serve one client: 0 accepted, 3 refused, 4 another failure. */
static int
serve(struct dlssl_context *ctx, int fd)
{
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	struct dlssl_x509 *peer;
	char fp[200], hello[512];
	int n, rc = 0;

	o.context = ctx;
	o.close_fd = 1;
	o.read_timeout_ms = o.write_timeout_ms = 10000;
	if ((s = dlssl_make_server_stream(dlssl_transport_fd(fd), &o)) == NULL) {
		/* No certificate, or one the CA did not sign: DLSSL_ERR_VERIFY. */
		printf("refused: %s\n", dlssl_error());
		fflush(stdout);
		rc = dlssl_error_code() == DLSSL_ERR_VERIFY ? 3 : 4;
		close(fd);
		return rc;
	}
	/* The handshake verified it: the peer certificate is there. */
	if ((peer = dlssl_stream_peer_certificate(s)) == NULL ||
	    dlssl_x509_fingerprint_hex(peer, "sha256", fp, sizeof(fp)) < 0) {
		fprintf(stderr, "client_cert_server: %s\n", dlssl_error());
		rc = 4;
	} else {
		printf("subject: %s\nsha256: %s\n", dlssl_x509_subject(peer), fp);
		fflush(stdout);
		n = snprintf(hello, sizeof(hello), "hello, %s\n", dlssl_x509_subject(peer));
		if (dlssl_write(s, hello, (size_t)n) != n || dlssl_flush(s) != 0)
			rc = 4;
	}
	dlssl_x509_free(peer);
	dlssl_stream_free(s);
	return rc;
}

int
main(int argc, char **argv)
{
	struct dlssl_context_opts c = { 0 };
	struct dlssl_context *ctx;
	int i = 1, once = 0, lfd, fd, rc = 0;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "-1") == 0) {
		once = 1;
		i++;
	}
	if (argc - i < 3 || argc - i > 4) {
		fprintf(stderr, "usage: client_cert_server [-1] CHAIN KEY CLIENT_CA [PORT]\n");
		return 1;
	}
	c.certificate_chain_file = argv[i];
	c.private_key_file = argv[i + 1];
	c.ca_file = argv[i + 2];           /* who may sign client certificates */
	c.no_default_verify_paths = 1;     /* ... and nobody else */
	c.verify_mode = DLSSL_VERIFY_REQUIRED;
	if ((ctx = dlssl_make_context(&c)) == NULL) {
		fprintf(stderr, "client_cert_server: %s\n", dlssl_error());
		return dlssl_error_code() == DLSSL_ERR_LOAD ? 2 : 1;
	}
	if ((lfd = listen_on(argc - i > 3 ? (int)strtol(argv[i + 3], NULL, 10) : 0)) < 0) {
		perror("client_cert_server: listen");
		dlssl_ctx_free(ctx);
		return 4;
	}
	do {
		if ((fd = accept(lfd, NULL, NULL)) >= 0)
			rc = serve(ctx, fd);
	} while (!once);
	close(lfd);
	dlssl_ctx_free(ctx);
	return rc;
}
