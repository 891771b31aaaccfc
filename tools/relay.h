/* Copy between a TLS stream and a pair of plain fds, both ways at once. */
#ifndef DLSSL_TOOLS_RELAY_H
#define DLSSL_TOOLS_RELAY_H

#include "link.h"

struct cli_relay {
	const char *cmd;	/* for messages */
	int in_fd;		/* its bytes go to the peer (stdin, a command's stdout) */
	int out_fd;		/* the peer's bytes go here (stdout, a command's stdin) */
	int in_eof_ends;	/* EOF on in_fd ends the session; else wait for the peer */
	int idle_ms;		/* give up when nothing moves this long; 0: never */
	int quiet_out_errors;	/* a failing out_fd only stops the copy to it */
	unsigned long long sent, received;
};

/*
 * Run until the peer ends the session (close_notify), or in_fd ends and
 * in_eof_ends is set.  Does not close the stream.  Returns an exit code,
 * the message printed.
 */
int cli_relay(struct cli_relay *r, struct dlssl_stream *s, struct cli_link *l);

#endif
