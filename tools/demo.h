/* dlssl demo: the server half, run in a thread of the same process. */
#ifndef DLSSL_TOOLS_DEMO_H
#define DLSSL_TOOLS_DEMO_H

#include "sys.h" /* threads */

#include "link.h"

/*
 * The demo protocol, client first: a line the server echoes; then
 * "BULK <n>\n" and n bytes, which the server counts and answers with
 * "<count>\n"; then the client closes.
 */
#define DEMO_LINE_MAX 256

struct demo_server {
	struct dlssl_context *ctx;
	struct cli_opts opts;	/* transport and timeout */
	int lfd;		/* listening socket */
	int stop[2];		/* a pipe (Windows: a socket pair) written to when the server must stop */
	int connections;	/* how many to serve */
	cli_thread_t thread;
	/* what the first connection saw, for the summary */
	char servername[256];
	char error[512];
};

/* Start serving in a thread: 0, or -1 (errno). */
int demo_server_start(struct demo_server *d);
/* Stop waiting for connections and join the thread. */
void demo_server_stop(struct demo_server *d);

#endif
