/*
 * libFuzzer target: the read path of a server stream.  Everything the
 * "client" sends (the ClientHello and what follows) is the fuzz input,
 * fed through the callback transport; what the server writes is discarded.
 * This reaches ClientHello parsing, SNI (a callback that switches context
 * or refuses), ALPN selection (by preference list or by a user callback
 * that sees the offered names as C strings) and client certificates.
 *
 * Byte 0 chooses: bit 0 pieces of 1..64 bytes; bit 1 EAGAIN at the end;
 * bit 2 ALPN by user callback (else by the server's list); bit 3 client
 * certificates required (else optional); bit 4 the SNI callback refuses
 * unknown names.  Seeds (corpus/server_read/) are ClientHellos recorded
 * from the library's own clients (with ALPN, SNI, TLS 1.2 only, ...).
 */
#include "fuzz_common.h"

static struct dlssl_context *ctx[8], *other;

static const char *
pick(const char *const *offered, size_t count, void *arg)
{
	size_t i;

	(void)arg;
	if (offered == NULL || count == 0 || offered[count] != NULL)
		abort();
	for (i = 0; i < count; i++) {
		/* RFC 7301: 1..255 bytes (a NUL inside would end the C string early). */
		if (offered[i] == NULL || strlen(offered[i]) > 255)
			abort();
	}
	return offered[count - 1];
}

static int
sni_switch(const char *name, struct dlssl_context **use, void *arg)
{
	int strict = arg != NULL;

	if (name != NULL && strlen(name) > 255)
		abort();
	if (name != NULL && strcmp(name, "other.example") == 0) {
		*use = other;
		return 0;
	}
	return strict && name != NULL && strcmp(name, "localhost") != 0 ? -1 : 0;
}

static void
init(void)
{
	static const char *const alpn[] = { "h2", "http/1.1", "acme-tls/1", NULL };
	struct dlssl_context_opts o = { 0 };
	int i;

	o.certificate_chain_file = FUZZ_PKI("wronghost-chain.pem");
	o.private_key_file = FUZZ_PKI("wronghost.key");
	o.no_default_verify_paths = 1;
	other = dlssl_make_context(&o);
	for (i = 0; i < 8; i++) {
		memset(&o, 0, sizeof(o));
		o.certificate_chain_file = FUZZ_PKI("localhost-chain.pem");
		o.private_key_file = FUZZ_PKI("localhost.key");
		o.ca_file = FUZZ_PKI("root-ca.crt");
		o.min_version = DLSSL_TLS1_0; /* let the parser see old hellos through */
		o.alpn = alpn;
		if (i & 1)
			o.alpn_select = pick;
		o.verify_mode = (i & 2) ? DLSSL_VERIFY_REQUIRED : DLSSL_VERIFY_OPTIONAL;
		o.sni_callback = sni_switch;
		o.sni_callback_arg = (i & 4) ? (void *)&other : NULL;
		ctx[i] = dlssl_make_context(&o);
		if (ctx[i] == NULL || other == NULL) {
			fprintf(stderr, "fuzz_server_read: %s\n", dlssl_error());
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlssl_stream_opts o = { 0 };
	struct fuzz_feed f;
	struct dlssl_stream *s;
	int r, i;

	if (size < 1 || !fuzz_have_libssl())
		return 0;
	if (ctx[0] == NULL)
		init();
	fuzz_feed_init(&f, data + 1, size - 1, data[0] & 1, (data[0] >> 1) & 1);
	o.context = ctx[(data[0] >> 2) & 7];
	s = dlssl_make_server_stream(dlssl_transport_io(&fuzz_ops, &f), &o);
	if (s == NULL) {
		fuzz_check_failure(dlssl_error_code(), dlssl_error(), "make_server_stream");
		return 0;
	}
	for (i = 0; i < 8 && (r = dlssl_handshake(s)) != 0; i++) {
		if (r == -1) {
			fuzz_check_failure(dlssl_stream_error_code(s), dlssl_stream_error(s), "handshake");
			break;
		}
	}
	fuzz_use_stream(s);
	return 0;
}
