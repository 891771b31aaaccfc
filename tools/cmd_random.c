/* dlssl random N: N random bytes from libcrypto, as hex. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define RANDOM_MAX (1UL << 20)

int
cmd_random(int argc, char **argv)
{
	unsigned char buf[4096];
	unsigned long n, left;
	char *end;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf("usage: dlssl random N\n\nPrint N (at most %lu) random bytes from libcrypto as hex.\n",
		    RANDOM_MAX);
		return EXIT_OK;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: dlssl random N\n");
		return EXIT_USAGE;
	}
	errno = 0;
	n = strtoul(argv[1], &end, 10);
	if (errno != 0 || end == argv[1] || *end != '\0' || argv[1][0] == '-' || n > RANDOM_MAX) {
		fprintf(stderr, "dlssl random: N must be a whole number from 0 to %lu, not '%s'\n",
		    RANDOM_MAX, argv[1]);
		return EXIT_USAGE;
	}
	if ((rc = cli_load(NULL)) != EXIT_OK)
		return rc;
	for (left = n; left > 0;) {
		size_t chunk = left > sizeof(buf) ? sizeof(buf) : left, k;

		if (dlssl_random_bytes(buf, chunk) < 0)
			return cli_fail("random");
		for (k = 0; k < chunk; k++)
			printf("%02x", buf[k]);
		left -= chunk;
	}
	printf("\n");
	return EXIT_OK;
}
