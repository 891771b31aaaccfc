/*
 * dlssl demo: a TLS server and a client in one process on 127.0.0.1, with
 * the built-in test CA of demo_pki.c.  The client verifies the chain and the
 * host name, has a line echoed, checks that a wrong host name is refused,
 * measures an upload, and prints a summary on stdout.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "demo.h"
#include "demo_pki.h"
#include "net.h"

#define DEMO_OPTS (CLI_O_TRANSPORT | CLI_O_LIBSSL)
#define DEMO_TIMEOUT_MS 60000
#define DEMO_MESSAGE "hello over TLS from dlssl demo\n"
#define DEMO_CHUNK 65536

struct demo {
	struct cli_opts o;
	long mib;
	char where[CLI_HOST_MAX + CLI_PORT_MAX + 4];
	char port[CLI_PORT_MAX];
	struct dlssl_context *cctx;
	struct demo_server sv;
};

static const char *const transport_names[] = { "fd", "io", "file" };
static const char *const transport_text[] = {
	"fd (dlssl_transport_fd on the socket)",
	"io (dlssl_transport_io: read/write callbacks)",
	"file (dlssl_transport_file on a FILE from fdopen)"
};

static int
usage(FILE *f, int rc)
{
	fprintf(f, "usage: dlssl demo [--mib N] [--transport fd|io|file] [--libssl PATH]\n\n"
	    "Run a TLS server and a client in this process on 127.0.0.1, with a\n"
	    "built-in test CA and a certificate for localhost.  The client verifies\n"
	    "the chain and the host name, has a line echoed, checks that a wrong\n"
	    "host name is refused and sends N MiB (default 64; 0 skips it) to measure\n"
	    "throughput.  Prints a summary; needs no files and no network.\n");
	return rc;
}

#ifdef _WIN32
#define CA_TEMPLATE "%s\\dlssl-demo-ca.XXXXXX"

/* Windows: %TMP% or %TEMP% (as GetTempPath), else the current directory. */
static const char *
tmp_dir(void)
{
	const char *t = cli_getenv("TMP");

	if (t == NULL || *t == '\0')
		t = cli_getenv("TEMP");
	return t != NULL && *t != '\0' ? t : ".";
}
#else
#define CA_TEMPLATE "%s/dlssl-demo-ca.XXXXXX"

static const char *
tmp_dir(void)
{
	const char *tmp = cli_getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}
#endif

/* A client context trusting only the demo CA (written to a temporary file). */
static int
client_context(struct demo *d)
{
	struct dlssl_context_opts c = { 0 };
	char path[4096];
	size_t n = strlen(demo_ca_pem);
	int fd, rc = EXIT_OK;

	snprintf(path, sizeof(path), CA_TEMPLATE, tmp_dir());
	if ((fd = mkstemp(path)) < 0 || write(fd, demo_ca_pem, n) != (ssize_t)n) {
		fprintf(stderr, "dlssl demo: cannot write the demo CA to %s: %s\n", path,
		    cli_strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		return EXIT_TLS;
	}
	close(fd);
	c.ca_file = path;
	c.no_default_verify_paths = 1;
	c.verify_mode = DLSSL_VERIFY_REQUIRED;
	if ((d->cctx = dlssl_make_context(&c)) == NULL)
		rc = cli_fail("client context");
	unlink(path);
	return rc;
}

static int
server_context(struct demo *d)
{
	struct dlssl_context_opts c = { 0 };

	c.certificate_chain_data = demo_server_cert_pem;
	c.certificate_chain_len = strlen(demo_server_cert_pem);
	c.private_key_data = demo_server_key_pem;
	c.private_key_len = strlen(demo_server_key_pem);
	c.no_default_verify_paths = 1;
	if ((d->sv.ctx = dlssl_make_context(&c)) == NULL)
		return cli_fail("server context");
	return EXIT_OK;
}

/*
 * A verified client stream to the demo server, or NULL: *rc is set when the
 * TCP connection failed (and was reported), else dlssl_error() says why.
 */
static struct dlssl_stream *
connect_to(struct demo *d, struct cli_link *l, const char *hostname, int *rc)
{
	int fd;

	*rc = EXIT_OK;
	if ((fd = cli_tcp_connect("demo", "127.0.0.1", d->port, DEMO_TIMEOUT_MS, rc)) < 0)
		return NULL;
	return cli_link_open(l, fd, 0, d->cctx, &d->o, hostname);
}

static void
print_library(void)
{
	const struct dlssl_library_info *i = dlssl_library_info();

	printf("library:      %s\n", i->version_text);
	printf("libssl:       %s (source: %s)\n", i->libssl_path, dlssl_source_name(i->source));
	printf("libcrypto:    %s\n", i->libcrypto_path);
}

/* The peer and how it was verified. */
static int
print_session(struct dlssl_stream *s)
{
	struct dlssl_x509 *peer = dlssl_stream_peer_certificate(s);
	long v = dlssl_stream_verify_result(s);
	int host_ok;

	if (peer == NULL)
		return cli_fail("demo: peer certificate");
	host_ok = dlssl_check_host(peer, "localhost") == 1;
	printf("protocol:     %s\n", dlssl_stream_version(s));
	printf("cipher:       %s\n", dlssl_stream_cipher(s));
	printf("peer:         %s\n", dlssl_x509_subject(peer));
	printf("issuer:       %s\n", dlssl_x509_issuer(peer));
	dlssl_x509_free(peer);
	if (v != 0 || !host_ok) {
		fprintf(stderr, "dlssl demo: the server was not verified (X509_V_ERR %ld)\n", v);
		return EXIT_VERIFY;
	}
	printf("verification: verified: chain up to the demo CA (X509_V_OK), host name localhost\n");
	return EXIT_OK;
}

static int
echo(struct dlssl_stream *s, struct cli_link *l)
{
	char buf[sizeof(DEMO_MESSAGE)];
	size_t n = sizeof(DEMO_MESSAGE) - 1;

	if (dlssl_write(s, DEMO_MESSAGE, n) != (long)n || dlssl_flush(s) != 0 ||
	    dlssl_read_fully(s, buf, n) != (long)n)
		return cli_link_fail(l, "demo", "echo");
	if (memcmp(buf, DEMO_MESSAGE, n) != 0) {
		fprintf(stderr, "dlssl demo: the echo came back changed\n");
		return EXIT_TLS;
	}
	printf("echo:         \"%.*s\" came back unchanged\n", (int)n - 1, DEMO_MESSAGE);
	return EXIT_OK;
}

/*
 * A line of at most 50 dots on a terminal, once the upload has taken more
 * than a second: one per fiftieth of it.
 */
static void
progress(double start, unsigned long long sent, unsigned long long total, int *dots)
{
	unsigned long long step = total / 50 > DEMO_CHUNK ? total / 50 : DEMO_CHUNK;

	if (sent / step == (sent - DEMO_CHUNK) / step || !isatty(STDERR_FILENO) ||
	    dlssl_monotonic() - start < 1.0)
		return;
	fprintf(stderr, "%s.", *dots ? "" : "dlssl demo: sending ");
	*dots = 1;
}

static int
throughput(struct demo *d, struct dlssl_stream *s, struct cli_link *l)
{
	static unsigned char chunk[DEMO_CHUNK];
	unsigned long long total = (unsigned long long)d->mib << 20, sent;
	char head[64], reply[64];
	double start, secs;
	long r;
	int len, dots = 0;

	if (dlssl_random_bytes(chunk, sizeof(chunk)) < 0)
		return cli_fail("demo: random bytes");
	start = dlssl_monotonic();
	len = snprintf(head, sizeof(head), "BULK %llu\n", total);
	if (dlssl_write(s, head, (size_t)len) != len)
		return cli_link_fail(l, "demo", "upload");
	for (sent = 0; sent < total; sent += sizeof(chunk)) {
		if (dlssl_write(s, chunk, sizeof(chunk)) != (long)sizeof(chunk))
			return cli_link_fail(l, "demo", "upload");
		progress(start, sent + sizeof(chunk), total, &dots);
	}
	if (dots)
		fprintf(stderr, "\n");
	if (dlssl_flush(s) != 0 || (r = dlssl_read(s, reply, sizeof(reply) - 1)) <= 0)
		return cli_link_fail(l, "demo", "upload");
	secs = dlssl_monotonic() - start;
	reply[r] = '\0';
	if (strtoull(reply, NULL, 10) != total) {
		fprintf(stderr, "dlssl demo: the server received %s bytes of %llu\n", reply, total);
		return EXIT_TLS;
	}
	printf("throughput:   %ld MiB in %.2f s: %.1f MiB/s (client to server, %s transport)\n",
	    d->mib, secs, secs > 0 ? (double)d->mib / secs : 0.0, transport_names[d->o.transport]);
	return EXIT_OK;
}

/* The first connection: verify, echo, measure. */
static int
good_connection(struct demo *d)
{
	struct dlssl_stream *s;
	struct cli_link l;
	int rc = EXIT_TLS;

	if ((s = connect_to(d, &l, "localhost", &rc)) == NULL)
		return rc != EXIT_OK ? rc : cli_link_fail(&l, "demo", "handshake with localhost");
	if ((rc = print_session(s)) == EXIT_OK && (rc = echo(s, &l)) == EXIT_OK && d->mib > 0)
		rc = throughput(d, s, &l);
	return cli_link_close(&l, s, "demo", rc);
}

/* The second: a client asking for another name must refuse the same server. */
static int
wrong_name(struct demo *d)
{
	struct dlssl_stream *s;
	struct cli_link l;
	int rc = EXIT_TLS;

	if ((s = connect_to(d, &l, "wrong.example", &rc)) != NULL) {
		dlssl_stream_free(s);
		fprintf(stderr, "dlssl demo: a client asking for wrong.example accepted the "
		    "localhost certificate\n");
		return EXIT_VERIFY;
	}
	if (rc != EXIT_OK)
		return rc;
	if (dlssl_error_code() != DLSSL_ERR_VERIFY)
		return cli_link_fail(&l, "demo", "handshake with wrong.example");
	printf("wrong name:   refused, as it must be: %s\n", dlssl_error());
	return EXIT_OK;
}

static int
run(struct demo *d)
{
	int rc;

	if ((rc = cli_load(d->o.libssl)) != EXIT_OK)
		return rc;
	if ((rc = server_context(d)) != EXIT_OK)
		return rc;
	if ((rc = client_context(d)) != EXIT_OK)
		goto out;
	if ((d->sv.lfd = cli_tcp_listen("demo", "127.0.0.1", "0", 4, d->where, sizeof(d->where))) < 0) {
		rc = EXIT_TLS;
		goto out;
	}
	snprintf(d->port, sizeof(d->port), "%s", strrchr(d->where, ':') + 1);
	d->sv.opts.transport = d->o.transport;
	d->sv.opts.timeout_ms = d->o.timeout_ms = DEMO_TIMEOUT_MS;
	d->sv.connections = 2;
	if (demo_server_start(&d->sv) < 0) {
		fprintf(stderr, "dlssl demo: cannot start the server thread: %s\n", cli_strerror(errno));
		cli_sock_close(d->sv.lfd);
		rc = EXIT_TLS;
		goto out;
	}
	printf("dlssl demo: a TLS server and client in one process, on %s\n", d->where);
	print_library();
	printf("transport:    %s\n", transport_text[d->o.transport]);
	rc = good_connection(d);
	if (rc == EXIT_OK)
		rc = wrong_name(d);
	demo_server_stop(&d->sv);
	cli_sock_close(d->sv.lfd);
	if (rc != EXIT_OK && d->sv.error[0] != '\0')
		fprintf(stderr, "dlssl demo: the server saw: %s\n", d->sv.error);
	if (rc == EXIT_OK)
		printf("result:       OK\n");
out:
	dlssl_ctx_free(d->cctx);
	dlssl_ctx_free(d->sv.ctx);
	return rc;
}

int
cmd_demo(int argc, char **argv)
{
	struct demo d;
	const char *v;
	int i, r, rc = EXIT_USAGE;

	memset(&d, 0, sizeof(d));
	d.mib = 64;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			rc = usage(stdout, EXIT_OK);
			goto out;
		}
		if ((r = cli_opt_common(&d.o, DEMO_OPTS, "demo", argc, argv, &i)) != 0) {
			if (r < 0)
				goto out;
		} else if ((r = cli_optarg("demo", "--mib", argc, argv, &i, &v)) != 0) {
			if (r < 0 || cli_number(v, 0, 65536, &d.mib) < 0) {
				fprintf(stderr, "dlssl demo: --mib takes 0 to 65536\n");
				goto out;
			}
		} else {
			cli_unknown("demo", argv[i]);
			goto out;
		}
	}
	fflush(stdout);
	rc = run(&d);
out:
	cli_opts_free(&d.o);
	return rc;
}
