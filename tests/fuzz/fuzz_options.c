/*
 * libFuzzer target: the option strings of dlssl_make_context and of a
 * stream: cipher_list (TLS 1.2), ciphersuites (TLS 1.3), the protocol
 * range, an ALPN list (src/alpn.c's encoder), and trust locations
 * (ca_file, ca_path, verify_locations) as paths inside a sandbox
 * directory made at start-up (a CA file, a hashed directory, garbage, an
 * empty file, a directory of certificates that are not CAs).
 *
 * Input: byte 0 = min/max protocol bits; then lines:
 *   cipher_list \n ciphersuites \n ca_file \n ca_path \n alpn,list \n
 *   location \n location ...
 * An empty line leaves the option unset.  Paths never leave the sandbox
 * ('/' and ".." are refused in them).
 */
#include "fuzz_common.h"

#include <sys/stat.h>
#include <unistd.h>

static char sandbox[256];

static void
copy(const char *from, const char *to)
{
	char buf[8192], dst[512];
	FILE *in = fopen(from, "rb"), *out;
	size_t n;

	snprintf(dst, sizeof(dst), "%s/%s", sandbox, to);
	out = fopen(dst, "wb");
	if (in == NULL || out == NULL)
		abort();
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

static void
remove_sandbox(void)
{
	static const char *const files[] = { "ca.pem", "chain.pem", "leaf.der", "key.pem", "garbage",
		"empty", "hashed/e5f54c2a.0", "hashed/00000000.0", "hashed", "dir/client.pem", "dir" };
	char p[512];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", sandbox, files[i]);
		if (unlink(p) != 0)
			(void)rmdir(p);
	}
	(void)rmdir(sandbox);
}

static void
init(void)
{
	const char *tmp = getenv("TMPDIR");
	char p[512];
	FILE *f;

	snprintf(sandbox, sizeof(sandbox), "%s/dlssl-fuzz-options-XXXXXX",
	    tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(sandbox) == NULL)
		abort();
	atexit(remove_sandbox);
	copy(FUZZ_PKI("root-ca.crt"), "ca.pem");
	copy(FUZZ_PKI("localhost-chain.pem"), "chain.pem");
	copy(FUZZ_PKI("localhost.der"), "leaf.der");
	copy(FUZZ_PKI("localhost.key"), "key.pem");
	snprintf(p, sizeof(p), "%s/garbage", sandbox);
	if ((f = fopen(p, "wb")) != NULL) {
		fputs("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n", f);
		fclose(f);
	}
	snprintf(p, sizeof(p), "%s/empty", sandbox);
	if ((f = fopen(p, "wb")) != NULL)
		fclose(f);
	/* A hashed directory as c_rehash makes it (the root's subject hash). */
	snprintf(p, sizeof(p), "%s/hashed", sandbox);
	mkdir(p, 0700);
	copy(FUZZ_PKI("root-ca.crt"), "hashed/e5f54c2a.0");
	copy(FUZZ_PKI("localhost.crt"), "hashed/00000000.0");
	snprintf(p, sizeof(p), "%s/dir", sandbox);
	mkdir(p, 0700);
	copy(FUZZ_PKI("client.crt"), "dir/client.pem");
}

/* The next line of the input, as a C string (NULs end it early), or NULL when empty. */
static char *
next_line(const uint8_t **p, const uint8_t *end, char *buf, size_t n)
{
	const uint8_t *e = memchr(*p, '\n', (size_t)(end - *p));
	size_t len;

	if (*p >= end)
		return NULL;
	if (e == NULL)
		e = end;
	len = (size_t)(e - *p);
	if (len >= n)
		len = n - 1;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p = e < end ? e + 1 : end;
	return buf[0] != '\0' ? buf : NULL;
}

/* sandbox/name, or NULL when the name would leave the sandbox. */
static char *
in_sandbox(const char *name, char *buf, size_t n)
{
	if (name == NULL || strchr(name, '/') != NULL || strstr(name, "..") != NULL)
		return NULL;
	snprintf(buf, n, "%s/%s", sandbox, name);
	return buf;
}

static int
version(int bits)
{
	static const int v[] = { 0, DLSSL_TLS1_0, DLSSL_TLS1_1, DLSSL_TLS1_2, DLSSL_TLS1_3, 0x0300,
		0x0305, 0xffff };

	return v[bits & 7];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char cl[1024], cs[1024], caf[256], cap[256], al[1024], loc[8][256], path[4][600];
	char lp[8][600];
	const char *locs[9], *alpn[33];
	const uint8_t *p, *end = data + size;
	struct dlssl_context_opts o = { 0 };
	struct dlssl_stream_opts so = { 0 };
	struct dlssl_context *c;
	struct dlssl_stream *s;
	struct fuzz_feed f;
	char *a, *tok, *save = NULL;
	int n = 0, k = 0;

	if (size < 1 || !fuzz_have_libssl())
		return 0;
	if (sandbox[0] == '\0')
		init();
	p = data + 1;
	o.min_version = version(data[0]);
	o.max_version = version(data[0] >> 3);
	o.no_default_verify_paths = (data[0] >> 6) & 1;
	o.cipher_list = next_line(&p, end, cl, sizeof(cl));
	o.ciphersuites = next_line(&p, end, cs, sizeof(cs));
	o.ca_file = in_sandbox(next_line(&p, end, caf, sizeof(caf)), path[0], sizeof(path[0]));
	o.ca_path = in_sandbox(next_line(&p, end, cap, sizeof(cap)), path[1], sizeof(path[1]));
	if ((a = next_line(&p, end, al, sizeof(al))) != NULL) {
		/* Split at commas, keeping empty names (they must be refused). */
		for (tok = a; n < 32; n++) {
			alpn[n] = tok;
			if ((save = strchr(tok, ',')) == NULL) {
				n++;
				break;
			}
			*save = '\0';
			tok = save + 1;
		}
		alpn[n] = NULL;
		o.alpn = alpn;
	}
	while (k < 8 && p < end) {
		const char *l = in_sandbox(next_line(&p, end, loc[k], sizeof(loc[k])), lp[k], sizeof(lp[k]));

		if (l != NULL)
			locs[k++] = l;
	}
	locs[k] = NULL;
	if (k > 0)
		o.verify_locations = locs;
	c = dlssl_make_context(&o);
	if (c == NULL) {
		fuzz_check_failure(dlssl_error_code(), dlssl_error(), "make_context");
		return 0;
	}
	/* The same strings per stream: the cipher list and the ALPN offer. */
	fuzz_feed_init(&f, data, 0, 0, 1);
	so.context = c;
	so.cipher_list = o.cipher_list;
	so.alpn = o.alpn;
	so.hostname = "localhost";
	s = dlssl_make_client_stream(dlssl_transport_io(&fuzz_ops, &f), &so);
	if (s == NULL)
		fuzz_check_failure(dlssl_error_code(), dlssl_error(), "make_client_stream");
	dlssl_stream_free(s);
	dlssl_ctx_free(c);
	return 0;
}
