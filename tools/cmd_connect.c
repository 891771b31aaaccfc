/* dlssl connect: being written. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_connect(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dlssl: 'connect' is not implemented yet\n");
	return EXIT_USAGE;
}
