/*
 * libFuzzer target: certificate loading and reading (src/x509.c).
 *
 * The input goes to dlssl_x509_load_mem() (PEM or DER, peer-supplied in
 * real life); when it loads, every getter and the host check run on it.
 * The decoders that need no libssl (ASN.1 strings, times, the DER walk)
 * get the same bytes too, so they are fuzzed even where no libssl loads.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
decoders(const uint8_t *data, size_t size)
{
	const char *why;
	time_t a, b;
	char *s;

	if (size == 0)
		return;
	/* First byte: a string type to try on the rest. */
	if (dlssl__asn1_string_utf8(data[0] & 0x1F, data + 1, size - 1, &s, &why) == 0) {
		if (strlen(s) > 2 * (size - 1))
			abort();
		free(s);
	}
	dlssl__asn1_time_parse(23 + (data[0] & 1), data + 1, size - 1, &a, &why);
	dlssl__x509_der_validity(data, size, &a, &b, &why);
}

static void
read_all(const struct dlssl_x509 *x)
{
	static const char *const names[] = { "localhost", "www.example.com",
	    "127.0.0.1", "::1", "a.b.c.example" };
	const char *const *l;
	unsigned char md[64];
	char hex[200];
	time_t a, b;
	size_t i, n;

	if (dlssl_x509_subject(x) == NULL || dlssl_x509_issuer(x) == NULL)
		abort();
	if ((l = dlssl_x509_subject_cns(x, &n)) != NULL && l[n] != NULL)
		abort();
	if ((l = dlssl_x509_dns_names(x, &n)) != NULL && l[n] != NULL)
		abort();
	if ((l = dlssl_x509_ip_addresses(x, &n)) != NULL && l[n] != NULL)
		abort();
	dlssl_x509_validity(x, &a, &b);
	dlssl_x509_fingerprint(x, "sha256", md, sizeof(md));
	dlssl_x509_fingerprint_hex(x, "sha1", hex, sizeof(hex));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int r = dlssl_check_host(x, names[i]);
		int r2 = dlssl_check_host_flags(x, names[i], DLSSL_CHECK_HOST_NO_CN_FALLBACK);

		if (r < 0 || r > 1 || r2 < 0 || r2 > 1)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int have_libssl = -1;
	struct dlssl_x509 *x;

	if (have_libssl < 0)
		have_libssl = dlssl_ensure_initialized(NULL) == 0;
	decoders(data, size);
	if (!have_libssl)
		return 0;
	if ((x = dlssl_x509_load_mem(data, size)) != NULL) {
		read_all(x);
		dlssl_x509_free(x);
	}
	return 0;
}
