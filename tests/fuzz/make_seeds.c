/*
 * make_seeds OUTDIR: write the seed corpora of the stream and option
 * fuzz targets (tests/fuzz/corpus/<unit>/), recorded from the library
 * itself: server flights for fuzz_client_read, client flights for
 * fuzz_server_read, ALPN lists for fuzz_alpn, certificate/key pairs for
 * fuzz_pem, option lines for fuzz_options.  Built by `make fuzz-seeds`
 * (with --enable-fuzzing), which runs it on the source tree; the seeds
 * are committed, so this only needs running when the formats change.
 */
#include "fuzz_common.h"

#include <sys/stat.h>

static const char *outdir;

/* ---- in-memory pipes (blocking never: EAGAIN when empty or full) ---- */

struct pipe {
	unsigned char buf[1 << 20];
	size_t len, off;
	FILE *record; /* everything written, also kept here */
};

struct end {
	struct pipe *in, *out;
};

static long
p_read(void *h, void *b, size_t n)
{
	struct end *e = h;
	size_t k = e->in->len - e->in->off;

	if (k == 0) {
		errno = EAGAIN;
		return -1;
	}
	if (k > n)
		k = n;
	memcpy(b, e->in->buf + e->in->off, k);
	e->in->off += k;
	return (long)k;
}

static long
p_write(void *h, const void *b, size_t n)
{
	struct end *e = h;

	if (e->out->len + n > sizeof(e->out->buf)) {
		errno = EAGAIN;
		return -1;
	}
	memcpy(e->out->buf + e->out->len, b, n);
	e->out->len += n;
	return (long)n;
}

static const struct dlssl_io_ops p_ops = { p_read, p_write, NULL, { 0 } };

static void
save(const char *unit, const char *name, unsigned char flags, const void *d, size_t n)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, unit);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, unit, name);
	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(1);
	}
	fputc(flags, f);
	fwrite(d, 1, n, f);
	fclose(f);
}

static struct dlssl_context *
ctx(const char *chain, const char *key, int max, const char *const *alpn, int verify_clients)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;

	o.certificate_chain_file = chain;
	o.private_key_file = key;
	o.ca_file = FUZZ_PKI("root-ca.crt");
	o.max_version = max;
	o.alpn = alpn;
	o.verify_mode = verify_clients ? DLSSL_VERIFY_REQUIRED : DLSSL_VERIFY_DEFAULT;
	if ((c = dlssl_make_context(&o)) == NULL) {
		fprintf(stderr, "make_seeds: %s\n", dlssl_error());
		exit(1);
	}
	return c;
}

/* A whole session: handshake, "hello" each way, close_notify both ways. */
static void
session(const char *name, struct dlssl_context *cc, struct dlssl_context *sc, const char *host,
    const char *cert, const char *key)
{
	static struct pipe c2s, s2c;
	struct end ce = { &s2c, &c2s }, se = { &c2s, &s2c };
	struct dlssl_stream_opts co = { 0 }, so = { 0 };
	struct dlssl_stream *c, *s;
	char buf[64];
	int i, rc = 1, rs = 1;

	memset(&c2s, 0, sizeof(c2s));
	memset(&s2c, 0, sizeof(s2c));
	co.context = cc;
	co.hostname = host;
	co.certificate_file = cert;
	co.key_file = key;
	so.context = sc;
	c = dlssl_make_client_stream(dlssl_transport_io(&p_ops, &ce), &co);
	s = c ? dlssl_make_server_stream(dlssl_transport_io(&p_ops, &se), &so) : NULL;
	if (c == NULL || s == NULL) {
		fprintf(stderr, "make_seeds %s: %s\n", name, dlssl_error());
		exit(1);
	}
	for (i = 0; i < 100 && (rc != 0 || rs != 0); i++) {
		if (rc != 0)
			rc = dlssl_handshake(c);
		if (rs != 0)
			rs = dlssl_handshake(s);
		if (rc == -1 || rs == -1) {
			fprintf(stderr, "make_seeds %s: %s / %s\n", name, dlssl_stream_error(c),
			    dlssl_stream_error(s));
			exit(1);
		}
	}
	(void)dlssl_write(c, "hello\n", 6);
	(void)dlssl_flush(c);
	(void)dlssl_read(s, buf, sizeof(buf));
	(void)dlssl_write(s, "hello\n", 6);
	(void)dlssl_flush(s);
	(void)dlssl_read(c, buf, sizeof(buf));
	(void)dlssl_close(s);
	(void)dlssl_read(c, buf, sizeof(buf));
	(void)dlssl_close(c);
	dlssl_stream_free(c);
	dlssl_stream_free(s);
	save("client_read", name, 0x00, s2c.buf, s2c.len);
	save("server_read", name, 0x00, c2s.buf, c2s.len);
}

/* Only the client's first flight (the ClientHello). */
static void
hello(const char *name, struct dlssl_context *cc, const char *host, unsigned char flags)
{
	static struct pipe c2s, s2c;
	struct end ce = { &s2c, &c2s };
	struct dlssl_stream_opts co = { 0 };
	struct dlssl_stream *c;

	memset(&c2s, 0, sizeof(c2s));
	memset(&s2c, 0, sizeof(s2c));
	co.context = cc;
	co.hostname = host;
	if ((c = dlssl_make_client_stream(dlssl_transport_io(&p_ops, &ce), &co)) == NULL) {
		fprintf(stderr, "make_seeds %s: %s\n", name, dlssl_error());
		exit(1);
	}
	dlssl_stream_free(c);
	save("server_read", name, flags, c2s.buf, c2s.len);
}

static void
streams(void)
{
	static const char *const alpn[] = { "h2", "http/1.1", NULL };
	static const char *const odd[] = { "acme-tls/1", "x", "spdy/3.1", NULL };
	struct dlssl_context *c13 = ctx(NULL, NULL, 0, alpn, 0), *c12 = ctx(NULL, NULL, DLSSL_TLS1_2,
	    alpn, 0), *codd = ctx(NULL, NULL, 0, odd, 0), *plain = ctx(NULL, NULL, 0, NULL, 0);
	struct dlssl_context *srsa = ctx(FUZZ_PKI("localhost-chain.pem"), FUZZ_PKI("localhost.key"), 0,
	    alpn, 0);
	struct dlssl_context *secdsa = ctx(FUZZ_PKI("ecdsa-chain.pem"), FUZZ_PKI("ecdsa.key"), 0, alpn, 0);
	struct dlssl_context *sreq = ctx(FUZZ_PKI("localhost-chain.pem"), FUZZ_PKI("localhost.key"), 0,
	    NULL, 1);

	session("tls13-rsa", c13, srsa, "localhost", NULL, NULL);
	session("tls12-rsa", c12, srsa, "localhost", NULL, NULL);
	session("tls13-ecdsa", c13, secdsa, "localhost", NULL, NULL);
	session("tls12-ecdsa", c12, secdsa, "localhost", NULL, NULL);
	session("tls13-client-cert", plain, sreq, "localhost", FUZZ_PKI("client-chain.pem"),
	    FUZZ_PKI("client.key"));
	session("tls12-ip", c12, srsa, "127.0.0.1", NULL, NULL);
	hello("hello-tls13-alpn-sni", c13, "localhost", 0x00);
	hello("hello-tls12-alpn-sni", c12, "localhost", 0x04);
	hello("hello-other-sni", c13, "other.example", 0x10);
	hello("hello-unknown-sni", codd, "unknown.example", 0x14);
	hello("hello-no-sni", plain, "127.0.0.1", 0x01);
	dlssl_ctx_free(c13);
	dlssl_ctx_free(c12);
	dlssl_ctx_free(codd);
	dlssl_ctx_free(plain);
	dlssl_ctx_free(srsa);
	dlssl_ctx_free(secdsa);
	dlssl_ctx_free(sreq);
}

static void
alpn_seeds(void)
{
	static const struct {
		const char *name;
		unsigned char flags;
		const char *bytes;
		size_t len;
	} s[] = {
		{ "h2-http11", 0x00, "\x02h2\x08http/1.1", 12 },
		{ "http11-callback", 0x01, "\x08http/1.1", 9 },
		{ "acme", 0x05, "\x0a" "acme-tls/1", 11 },
		{ "unknown", 0x00, "\x03" "foo\x03" "bar", 8 },
		{ "raw-good", 0x02, "\x00\x0c\x02h2\x08http/1.1", 14 },
		{ "raw-bad-length", 0x02, "\x00\x20\x02h2", 5 },
		{ "empty-name", 0x00, "\x00\x02h2", 4 },
		{ "nul-inside", 0x01, "\x03h\x00" "2\x02h2", 7 },
		{ "declined", 0x09, "\x02h2\x01x", 5 },
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		save("alpn", s[i].name, s[i].flags, s[i].bytes, s[i].len);
}

static unsigned char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	static unsigned char buf[4][65536];
	static int k;
	unsigned char *b = buf[k++ % 4];

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	*n = fread(b, 1, sizeof(buf[0]), f);
	fclose(f);
	return b;
}

static void
pem_pair(const char *name, unsigned char flags, const char *chain, const char *key)
{
	unsigned char out[131072];
	size_t cl = 0, kl = 0;
	unsigned char *c = chain ? slurp(chain, &cl) : NULL, *k = key ? slurp(key, &kl) : NULL;

	out[0] = (unsigned char)(cl >> 8);
	out[1] = (unsigned char)cl;
	if (c)
		memcpy(out + 2, c, cl);
	if (k)
		memcpy(out + 2 + cl, k, kl);
	save("pem", name, flags, out, 2 + cl + kl);
}

static void
pem_seeds(void)
{
	pem_pair("rsa-chain-key", 0x03, FUZZ_PKI("localhost-chain.pem"), FUZZ_PKI("localhost.key"));
	pem_pair("ecdsa-chain-key-files", 0x13, FUZZ_PKI("ecdsa-chain.pem"), FUZZ_PKI("ecdsa.key"));
	pem_pair("der-leaf-der-key", 0x03, FUZZ_PKI("localhost.der"), FUZZ_PKI("localhost-key.der"));
	pem_pair("encrypted-pkcs8", 0x07, FUZZ_PKI("localhost-chain.pem"),
	    FUZZ_PKI("localhost-key-enc.pem"));
	pem_pair("encrypted-trad-callback", 0x0b, FUZZ_PKI("localhost-chain.pem"),
	    FUZZ_PKI("localhost-key-enc-trad.pem"));
	pem_pair("encrypted-no-password", 0x03, FUZZ_PKI("localhost-chain.pem"),
	    FUZZ_PKI("localhost-key-enc.pem"));
	pem_pair("mismatch", 0x03, FUZZ_PKI("localhost-chain.pem"), FUZZ_PKI("ecdsa.key"));
	pem_pair("chain-only", 0x01, FUZZ_PKI("wildcard-chain.pem"), NULL);
	pem_pair("key-only-files", 0x12, NULL, FUZZ_PKI("client.key"));
}

static void
options_seeds(void)
{
	static const struct {
		const char *name;
		unsigned char flags;
		const char *text;
	} s[] = {
		{ "defaults", 0x00, "" },
		{ "ciphers", 0x1b, "ECDHE+AESGCM:!aNULL:@STRENGTH\nTLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256\n" },
		{ "seclevel0", 0x11, "DEFAULT:@SECLEVEL=0\n\n" },
		{ "bad-ciphers", 0x00, "NOTHING:!ALL\nTLS_NOPE\n" },
		{ "ca-file", 0x40, "\n\nca.pem\n\n" },
		{ "ca-path", 0x40, "\n\n\nhashed\n" },
		{ "locations", 0x40, "\n\n\n\n\nca.pem\nhashed\ndir\nleaf.der\n" },
		{ "garbage-location", 0x40, "\n\n\n\n\ngarbage\nempty\nchain.pem\nmissing\n" },
		{ "alpn", 0x00, "\n\n\n\nh2,http/1.1,acme-tls/1\n" },
		{ "alpn-empty-name", 0x00, "\n\n\n\nh2,,x\n" },
		{ "wrong-kinds", 0x40, "\n\nhashed\nca.pem\n\n" },
		{ "inverted-range", 0x0c, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		save("options", s[i].name, s[i].flags, s[i].text, strlen(s[i].text));
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_seeds OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	if (!fuzz_have_libssl())
		return 1;
	streams();
	alpn_seeds();
	pem_seeds();
	options_seeds();
	return 0;
}
