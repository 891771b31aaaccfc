/* dlssl check-host: being written. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_check_host(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dlssl: 'check-host' is not implemented yet\n");
	return EXIT_USAGE;
}
