/*
 * libFuzzer target: the read path of a client stream.  Everything the
 * "server" sends is the fuzz input, fed through the callback transport
 * (dlssl's BIO, the handshake, verification, the record layer, reads);
 * what the client writes is discarded.
 *
 * Byte 0 chooses: bit 0 the input is handed out in pieces of 1..64 bytes;
 * bit 1 the end of the input is EAGAIN (a non-blocking stream waiting)
 * rather than end of file; bit 2 no verification (else chain and host
 * name, against the test root); bit 3 at most TLS 1.2; bit 4 lax EOF.
 * The rest is the peer's bytes.  Seeds (corpus/client_read/) are real
 * server flights recorded from the library's own server.
 */
#include "fuzz_common.h"

static struct dlssl_context *ctx_any, *ctx_12;

static void
init(void)
{
	static const char *const alpn[] = { "h2", "http/1.1", NULL };
	struct dlssl_context_opts o = { 0 };

	o.ca_file = FUZZ_PKI("root-ca.crt");
	o.alpn = alpn;
	ctx_any = dlssl_make_context(&o);
	o.max_version = DLSSL_TLS1_2;
	ctx_12 = dlssl_make_context(&o);
	if (ctx_any == NULL || ctx_12 == NULL) {
		fprintf(stderr, "fuzz_client_read: %s\n", dlssl_error());
		abort();
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
	if (ctx_any == NULL)
		init();
	fuzz_feed_init(&f, data + 1, size - 1, data[0] & 1, (data[0] >> 1) & 1);
	o.context = (data[0] & 8) ? ctx_12 : ctx_any;
	o.hostname = "localhost";
	o.verify = (data[0] & 4) ? DLSSL_VERIFY_NONE : DLSSL_VERIFY_DEFAULT;
	o.lax_eof = (data[0] >> 4) & 1;
	s = dlssl_make_client_stream(dlssl_transport_io(&fuzz_ops, &f), &o);
	if (s == NULL) {
		fuzz_check_failure(dlssl_error_code(), dlssl_error(), "make_client_stream");
		return 0;
	}
	/* Non-blocking at the end of the input: drive the handshake until it settles. */
	for (i = 0; i < 8 && (r = dlssl_handshake(s)) != 0; i++) {
		if (r == -1) {
			fuzz_check_failure(dlssl_stream_error_code(s), dlssl_stream_error(s), "handshake");
			break;
		}
	}
	fuzz_use_stream(s);
	return 0;
}
