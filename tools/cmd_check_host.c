/* dlssl check-host CERT HOST: does the certificate match the host name? */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "opts.h"

static int
usage(FILE *f, int rc)
{
	fprintf(f, "usage: dlssl check-host [--strict] [--libssl PATH] CERT HOST\n\n"
	    "Match HOST (a DNS name or an IP address) against the certificate in CERT\n"
	    "(PEM or DER) with the rules of RFC 6125: DNS names against the dNSName\n"
	    "SANs (the subject CN only when there are none, never with --strict), IP\n"
	    "addresses against the iPAddress SANs.\n\n"
	    "exit status: 0 match, 3 no match, 1 usage or an invalid certificate or\n"
	    "host name, 2 no libssl\n");
	return rc;
}

int
cmd_check_host(int argc, char **argv)
{
	struct dlssl_x509 *x;
	struct cli_opts o = { 0 };
	const char *args[2];
	int i, n = 0, strict = 0, r, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return usage(stdout, EXIT_OK);
		if ((r = cli_opt_common(&o, CLI_O_LIBSSL, "check-host", argc, argv, &i)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if (strcmp(argv[i], "--strict") == 0) {
			strict = 1;
		} else if (argv[i][0] != '-' && n < 2) {
			args[n++] = argv[i];
		} else {
			return cli_unknown("check-host", argv[i]);
		}
	}
	if (n != 2)
		return usage(stderr, EXIT_USAGE);
	if ((rc = cli_load(o.libssl)) != EXIT_OK)
		return rc;
	if ((x = dlssl_x509_load_file(args[0])) == NULL) {
		rc = cli_fail("check-host");
		return rc == EXIT_LOAD ? rc : EXIT_USAGE;
	}
	r = dlssl_check_host_flags(x, args[1], strict ? DLSSL_CHECK_HOST_NO_CN_FALLBACK : 0);
	if (r == 1) {
		printf("%s matches %s\n", args[0], args[1]);
		rc = EXIT_OK;
	} else if (dlssl_error_code() == DLSSL_ERR_NONE) {
		fprintf(stderr, "dlssl check-host: %s (%s) does not match %s\n", args[0],
		    dlssl_x509_subject(x), args[1]);
		rc = EXIT_VERIFY;
	} else {
		/* 0 with an error: the name or the certificate could not be checked. */
		rc = cli_fail("check-host");
		rc = rc == EXIT_LOAD ? rc : EXIT_USAGE;
	}
	dlssl_x509_free(x);
	return rc;
}
