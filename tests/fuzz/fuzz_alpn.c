/*
 * libFuzzer target: the server's ALPN selection (src/alpn.c) with
 * arbitrary ALPN lists from a client.  A fixed, valid TLS 1.2 ClientHello
 * is built around the fuzz input as the body of its
 * application_layer_protocol_negotiation extension (RFC 7301), so nearly
 * every input reaches the selection instead of dying in the record layer.
 *
 * Byte 0: bit 0 the user's select callback (which checks what it is
 * given) instead of the server's preference list; bit 1 the input is the
 * extension body as is (its own 2-byte length, possibly wrong) instead
 * of a protocol_name_list that gets a correct length; bit 2 add an SNI
 * extension; bit 3 the select callback declines (NULL).
 */
#include "fuzz_common.h"

static struct dlssl_context *by_list, *by_callback;
static int decline;

static const char *
pick(const char *const *offered, size_t count, void *arg)
{
	size_t i;

	(void)arg;
	if (offered == NULL || count == 0 || offered[count] != NULL)
		abort();
	for (i = 0; i < count; i++)
		if (offered[i] == NULL || strlen(offered[i]) > 255)
			abort();
	return decline ? NULL : offered[count / 2];
}

static void
init(void)
{
	static const char *const alpn[] = { "h2", "http/1.1", "acme-tls/1", "x", NULL };
	struct dlssl_context_opts o = { 0 };

	o.certificate_chain_file = FUZZ_PKI("localhost-chain.pem");
	o.private_key_file = FUZZ_PKI("localhost.key");
	o.no_default_verify_paths = 1;
	o.alpn = alpn;
	by_list = dlssl_make_context(&o);
	o.alpn_select = pick;
	by_callback = dlssl_make_context(&o);
	if (by_list == NULL || by_callback == NULL) {
		fprintf(stderr, "fuzz_alpn: %s\n", dlssl_error());
		abort();
	}
}

static uint8_t *
put16(uint8_t *p, size_t v)
{
	*p++ = (uint8_t)(v >> 8);
	*p++ = (uint8_t)v;
	return p;
}

/* A TLS 1.2 ClientHello record around the ALPN extension body; its length. */
static size_t
client_hello(uint8_t *out, const uint8_t *alpn, size_t alen, int raw, int sni)
{
	static const uint8_t fixed_ext[] = {
		0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d,            /* groups: x25519 */
		0x00, 0x0b, 0x00, 0x02, 0x01, 0x00,                        /* point formats */
		0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x01, 0x08, 0x04, /* signature algorithms */
		0x04, 0x03,
		0x00, 0x17, 0x00, 0x00,                                    /* extended master secret */
		0xff, 0x01, 0x00, 0x01, 0x00,                              /* renegotiation_info */
	};
	static const uint8_t sni_ext[] = {
		0x00, 0x00, 0x00, 0x0e, 0x00, 0x0c, 0x00, 0x00, 0x09,
		'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't',
	};
	uint8_t *p = out, *rec_len, *hs_len, *ext_len;
	size_t body;

	*p++ = 0x16;                       /* handshake record */
	*p++ = 0x03;
	*p++ = 0x01;
	rec_len = p;
	p += 2;
	*p++ = 0x01;                       /* ClientHello */
	hs_len = p;
	p += 3;
	*p++ = 0x03;                       /* TLS 1.2 */
	*p++ = 0x03;
	memset(p, 0x5a, 32);               /* random */
	p += 32;
	*p++ = 0;                          /* no session id */
	p = put16(p, 4);
	*p++ = 0xc0;                       /* ECDHE-RSA-AES128-GCM-SHA256 */
	*p++ = 0x2f;
	*p++ = 0xc0;                       /* ECDHE-RSA-AES256-GCM-SHA384 */
	*p++ = 0x30;
	*p++ = 1;                          /* compression: null */
	*p++ = 0;
	ext_len = p;
	p += 2;
	memcpy(p, fixed_ext, sizeof(fixed_ext));
	p += sizeof(fixed_ext);
	if (sni) {
		memcpy(p, sni_ext, sizeof(sni_ext));
		p += sizeof(sni_ext);
	}
	*p++ = 0x00;                       /* ALPN */
	*p++ = 0x10;
	p = put16(p, raw ? alen : alen + 2);
	if (!raw)
		p = put16(p, alen);
	memcpy(p, alpn, alen);
	p += alen;
	put16(ext_len, (size_t)(p - ext_len - 2));
	body = (size_t)(p - hs_len - 3);
	hs_len[0] = (uint8_t)(body >> 16);
	hs_len[1] = (uint8_t)(body >> 8);
	hs_len[2] = (uint8_t)body;
	put16(rec_len, (size_t)(p - rec_len - 2));
	return (size_t)(p - out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t hello[16384];
	struct dlssl_stream_opts o = { 0 };
	struct fuzz_feed f;
	struct dlssl_stream *s;
	size_t n;

	/* One record holds at most 2^14 bytes: leave room for the rest of the hello. */
	if (size < 1 || size > 16000 || !fuzz_have_libssl())
		return 0;
	if (by_list == NULL)
		init();
	decline = (data[0] >> 3) & 1;
	n = client_hello(hello, data + 1, size - 1, (data[0] >> 1) & 1, (data[0] >> 2) & 1);
	fuzz_feed_init(&f, hello, n, 0, 1);
	o.context = (data[0] & 1) ? by_callback : by_list;
	s = dlssl_make_server_stream(dlssl_transport_io(&fuzz_ops, &f), &o);
	if (s == NULL) {
		fuzz_check_failure(dlssl_error_code(), dlssl_error(), "make_server_stream");
		return 0;
	}
	/* The hello was taken: the server waits for the client's next flight. */
	(void)dlssl_stream_alpn(s);
	dlssl_close_abort(s);
	dlssl_stream_free(s);
	return 0;
}
