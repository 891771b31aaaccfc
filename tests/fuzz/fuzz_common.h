/*
 * Shared by the libFuzzer targets that drive streams (tests/fuzz/fuzz_*.c):
 * loading libssl once, a callback transport whose read callback hands out
 * the fuzz input (whole, or in pieces whose sizes come from the input
 * itself) and whose write callback discards, and the invariants every
 * failure must keep.
 *
 * Header-only (static functions) so that each target stays one file.
 */
#ifndef DLSSL_FUZZ_COMMON_H
#define DLSSL_FUZZ_COMMON_H

#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlssl.h"

#ifndef PKI_DIR
#error "PKI_DIR must name tests/pki"
#endif
#define FUZZ_PKI(name) PKI_DIR "/" name

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not every target uses every helper. */
#define FUZZ_HELPER static __attribute__((unused))

/* 1 when libssl is loaded (tried once; the targets do nothing without it). */
FUZZ_HELPER int
fuzz_have_libssl(void)
{
	static int have = -1;

	if (have < 0) {
		have = dlssl_ensure_initialized(NULL) == 0;
		if (!have)
			fprintf(stderr, "fuzz: no libssl, nothing to fuzz: %s\n", dlssl_error());
	}
	return have;
}

/* The peer's bytes, handed out by the read callback. */
struct fuzz_feed {
	const uint8_t *data;
	size_t len, off;
	int split;           /* hand out pieces of 1..64 bytes */
	int eagain_at_end;   /* at the end: EAGAIN (would block) instead of end of file */
	uint32_t rng;        /* piece sizes, seeded from the input */
	unsigned long writes;
};

FUZZ_HELPER long
fuzz_read(void *h, void *buf, size_t len)
{
	struct fuzz_feed *f = h;
	size_t n = f->len - f->off;

	if (n == 0) {
		if (f->eagain_at_end) {
			errno = EAGAIN;
			return -1;
		}
		return 0;
	}
	if (n > len)
		n = len;
	if (f->split) {
		f->rng ^= f->rng << 13;
		f->rng ^= f->rng >> 17;
		f->rng ^= f->rng << 5;
		if (n > 1 + f->rng % 64)
			n = 1 + f->rng % 64;
	}
	memcpy(buf, f->data + f->off, n);
	f->off += n;
	return (long)n;
}

FUZZ_HELPER long
fuzz_write(void *h, const void *buf, size_t len)
{
	struct fuzz_feed *f = h;

	(void)buf;
	f->writes++;
	return (long)len;
}

static const struct dlssl_io_ops fuzz_ops = { fuzz_read, fuzz_write, NULL, { 0 } };

/* Set up a feed over data; the seed for piece sizes is taken from the data. */
FUZZ_HELPER void
fuzz_feed_init(struct fuzz_feed *f, const uint8_t *data, size_t len, int split, int eagain)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->data = data;
	f->len = len;
	f->split = split;
	f->eagain_at_end = eagain;
	f->rng = 2463534242u;
	for (i = 0; i < len && i < 16; i++)
		f->rng = f->rng * 31 + data[i];
	if (f->rng == 0)
		f->rng = 1;
}

/*
 * A failure must say what failed, in a category a peer can cause: never
 * "no error", never an internal error (a bug in dlssl).
 */
FUZZ_HELPER void
fuzz_check_failure(int code, const char *msg, const char *what)
{
	if (code == DLSSL_ERR_NONE || code == DLSSL_ERR_INTERNAL || code < 0 || code >= DLSSL_ERR_MAX_ ||
	    msg == NULL || msg[0] == '\0') {
		fprintf(stderr, "fuzz: %s failed with %s (%d): %s\n", what, dlssl_error_name(code), code,
		    msg ? msg : "(no message)");
		abort();
	}
}

/* Use a stream that was made: every getter, a read, a write, close. */
FUZZ_HELPER void
fuzz_use_stream(struct dlssl_stream *s)
{
	char buf[512];
	struct dlssl_x509 *x;
	long r;
	int i;

	(void)dlssl_stream_version(s);
	(void)dlssl_stream_cipher(s);
	(void)dlssl_stream_alpn(s);
	(void)dlssl_stream_servername(s);
	(void)dlssl_stream_verify_result(s);
	(void)dlssl_stream_session_reused(s);
	(void)dlssl_stream_is_open(s);
	if ((x = dlssl_stream_peer_certificate(s)) != NULL) {
		(void)dlssl_x509_subject(x);
		dlssl_x509_free(x);
	}
	for (i = 0; i < 64; i++) {
		r = dlssl_read(s, buf, sizeof(buf));
		if (r == -1)
			fuzz_check_failure(dlssl_stream_error_code(s), dlssl_stream_error(s), "read");
		if (r <= 0)
			break;
	}
	(void)dlssl_listen(s);
	(void)dlssl_write(s, "fuzz", 4);
	(void)dlssl_flush(s);
	(void)dlssl_close(s);
	dlssl_stream_free(s);
}

#endif
