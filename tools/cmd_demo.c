/* dlssl demo: being written. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dlssl: 'demo' is not implemented yet\n");
	return EXIT_USAGE;
}
