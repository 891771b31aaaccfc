/* dlssl serve: what one connection does, and running a command for it. */
#ifndef DLSSL_TOOLS_SERVE_H
#define DLSSL_TOOLS_SERVE_H

#include "link.h"

/*
 * Held while making fds and forking (Windows: starting a process), so a
 * child never inherits another's.
 */
void serve_fd_lock(void);
void serve_fd_unlock(void);

/*
 * Run `/bin/sh -c command` (Windows: `%COMSPEC% /d /s /c "command"`) with
 * the connection on its stdin and stdout, until it ends its output or the
 * peer closes.  Returns an exit code.
 */
int serve_exec(const char *command, struct dlssl_stream *s, struct cli_link *l, int idle_ms);

#endif
