/* dlssl x509 CERT: subject, issuer, SANs, validity (UTC) and fingerprints. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "opts.h"

static int
usage(FILE *f, int rc)
{
	fprintf(f, "usage: dlssl x509 [--libssl PATH] CERT\n\n"
	    "Print what the certificate in CERT (PEM or DER; the first one of a PEM\n"
	    "chain) says: one \"key: value\" per line, a line per SAN:\n"
	    "  subject, issuer     RFC 4514 names (CN=...,O=...)\n"
	    "  cn                  each subject common name\n"
	    "  dns, ip             the subjectAltName entries\n"
	    "  not-before, not-after  validity, as YYYY-MM-DD HH:MM:SS UTC\n"
	    "  sha256, sha1        fingerprints of the DER encoding\n");
	return rc;
}

static void
print_list(const char *key, const char *const *list)
{
	size_t k;

	for (k = 0; list != NULL && list[k] != NULL; k++)
		printf("%-11s %s\n", key, list[k]);
}

#ifdef _WIN32
/* The C runtime's gmtime_s: its arguments the other way round, 0 for success. */
#define utc(t, tm) (gmtime_s((tm), (t)) == 0 ? (tm) : NULL)
#else
#define utc(t, tm) gmtime_r((t), (tm))
#endif

static void
print_time(const char *key, time_t t)
{
	struct tm tm;
	char buf[64];

	if (utc(&t, &tm) == NULL || strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, sizeof(buf), "%lld (seconds since the epoch)", (long long)t);
	printf("%-11s %s\n", key, buf);
}

static int
show(const struct dlssl_x509 *x)
{
	char fp[200];
	time_t nb, na;
	const char *const *cns;

	printf("%-11s %s\n", "subject:", dlssl_x509_subject(x));
	printf("%-11s %s\n", "issuer:", dlssl_x509_issuer(x));
	/* An undecodable CN is reported, not fatal: the rest is still worth seeing. */
	if ((cns = dlssl_x509_subject_cns(x, NULL)) == NULL)
		fprintf(stderr, "dlssl x509: %s\n", dlssl_error());
	print_list("cn:", cns);
	print_list("dns:", dlssl_x509_dns_names(x, NULL));
	print_list("ip:", dlssl_x509_ip_addresses(x, NULL));
	if (dlssl_x509_validity(x, &nb, &na) < 0)
		return cli_fail("x509: validity");
	print_time("not-before:", nb);
	print_time("not-after:", na);
	if (dlssl_x509_fingerprint_hex(x, "sha256", fp, sizeof(fp)) < 0)
		return cli_fail("x509: sha256 fingerprint");
	printf("%-11s %s\n", "sha256:", fp);
	if (dlssl_x509_fingerprint_hex(x, "sha1", fp, sizeof(fp)) < 0)
		return cli_fail("x509: sha1 fingerprint");
	printf("%-11s %s\n", "sha1:", fp);
	return EXIT_OK;
}

int
cmd_x509(int argc, char **argv)
{
	struct dlssl_x509 *x;
	struct cli_opts o = { 0 };
	const char *path = NULL;
	int i, r, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return usage(stdout, EXIT_OK);
		if ((r = cli_opt_common(&o, CLI_O_LIBSSL, "x509", argc, argv, &i)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] != '-' && path == NULL) {
			path = argv[i];
		} else {
			return cli_unknown("x509", argv[i]);
		}
	}
	if (path == NULL)
		return usage(stderr, EXIT_USAGE);
	if ((rc = cli_load(o.libssl)) != EXIT_OK)
		return rc;
	if ((x = dlssl_x509_load_file(path)) == NULL) {
		rc = cli_fail("x509");
		return rc == EXIT_LOAD ? rc : EXIT_USAGE;
	}
	rc = show(x);
	dlssl_x509_free(x);
	return rc;
}
