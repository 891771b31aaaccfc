/* Contexts for the dlssl subcommands, from the common options. */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "link.h"

static void
common(struct dlssl_context_opts *c, const struct cli_opts *o)
{
	c->ca_file = o->cafile;
	c->ca_path = o->capath;
	/* Like curl --cacert: a CA given on the command line is the only one trusted. */
	c->no_default_verify_paths = o->cafile != NULL || o->capath != NULL;
	c->certificate_chain_file = o->cert;
	c->private_key_file = o->key;
	c->private_key_password = o->pass;
	c->alpn = (const char *const *)o->alpn;
}

int
cli_client_context(const char *cmd, const struct cli_opts *o, struct dlssl_context **ctx)
{
	struct dlssl_context_opts c = { 0 };

	common(&c, o);
	c.verify_mode = o->verify;
	if ((o->cert == NULL) != (o->key == NULL)) {
		fprintf(stderr, "dlssl %s: --cert and --key go together\n", cmd);
		return EXIT_USAGE;
	}
	if ((*ctx = dlssl_make_context(&c)) == NULL)
		return cli_fail("cannot make the TLS context");
	return EXIT_OK;
}

int
cli_server_context(const char *cmd, const struct cli_opts *o, struct dlssl_context **ctx)
{
	struct dlssl_context_opts c = { 0 };

	common(&c, o);
	c.verify_mode = o->verify;
	if (o->cert == NULL || o->key == NULL) {
		fprintf(stderr, "dlssl %s: a server needs --cert FILE and --key FILE\n", cmd);
		return EXIT_USAGE;
	}
	if ((*ctx = dlssl_make_context(&c)) == NULL)
		return cli_fail("cannot make the TLS context");
	return EXIT_OK;
}
