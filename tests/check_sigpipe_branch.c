/*
 * The SO_NOSIGPIPE branch of src/transport.c (for systems without
 * MSG_NOSIGNAL, such as older macOS) compiles and links: tests/api.mk builds
 * src/transport.c into this program with DLSSL_TEST_NO_MSG_NOSIGNAL and a
 * stand-in SO_NOSIGPIPE.  Linux has no SO_NOSIGPIPE socket option, so the
 * branch is only built here, not run against a socket.
 */
#include "config.h"

#include <stdio.h>

#include "transport.h"

int
main(void)
{
	struct dl_transport t = { 0 };

	t.fd = -1;
	dlssl__transport_give_back(&t); /* the branch's restore, on nothing */
	printf("ok: the SO_NOSIGPIPE branch of src/transport.c compiles\n");
	return 0;
}
