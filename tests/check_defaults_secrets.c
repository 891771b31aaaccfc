/*
 * Secrets are wiped before dlssl gives their memory back (STYLE.md rule
 * 10: "Zero keys and secrets on release").  White-box: this program links
 * the library's code statically and with -Wl,--wrap=free,--wrap=realloc,
 * so every free() and realloc() *made by dlssl's own code* passes through
 * the wrappers below, which look into the block about to be released for
 * the secrets the test handed to dlssl: private key material (PEM text and
 * DER bytes), key passwords, and plaintext written to a stream.  A block
 * that realloc() moves is released too, so it is looked into as well.
 *
 * libssl and libcrypto allocate and free through their own calls (not
 * wrapped); OpenSSL cleanses keys, passwords and session secrets itself.
 */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define HAVE_MEMCHECK_H 1
#endif
#endif

#include "dlssl.h"
#include "hard_common.h"
#include "hard_pipe.h"
#include "tls_test.h"

/* ---- the wrappers ---- */

void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

#define MAX_SECRETS 8
static struct {
	const unsigned char *bytes;
	size_t len;
	const char *name;
} secrets[MAX_SECRETS];
/*
 * volatile: the compiler knows free() as a builtin that reads no user
 * data, and would drop a "tracking = 1" store right before one.
 */
static volatile int tracking, leaks;
static int n_secrets;
static char first_leak[256];

/*
 * Does the block hold a secret?  The index of the first one found, or -1.
 * The block's bytes that were never written are looked at too: under
 * valgrind a copy is scanned, marked as defined.
 */
static int
holds(const void *p, size_t *size)
{
	static unsigned char copy[2 << 20];
	size_t n, i;

	if (!tracking || p == NULL)
		return -1;
	n = malloc_usable_size((void *)(uintptr_t)p);
	*size = n;
	if (n > sizeof(copy))
		n = sizeof(copy);
	memcpy(copy, p, n);
#ifdef HAVE_MEMCHECK_H
	(void)VALGRIND_MAKE_MEM_DEFINED(copy, n);
#endif
	for (i = 0; i < (size_t)n_secrets; i++)
		if (secrets[i].len <= n && memmem(copy, n, secrets[i].bytes, secrets[i].len) != NULL)
			return (int)i;
	return -1;
}

static void
leaked(int i, size_t n, const char *how)
{
	if (leaks++ == 0)
		snprintf(first_leak, sizeof(first_leak), "%s a block of %zu bytes holding %s", how, n,
		    secrets[i].name);
}

void *
__wrap_realloc(void *p, size_t n)
{
	size_t size = 0;
	int i = holds(p, &size);
	void *q = __real_realloc(p, n);

	/* Moved: the old block went back to the allocator as it was. */
	if (i >= 0 && q != NULL && q != p)
		leaked(i, size, "realloc() moved, and released unwiped,");
	return q;
}

void
__wrap_free(void *p)
{
	size_t size = 0;
	int i = holds(p, &size);

	if (i >= 0)
		leaked(i, size, "free() released");
	__real_free(p);
}

static void
secret(const void *bytes, size_t len, const char *name)
{
	ck_assert_int_lt(n_secrets, MAX_SECRETS);
	secrets[n_secrets].bytes = bytes;
	secrets[n_secrets].len = len;
	secrets[n_secrets].name = name;
	n_secrets++;
}

static void
start(void)
{
	leaks = 0;
	first_leak[0] = '\0';
	tracking = 1;
}

/* Stop looking; free what the test allocated (first: the assertion may end the test). */
static void
stop_and_check(const char *what, void *free1, void *free2)
{
	int n = leaks;

	tracking = 0;
	n_secrets = 0;
	free(free1);
	free(free2);
	ck_assert_msg(n == 0, "%s: %d block(s) released unwiped; the first: %s", what, n, first_leak);
}

/* ---- fixtures ---- */

/*
 * Read a file with read(2), not stdio: stdio's own buffer would leave a
 * copy of the key in freed memory, which later blocks (of dlssl's) could
 * then seem to hold.
 */
static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *b = malloc(1 << 20);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(b);
	*len = 0;
	while ((r = read(fd, b + *len, (1 << 20) - 1 - *len)) > 0)
		*len += (size_t)r;
	b[*len] = '\0';
	close(fd);
	return b;
}

/*
 * A distinctive private piece of a PEM key: 48 characters of base64 from
 * near its end (the CRT parameters).  Not from the start: an RSA key begins
 * with its modulus, which the certificate carries as well.
 */
static void
pem_secret(const unsigned char *pem, const char *name)
{
	const char *end = strstr((const char *)pem, "-----END");

	ck_assert_ptr_nonnull(end);
	ck_assert_int_gt(end - (const char *)pem, 400);
	secret(end - 120, 48, name);
}

static char tmpfile_path[256];

static void
remove_tmp(void)
{
	if (tmpfile_path[0] != '\0')
		unlink(tmpfile_path);
	tmpfile_path[0] = '\0';
}

/* A file: the key first, then 'pad' bytes of other PEM text (a combined key+chain file). */
static const char *
key_file_with_padding(const unsigned char *key, size_t klen, size_t pad)
{
	const char *tmp = getenv("TMPDIR");
	unsigned char *chain;
	size_t clen, done = 0;
	int fd;

	snprintf(tmpfile_path, sizeof(tmpfile_path), "%s/dlssl-key-XXXXXX",
	    tmp != NULL && *tmp ? tmp : "/tmp");
	ck_assert_int_ge(fd = mkstemp(tmpfile_path), 0);
	ck_assert_int_eq(write(fd, key, klen), (ssize_t)klen);
	chain = slurp(PKI("localhost-chain.pem"), &clen);
	while (done < pad) {
		ck_assert_int_eq(write(fd, chain, clen), (ssize_t)clen);
		done += clen;
	}
	free(chain);
	close(fd);
	return tmpfile_path;
}

/* ---- tests ---- */

START_TEST(key_file_wiped)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;
	size_t n;
	int ok;
	unsigned char *key = slurp(PKI("localhost.key"), &n);

	pem_secret(key, "the PEM private key");
	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("localhost.key");
	o.no_default_verify_paths = 1;
	start();
	c = dlssl_make_context(&o);
	ok = c != NULL;
	dlssl_ctx_free(c);
	stop_and_check("a context's key file", key, NULL);
	ck_assert(ok);
}
END_TEST

START_TEST(der_key_file_wiped)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;
	size_t n;
	int ok;
	unsigned char *key = slurp(PKI("localhost-key.der"), &n);

	secret(key + n - 80, 32, "DER private key bytes");
	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("localhost-key.der");
	o.no_default_verify_paths = 1;
	start();
	c = dlssl_make_context(&o);
	ok = c != NULL;
	dlssl_ctx_free(c);
	stop_and_check("a DER key file", key, NULL);
	ck_assert(ok);
}
END_TEST

/*
 * A key file larger than the first read buffer (8 KiB): a key followed by
 * its certificate chain, as many deployments keep them.  The buffer grows
 * with realloc(), which releases the old block, with the key in it.
 */
START_TEST(large_key_file_wiped)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;
	size_t n;
	int ok;
	unsigned char *key = slurp(PKI("localhost.key"), &n);
	const char *path = key_file_with_padding(key, n, 20000);

	pem_secret(key, "the PEM private key");
	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = path;
	o.no_default_verify_paths = 1;
	start();
	c = dlssl_make_context(&o);
	ok = c != NULL;
	dlssl_ctx_free(c);
	tracking = 0;
	remove_tmp();
	stop_and_check("a 20 KiB key+chain file", key, NULL);
	ck_assert(ok);
}
END_TEST

START_TEST(stream_key_file_wiped)
{
	struct dlssl_context *sctx;
	struct dlssl_context_opts so = { 0 };
	struct dlssl_stream_opts co = { 0 };
	struct hard_pair p;
	size_t n;
	int ok;
	unsigned char *key = slurp(PKI("client.key"), &n);
	const char *big;

	/* A per-stream client identity (CL+SSL's :certificate :key). */
	so.certificate_chain_file = PKI("localhost-chain.pem");
	so.private_key_file = PKI("localhost.key");
	so.ca_file = PKI("root-ca.crt");
	so.verify_mode = DLSSL_VERIFY_REQUIRED;
	sctx = dlssl_make_context(&so);
	ck_assert_ptr_nonnull(sctx);
	pem_secret(key, "the client's PEM private key");
	co.certificate_file = PKI("client-chain.pem");
	co.key_file = PKI("client.key");
	start();
	ok = hard_pair_open(&p, NULL, sctx, "localhost", 1 << 16, 1, NULL,
	    &(struct dlssl_stream_opts){ .certificate_file = co.certificate_file,
	    .key_file = co.key_file, .verify = DLSSL_VERIFY_NONE }, NULL) == 0;
	hard_pair_free(&p);
	stop_and_check("a stream's key file", NULL, NULL);
	ck_assert_msg(ok, "%s", p.err);

	/* The same with a key file past the first read buffer. */
	big = key_file_with_padding(key, n, 20000);
	pem_secret(key, "the client's PEM private key");
	start();
	ok = hard_pair_open(&p, NULL, sctx, "localhost", 1 << 16, 1, NULL,
	    &(struct dlssl_stream_opts){ .certificate_file = co.certificate_file,
	    .key_file = big, .verify = DLSSL_VERIFY_NONE }, NULL) == 0;
	hard_pair_free(&p);
	tracking = 0;
	remove_tmp();
	dlssl_ctx_free(sctx);
	stop_and_check("a stream's 20 KiB key+chain file", key, NULL);
	ck_assert_msg(ok, "%s", p.err);
}
END_TEST

static int
give_password(char *buf, size_t size, int rwflag, void *arg)
{
	size_t n = strlen(arg);

	(void)rwflag;
	if (n > size)
		return -1;
	memcpy(buf, arg, n);
	return (int)n;
}

START_TEST(key_password_wiped)
{
	static char password[] = "dlssl-test";
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;
	size_t n;
	unsigned char *enc = slurp(PKI("localhost-key-enc.pem"), &n);
	unsigned char *plain = slurp(PKI("localhost-key.der"), &n);

	secret(password, strlen(password), "the key's password");
	pem_secret(enc, "the encrypted PEM key");
	secret(plain + n - 80, 32, "the decrypted key's bytes");
	o.certificate_chain_file = PKI("localhost-chain.pem");
	o.private_key_file = PKI("localhost-key-enc.pem");
	o.private_key_password = password;
	o.no_default_verify_paths = 1;
	start();
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "%s", dlssl_error());
	dlssl_ctx_free(c);
	/* From a callback, and in memory. */
	o.private_key_password = NULL;
	o.password_callback = give_password;
	o.password_callback_arg = password;
	c = dlssl_make_context(&o);
	ck_assert_msg(c != NULL, "%s", dlssl_error());
	dlssl_ctx_free(c);
	stop_and_check("an encrypted key and its password", enc, plain);
}
END_TEST

START_TEST(plaintext_wiped)
{
	static const char plain[] = "TOP-SECRET-PLAINTEXT-dlssl-0123456789abcdef";
	struct dlssl_context *c = tt_client_ctx(),
	    *s = tt_server_ctx(PKI("localhost-chain.pem"), PKI("localhost.key"));
	struct hard_pair p;
	char buf[128];

	secret(plain, strlen(plain), "plaintext written to a stream");
	ck_assert_int_eq(hard_pair_open(&p, c, s, "localhost", 1 << 16, 1, NULL, NULL, NULL), 0);
	start();
	/* Buffered and sent; buffered and never sent (freed with the stream). */
	ck_assert_int_eq(dlssl_write(p.client, plain, strlen(plain)), (long)strlen(plain));
	ck_assert_int_eq(dlssl_flush(p.client), 0);
	ck_assert_int_eq(dlssl_read_fully(p.server, buf, strlen(plain)), (long)strlen(plain));
	ck_assert_int_eq(dlssl_write(p.server, plain, strlen(plain)), (long)strlen(plain));
	hard_pair_free(&p);
	dlssl_ctx_free(c);
	dlssl_ctx_free(s);
	stop_and_check("stream buffers", NULL, NULL);
}
END_TEST

/* The wrappers themselves: they do see a secret freed unwiped. */
START_TEST(wrappers_work)
{
	static const char s[] = "a secret that is not wiped";
	char *copy;

	secret(s, strlen(s), "the canary");
	copy = strdup(s);
	ck_assert_ptr_nonnull(copy);
	ck_assert_int_eq(copy[0], 'a');
	start();
	free(copy); /* this file's own free goes through the wrapper too */
	tracking = 0;
	ck_assert_int_eq(leaks, 1);
	n_secrets = 0;
	leaks = 0;
}
END_TEST

static Suite *
secrets_suite(void)
{
	Suite *s = suite_create("defaults_secrets");
	TCase *tc = tcase_create("wiped");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, wrappers_work);
	tcase_add_test(tc, key_file_wiped);
	tcase_add_test(tc, der_key_file_wiped);
	tcase_add_test(tc, large_key_file_wiped);
	tcase_add_test(tc, stream_key_file_wiped);
	tcase_add_test(tc, key_password_wiped);
	tcase_add_test(tc, plaintext_wiped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(secrets_suite);
}
