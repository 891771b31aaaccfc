/*
 * dlssl_min: `dlssl info` and `dlssl random` for the Windows tests, built
 * from the very same tools/cmd_info.c, tools/cmd_random.c and tools/json.c
 * as the dlssl program, with this dispatcher instead of tools/dlssl.c.
 *
 * tests/win32.mk uses it only when tools/dlssl.exe itself does not build
 * for Windows, and says so.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

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

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "info") == 0)
		return cmd_info(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "random") == 0)
		return cmd_random(argc - 1, argv + 1);
	fprintf(stderr, "usage: dlssl_min info [--json] | random N\n");
	return EXIT_USAGE;
}
