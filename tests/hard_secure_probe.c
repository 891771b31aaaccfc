/*
 * hard_secure_probe DIR: run by tests/check_defaults_secure as a setuid-root
 * copy (AT_SECURE) and as a plain copy, under an unprivileged user, with
 * DLSSL_* and SSL_CERT_FILE set in its environment.  Linked with the
 * library's code statically, so it needs no LD_LIBRARY_PATH (which a setuid
 * program would not get).  Prints one line on stdout:
 *
 *   secure=0|1 loaded=0|1 source=NAME trusted_test_root=1|0|-1 error=TEXT
 *
 * trusted_test_root: a client on the default context (the system trust
 * store, which SSL_CERT_FILE would replace) accepted (1) or refused (0) a
 * server with DIR/localhost-chain.pem and DIR/localhost.key; -1 it could
 * not tell.  Exit status 0 once the line is printed.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#ifdef HAVE_SYS_AUXV_H
#include <sys/auxv.h>
#endif

#include "dlssl.h"
#include "hard_pipe.h"

static unsigned long
at_secure(void)
{
#if defined(HAVE_GETAUXVAL) && defined(AT_SECURE)
	return getauxval(AT_SECURE);
#else
	return 0;
#endif
}

static int
trusted(const char *dir)
{
	struct dlssl_context_opts so = { 0 };
	struct dlssl_stream_opts d = { 0 };
	struct dlssl_context *s;
	struct hard_pair p;
	char chain[4096], key[4096];
	int r;

	snprintf(chain, sizeof(chain), "%s/localhost-chain.pem", dir);
	snprintf(key, sizeof(key), "%s/localhost.key", dir);
	so.certificate_chain_file = chain;
	so.private_key_file = key;
	so.no_default_verify_paths = 1;
	if ((s = dlssl_make_context(&so)) == NULL) {
		fprintf(stderr, "probe: server context: %s\n", dlssl_error());
		return -1;
	}
	(void)d;
	/* The client: no context (the default one), verification by default. */
	if (hard_pair_open(&p, NULL, s, "localhost", 1 << 16, 1, NULL, NULL, NULL) == 0)
		r = 1;
	else if (p.client != NULL && dlssl_stream_error_code(p.client) == DLSSL_ERR_VERIFY)
		r = 0;
	else
		r = strstr(p.err, "client: ") == p.err && strstr(p.err, "VERIFY") != NULL ? 0 : -1;
	if (r < 0)
		fprintf(stderr, "probe: %s\n", p.err);
	hard_pair_free(&p);
	dlssl_ctx_free(s);
	return r;
}

int
main(int argc, char **argv)
{
	const struct dlssl_library_info *info;
	int loaded, t = -1;

	if (argc != 2) {
		fprintf(stderr, "usage: hard_secure_probe DIR\n");
		return 2;
	}
	loaded = dlssl_ensure_initialized(NULL) == 0;
	info = dlssl_library_info();
	if (loaded)
		t = trusted(argv[1]);
	printf("secure=%lu loaded=%d source=%s trusted_test_root=%d error=%s\n", at_secure(), loaded,
	    dlssl_source_name(info->source), t, info->error ? info->error : "-");
	fflush(stdout);
	return 0;
}
