/* dlssl x509: being written. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_x509(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dlssl: 'x509' is not implemented yet\n");
	return EXIT_USAGE;
}
