/* TCP for the dlssl subcommands: HOST:PORT, connect with a timeout, listen. */
#ifndef DLSSL_TOOLS_NET_H
#define DLSSL_TOOLS_NET_H

#include <stddef.h>

#include "sys.h" /* sockets on both: cli_socket(), cli_sock_close(), ... */

#define CLI_HOST_MAX 256
#define CLI_PORT_MAX 16

/*
 * Split "host:port", "[v6addr]:port" or (with a default port) "host" or
 * "[v6addr]".  Returns 0, or -1 when malformed.
 */
int cli_split_hostport(const char *in, const char *defport, char *host, size_t hostlen,
    char *port, size_t portlen);
/* "host:port", with brackets around an IPv6 address. */
void cli_join_hostport(char *out, size_t outlen, const char *host, const char *port);
/* The address as "1.2.3.4:443" or "[::1]:443". */
void cli_addr_text(const struct sockaddr *sa, socklen_t len, char *out, size_t outlen);
/*
 * Connect to host:port (every address in turn), waiting at most timeout_ms
 * for each (0: the system's limit).  Returns the blocking socket, close on
 * exec; or -1 after printing "dlssl CMD: ..." and setting *rc to the exit
 * code (4 or 5).
 */
int cli_tcp_connect(const char *cmd, const char *host, const char *port, int timeout_ms,
    int *rc);
/*
 * Listen on bindaddr:port (port "0": any free one).  Returns the socket and
 * writes where it listens to `where`, or -1 after printing a message.
 */
int cli_tcp_listen(const char *cmd, const char *bindaddr, const char *port, int backlog,
    char *where, size_t wherelen);
/* Set FD_CLOEXEC (Windows: make a socket not inheritable): 0 or -1. */
int cli_cloexec(int fd);

#endif
