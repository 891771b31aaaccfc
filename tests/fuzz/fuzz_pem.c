/*
 * libFuzzer target: certificates and keys given to a context
 * (src/context_load.c): certificate_chain_data and private_key_data in
 * memory, or the same bytes as files (dlssl's own file reader), PEM or
 * DER, encrypted or not, with a password, a password callback or neither;
 * and dlssl_x509_load_mem on the chain bytes.
 *
 * Byte 0: bit 0 give a chain; bit 1 give a key; bit 2 the password
 * "dlssl-test"; bit 3 a password callback (that returns the rest of an
 * input-chosen length); bit 4 pass them as files.  Bytes 1-2: where the
 * chain ends and the key begins.  Seeds (corpus/pem/) combine the test
 * PKI's chains and keys (PEM, DER, PKCS#8 encrypted, traditional).
 */
#include "fuzz_common.h"

#include <sys/mman.h>
#include <unistd.h>

static int cb_len;

static int
password_cb(char *buf, size_t size, int rwflag, void *arg)
{
	static const char pw[] = "dlssl-test-and-then-some-more-bytes-for-long-passwords";
	size_t n = (size_t)cb_len % sizeof(pw);

	(void)rwflag;
	(void)arg;
	if (cb_len == 255)
		return -1;
	if (n > size)
		n = size;
	memcpy(buf, pw, n);
	return (int)n;
}

/* A file with these bytes (for the file readers), in memory: its name in path, its fd. */
static int
to_file(const uint8_t *d, size_t n, char *path, size_t plen)
{
	int fd = memfd_create("dlssl-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (n > 0 && write(fd, d, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	snprintf(path, plen, "/proc/self/fd/%d", fd);
	return fd;
}

static void
check_context(struct dlssl_context *c, const char *what)
{
	if (c == NULL)
		fuzz_check_failure(dlssl_error_code(), dlssl_error(), what);
	dlssl_ctx_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_x509 *x;
	const uint8_t *chain, *key;
	size_t split, clen, klen;
	char cpath[64], kpath[64];
	int files, cfd = -1, kfd = -1;

	if (size < 3 || !fuzz_have_libssl())
		return 0;
	split = ((size_t)data[1] << 8 | data[2]);
	if (split > size - 3)
		split = size - 3;
	chain = data + 3;
	clen = split;
	key = data + 3 + split;
	klen = size - 3 - split;
	files = (data[0] >> 4) & 1;
	cb_len = data[1];
	if ((x = dlssl_x509_load_mem(chain, clen)) != NULL) {
		(void)dlssl_x509_subject_cns(x, NULL);
		dlssl_x509_free(x);
	} else if (clen > 0) {
		fuzz_check_failure(dlssl_error_code(), dlssl_error(), "x509_load_mem");
	}
	o.no_default_verify_paths = 1;
	if (data[0] & 4)
		o.private_key_password = "dlssl-test";
	if (data[0] & 8)
		o.password_callback = password_cb;
	if (!files) {
		if ((data[0] & 1) && clen > 0) {
			o.certificate_chain_data = chain;
			o.certificate_chain_len = clen;
		}
		if ((data[0] & 2) && klen > 0) {
			o.private_key_data = key;
			o.private_key_len = klen;
		}
		check_context(dlssl_make_context(&o), "make_context (memory)");
		return 0;
	}
	if ((data[0] & 1) && (cfd = to_file(chain, clen, cpath, sizeof(cpath))) >= 0)
		o.certificate_chain_file = cpath;
	if ((data[0] & 2) && (kfd = to_file(key, klen, kpath, sizeof(kpath))) >= 0)
		o.private_key_file = kpath;
	check_context(dlssl_make_context(&o), "make_context (files)");
	if (cfd >= 0)
		close(cfd);
	if (kfd >= 0)
		close(kfd);
	return 0;
}
