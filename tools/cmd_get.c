/* dlssl get: being written. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_get(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dlssl: 'get' is not implemented yet\n");
	return EXIT_USAGE;
}
