/* Shared by the dlssl command's subcommands. */
#ifndef DLSSL_TOOLS_CLI_H
#define DLSSL_TOOLS_CLI_H

#include "dlssl.h"

/* Exit codes (DESIGN.md). */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,
	EXIT_LOAD = 2,
	EXIT_VERIFY = 3,
	EXIT_TLS = 4,
	EXIT_TIMEOUT = 5
};

/* The exit code for a dlssl error category. */
int cli_exit_for(int code);
/* Print "dlssl: <what>: <dlssl_error()>" and return the matching exit code. */
int cli_fail(const char *what);
/* Load libssl (with --libssl when given); prints and returns an exit code. */
int cli_load(const char *libssl);

int cmd_bench(int argc, char **argv);
int cmd_check_host(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_get(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_random(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_x509(int argc, char **argv);

#endif
