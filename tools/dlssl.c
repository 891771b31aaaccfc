/* The dlssl command: dispatch to the subcommands. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sys.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand commands[] = {
	{ "info", cmd_info, "which libssl/libcrypto, from where, version, capabilities" },
	{ "demo", cmd_demo, "a TLS server and client in one process on loopback" },
	{ "connect", cmd_connect, "HOST:PORT: stdin -> TLS -> stdout" },
	{ "serve", cmd_serve, "an echo (or --exec CMD) TLS server" },
	{ "get", cmd_get, "https://HOST[:PORT]/PATH: HTTP/1.1 GET, body to stdout" },
	{ "check-host", cmd_check_host, "CERT HOST: does the certificate match the host name" },
	{ "x509", cmd_x509, "CERT: subject, issuer, SANs, validity, fingerprints" },
	{ "random", cmd_random, "N random bytes as hex" },
	{ "bench", cmd_bench, "throughput and handshakes, beside libssl called directly" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: dlssl <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'dlssl <command> --help' describes a command.\n"
	    "exit status: 0 success, 1 usage, 2 libssl could not be loaded,\n"
	    "3 verification failed, 4 other TLS or I/O error, 5 timeout\n");
}

int
cli_exit_for(int code)
{
	switch (code) {
	case DLSSL_ERR_NONE:
		return EXIT_OK;
	case DLSSL_ERR_USAGE:
		return EXIT_USAGE;
	case DLSSL_ERR_LOAD:
		return EXIT_LOAD;
	case DLSSL_ERR_VERIFY:
		return EXIT_VERIFY;
	case DLSSL_ERR_TIMEOUT:
		return EXIT_TIMEOUT;
	default:
		return EXIT_TLS;
	}
}

int
cli_fail(const char *what)
{
	const char *e = dlssl_error();

	fprintf(stderr, "dlssl: %s: %s\n", what, e ? e : "failed");
	return cli_exit_for(dlssl_error_code());
}

int
cli_load(const char *libssl)
{
	struct dlssl_init_opts o = { 0 };

	o.libssl_path = libssl;
	if (dlssl_ensure_initialized(libssl ? &o : NULL) < 0)
		return cli_fail("cannot load libssl");
	return EXIT_OK;
}

static int
run(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		unsigned int v = dlssl_version();

		printf("dlssl %u.%u.%u\n", v >> 16, (v >> 8) & 0xff, v & 0xff);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "dlssl: unknown command '%s' (try 'dlssl --help')\n", argv[1]);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
#ifdef _WIN32
	int rc;

	/* Windows has no SIGPIPE; its sockets need Winsock started, once. */
	if (cli_win_startup() < 0) {
		fprintf(stderr, "dlssl: cannot start Winsock (WSAStartup)\n");
		return EXIT_TLS;
	}
	/* UTF-8 arguments from the wide command line: argv has the ANSI code page's. */
	if (cli_win_utf8_args(&argc, &argv) < 0) {
		fprintf(stderr, "dlssl: cannot read the command line as UTF-8\n");
		return EXIT_USAGE;
	}
	rc = run(argc, argv);
	cli_win_free_args(argc, argv);
	return rc;
#else
	/* A peer that goes away is an error to report, not a reason to die. */
	signal(SIGPIPE, SIG_IGN);
	return run(argc, argv);
#endif
}
