/*
 * dlssl connect HOST:PORT: stdin to the peer, the peer to stdout, like
 * `openssl s_client -quiet`.  When stdin ends, the peer's answer is still
 * read until the peer closes (or --close-on-eof closes at once).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "net.h"
#include "relay.h"

#define CONNECT_OPTS CLI_O_ALL

static int
usage(FILE *f, int rc)
{
	fprintf(f, "usage: dlssl connect HOST:PORT [options]\n\n"
	    "Open a TLS connection (verifying the server's certificate and name by\n"
	    "default), copy stdin to it and what it sends to stdout.  HOST may be a\n"
	    "name, an IPv4 address or an IPv6 address in brackets ([::1]:443).  At\n"
	    "the end of stdin the peer's answer is still read until it closes.\n\n"
	    "options:\n"
	    "  --close-on-eof     close the connection when stdin ends\n"
	    "  --verbose          print the protocol, cipher and peer to stderr\n");
	cli_opts_help(f, CONNECT_OPTS);
	fprintf(f, "\nexit status: 0 the peer closed cleanly, 1 usage, 2 no libssl,\n"
	    "3 verification failed, 4 other TLS or I/O error, 5 timeout\n");
	return rc;
}

static void
describe(struct dlssl_stream *s)
{
	struct dlssl_x509 *peer = dlssl_stream_peer_certificate(s);
	const char *alpn = dlssl_stream_alpn(s);

	fprintf(stderr, "dlssl connect: %s, %s%s%s, peer %s\n", dlssl_stream_version(s),
	    dlssl_stream_cipher(s), alpn ? ", ALPN " : "", alpn ? alpn : "",
	    peer ? dlssl_x509_subject(peer) : "(no certificate)");
	dlssl_x509_free(peer);
}

static int
run(const struct cli_opts *o, const char *target, int close_on_eof, int verbose)
{
	char host[CLI_HOST_MAX], port[CLI_PORT_MAX];
	struct dlssl_context *ctx = NULL;
	struct dlssl_stream *s;
	struct cli_link l;
	struct cli_relay r;
	int fd, rc;

	if (cli_split_hostport(target, NULL, host, sizeof(host), port, sizeof(port)) < 0) {
		fprintf(stderr, "dlssl connect: '%s' is not HOST:PORT (IPv6: [ADDR]:PORT)\n", target);
		return EXIT_USAGE;
	}
	if ((rc = cli_load(o->libssl)) != EXIT_OK)
		return rc;
	if ((rc = cli_client_context("connect", o, &ctx)) != EXIT_OK)
		return rc;
	if ((fd = cli_tcp_connect("connect", host, port, o->timeout_ms, &rc)) < 0) {
		dlssl_ctx_free(ctx);
		return rc;
	}
	s = cli_link_open(&l, fd, 0, ctx, o, o->servername ? o->servername : host);
	dlssl_ctx_free(ctx);
	if (s == NULL)
		return cli_link_fail(&l, "connect", "handshake");
	/* Always: a resumed session skipped the certificate exchange (dlssl checked it again). */
	fprintf(stderr, "dlssl connect: session: %s\n",
	    dlssl_stream_session_reused(s) == 1 ? "resumed" : "new");
	if (verbose)
		describe(s);
#ifdef _WIN32
	cli_win_binary_stdio(); /* the peer's bytes as they are, no CRLF */
#endif
	memset(&r, 0, sizeof(r));
	r.cmd = "connect";
	r.in_fd = STDIN_FILENO;
	r.out_fd = STDOUT_FILENO;
	r.in_eof_ends = close_on_eof;
	r.idle_ms = o->timeout_ms;
	rc = cli_relay(&r, s, &l);
	return cli_link_close(&l, s, "connect", rc);
}

int
cmd_connect(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	const char *target = NULL;
	int i, r, close_on_eof = 0, verbose = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_opts_free(&o);
			return usage(stdout, EXIT_OK);
		}
		if ((r = cli_opt_common(&o, CONNECT_OPTS, "connect", argc, argv, &i)) != 0) {
			if (r < 0)
				goto usage_error;
		} else if (strcmp(argv[i], "--close-on-eof") == 0) {
			close_on_eof = 1;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			verbose = 1;
		} else if (argv[i][0] != '-' && target == NULL) {
			target = argv[i];
		} else {
			cli_unknown("connect", argv[i]);
			goto usage_error;
		}
	}
	if (target == NULL) {
		fprintf(stderr, "usage: dlssl connect HOST:PORT [options] (try --help)\n");
		goto usage_error;
	}
	rc = run(&o, target, close_on_eof, verbose);
	cli_opts_free(&o);
	return rc;
usage_error:
	cli_opts_free(&o);
	return EXIT_USAGE;
}
