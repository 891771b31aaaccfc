/*
 * PEM chains and trust lists (src/pem.c, src/context_load.c), issue 12
 * item 9: PEM is found anywhere (after long text, not only in the first
 * 4 KiB), and a broken block is an error that names its number instead of
 * silently dropping the certificates after it, for chain files, chain data
 * and CA data in memory.  A chain is proven complete by a handshake with a
 * client that trusts only the root (the intermediate must come from the
 * server's chain).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls_test.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	ck_assert_msg(f != NULL, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	ck_assert_uint_eq(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* A growing text. */
struct text {
	char *p;
	size_t len;
};

static void
add(struct text *t, const char *s, size_t n)
{
	t->p = realloc(t->p, t->len + n + 1);
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void
add_str(struct text *t, const char *s)
{
	add(t, s, strlen(s));
}

static void
add_file(struct text *t, const char *path)
{
	size_t n;
	char *p = slurp(path, &n);

	add(t, p, n);
	free(p);
}

/* Text before the PEM: well over 4 KiB of it. */
static void
add_preamble(struct text *t)
{
	int i;

	for (i = 0; i < 200; i++)
		add_str(t, "This is a comment line about the certificates below, ignored.\n");
}

/* A certificate block whose base64 is damaged. */
static const char bad_block[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBszCCAVmgAwIBAgIUQ!!!not base64 at all!!!QmFkIGJsb2NrIGhlcmU=\n"
    "-----END CERTIFICATE-----\n";

static const char unended_block[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBszCCAVmgAwIBAgIU\n";

static char *
write_temp(const struct text *t)
{
	char *path = strdup("/tmp/dlssl-pem-XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, t->p, t->len), (ssize_t)t->len);
	close(fd);
	return path;
}

/*
 * A server context whose chain is text (server), or a client context
 * trusting the CAs in text; from memory, or (file) through a temporary
 * file.  NULL with dlssl's error.
 */
static struct dlssl_context *
context_from(const struct text *t, int file, int server)
{
	struct dlssl_context_opts o = { 0 };
	struct dlssl_context *c;
	char *path = file ? write_temp(t) : NULL;

	if (server) {
		o.no_default_verify_paths = 1;
		o.private_key_file = PKI("localhost.key");
		o.certificate_chain_file = path;
		o.certificate_chain_data = file ? NULL : t->p;
		o.certificate_chain_len = file ? 0 : t->len;
	} else {
		o.ca_file = path;
		o.ca_data = file ? NULL : t->p;
		o.ca_len = file ? 0 : t->len;
	}
	c = dlssl_make_context(&o);
	if (path != NULL) {
		unlink(path);
		free(path);
	}
	return c;
}

#define server_from(t, file) context_from((t), (file), 1)
#define client_from(t, file) context_from((t), (file), 0)

/* A handshake between the two contexts verifies: 1, else 0 with the client's error in err. */
static int
handshake(struct dlssl_context *server, struct dlssl_context *client, char *err, size_t size)
{
	struct tt_server sv;
	struct dlssl_stream_opts o = { 0 };
	struct dlssl_stream *s;
	int fds[2];

	memset(&sv, 0, sizeof(sv));
	tt_socketpair(fds);
	sv.fd = fds[1];
	sv.ctx = server;
	tt_server_start(&sv);
	o.context = client;
	o.hostname = "localhost";
	o.verify = DLSSL_VERIFY_REQUIRED;
	o.close_fd = 1;
	s = dlssl_make_client_stream(dlssl_transport_fd(fds[0]), &o);
	if (s == NULL) {
		snprintf(err, size, "%s", dlssl_error());
		close(fds[0]);
	} else {
		dlssl_stream_free(s);
	}
	tt_server_join(&sv);
	return s != NULL;
}

static struct text
root_only(void)
{
	struct text t = { 0 };

	add_file(&t, PKI("root-ca.crt"));
	return t;
}

/* ---- PEM anywhere ------------------------------------------------------------------ */

START_TEST(chain_after_long_text)
{
	struct text chain = { 0 }, cas = root_only();
	struct dlssl_context *server, *client;
	char err[512] = "";

	add_preamble(&chain);
	add_file(&chain, PKI("localhost.crt"));
	add_str(&chain, "Text between the blocks.\n");
	add_file(&chain, PKI("intermediate-ca.crt"));
	add_str(&chain, "And after them.\n");
	client = client_from(&cas, 0);
	ck_assert_msg(client != NULL, "%s", dlssl_error());
	server = server_from(&chain, _i);
	ck_assert_msg(server != NULL, "%s: %s", _i ? "file" : "memory", dlssl_error());
	ck_assert_msg(handshake(server, client, err, sizeof(err)), "chain incomplete: %s", err);
	dlssl_ctx_free(server);
	dlssl_ctx_free(client);
	free(chain.p);
	free(cas.p);
}
END_TEST

START_TEST(cas_after_long_text)
{
	struct text chain = { 0 }, cas = { 0 };
	struct dlssl_context *server, *client;
	char err[512] = "";

	add_file(&chain, PKI("localhost-chain.pem"));
	add_preamble(&cas);
	add_file(&cas, PKI("rogue-root-ca.crt"));
	add_str(&cas, "# the one that matters comes second\n");
	add_file(&cas, PKI("root-ca.crt"));
	server = server_from(&chain, 0);
	ck_assert_msg(server != NULL, "%s", dlssl_error());
	client = client_from(&cas, _i);
	ck_assert_msg(client != NULL, "%s: %s", _i ? "file" : "memory", dlssl_error());
	ck_assert_msg(handshake(server, client, err, sizeof(err)), "root not trusted: %s", err);
	dlssl_ctx_free(server);
	dlssl_ctx_free(client);
	free(chain.p);
	free(cas.p);
}
END_TEST

/* Blocks of other kinds (a key) between certificates are passed over. */
START_TEST(chain_with_key_block)
{
	struct text chain = { 0 }, cas = root_only();
	struct dlssl_context *server, *client;
	char err[512] = "";

	add_file(&chain, PKI("localhost.crt"));
	add_file(&chain, PKI("localhost.key"));
	add_file(&chain, PKI("intermediate-ca.crt"));
	client = client_from(&cas, 0);
	server = server_from(&chain, _i);
	ck_assert_msg(server != NULL, "%s", dlssl_error());
	ck_assert_msg(handshake(server, client, err, sizeof(err)), "chain incomplete: %s", err);
	dlssl_ctx_free(server);
	dlssl_ctx_free(client);
	free(chain.p);
	free(cas.p);
}
END_TEST

/* ---- broken blocks ------------------------------------------------------------------- */

static void
assert_refused(struct dlssl_context *c, const char *words, const char *what)
{
	ck_assert_msg(c == NULL, "%s: a broken PEM block was accepted", what);
	ck_assert_int_eq(dlssl_error_code(), DLSSL_ERR_TLS);
	ck_assert_msg(strstr(dlssl_error(), words) != NULL, "%s: \"%s\" does not say \"%s\"", what,
	    dlssl_error(), words);
}

START_TEST(chain_bad_block)
{
	struct text chain = { 0 };

	/* Leaf, a damaged block, then the intermediate that used to be dropped. */
	add_file(&chain, PKI("localhost.crt"));
	add_str(&chain, bad_block);
	add_file(&chain, PKI("intermediate-ca.crt"));
	assert_refused(server_from(&chain, _i), "PEM block 2 (CERTIFICATE) is not a valid certificate",
	    _i ? "chain file" : "chain data");
	free(chain.p);
	chain.p = NULL;
	chain.len = 0;
	/* The leaf itself damaged, after a key block. */
	add_file(&chain, PKI("localhost.key"));
	add_str(&chain, bad_block);
	add_file(&chain, PKI("intermediate-ca.crt"));
	assert_refused(server_from(&chain, _i), "PEM block 2", _i ? "chain file" : "chain data");
	free(chain.p);
}
END_TEST

START_TEST(chain_unended_block)
{
	struct text chain = { 0 };

	add_file(&chain, PKI("localhost.crt"));
	add_file(&chain, PKI("intermediate-ca.crt"));
	add_str(&chain, unended_block);
	assert_refused(server_from(&chain, _i), "PEM block 3 (CERTIFICATE) has no END line",
	    _i ? "chain file" : "chain data");
	free(chain.p);
}
END_TEST

START_TEST(cas_bad_block)
{
	struct text cas = { 0 };
	struct dlssl_context *c;

	add_file(&cas, PKI("rogue-root-ca.crt"));
	add_str(&cas, bad_block);
	add_file(&cas, PKI("root-ca.crt"));
	c = client_from(&cas, _i);
	if (_i) {
		/* A CA file is read by the library itself: it must fail too. */
		ck_assert_msg(c == NULL, "CA file with a broken block accepted");
	} else {
		assert_refused(c, "PEM block 2 (CERTIFICATE) is not a valid certificate", "ca_data");
	}
	free(cas.p);
}
END_TEST

static Suite *
make_suite(void)
{
	Suite *s = suite_create("pem");
	TCase *tc = tcase_create("pem");

	tcase_set_timeout(tc, 60);
	/* _i: 0 memory, 1 file */
	tcase_add_loop_test(tc, chain_after_long_text, 0, 2);
	tcase_add_loop_test(tc, cas_after_long_text, 0, 2);
	tcase_add_loop_test(tc, chain_with_key_block, 0, 2);
	tcase_add_loop_test(tc, chain_bad_block, 0, 2);
	tcase_add_loop_test(tc, chain_unended_block, 0, 2);
	tcase_add_loop_test(tc, cas_bad_block, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tt_main(make_suite);
}
