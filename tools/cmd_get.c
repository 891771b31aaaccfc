/*
 * dlssl get https://HOST[:PORT]/PATH: one HTTP/1.1 GET with SNI and
 * verification; the body to stdout.  Redirects are followed only with
 * --follow (at most 5); any other status outside 2xx is exit status 4.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "http.h"

#define GET_OPTS CLI_O_ALL
#define GET_MAX_REDIRECTS 5

static int
usage(FILE *f, int rc)
{
	fprintf(f, "usage: dlssl get https://HOST[:PORT]/PATH [options]\n\n"
	    "Fetch a URL with HTTP/1.1 (Host header, SNI, certificate and host-name\n"
	    "verification) and write the body to stdout.  Chunked, Content-Length and\n"
	    "close-delimited bodies are read.  A status outside 2xx is printed to\n"
	    "stderr and ends with exit status 4.\n\n"
	    "options:\n"
	    "  --follow           follow redirects (at most %d, https only)\n"
	    "  --verbose          print the TLS session and the status line to stderr\n",
	    GET_MAX_REDIRECTS);
	cli_opts_help(f, GET_OPTS);
	return rc;
}

static int
send_request(struct dlssl_stream *s, struct cli_link *l, const struct http_url *u)
{
	char req[HTTP_PATH_MAX + 2 * CLI_HOST_MAX + 256], host[CLI_HOST_MAX + CLI_PORT_MAX + 4];
	int n;

	if (strcmp(u->port, "443") == 0)
		snprintf(host, sizeof(host), strchr(u->host, ':') ? "[%s]" : "%s", u->host);
	else
		cli_join_hostport(host, sizeof(host), u->host, u->port);
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: dlssl/%s\r\n"
	    "Accept: */*\r\nConnection: close\r\n\r\n", u->path, host, PACKAGE_VERSION);
	if (n < 0 || (size_t)n >= sizeof(req)) {
		fprintf(stderr, "dlssl get: request too long\n");
		return EXIT_USAGE;
	}
	if (dlssl_write(s, req, (size_t)n) != n || dlssl_flush(s) != 0)
		return cli_link_fail(l, "get", "send the request");
	return EXIT_OK;
}

/* One request: exit code; *resp tells the status and where a redirect goes. */
static int
fetch(const struct cli_opts *o, struct dlssl_context *ctx, const struct http_url *u,
    struct http_response *resp, int follow, int verbose)
{
	static struct http_reader r;
	struct cli_link l;
	int fd, rc, redirect;

	if ((fd = cli_tcp_connect("get", u->host, u->port, o->timeout_ms, &rc)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.l = &l;
	if ((r.s = cli_link_open(&l, fd, 0, ctx, o, o->servername ? o->servername : u->host)) == NULL)
		return cli_link_fail(&l, "get", "handshake");
	/* Always, per connection: a redirect to the same server may resume the session. */
	fprintf(stderr, "dlssl get: %s:%s session: %s\n", u->host, u->port,
	    dlssl_stream_session_reused(r.s) == 1 ? "resumed" : "new");
	if (verbose)
		fprintf(stderr, "dlssl get: %s:%s %s, %s\n", u->host, u->port,
		    dlssl_stream_version(r.s), dlssl_stream_cipher(r.s));
	if ((rc = send_request(r.s, &l, u)) == EXIT_OK &&
	    (rc = http_read_head(&r, resp)) == EXIT_OK) {
		if (verbose)
			fprintf(stderr, "dlssl get: %s\n", resp->status_line);
		redirect = follow && resp->status / 100 == 3 && resp->location[0] != '\0';
		if (resp->status / 100 == 2)
			rc = http_read_body(&r, resp, 0, STDOUT_FILENO);
		else if (!redirect) {
			fprintf(stderr, "dlssl get: %s%s%s%s\n", resp->status_line,
			    resp->location[0] ? " (Location: " : "", resp->location,
			    resp->location[0] ? "; --follow follows it)" : "");
			rc = EXIT_TLS;
		}
	}
	return cli_link_close(&l, r.s, "get", rc);
}

static int
run(const struct cli_opts *o, const char *url, int follow, int verbose)
{
	struct dlssl_context *ctx = NULL;
	struct http_url u, next;
	struct http_response resp;
	char err[HTTP_PATH_MAX + 128];
	int rc, hops;

	if (http_parse_url(url, &u, err, sizeof(err)) < 0) {
		fprintf(stderr, "dlssl get: %s\n", err);
		return EXIT_USAGE;
	}
	if ((rc = cli_load(o->libssl)) != EXIT_OK)
		return rc;
	if ((rc = cli_client_context("get", o, &ctx)) != EXIT_OK)
		return rc;
#ifdef _WIN32
	cli_win_binary_stdio(); /* the body as it is, no CRLF */
#endif
	for (hops = 0;; hops++) {
		if ((rc = fetch(o, ctx, &u, &resp, follow, verbose)) != EXIT_OK ||
		    resp.status / 100 == 2)
			break;
		if (hops == GET_MAX_REDIRECTS) {
			fprintf(stderr, "dlssl get: more than %d redirects\n", GET_MAX_REDIRECTS);
			rc = EXIT_TLS;
			break;
		}
		if (http_follow(&u, resp.location, &next, err, sizeof(err)) < 0) {
			fprintf(stderr, "dlssl get: %s\n", err);
			rc = EXIT_TLS;
			break;
		}
		if (verbose)
			fprintf(stderr, "dlssl get: following %s to https://%s:%s%s\n",
			    resp.status_line, next.host, next.port, next.path);
		u = next;
	}
	dlssl_ctx_free(ctx);
	return rc;
}

int
cmd_get(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	const char *url = NULL;
	int i, r, follow = 0, verbose = 0, rc = EXIT_USAGE;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			rc = usage(stdout, EXIT_OK);
			goto out;
		}
		if ((r = cli_opt_common(&o, GET_OPTS, "get", argc, argv, &i)) != 0) {
			if (r < 0)
				goto out;
		} else if (strcmp(argv[i], "--follow") == 0 || strcmp(argv[i], "-L") == 0) {
			follow = 1;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			verbose = 1;
		} else if (argv[i][0] != '-' && url == NULL) {
			url = argv[i];
		} else {
			cli_unknown("get", argv[i]);
			goto out;
		}
	}
	if (url == NULL) {
		fprintf(stderr, "usage: dlssl get https://HOST[:PORT]/PATH [options] (try --help)\n");
		goto out;
	}
	rc = run(&o, url, follow, verbose);
out:
	cli_opts_free(&o);
	return rc;
}
