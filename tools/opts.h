/* Options shared by the dlssl subcommands (DESIGN.md "The dlssl program"). */
#ifndef DLSSL_TOOLS_OPTS_H
#define DLSSL_TOOLS_OPTS_H

#include <stdio.h>

#include "dlssl.h"

/* How a subcommand hands its socket to dlssl (--transport). */
enum cli_transport {
	CLI_T_FD = 0,	/* dlssl_transport_fd() */
	CLI_T_IO,	/* dlssl_transport_io() with read/write callbacks */
	CLI_T_FILE	/* fdopen() + dlssl_transport_file() */
};

/* Which common options a subcommand takes. */
#define CLI_O_SERVERNAME 0x0001u
#define CLI_O_VERIFY 0x0002u
#define CLI_O_CAFILE 0x0004u
#define CLI_O_CAPATH 0x0008u
#define CLI_O_CERT 0x0010u
#define CLI_O_KEY 0x0020u
#define CLI_O_PASS 0x0040u
#define CLI_O_ALPN 0x0080u
#define CLI_O_TIMEOUT 0x0100u
#define CLI_O_TRANSPORT 0x0200u
#define CLI_O_LIBSSL 0x0400u
#define CLI_O_ALL 0x07ffu
#define CLI_O_SERVER (CLI_O_ALL & ~CLI_O_SERVERNAME)

struct cli_opts {
	const char *servername;
	enum dlssl_verify verify;	/* DLSSL_VERIFY_DEFAULT unless --verify */
	const char *cafile;
	const char *capath;
	const char *cert;
	const char *key;
	char *pass;			/* owned, wiped by cli_opts_free() */
	const char **alpn;		/* NULL-terminated, owned */
	char *alpn_buf;
	int timeout_ms;			/* 0: none */
	enum cli_transport transport;
	const char *libssl;
};

/*
 * If argv[*i] is an option NAME ("--name VALUE" or "--name=VALUE"), store its
 * value in *val, advance *i past it and return 1; 0 if it is another
 * option; -1 (message printed) if the value is missing.
 */
int cli_optarg(const char *cmd, const char *name, int argc, char **argv, int *i,
    const char **val);
/*
 * Parse one common option at argv[*i] if `allowed` has it: 1 taken (and *i
 * advanced), 0 not a common option, -1 invalid (message printed).
 */
int cli_opt_common(struct cli_opts *o, unsigned int allowed, const char *cmd, int argc,
    char **argv, int *i);
/* Print the help lines of the allowed common options. */
void cli_opts_help(FILE *f, unsigned int allowed);
/* Release what cli_opt_common() allocated. */
void cli_opts_free(struct cli_opts *o);
/* Print "dlssl CMD: unknown option 'ARG' (try 'dlssl CMD --help')"; returns EXIT_USAGE. */
int cli_unknown(const char *cmd, const char *arg);
/* Parse a whole number in [lo, hi]: 0 or -1. */
int cli_number(const char *s, long lo, long hi, long *out);

#endif
