/* dlssl serve: being written. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dlssl: 'serve' is not implemented yet\n");
	return EXIT_USAGE;
}
