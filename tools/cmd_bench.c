/* dlssl bench: being written. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_bench(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dlssl: 'bench' is not implemented yet\n");
	return EXIT_USAGE;
}
